"""Class-scale load benchmark of the Train page: many viewers training at once on one server.

    python benchmarks/load.py                      # 1, 10, 30 simulated viewers + chromium checks
    python benchmarks/load.py --viewers 1 10 --seconds 10 --no-browser
    python benchmarks/load.py --soak 1800          # also: 30 viewers train 30 min, server RSS every 10 s
    python benchmarks/load.py --soak 120 --soak-viewers 10 --viewers --no-browser   # the soak alone
    python benchmarks/load.py --replicas 2         # 100 viewers: 1 process, then 2 replicas behind nginx

Starts its own `streamlit run app.py` on a free port for every measurement (so each starts from a
clean server), drives it with ../shared/tools/stload.py (simulated viewers that speak Streamlit's
websocket protocol and press Train; no browser competes for the CPU), and with one headless
Chromium: first load to the chart and to the whole page, and ten pages training in one browser.

Viewers open a link that trains longer than the measurement (see the Train page's URL parameters):
    LOAD_QUERY      preset=classic: the classic numpy tutorial setup (batch 1, SGD) at the default
                    speed, which needs thousands of steps, so nobody solves it during a measurement
    OVERHEAD_QUERY  bits=2, speed=1, lr=0.0001: one tiny step per update and a trivial evaluation,
                    so the server CPU per update is Streamlit's own cost plus drawing the chart
Prints a table; every figure is measured, none is assumed.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# the project's shared tools beside the repository; STLOAD_PY names it elsewhere (e.g. in a worktree)
STLOAD = Path(os.environ.get("STLOAD_PY") or REPO.parent / "shared" / "tools" / "stload.py")
VIEWERS = Path(__file__).with_name("stload_live.py")  # stload, counting the live panel's updates
LOAD_QUERY = "preset=classic"
OVERHEAD_QUERY = "bits=2&speed=1&lr=0.0001"
sys.path.insert(0, str(REPO / "tests"))  # browser.py: chromium path and flags shared with the tests


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PERSIST: dict[str, str] = {}  # environment of the servers started: see store_runs


def store_runs(on: bool) -> None:
    """Whether the servers started from now on store the simulated viewers' runs too (they run no
    JavaScript, so no browser gives them ids: rnn_app.ui.identity.IDS_FROM_SESSION)."""
    PERSIST.clear()
    if on:
        PERSIST["RNN_LAB_IDS_FROM_SESSION"] = "1"


@contextlib.contextmanager
def server(script: str = "app.py", cwd: Path = REPO):
    """Yield (base_url, pid) of a fresh `streamlit run <script>`, its runs stored in a folder of
    its own; stop it afterwards."""
    import tempfile

    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
    runs = tempfile.TemporaryDirectory()
    env = {**os.environ, "RNN_LAB_DATA": runs.name, **PERSIST}
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start")
            time.sleep(0.2)
        yield url, proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        runs.cleanup()


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def stload(viewers: int, seconds: float, query: str, warmup: float = 2.0) -> dict:
    """Run stload.py against a fresh server; returns the figures it printed."""
    with server() as (url, pid):
        out = subprocess.run(
            [sys.executable, str(VIEWERS), url, "--viewers", str(viewers), "--seconds", str(seconds),
             "--pid", str(pid), "--query", query, "--click", "Train", "--pause", "Pause", "--warmup", str(warmup)],
            capture_output=True, text=True, timeout=seconds + warmup + 120,
        )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    line = next((x for x in reversed(lines) if x.startswith("viewers=")), "")
    exact = next((re.match(r"server CPU ([\d.]+)% over the window", x) for x in lines if x.startswith("server CPU")), None)
    m = re.search(r"min ([\d.]+) median ([\d.]+) max ([\d.]+); gap p95 ([\d.na]+) s; server CPU (\d+)% "
                  r"RSS (\d+) MB(?:; last update ([\d.]+) s after Pause)?", line)  # fmt: skip
    if not m:
        raise RuntimeError(f"unexpected stload output:\n{out.stdout}\n{out.stderr[-2000:]}")
    lo, med, hi, gap, cpu, rss, pause = m.groups()
    return dict(viewers=viewers, min=float(lo), median=float(med), max=float(hi), gap95=gap, cpu=float(exact.group(1)) if exact else float(cpu),
                rss=int(rss), pause=float(pause) if pause else float("nan"))  # fmt: skip


# ---- replicas behind nginx (scripts/serve.py) ---------------------------------------------------
def _children(pid: int) -> list[int]:
    with contextlib.suppress(OSError):
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    return []


def stload_replicas(viewers: int, seconds: float, query: str, replicas: int, warmup: float) -> dict:
    """stload() against `replicas` Streamlit processes behind nginx (scripts/serve.py, one shared
    store). The viewers connect without cookies, so nginx spreads their websockets at random, as
    it spreads browsers by their random cookies. CPU over the window and RSS of each replica, and
    of nginx's worker."""
    import tempfile

    from browser import Served

    with tempfile.TemporaryDirectory() as data:
        served = Served(Path(data), replicas, env=PERSIST)
        try:
            pids = list(served.pids.values())
            workers = _children(served.nginx_pid) if served.nginx_pid else []
            out = subprocess.run(
                [sys.executable, str(VIEWERS), served.url, "--viewers", str(viewers), "--seconds", str(seconds),
                 "--pids", ",".join(map(str, pids + workers)), "--query", query, "--click", "Train",
                 "--pause", "Pause", "--warmup", str(warmup)],
                capture_output=True, text=True, timeout=seconds + warmup + 300,
            )  # fmt: skip
        finally:
            served.stop()
    lines = out.stdout.strip().splitlines()
    line = next((x for x in reversed(lines) if x.startswith("viewers=")), "")
    m = re.search(r"min ([\d.]+) median ([\d.]+) max ([\d.]+); gap p95 ([\d.na]+) s", line)
    each = {int(p): (float(c), int(r)) for p, c, r in re.findall(r"process (\d+) CPU ([\d.]+)% RSS (\d+) MB", out.stdout)}
    if not m or not each:
        raise RuntimeError(f"unexpected stload output:\n{out.stdout}\n{out.stderr[-2000:]}")
    lo, med, hi, gap = m.groups()
    return dict(viewers=viewers, min=float(lo), median=float(med), max=float(hi), gap95=gap,
                replicas=[each[p] for p in pids if p in each], nginx=[each[p] for p in workers if p in each])  # fmt: skip


def compare_replicas(viewers: list[int], seconds: float, replicas: int, warmup: float | None) -> None:
    """For each number of viewers: one plain process, then `replicas` behind nginx, side by side.
    The window starts `warmup` seconds after the Train clicks (default 0.15 s per viewer: a
    hundred first page runs and Train reruns queue on a process's one core before every viewer's
    loop runs; the window measures the steady state that follows)."""
    print(f"{'viewers':>7} | {'served by':>22} | {'updates/s each (min/median/max)':>31} | {'gap p95':>7} | "
          f"CPU (% of a core) and RSS per process", flush=True)  # fmt: skip
    for n in viewers:
        wait = max(2.0, 0.15 * n) if warmup is None else warmup
        try:
            one = stload(n, seconds, LOAD_QUERY, wait)
            print(f"{n:>7} | {'1 process':>22} | {one['min']:>9.2f} / {one['median']:>5.2f} / {one['max']:>5.2f}{'':>9} | "
                  f"{one['gap95']:>5} s | {one['cpu']:.0f} %, {one['rss']} MB", flush=True)  # fmt: skip
        except RuntimeError as e:  # an overloaded server can drop the viewers (a missed keepalive ping)
            print(f"{n:>7} | {'1 process':>22} | did not hold them: {str(e).strip().splitlines()[-1][:90]}", flush=True)
        r = stload_replicas(n, seconds, LOAD_QUERY, replicas, wait)
        procs = "; ".join(f"{c:.0f} %, {mb} MB" for c, mb in r["replicas"])
        proxy = "; nginx " + ", ".join(f"{c:.0f} %, {mb} MB" for c, mb in r["nginx"]) if r["nginx"] else ""
        label = f"{replicas} replicas + nginx"
        print(f"{n:>7} | {label:>22} | {r['min']:>9.2f} / {r['median']:>5.2f} / {r['max']:>5.2f}{'':>9} | "
              f"{r['gap95']:>5} s | {procs}{proxy}", flush=True)  # fmt: skip


# ---- chromium ----------------------------------------------------------------------------------
COUNT_UPDATES_JS = """() => {  // count changes of the Step metric: one per live update
    // A MutationObserver on the live panel's metrics (rnn_app/live_panel.js replaces them at every
    // update), not a timer that polls: with ten pages on two cores, Chromium ran one page's 20 ms
    // poll only a few times a second, so that page counted 0.1-0.7 updates/s while its panel
    // changed 3.5-4 times a second (seen by this observer and by the server's log of its updates).
    window.__updates = [];
    const metrics = document.querySelector('.live-panel:not([hidden])')?.firstElementChild;
    if (!metrics) throw new Error('no live panel on this page: is it training?');
    const step = () => [...metrics.querySelectorAll('.live-metric')]
        .find(e => e.querySelector('.live-metric-label').textContent === 'Step')
        ?.querySelector('.live-metric-value').textContent;
    let last = step();
    new MutationObserver(() => {
        const v = step();
        if (v !== undefined && v !== last) { window.__updates.push(performance.now()); last = v; }
    }).observe(metrics, {childList: true, subtree: true, characterData: true});
}"""


CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg'  # a plotly chart drawn (the first)

CHART_SEEN_JS = f"""(() => {{  // performance.now() (ms since navigation start) when the first chart is drawn
    new MutationObserver((_, obs) => {{
        if (document.querySelector('{CHART}')) {{ window.__chartAt = performance.now(); obs.disconnect(); }}
    }}).observe(document, {{subtree: true, childList: true}});
}})()"""

# ... and when the whole Train page is drawn: the carry animation (the chart with frames) and its
# controls, the operand inputs and the sidebar's settings.
PAGE_SEEN_JS = """(() => {
    new MutationObserver((_, obs) => {
        const animation = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
            .find(gd => gd._transitionData && gd._transitionData._frames.length && gd.querySelector('.main-svg'));
        if (animation && document.querySelector('.anim-controls') && document.querySelector('[data-testid="stTextInput"]')
            && document.querySelector('[data-testid="stSidebar"] [data-testid="stSlider"]')) {
            window.__pageAt = performance.now(); obs.disconnect();
        }
    }).observe(document, {subtree: true, childList: true});
})()"""


def _chart_page(browser):
    """(context, page): a new browser context (empty cache) whose page records, in
    window.__chartAt, when its first chart is drawn (CHART_SEEN_JS), and in window.__pageAt when
    the whole Train page is (PAGE_SEEN_JS)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    page.add_init_script(CHART_SEEN_JS)
    page.add_init_script(PAGE_SEEN_JS)
    return ctx, page


def _chart_seconds(page, timeout_ms: float = 60_000, mark: str = "__chartAt") -> float:
    """Seconds from the page's navigation start to its first chart drawn (see _chart_page), or
    with mark="__pageAt" to the whole Train page drawn."""
    page.wait_for_function(f"() => window.{mark} !== undefined", timeout=timeout_ms)
    return page.evaluate(f"() => window.{mark}") / 1000


def first_load(browser, url: str) -> list[tuple[float, float, float]]:
    """Seconds to the first chart drawn (the learning curve) and to the whole page drawn: (1) a new browser context
    (empty cache) on a server that has just started (its first session imports plotly and the
    app), (2) the same page reloaded, (3) another new context on the now running server, as a
    student opening the class link meets it. Each as (chart from navigation start, as the
    browser's own timeline counts it; chart from Playwright's goto call, which adds starting the
    tab's renderer and the driver's round trips; whole page from navigation start)."""

    def timed(page, action) -> tuple[float, float, float]:
        t0 = time.perf_counter()
        action()
        page.wait_for_selector(CHART, timeout=60_000)
        wall = time.perf_counter() - t0
        return _chart_seconds(page, timeout_ms=10_000), wall, _chart_seconds(page, 60_000, "__pageAt")

    times = []
    for reload in (True, False):
        ctx, page = _chart_page(browser)
        times.append(timed(page, functools.partial(page.goto, url)))
        if reload:
            times.append(timed(page, page.reload))
        ctx.close()
    return times


REFERENCE_APP = """import plotly.graph_objects as go
import streamlit as st

st.title("Reference: one plotly chart")
st.plotly_chart(go.Figure(go.Scatter(y=[1, 3, 2])))
"""


def cold_loads(browser, n: int) -> dict[str, list[float]]:
    """Seconds from navigation start to the first chart drawn, each in a new browser context (empty
    cache) on a running server: our app and a one-chart Streamlit app (the floor: Streamlit's and
    plotly's scripts), alternately, so both meet the same machine; and for our app also to the
    whole page drawn ("app, whole page")."""
    import tempfile

    out = {"app": [], "app, whole page": [], "reference": []}
    with contextlib.ExitStack() as stack:
        ref_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        (ref_dir / "reference.py").write_text(REFERENCE_APP)
        url, _ = stack.enter_context(server())
        ref_url, _ = stack.enter_context(server("reference.py", ref_dir))
        for i in range(n + 1):  # the first round warms both servers up (imports) and is not counted
            for name, u in (("app", url), ("reference", ref_url)):
                ctx, page = _chart_page(browser)
                page.goto(u)
                seconds = _chart_seconds(page)
                if i:
                    out[name].append(seconds)
                    if name == "app":
                        out["app, whole page"].append(_chart_seconds(page, mark="__pageAt"))
                ctx.close()
    return out


def pages_in_one_browser(browser, url: str, n: int, seconds: float) -> list[float]:
    """n pages in one Chromium, each pressing Train; updates per second of each page."""
    from browser import wait_for_streamlit
    from playwright.sync_api import expect

    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    pages = []
    for _ in range(n):
        p = ctx.new_page()
        p.goto(f"{url}/?{LOAD_QUERY}")
        wait_for_streamlit(p, timeout=120)
        p.wait_for_selector(CHART, timeout=120_000)  # the page is drawn
        pages.append(p)
    for p in pages:
        p.get_by_role("button", name="Train", exact=True).click()
    for p in pages:  # every page is training (a click that came too early would leave one idle)
        expect(p.get_by_role("button", name="Pause", exact=True)).to_be_enabled(timeout=60_000)
    time.sleep(3)  # warm-up: every loop is running
    for p in pages:
        p.evaluate(COUNT_UPDATES_JS)
    time.sleep(seconds)
    rates = [len(p.evaluate("() => window.__updates")) / seconds for p in pages]
    ctx.close()
    return rates


def browser_checks(seconds: float, n_pages: int, n_loads: int) -> dict:
    import browser as bt
    from playwright.sync_api import sync_playwright

    if bt.chromium_missing_reason():
        return {}
    result = {}
    with sync_playwright() as pw:
        b = bt.launch_chromium(pw)
        with server() as (url, pid):
            result["load"] = first_load(b, url)
        result["cold"] = cold_loads(b, n_loads)
        with server() as (url, pid):
            c0 = _cpu(pid)
            t0 = time.monotonic()
            rates = pages_in_one_browser(b, url, n_pages, seconds)
            result["pages"] = (rates, 100 * (_cpu(pid) - c0) / (time.monotonic() - t0), rss_mb(pid))
        b.close()
    return result


def _cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


SOAK_EVERY = 10.0  # s between two RSS samples of the soak
SOAK_SETTLED = 60.0  # s: RSS is compared with its value at this time (imports and first pages are done)


def soak(seconds: float, viewers: int) -> tuple[list[tuple[float, float, int]], list[int]]:
    """`viewers` protocol viewers (tests/stviewer.py) train the classic setup for `seconds`, pressing
    Train again if a run solved and stopped; the server's RSS is sampled every SOAK_EVERY seconds.
    Returns the samples (elapsed s, RSS MB, live updates received in all) and each viewer's last step."""
    import asyncio

    sys.path.insert(0, str(REPO / "tests"))
    from stviewer import Viewer

    async def go(url: str, pid: int):
        class_ = [Viewer(url, query=LOAD_QUERY) for _ in range(viewers)]
        try:
            for v in class_:
                await v.__aenter__()
            await asyncio.gather(*(v.wait_finished(120) for v in class_))
            for v in class_:
                await v.click("Train")
                await asyncio.sleep(0.1)
            t0, samples = time.monotonic(), []
            while True:
                now = time.monotonic() - t0
                samples.append((now, rss_mb(pid), sum(len(v.updates) for v in class_)))
                if now >= seconds:
                    break
                await asyncio.sleep(min(SOAK_EVERY, seconds - now))
                for v in class_:  # solved and stopped: train on (Train after a solve trains until Pause)
                    if not v.updates or time.monotonic() - v.updates[-1] > 5:
                        await v.click("Train")
            return samples, [v.steps[-1] if v.steps else 0 for v in class_]
        finally:
            await asyncio.gather(*(v.__aexit__(None, None, None) for v in class_), return_exceptions=True)

    with server() as (url, pid):
        return asyncio.run(go(url, pid))


def history_memory(steps: int, evaluate_every: int = 25) -> int:
    """Bytes of a run's history after `steps` steps (rnn.history.History, as the server keeps it)."""
    sys.path.insert(0, str(REPO))
    from rnn.history import History

    h = History()
    for s in range(1, steps + 1):
        h.add_loss(s, 1.0 / s)
        if s % evaluate_every == 0:
            h.add_eval(s, 0.5, 0.5)
    return h.memory()


def print_soak(seconds: float, viewers: int) -> None:
    print(f"\nSoak: {viewers} viewers train ?{LOAD_QUERY} for {seconds:g} s; server RSS every {SOAK_EVERY:g} s "
          "(elapsed s, MB, live updates received so far):", flush=True)  # fmt: skip
    samples, steps = soak(seconds, viewers)
    for t, mb, updates in samples:
        print(f"  {t:>6.0f} s  {mb:6.1f} MB  {updates:>8} updates", flush=True)
    late = [mb for t, mb, _ in samples if t >= SOAK_SETTLED]
    if late:
        ref = late[0]
        spread = max(abs(mb - ref) / ref for mb in late)
        verdict = "within" if spread <= 0.10 else "NOT within"
        print(f"RSS after the first minute: {min(late):.1f}-{max(late):.1f} MB, {100 * spread:.1f} % from its "
              f"value at {SOAK_SETTLED:g} s ({ref:.1f} MB): {verdict} ±10 %")  # fmt: skip
    else:
        print(f"RSS: the soak was shorter than {SOAK_SETTLED:g} s; nothing to compare after the first minute")
    most = max(steps)
    first = history_memory(max(1, int(most * min(1.0, SOAK_SETTLED / seconds))))
    print(f"History memory per run: {history_memory(most) / 1024:.0f} KB at {most:,} steps (the most a viewer "
          f"reached; {first / 1024:.0f} KB at the first minute's steps; bounded by its cap, not by the steps)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--viewers", type=int, nargs="*", help="simulated viewers per run (default 1 10 30; "
                    "with --replicas: 100; none: skip these runs)")  # fmt: skip
    ap.add_argument("--seconds", type=float, default=15.0, help="measurement window per run")
    ap.add_argument("--pages", type=int, default=10, help="pages in one chromium")
    ap.add_argument("--loads", type=int, default=5, help="cold first loads of the app and of a one-chart app")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--replicas", type=int, default=0,
                    help="compare one process with this many replicas behind nginx (scripts/serve.py), "
                         "the same viewers on each; nothing else is measured")  # fmt: skip
    ap.add_argument("--warmup", type=float, help="with --replicas: seconds from the Train clicks to the "
                    "window (default 0.15 s per viewer, at least 2)")  # fmt: skip
    ap.add_argument("--soak", type=float, default=0, help="seconds of --soak-viewers training, RSS sampled")
    ap.add_argument("--soak-viewers", type=int, default=30, help="viewers training during the soak")
    ap.add_argument("--persist", action="store_true",
                    help="simulated viewers' runs are stored too (browsers' always are); the cost per update "
                         "is measured with and without")  # fmt: skip
    a = ap.parse_args()
    if a.viewers and not STLOAD.is_file():
        sys.exit(f"stload.py not found at {STLOAD}: this benchmark needs ../shared/tools/stload.py "
                 "beside the repository (the project's shared tools).")  # fmt: skip

    store_runs(a.persist)
    if a.replicas:
        print(f"Replicas benchmark: {os.cpu_count()} cores, window {a.seconds:g} s, link ?{LOAD_QUERY}, "
              f"simulated viewers' runs stored: {'yes' if a.persist else 'no'}\n", flush=True)  # fmt: skip
        compare_replicas(a.viewers or [100], a.seconds, a.replicas, a.warmup)
        return
    a.viewers = [1, 10, 30] if a.viewers is None else a.viewers
    print(f"Train page load benchmark: {os.cpu_count()} cores, window {a.seconds:g} s, "
          f"link ?{LOAD_QUERY}, simulated viewers' runs stored: {'yes' if a.persist else 'no'}\n", flush=True)  # fmt: skip
    header = (f"{'viewers':>7} | {'updates/s each (min/median/max)':>31} | {'gap p95':>7} | {'server CPU':>10} | "
              f"{'RSS':>7} | {'last update after Pause':>23}")  # fmt: skip
    print(header + "\n" + "-" * len(header), flush=True)
    for n in a.viewers:
        r = stload(n, a.seconds, LOAD_QUERY)
        print(f"{n:>7} | {r['min']:>9.2f} / {r['median']:>5.2f} / {r['max']:>5.2f}{'':>9} | {r['gap95']:>5} s | "
              f"{r['cpu']:>9.1f}% | {r['rss']:>4} MB | {r['pause']:>21.2f} s", flush=True)  # fmt: skip

    for persist in ((True, False) if a.persist else (False,)) if a.viewers else ():
        store_runs(persist)
        r = stload(1, a.seconds, OVERHEAD_QUERY)
        per_update_ms = 10 * r["cpu"] / r["median"]  # CPU % of one core / updates per s -> ms per update
        print(f"\nStreamlit + chart cost per update (1 viewer, ?{OVERHEAD_QUERY}, runs stored: "
              f"{'yes' if persist else 'no'}): {r['median']:.2f} updates/s, server CPU {r['cpu']:.1f}% -> "
              f"{per_update_ms:.1f} ms of server CPU per update", flush=True)  # fmt: skip
    store_runs(a.persist)

    if not a.no_browser:
        res = browser_checks(a.seconds, a.pages, a.loads)
        if not res:
            print("\nchromium not found: browser checks skipped")
        else:
            labels = ("new context, server just started", "reload", "new context, server running")
            print("\nFirst load to the learning curve drawn (1 chromium), from navigation start (from the goto "
                  "call); and to the whole page drawn:")  # fmt: skip
            for label, (nav, wall, whole) in zip(labels, res["load"]):
                print(f"  {label:33s} {nav:5.2f} s ({wall:.2f} s); whole page {whole:5.2f} s")
            cold = res["cold"]
            print(f"Cold loads on a running server, new context each, from navigation start (median of {a.loads}):")
            for name in ("app", "app, whole page", "reference"):
                times = ", ".join(f"{x:.2f}" for x in cold[name])
                print(f"  {name:16s} {statistics.median(cold[name]):.2f} s  ({times})")
            print(f"  the app takes {statistics.median(cold['app']) / statistics.median(cold['reference']):.2f}x the "
                  "one-chart reference app (Streamlit's and plotly's scripts alone)")
            rates, cpu, rss = res["pages"]
            print(f"{a.pages} pages training in one chromium: updates/s each min {min(rates):.2f} "
                  f"median {statistics.median(rates):.2f} max {max(rates):.2f}; server CPU {cpu:.0f}% RSS {rss:.0f} MB")
    if a.soak:
        print_soak(a.soak, a.soak_viewers)


if __name__ == "__main__":
    main()

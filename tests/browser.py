"""Helpers for real-browser end-to-end tests (Streamlit server + headless Chromium).

Not a test module: the fixtures in ``conftest.py`` wrap these helpers.

Environment overrides:
  RNN_LAB_APP       path of the Streamlit script to serve (default: <repo>/app.py)
  RNN_LAB_APP_CWD   working directory of the server (default: the script's folder)
  CHROMIUM_PATH     Chromium executable (default: /usr/bin/chromium)
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]

# Streamlit DOM hooks (checked against streamlit 1.67). The app root carries the
# script-run state: data-test-script-state = initial | running | notRunning |
# rerunRequested | stopRequested | compilationError, and
# data-test-connection-state = INITIAL | CONNECTING | CONNECTED | ...
APP_SELECTOR = '[data-testid="stApp"]'
IDLE_SELECTOR = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
)
# Elements left over from the previous run are marked stale until the run ends.
STALE_SELECTOR = '[data-stale="true"]'
# Top-right "Running..." indicator (only shown ~0.5 s after a run starts).
RUNNING_SELECTOR = '[data-testid="stStatusWidgetRunningIcon"]'
# Error box for an uncaught exception in the script.
EXCEPTION_SELECTOR = '[data-testid="stException"]'


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "<no log>"


@contextlib.contextmanager
def streamlit_server(
    app: str | os.PathLike[str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    port: int | None = None,
    timeout: float = 60.0,
    extra_args: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Run ``streamlit run APP`` on 127.0.0.1:PORT and yield its base URL.

    Waits (polling) for ``/_stcore/health`` to answer ``ok``. The server runs in
    its own process group, which is killed on exit (or by ``kill_server(url)``).
    Its output goes to a temp log file whose tail is included in the error if
    startup fails. ``env``: variables added to the server's environment.
    """
    app_path = Path(app or os.environ.get("RNN_LAB_APP") or REPO_ROOT / "app.py").resolve()
    workdir = Path(cwd or os.environ.get("RNN_LAB_APP_CWD") or app_path.parent).resolve()
    if not app_path.is_file():
        raise FileNotFoundError(f"Streamlit app not found: {app_path}")
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app_path),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        *(extra_args or []),
    ]  # fmt: skip
    log_fd, log_name = tempfile.mkstemp(prefix="streamlit-", suffix=".log")
    log_path = Path(log_name)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    with os.fdopen(log_fd, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + timeout
        while not _health_ok(f"{base_url}/_stcore/health"):
            if proc.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with code {proc.returncode} during startup.\n"
                    f"--- {log_path} (tail) ---\n{_tail(log_path)}"
                )
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"streamlit did not become healthy on {base_url} within {timeout:.0f}s.\n"
                    f"--- {log_path} (tail) ---\n{_tail(log_path)}"
                )
            time.sleep(0.1)
        SERVERS[base_url] = proc
        yield base_url
    finally:
        SERVERS.pop(base_url, None)
        _stop(proc)
        print(f"\n[streamlit log: {log_path}]")


SERVERS: dict[str, subprocess.Popen] = {}  # base URL -> the server process serving it


def kill_server(url: str) -> None:
    """kill -9 the server at `url` (and its process group): a crash, no goodbye."""
    proc = SERVERS[url]
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def _stop(proc: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=grace)


def nginx_missing_reason() -> str | None:
    """None if nginx is installed (scripts/serve.py can run replicas), else why not."""
    import shutil

    if shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK):
        return None
    return "nginx is not installed (make nginx, or apt-get install -y nginx): replica tests skipped"


# ---- replicas behind nginx (scripts/serve.py) ------------------------------------------------------
class Served:
    """scripts/serve.py running N replicas behind nginx on a free port, keeping runs in `data`: its
    URL, each replica's pid by address ("127.0.0.1:PORT", as nginx's X-Replica header names it)
    and nginx's pid, from what it prints. stop() ends it all."""

    def __init__(self, data: Path, replicas: int = 2, env: dict[str, str] | None = None):
        self.port, self.env = free_port(), dict(env or {})
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, str(REPO_ROOT / "scripts" / "serve.py"), "--replicas", str(replicas),
               "--port", str(self.port), "--address", "127.0.0.1", "--no-restart"]  # fmt: skip
        self.proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env={**os.environ, "RNN_LAB_DATA": str(data), **(env or {})}, start_new_session=True)  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.pids: dict[str, int] = {}  # "127.0.0.1:PORT" -> pid
        self.nginx_pid: int | None = None
        deadline = time.monotonic() + 240
        line = ""
        while not line.startswith("  nginx pid"):  # the last line serve.py prints once it serves
            with contextlib.suppress(queue.Empty):
                line = self.lines.get(timeout=1)
                m = re.match(r"  replica \d+: http://([\d.:]+) pid (\d+)", line)
                if m:
                    self.pids[m.group(1)] = int(m.group(2))
                elif line.startswith("  nginx pid"):
                    self.nginx_pid = int(line.split()[2].rstrip(","))
                continue
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("serve.py did not start:\n" + "\n".join(self.output))

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.output.append(line.rstrip("\n"))
            self.lines.put(line.rstrip("\n"))

    def replica(self, cookie: str) -> str:
        """The replica ("127.0.0.1:PORT") nginx sends a browser with this cookie to."""
        req = urllib.request.Request(self.url + "/_stcore/health", headers={"Cookie": f"rnn_lab_replica={cookie}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.headers["X-Replica"]

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM)  # serve.py stops nginx and the replicas
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:  # its replicas and nginx get SIGTERM when it dies (PDEATHSIG)
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


def chromium_missing_reason() -> str | None:
    """None if Chromium is usable, else a human-readable reason."""
    if os.path.exists(CHROMIUM_PATH):
        return None
    return (
        f"Chromium not found at {CHROMIUM_PATH}. Install Debian's package with `make chromium` "
        "(apt-get install -y chromium); `playwright install` cannot download browsers here."
    )


def launch_chromium(playwright):
    """Launch headless system Chromium through a Playwright sync API instance."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM_PATH,
        headless=True,
        args=CHROMIUM_ARGS,
    )


def wait_for_streamlit(page, timeout: float = 30.0, allow_exception: bool = False) -> None:
    """Wait until the Streamlit page is connected and idle (no script run in progress).

    Use right after ``page.goto(url)``: the app root goes initial -> running ->
    notRunning, so waiting for ``notRunning`` waits for the first full run. After
    an interaction use ``expect_rerun`` instead (a click's rerun may not have
    started yet when this is called). Raises AssertionError if the page shows an
    uncaught script exception, unless ``allow_exception``.
    """
    ms = timeout * 1000
    runs = getattr(page, "runs", None)
    if runs is not None and not _poll(page, lambda: runs.since(0, 2) in ("finished", "looping"), timeout):
        raise AssertionError(f"the page's first runs did not end (events {runs.events[-8:]})")
    page.wait_for_selector(IDLE_SELECTOR, state="attached", timeout=ms)
    page.wait_for_function(
        "(sel) => document.querySelectorAll(sel).length === 0",
        arg=STALE_SELECTOR,
        timeout=ms,
        polling=100,
    )
    if not allow_exception and page.locator(EXCEPTION_SELECTOR).count():
        raise AssertionError(
            "Streamlit script raised:\n" + page.locator(EXCEPTION_SELECTOR).first.inner_text()
        )


_RUN_COUNTER_JS = """() => {
    if (window.__stRunsDone === undefined) {
        window.__stRunsDone = 0;
        const app = document.querySelector('[data-testid="stApp"]');
        new MutationObserver((muts) => {  // a record holds the old value; the new one is the next record's
            muts.forEach((m, k) => {
                const value = k + 1 < muts.length ? muts[k + 1].oldValue : app.dataset.testScriptState;
                if (m.oldValue !== "notRunning" && value === "notRunning") window.__stRunsDone += 1;
            });
        }).observe(app, {attributes: true, attributeOldValue: true,
                         attributeFilter: ["data-test-script-state"]});
    }
    return window.__stRunsDone;
}"""


@contextlib.contextmanager
def expect_rerun(page, timeout: float = 30.0, allow_exception: bool = False) -> Iterator[None]:
    """Wait for the script rerun triggered inside the block to finish.

        with expect_rerun(page):
            page.get_by_role("button", name="Train").click()

    Counts completed runs with a MutationObserver on the app root, so a rerun
    that starts and ends between two polls is not missed.
    """
    if getattr(page, "runs", None) is not None and not allow_exception:  # the page's websocket tells when
        with settled(page, timeout):  # runs start and end (a quick rerun may never show in the DOM)
            yield
        return
    page.wait_for_selector(APP_SELECTOR, state="attached", timeout=timeout * 1000)
    before = page.evaluate(_RUN_COUNTER_JS)
    yield
    page.wait_for_function("(n) => window.__stRunsDone > n", arg=before, timeout=timeout * 1000, polling=50)
    wait_for_streamlit(page, timeout=timeout, allow_exception=allow_exception)


def open_inside_sections(page, lang: str = "en", timeout: float = 120.0) -> None:
    """Open the Inside page's on-demand sections (3-6: drawn only once opened), one click each, and
    wait for each one's run; sections already open stay so."""
    from rnn_app.inside.state import ON_DEMAND
    from rnn_app.ui.strings import t

    for name in ON_DEMAND:
        details = page.locator("details", has=page.locator("summary", has_text=t(f"inside.open.{name}", lang)))
        if details.get_attribute("open") is None:
            with expect_rerun(page, timeout):
                details.locator("summary").click()


# ---- what the Train page shows against what its run uses -------------------------------------------
# Each sidebar input: its aria-label (the widget's label) and what it shows (a slider's value text,
# a select box's or number box's text). Inputs inside the folded "More settings" are in the DOM too;
# a widget replaced by this run (a new key) stays in the DOM, hidden and stale, until the run ends.
SIDEBAR_JS = """() => [...document.querySelectorAll('[data-testid="stSidebar"] [data-stale="false"] input[aria-label]')]
    .map(i => [i.getAttribute('aria-label'), i.type === 'range' ? i.getAttribute('aria-valuetext') : i.value])"""
# The setup the run uses, as the page wrote it (rnn_app.train.views.in_use).
IN_USE_JS = """() => { const el = document.querySelector('.setup-in-use');
    return el ? JSON.parse(el.dataset.setup) : null; }"""
TRAIN_FIELDS = ("cell", "activation", "hidden", "layers", "lr", "optimizer", "batch", "bits", "loss", "clip",
                "dropout", "init", "seed")


def sidebar_setup(page, lang: str) -> dict:
    """The Train page's settings as its sidebar shows them, as values ({"hidden": 12, "loss": "bce",
    "speed": 25, "preset": "fast" or None}), read with the strings table of `lang`."""
    from rnn.config import ACTIVATIONS, CELLS, INITS, LOSSES, OPTIMIZERS
    from rnn_app.train.presets import PRESETS
    from rnn_app.ui.strings import t

    field_of = {t(f"train.w.{f}", lang): f for f in TRAIN_FIELDS}
    field_of[t("train.w.speed", lang)] = "speed"
    field_of[t("train.preset", lang)] = "preset"
    option_of = {t(f"train.opt.{v}", lang): v for v in (*CELLS, *ACTIVATIONS, *OPTIMIZERS, *LOSSES, *INITS)}
    option_of.update({t(p.label_key, lang): p.id for p in PRESETS})
    option_of[t("train.speed.max", lang)] = 0
    shown = {}
    for label, text in page.evaluate(SIDEBAR_JS):
        if label not in field_of:
            continue
        name = field_of[label]
        if text in option_of:
            shown[name] = option_of[text]
        elif name == "preset":
            shown[name] = None  # the placeholder: custom settings
        else:
            shown[name] = float(text) if name in ("lr", "clip", "dropout") else int(float(text))
    return shown


def in_use(page) -> dict | None:
    return page.evaluate(IN_USE_JS)


def assert_sidebar_is_in_use(page, lang: str) -> None:
    """Every settings widget shows what the run uses (rnn_app.train.views.in_use)."""
    used, shown = in_use(page), sidebar_setup(page, lang)
    assert used is not None, "the page shows no setup in use"
    for name in (*TRAIN_FIELDS, "speed"):
        assert shown.get(name) == used[name], f"{name}: the sidebar shows {shown.get(name)!r}, the run uses {used[name]!r}"


# ---- settling after an action while a live loop may be running ----------------------------------
# A page that trains never goes idle (its script run loops), and a quick rerun may never show as
# "running" in the DOM (React batches the attribute's changes). So runs are watched where they are
# announced: the server's messages on the page's websocket (new_session starts a run,
# script_finished ends it, an html delta with a live update is one update of the live panel).
# "Settled" means: a run started after the action, and it finished or sent two live updates; and
# the page has received messages since the action and nothing has arrived for a moment since.
WS_COUNT_JS = """(() => {
    window.__ws = {received: 0, last: 0};
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
        constructor(url, protocols) {
            super(url, protocols);
            if (String(url).includes('_stcore/stream')) this.addEventListener('message', () => {
                window.__ws.received += 1; window.__ws.last = performance.now(); });
        }
    };
})()"""
QUIET_MS = 150  # nothing received for this long: the page has drawn what it got
WAITING_QUIET_MS = 600  # ... for a page whose run ends in a quiet loop: its drawing is over
# ... and no element is still a skeleton (a widget whose script is still loading, after a reload)
SETTLED_JS = """([before, quiet]) => window.__ws.received > before && performance.now() - window.__ws.last > quiet
    && !document.querySelector('[data-testid="stSkeleton"]')"""


class Runs:
    """The script runs of one page, read from its Streamlit websocket (attach before page.goto)."""

    def __init__(self, page):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._msg, self._early = ForwardMsg, ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
        self.events: list[str] = []  # "start", "finish", "update", in order of arrival
        page.add_init_script(WS_COUNT_JS)
        page.on("websocket", self._on_websocket)
        page.runs = self

    def _on_websocket(self, ws) -> None:
        if "_stcore/stream" in ws.url:
            ws.on("framereceived", self._on_frame)

    def _on_frame(self, payload) -> None:
        if not isinstance(payload, bytes | bytearray):
            return
        msg = self._msg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.events.append("start")
        elif kind == "script_finished" and msg.script_finished != self._early:
            self.events.append("finish")
        elif kind == "delta" and b'class="live-panel-update"' in payload:  # not the panel's own code
            self.events.append("update")

    def since(self, mark: int, runs: int = 1) -> str | None:
        """"finished" or "looping" if the `runs`-th run started after `mark` (and any later one)
        got that far, "started", or None."""
        events = self.events[mark:]
        if events.count("start") < runs:
            return None
        after = events[len(events) - events[::-1].index("start") :]
        return "finished" if "finish" in after else "looping" if after.count("update") >= 2 else "started"


def _poll(page, condition, timeout: float) -> bool:
    """Let Playwright deliver events until condition() holds (True) or timeout seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(50)
    return True


@contextlib.contextmanager
def settled(page, timeout: float = 60.0, optional: bool = False, load: bool = False,
            waits: bool = False) -> Iterator[None]:  # fmt: skip
    """Wait until the script run an action in the block starts has drawn the page (the page needs
    a Runs watcher). optional: the action may start no run at all (a click on a disabled button).
    load: the action loads the page (goto, reload): a new session draws it in two runs, the second
    when the browser has told it its ids (rnn_app.ui.identity), which may bring a stored run back.
    waits: the page's run may end in a loop that sends nothing (a class's board or a student
    waiting for the teacher): drawn means started, then quiet for WAITING_QUIET_MS."""
    runs, mark, count = page.runs, len(page.runs.events), 2 if load else 1
    done = ("finished", "looping", "started") if waits else ("finished", "looping")
    received = 0 if load else page.evaluate("() => window.__ws ? window.__ws.received : 0")
    yield
    if not _poll(page, lambda: runs.since(mark, count) is not None, 3.0 if optional else timeout):
        if optional:
            return
        raise AssertionError(f"no script run started after the action (events {runs.events[mark:]})")
    if not _poll(page, lambda: runs.since(mark, count) in done, timeout):
        raise AssertionError(f"the page's run neither finished nor updated (events {runs.events[mark:]})")
    try:
        # a live loop sends 4 updates a second: once two came, the page has drawn the run's start; a
        # run that ends in a quiet loop is drawn when nothing comes for WAITING_QUIET_MS
        _poll(page, lambda: runs.since(mark, count) != "started", WAITING_QUIET_MS / 1000 * 3)
        quiet = {"started": WAITING_QUIET_MS, "looping": 0}.get(runs.since(mark, count), QUIET_MS)
        page.wait_for_function(SETTLED_JS, arg=[received, quiet], timeout=timeout * 1000, polling=50)
    except Exception as e:
        seen = page.evaluate("""() => [window.__ws, performance.now(), document.querySelectorAll('[data-testid="stSkeleton"]').length]""")
        raise AssertionError(f"the page did not settle: it received {seen[0]} (before the action: {received}) at "
                             f"{seen[1]:.0f} ms and shows {seen[2]} skeletons; the server's run: "
                             f"{runs.since(mark, count)}, events {runs.events[mark:][-12:]}") from e
    if page.locator(EXCEPTION_SELECTOR).count():
        raise AssertionError("Streamlit script raised:\n" + page.locator(EXCEPTION_SELECTOR).first.inner_text())

"""A class opening one page at once: N protocol-level viewers open Inside (then Digits) together.

    python benchmarks/open_at_once.py                       # 30 viewers, Inside then Digits
    python benchmarks/open_at_once.py --viewers 10 --pages inside
    python benchmarks/open_at_once.py --repo ../base        # the same against another checkout
    python benchmarks/open_at_once.py --distinct            # every viewer's network different
    python benchmarks/open_at_once.py --pages inside --open weights   # then open section 6, not 5

Starts a fresh `streamlit run app.py` per page (from --repo, default this repository), warms it
up with one viewer on the Train page (Streamlit's and the app's imports, as a server a teacher has
already used), then opens the page in N viewers at the same moment (tests/stviewer.py: viewers
that speak Streamlit's websocket protocol, no browser competing for the CPU). Every viewer's
session is new, so its network is the default setup's fresh network: what a class meets when the
teacher says "now open Inside the network". Prints, per page: seconds from opening to the first
chart (the first section) and to the whole page (the script run finished), median and max, and
the server's CPU seconds in all and per viewer. --distinct: each viewer first opens the Train page
with a seed of its own (?seed=N), so no two networks are alike and nothing can be shared: the
worst case, a class whose every network differs.

Inside computes sections 3-6 only when opened, so "whole page" there is the page as it opens.
After it, every viewer opens one of those sections at the same moment (--open, default "length":
the costliest, section 5), as a class told "now open section 5" does; printed: seconds from the
click to its chart and to the end of that (fragment) run, and the server's CPU seconds for it. A
checkout without on-demand sections has no such expander: the row says so.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent))

from load import server  # noqa: E402
from stviewer import Viewer, cpu_seconds  # noqa: E402

from rnn_app.ui.strings import t  # noqa: E402


async def open_section(viewers: list[Viewer], pid: int, label: str, timeout: float) -> dict | None:
    """Every viewer opens the expander `label` at once; seconds to its chart and to the run's end."""
    if not all(label in v.expanders for v in viewers):
        return None
    await asyncio.sleep(1.0)  # the page's own runs are over
    c0 = cpu_seconds(pid)
    charts = [len(v.chart_times) for v in viewers]  # the section's chart is the next to arrive
    for v in viewers:
        v.last_finished_at = None
    clicked = time.monotonic()
    await asyncio.gather(*(v.open_expander(label) for v in viewers))
    deadline = clicked + timeout
    while time.monotonic() < deadline and not all(v.last_finished_at for v in viewers):
        await asyncio.sleep(0.02)
    cpu = cpu_seconds(pid) - c0
    chart = [v.chart_times[c] - clicked if len(v.chart_times) > c else float("inf") for v, c in zip(viewers, charts)]
    done = [v.last_finished_at - clicked if v.last_finished_at else float("inf") for v in viewers]
    return dict(chart=chart, done=done, cpu=cpu)


async def open_together(url: str, pid: int, page: str, n: int, timeout: float, distinct: bool,
                        section: str | None = None) -> dict:  # fmt: skip
    async with Viewer(url) as warm:  # the Train page once: imports, as on a server in use
        await warm.wait_finished(120)
    await asyncio.sleep(1.0)
    if distinct:  # a network of its own each: the Train page with ?seed=N first, then the page
        viewers = [Viewer(url, query=f"seed={i + 1}") for i in range(n)]
        for v in viewers:
            await v.__aenter__()
            await v.wait_finished(timeout)
        await asyncio.sleep(1.0)
        c0 = cpu_seconds(pid)
        for v in viewers:
            v.page, v.page_hash, v.first_chart_at, v.finished_at, v.charts = page, "", None, None, 0
        opened = time.monotonic()
        await asyncio.gather(*(v.rerun() for v in viewers))
        for v in viewers:
            v.opened_at = opened
    else:
        viewers = [Viewer(url, page=page) for _ in range(n)]
        c0 = cpu_seconds(pid)
        await asyncio.gather(*(v.__aenter__() for v in viewers))
    await asyncio.gather(*(v.wait_finished(timeout) for v in viewers))
    cpu = cpu_seconds(pid) - c0
    try:
        first = [v.first_chart_at - v.opened_at if v.first_chart_at else float("inf") for v in viewers]
        whole = [v.finished_at - v.opened_at if v.finished_at else float("inf") for v in viewers]
        charts = [v.charts for v in viewers]
        opened = await open_section(viewers, pid, t(f"inside.open.{section}", "en"), timeout) if section else None
        problems = [e for v in viewers for e in v.exceptions + v.errors]  # the section's too
    finally:
        await asyncio.gather(*(v.__aexit__(None, None, None) for v in viewers))
    return dict(first=first, whole=whole, cpu=cpu, charts=charts, problems=problems, opened=opened)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--viewers", type=int, default=30)
    ap.add_argument("--pages", nargs="+", default=["inside", "digits"])
    ap.add_argument("--repo", type=Path, default=HERE.parent, help="checkout whose app.py is served")
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for every page")
    ap.add_argument("--distinct", action="store_true", help="every viewer's network different (seeds 1..N)")
    ap.add_argument("--open", default="length", choices=["automaton", "gradients", "length", "weights", "none"],
                    help="Inside: the on-demand section every viewer then opens at once")  # fmt: skip
    a = ap.parse_args()
    print(f"{a.viewers} viewers opening a page at once{', each with a network of its own' if a.distinct else ''}; "
          f"app from {a.repo.resolve().name}; "
          f"measured {time.strftime('%H:%M')} (a shared machine: CPU seconds per viewer are the steadier figure)")  # fmt: skip
    head = f"{'page':8} | {'first chart s (median / max)':>28} | {'whole page s (median / max)':>27} | {'server CPU s':>12} | {'per viewer':>10} | charts each"
    print(head + "\n" + "-" * len(head), flush=True)
    for page in a.pages:
        with server(cwd=a.repo.resolve()) as (url, pid):
            section = a.open if page == "inside" and a.open != "none" else None
            r = asyncio.run(open_together(url, pid, page, a.viewers, a.timeout, a.distinct, section))
        f, w = r["first"], r["whole"]
        print(f"{page:8} | {statistics.median(f):>13.2f} / {max(f):>12.2f} | {statistics.median(w):>12.2f} / "
              f"{max(w):>12.2f} | {r['cpu']:>12.1f} | {r['cpu'] / a.viewers:>10.2f} | "
              f"{min(r['charts'])}-{max(r['charts'])}", flush=True)  # fmt: skip
        if section:
            o = r["opened"]
            if o is None:
                print(f"  then opening section {section!r}: no such expander (every section drawn on opening)")
            else:
                c, d = o["chart"], o["done"]
                print(f"  then all open section {section!r}: its chart {statistics.median(c):.2f} / {max(c):.2f} s, "
                      f"its run done {statistics.median(d):.2f} / {max(d):.2f} s (median / max); server CPU "
                      f"{o['cpu']:.1f} s, {o['cpu'] / a.viewers:.2f} per viewer", flush=True)  # fmt: skip
        for p in sorted(set(r["problems"]))[:5]:
            print(f"  problem: {p}")


if __name__ == "__main__":
    main()

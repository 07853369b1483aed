"""A class on one server: simulated students training while their teacher watches the board.

    python benchmarks/class_load.py                   # 30 students, 20 s window
    python benchmarks/class_load.py --students 60 --seconds 30

Starts its own `streamlit run app.py`, creates a class in the server's store and opens the teacher's
board in one headless Chromium (the teacher key put in its localStorage, as the Start button
would). Students are ../shared/tools/stload.py viewers (the protocol, no browser) that open the
Train page's join link with the classic setup (?join=CODE&preset=classic: thousands of steps, so
nobody solves during the window) and press Train. Measured, every figure printed:
  - live updates per second of each student (median, min), and the server's CPU and RSS;
  - board refreshes per second (each redraw of the board's table, counted in the page);
  - a new student: seconds from their join link opening to their run on the board;
  - follow me: seconds from the teacher's push to the banner on every student's page.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from load import PERSIST, rss_mb, server, store_runs  # noqa: E402

from rnn import Config  # noqa: E402

_spec = importlib.util.spec_from_file_location("stload_live", HERE / "stload_live.py")
stload_live = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(stload_live)
stload = stload_live.stload
FAST = {k: v for k, v in Config().to_dict().items() if k != "dtype"}  # the setup the teacher sends
PUSH_MARK = "Your teacher set up"  # the banner a push shows (rnn_app/ui/strings/classroom.py)
FOLLOW_MARK = "Your teacher's setup is in use"  # the toast when a push in follow mode was applied


class Student(stload_live.LiveViewer):
    """A student: counts live updates, and notes when the teacher's push banner arrives."""

    pushed_at: float | None = None
    followed_at: float | None = None

    async def _read(self):
        async for data in self.ws:
            fm = stload.ForwardMsg()
            fm.ParseFromString(data)
            if fm.WhichOneof("type") == "new_session":
                self.page_hash = fm.new_session.page_script_hash or self.page_hash
            elif fm.WhichOneof("type") == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                kind = el.WhichOneof("type")
                if kind == "button":
                    self.buttons[el.button.label] = el.button.id
                elif kind == "html" and stload_live.UPDATE_MARK in el.html.body:
                    self.updates.append(time.monotonic())
                elif kind == "alert" and PUSH_MARK in el.alert.body and self.pushed_at is None:
                    self.pushed_at = time.monotonic()
                elif kind == "toast" and FOLLOW_MARK in el.toast.body and self.followed_at is None:
                    self.followed_at = time.monotonic()


def _cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


async def measure(url: str, pid: int, folder: str, n: int, seconds: float) -> dict:
    from playwright.async_api import async_playwright

    sys.path.insert(0, str(HERE.parent / "tests"))
    import browser as bt

    from rnn_app.store import ClassStore

    store = ClassStore(Path(folder) / "classes.sqlite3")
    made = store.create_class()
    out = {}
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=bt.CHROMIUM_PATH, headless=True, args=bt.CHROMIUM_ARGS)
        page = await (await chromium.new_context(viewport={"width": 1280, "height": 1400})).new_page()
        memory = json.dumps(json.dumps({"code": made.code, "key": made.key}))
        await page.add_init_script(f"localStorage.setItem('rnn-lab-teacher', {memory});")
        redraws = []  # each drawing of the board sends its table anew: counted on the teacher's websocket

        def frame(payload) -> None:
            if isinstance(payload, bytes):
                msg = stload.ForwardMsg()
                msg.ParseFromString(payload)
                if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element" and \
                        msg.delta.new_element.WhichOneof("type") == "dataframe":
                    redraws.append(time.monotonic())

        page.on("websocket", lambda ws: ws.on("framereceived", frame))
        await page.goto(url + "/class")
        await page.locator(".class-code").wait_for(timeout=120_000)

        query = f"join={made.code}&preset=classic"
        students = [Student(url, query) for _ in range(n)]
        for s in students:
            await s.__aenter__()
        await asyncio.sleep(2)
        await asyncio.gather(*(s.click("Train") for s in students))
        await asyncio.sleep(3)  # every student's loop is running
        t0, c0 = time.monotonic(), _cpu(pid)
        await asyncio.sleep(seconds)
        t1, c1 = time.monotonic(), _cpu(pid)
        rates = sorted(len([u for u in s.updates if t0 <= u <= t1]) / (t1 - t0) for s in students)
        board = len([r for r in redraws if t0 <= r <= t1]) / (t1 - t0)
        out.update(rates=rates, cpu=100 * (c1 - c0) / (t1 - t0), rss=rss_mb(pid), board=board)

        # a new student: from opening the join link to their run on the board
        joined = f"() => Number(document.querySelector('[data-testid=\"stMetricValue\"]').textContent) === {n + 1}"
        start = time.monotonic()
        late = Student(url, query)
        await late.__aenter__()
        await page.wait_for_function(joined, timeout=60_000, polling=50)
        out["new_on_board"] = time.monotonic() - start
        students.append(late)

        # follow me: the teacher's push, to the banner on every student's page
        pushed = time.monotonic()
        store.push(made.code, made.key, {"cfg": {**FAST, "hidden": 24}, "speed": 25}, "suggest")
        deadline = pushed + 30
        while any(s.pushed_at is None for s in students) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        arrivals = sorted(s.pushed_at - pushed for s in students if s.pushed_at is not None)
        out.update(push_reached=len(arrivals), push_median=statistics.median(arrivals) if arrivals else float("nan"),
                   push_max=arrivals[-1] if arrivals else float("nan"), students=len(students))  # fmt: skip

        # follow me at once: the setup applied on every page (each draws its whole page again)
        pushed = time.monotonic()
        store.push(made.code, made.key, {"cfg": {**FAST, "hidden": 20}, "speed": 25}, "follow")
        deadline = pushed + 30
        while any(s.followed_at is None for s in students) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        applied = sorted(s.followed_at - pushed for s in students if s.followed_at is not None)
        out.update(follow_reached=len(applied), follow_median=statistics.median(applied) if applied else float("nan"),
                   follow_max=applied[-1] if applied else float("nan"))  # fmt: skip
        for s in students:
            await s.__aexit__(None, None, None)
        await chromium.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=20.0)
    a = ap.parse_args()
    store_runs(True)  # simulated students store their runs like browsers (and get ids to join with)
    with tempfile.TemporaryDirectory() as folder:
        PERSIST["RNN_LAB_DATA"] = folder  # the server's store: the benchmark creates the class in it
        with server() as (url, pid):
            r = asyncio.run(measure(url, pid, folder, a.students, a.seconds))
    rates = r["rates"]
    print(f"Class benchmark: {a.students} students training (?join=CODE&preset=classic), the teacher's board in "
          f"Chromium, {os.cpu_count()} cores, window {a.seconds:g} s")  # fmt: skip
    print(f"  students' live updates/s: min {rates[0]:.2f} median {statistics.median(rates):.2f} max {rates[-1]:.2f}")
    print(f"  board refreshes/s: {r['board']:.2f}")
    print(f"  server CPU {r['cpu']:.0f} %, RSS {r['rss']:.0f} MB")
    print(f"  a new student's run on the board after {r['new_on_board']:.2f} s")
    print(f"  follow me (a banner, Apply / Keep mine): reached {r['push_reached']} of {r['students']} students, "
          f"median {r['push_median']:.2f} s, slowest {r['push_max']:.2f} s after the push")  # fmt: skip
    print(f"  follow me at once (applied, the page drawn again): {r['follow_reached']} of {r['students']} students, "
          f"median {r['follow_median']:.2f} s, slowest {r['follow_max']:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()

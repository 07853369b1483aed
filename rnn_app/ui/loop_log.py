"""Which live loops run, for tests: with RNN_LAB_LOOP_LOG set to a file, the server writes there
every loop's start and end, why it ended and the loops running then (tests/test_browser_chaos.py
checks that no loop goes on for a page nobody sees). Unset (always, outside tests): nothing."""

from __future__ import annotations

import contextlib
import os
import threading
import time

from streamlit.runtime.scriptrunner import get_script_run_ctx

LOOP_LOG = "RNN_LAB_LOOP_LOG"  # tests: a file where the loops' starts and ends are written
_loops: dict[int, str] = {}  # only with LOOP_LOG: the loops running now, "session:page" (diagnostics)
_loops_lock = threading.Lock()


@contextlib.contextmanager
def logged(name: str):
    """With LOOP_LOG set: write the loop's start and end, and the loops running, to that file."""
    path = os.environ.get(LOOP_LOG)
    if not path:
        yield {}
        return
    ctx = get_script_run_ctx()
    who, token = f"{ctx.session_id if ctx else '-'}:{name}", object()

    why = {"end": "interrupted"}  # the loop says why it ended

    def write(event: str) -> None:
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"{time.time():.3f} {event} {who} running={len(_loops)} {' '.join(sorted(_loops.values()))}"
                    f" ({why['end'] if event == 'end' else 'start'})\n")  # fmt: skip

    with _loops_lock:
        _loops[id(token)] = who
        write("start")
    try:
        yield why
    finally:
        with _loops_lock:
            _loops.pop(id(token), None)
            write("end")

"""../shared/tools/stload.py (simulated viewers), counting the live panel's updates.

stload counts the deltas that carry a plotly chart. The live pages draw their chart once per page
run in the live panel component and send each live update as a small hidden html element the panel
reads (rnn_app.ui.live.update_html), so this runs stload's own main() with a viewer that counts those
(and plotly charts, as before). Same options and output as stload.py, and one more line: the
server CPU over the measurement window with a decimal (stload prints whole percents).

  python benchmarks/stload_live.py URL --viewers 10 --seconds 15 --pid SERVER_PID --query preset=classic
  python benchmarks/stload_live.py URL --viewers 100 --pids PID1,PID2,NGINX_PID ...   # several processes
"""

import argparse
import asyncio
import importlib.util
import os
import time
from pathlib import Path

STLOAD = Path(os.environ.get("STLOAD_PY") or Path(__file__).resolve().parents[2] / "shared" / "tools" / "stload.py")
UPDATE_MARK = 'class="live-panel-update"'  # in the body of every live update (rnn_app.ui.live.update_html)

_spec = importlib.util.spec_from_file_location("stload", STLOAD)
stload = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(stload)


class LiveViewer(stload.Viewer):
    """A stload viewer that also counts the live panel's updates (the live pages use no fragments)."""

    async def _read(self):
        async for data in self.ws:
            self.bytes += len(data)
            self.msgs += 1
            fm = stload.ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = fm.new_session.page_script_hash or self.page_hash
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                et = el.WhichOneof("type")
                if et == "button":
                    self.buttons[el.button.label] = el.button.id
                elif et == "plotly_chart" or (et == "html" and UPDATE_MARK in el.html.body):
                    self.updates.append(time.monotonic())


stload.Viewer = LiveViewer  # stload.main() creates its viewers from this name

_readings = []  # (time, server CPU seconds) at the window's start and end, as stload's main() reads them
_pids: list[int] = []  # --pids: every process serving the viewers (replicas, nginx)
_each: list[list[tuple[int, float, int]]] = []  # per reading: (pid, CPU seconds, RSS MB) of each


def _cpu_rss(pid):
    cpu, rss = _stload_cpu_rss(pid)
    _readings.append((time.monotonic(), cpu))
    _each.append([(p, *_stload_cpu_rss(p)) for p in _pids])
    return cpu, rss


_stload_cpu_rss, stload.cpu_rss = stload.cpu_rss, _cpu_rss

if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])  # stload.py's options
    p.add_argument("url")
    p.add_argument("--viewers", type=int, default=1)
    p.add_argument("--click", default="Train")
    p.add_argument("--pause", default="Pause")
    p.add_argument("--seconds", type=float, default=15)
    p.add_argument("--warmup", type=float, default=2)
    p.add_argument("--pid", type=int)
    p.add_argument("--query", default="")
    p.add_argument("--regex")
    p.add_argument("--pids", help="comma-separated pids of every serving process (replicas behind nginx): "
                                  "one line each with its CPU over the window and its RSS")  # fmt: skip
    a = p.parse_args()
    if a.pids:
        _pids[:] = [int(x) for x in a.pids.split(",")]
        a.pid = a.pid or _pids[0]
    asyncio.run(stload.main(a))
    if len(_readings) == 2:  # stload prints whole percents; per-update costs need the decimal
        (t0, c0), (t1, c1) = _readings
        print(f"server CPU {100 * (c1 - c0) / (t1 - t0):.1f}% over the window", flush=True)
        for (pid, p0, _), (_, p1, rss) in zip(*_each):
            print(f"process {pid} CPU {100 * (p1 - p0) / (t1 - t0):.1f}% RSS {rss} MB", flush=True)

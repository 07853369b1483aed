"""Browserless Streamlit viewers: they speak Streamlit's websocket protocol as the browser does.

Adapted from the project's shared load tool (stload.py) so that tests and benchmarks run on a
clean clone. A Viewer opens a page (page name and query string as the browser's address bar
would give them), clicks buttons by label, opens expanders by label (as a click on one, rerunning
only the fragment it is in), and records what the server sends it: when each script run finished,
when plotly charts and the live panel's updates arrived, the step counter each live update
carried, and every exception shown. Only localhost servers.

    async with Viewer(url, page="inside") as v:
        await v.wait_finished(60)
        print(v.first_chart_at - v.opened_at, v.finished_at - v.opened_at)
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

UPDATE_MARK = 'class="live-panel-update"'  # every live update's body (rnn_app.ui.live.update_html)
STEP_RE = re.compile(r'live-metric-label">(?:Step|步数)</div><div class="live-metric-value">([\d,]+)<')
FINISHED = ForwardMsg.ScriptFinishedStatus


class Viewer:
    def __init__(self, url: str, page: str = "", query: str = ""):
        self.ws_url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        assert self.ws_url.startswith(("ws://127.", "ws://localhost")), "localhost only"
        self.page, self.query = page, query
        self.page_hash = ""
        self.buttons: dict[str, str] = {}  # label -> widget id (the latest drawn)
        self.expanders: dict[str, tuple[str, str]] = {}  # label -> (widget id, fragment id) of stateful ones
        self.opened_at: float | None = None  # when the first rerun was sent
        self.first_chart_at: float | None = None  # first plotly chart received
        self.finished_at: float | None = None  # first script run that finished (not for a rerun)
        self.runs_finished = 0
        self.last_finished_at: float | None = None  # the latest run that finished, a fragment's too
        self.charts = 0  # plotly charts received
        self.chart_times: list[float] = []  # when each arrived
        self.updates: list[float] = []  # arrival times of live panel updates
        self.steps: list[int] = []  # the step counter each live update carried
        self.exceptions: list[str] = []  # messages of exception elements received
        self.errors: list[str] = []  # protocol-level problems (a closed socket, a page not found)
        self.bytes = 0

    async def __aenter__(self) -> Viewer:
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None)
        self.reader = asyncio.create_task(self._read())
        self.opened_at = time.monotonic()
        await self.rerun()
        return self

    async def __aexit__(self, *exc) -> None:
        self.reader.cancel()
        await self.ws.close()

    async def rerun(self, trigger: str | None = None, opened: tuple[str, str] | None = None) -> None:
        """Rerun the page; `trigger`: a button's id (a click); `opened`: (id, fragment id) of an
        expander opened (only its fragment reruns, as in the browser)."""
        m = BackMsg()
        cs = m.rerun_script
        cs.query_string, cs.page_script_hash, cs.page_name = self.query, self.page_hash, self.page
        if trigger:
            w = cs.widget_states.widgets.add()
            w.id = trigger
            w.trigger_value = True
        if opened:
            w = cs.widget_states.widgets.add()
            w.id, w.bool_value = opened[0], True
            cs.fragment_id = opened[1]
        await self.ws.send(m.SerializeToString())

    async def open_expander(self, label: str) -> None:
        """Open the (stateful) expander labelled `label`, as a click on it does."""
        if label not in self.expanders:
            raise KeyError(f"no expander {label!r}; saw {sorted(self.expanders)}")
        await self.rerun(opened=self.expanders[label])

    async def click(self, label: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while label not in self.buttons:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no button {label!r}; saw {sorted(self.buttons)}")
            await asyncio.sleep(0.05)
        await self.rerun(trigger=self.buttons[label])

    async def wait_finished(self, timeout: float) -> bool:
        """Wait until the first script run has finished; False on timeout."""
        deadline = time.monotonic() + timeout
        while self.finished_at is None and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return self.finished_at is not None

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                self.bytes += len(data)
                fm = ForwardMsg()
                fm.ParseFromString(data)
                self._on(fm)
        except websockets.ConnectionClosed as e:
            self.errors.append(f"connection closed: {e}")

    def _on(self, fm: ForwardMsg) -> None:
        kind = fm.WhichOneof("type")
        now = time.monotonic()
        if kind == "new_session":
            self.page_hash = fm.new_session.page_script_hash or self.page_hash
        elif kind == "page_not_found":
            self.errors.append(f"page not found: {fm.page_not_found.page_name}")
        elif kind == "script_finished":
            if fm.script_finished in (FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR):
                self.runs_finished += 1
                if self.finished_at is None:
                    self.finished_at = now
            if fm.script_finished != FINISHED.FINISHED_EARLY_FOR_RERUN:
                self.last_finished_at = now
        elif kind == "delta" and fm.delta.WhichOneof("type") == "add_block":
            block = fm.delta.add_block
            if block.WhichOneof("type") == "expandable" and block.expandable.id:
                self.expanders[block.expandable.label] = (block.expandable.id, fm.delta.fragment_id)
        elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            el = fm.delta.new_element
            et = el.WhichOneof("type")
            if et == "button":
                self.buttons[el.button.label] = el.button.id
            elif et == "exception":
                self.exceptions.append(f"{el.exception.type}: {el.exception.message}")
            elif et == "plotly_chart":
                self.charts += 1
                self.chart_times.append(now)
                self.first_chart_at = self.first_chart_at or now
            elif et == "html" and UPDATE_MARK in el.html.body:
                self.updates.append(now)
                step = live_step(el.html.body)
                if step is not None:
                    self.steps.append(step)


def live_step(body: str) -> int | None:
    """The step counter a live update carries (its metrics grid, as HTML inside JSON)."""
    m = re.search(r'data-update="([^"]*)"', body)
    if not m:
        return None
    data = json.loads(html.unescape(m.group(1)))
    s = STEP_RE.search(data.get("metrics", ""))
    return int(s.group(1).replace(",", "")) if s else None


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    import os

    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024

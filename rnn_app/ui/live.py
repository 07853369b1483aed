"""Live training on a page: the Train / Pause / Step / Reset row, the live panel and the loop.

What happens to a run is decided by its rnn.run.Run (apply, start, advance, pause, snapshot):
this module only loops, draws snapshots and sleeps. A page that trains keeps a state object with
`run` (the Run) and `loop` (a Loop, this module's bookkeeping) and uses it like this (the loop
MUST be the last thing the page draws)::

    spec = live.LiveSpec(name="digits", state=state, metrics=..., figure=..., status=...)
    panel = live.column(spec, left)     # the button row (its callbacks start, pause, step or reset the
                                        # run), then status line, metrics and chart (the live panel too)
    ... everything else of the page (drawn once per script run, NOT re-sent while training) ...
    live.run(spec, panel)               # last line: loops while state.run.running

The loop: run.advance(a wall-clock slice), send one update (the metrics and the chart, which the
live panel in the browser redraws in place; the status line when it changes), sleep to the next
tick, repeat while the run is running. A click (Pause, a widget) makes Streamlit rerun the page;
Streamlit would interrupt the loop only at its next Streamlit call, so the sleep watches for the
waiting rerun and ends the run at once; the rerun draws the page with the new state and enters
the loop again if the run still runs. Nothing is lost: the run lives in the page's state object.
When an advance solves the run or it diverges, the run pauses itself and the loop reruns the page,
which draws the final state (balloons and a toast for a solve).

Tests: set state.loop.max_updates = N and the loop stops after N updates and pauses (AppTest never
leaves an unbounded loop on its own). With the environment variable RNN_LAB_LOOP_LOG set to a file,
the server writes there every loop's start and end and how many loops run (rnn_app.ui.loop_log;
browser tests check that no loop goes on for a page nobody sees).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import plotly.io
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from rnn.run import Snapshot
from rnn_app.ui import a11y, loop_log
from rnn_app.ui.guard import section
from rnn_app.ui.strings import t


@dataclass(frozen=True)
class Metric:
    label: str  # shown above the value
    value: str  # already formatted
    help: str | None = None  # tooltip


@dataclass(frozen=True)
class Status:
    kind: str  # "success" | "error" | "info" | "warning" (the st.<kind> box used)
    text: str  # one line


@dataclass
class Loop:
    """The live loop's bookkeeping for one page of one viewer (kept in the page's state object)."""

    slice: float | None = None  # seconds of training per update, adapted to the server's load
    behind: bool = False  # the last update was short of CPU: evaluate less often
    celebrate: bool = False  # the run was just solved: balloons and a toast on the next page run
    panel: bool = False  # the live panel was mounted by the last page run (training)
    max_updates: int | None = None  # tests: pause after this many updates
    announced: tuple | None = None  # the solved / diverged state the live region last said (said once)
    announcements: int = 0  # how many it said: each gets a new id
    # held while this page's loop trains and while a button changes the run: a rerun can start while
    # the previous run's loop is still ending (Streamlit starts a new script runner when the old one
    # is stopping), and two threads must never train one run at once
    busy: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)


BUSY_WAIT = 10.0  # s: how long a new page run waits for the previous run's loop to end


@contextlib.contextmanager
def exclusive(loop: Loop):
    """Hold the run of this page for one thread (see Loop.busy); after BUSY_WAIT seconds go on
    regardless (a stuck thread must not freeze the page)."""
    held = loop.busy.acquire(timeout=BUSY_WAIT)
    try:
        yield
    finally:
        if held:
            loop.busy.release()


@dataclass(frozen=True)
class LiveSpec:
    name: str  # the page ("train", "digits"): widget keys and the live panel's name
    state: Any  # the page's state object: .run (rnn.run.Run) and .loop (Loop)
    metrics: Callable[[Snapshot], list[Metric]]  # what the metrics grid shows of a snapshot
    figure: Callable[[], Any]  # the live chart (a plotly Figure) of the run as it is now
    status: Callable[[Snapshot], Status | None]  # the line above the metrics (solved, diverged, ...)
    celebrate: Callable[[Snapshot], str] | None = None  # toast text when newly solved
    alt: Callable[[Snapshot], str] | None = None  # the chart's message in one sentence (screen readers)
    on_update: Callable[[Snapshot], None] | None = None  # after each live update (e.g. save the run now and then)
    budget: float = 0.05  # at most this many seconds of training per update
    tick: float = 0.25  # seconds between updates (4 per second)
    max_steps: int | None = None  # at most this many steps per update (None: as many as fit)
    step_size: int = 1  # steps per click of Step
    metrics_per_row: int = 6  # metrics per row of the grid

    def key(self, name: str) -> str:
        return f"{self.name}.{name}"


# ---- buttons ------------------------------------------------------------------------------------
def _on_train(spec: LiveSpec) -> None:
    spec.state.loop.celebrate = False
    spec.state.run.start()


def _on_pause(spec: LiveSpec) -> None:
    spec.state.run.pause()


def _on_step(spec: LiveSpec) -> None:
    with exclusive(spec.state.loop):
        spec.state.run.step(spec.step_size)


def _on_reset(spec: LiveSpec) -> None:
    with exclusive(spec.state.loop):
        spec.state.run.reset()


def buttons(spec: LiveSpec) -> None:
    """One row: Train (primary) / Pause / Step / Reset. The callbacks change the run before the
    page is drawn, so everything below already sees the new state."""
    running = spec.state.run.running
    cols = st.columns(4, gap="small")
    rows = [("train", _on_train, "primary", running), ("pause", _on_pause, "secondary", not running),
            ("step", _on_step, "secondary", False), ("reset", _on_reset, "secondary", False)]  # fmt: skip
    for col, (name, callback, kind, disabled) in zip(cols, rows):
        col.button(t(f"train.button.{name}"), key=spec.key(f"button.{name}"), type=kind, on_click=callback,
                   args=(spec,), help=t(f"train.help.{name}"), disabled=disabled, width="stretch")  # fmt: skip


# ---- the panel ------------------------------------------------------------------------------------
@dataclass
class Panel:
    status: Any  # st.empty() for the solved / diverged line
    updates: Any  # st.empty() for the live updates the panel reads (a hidden element); None if idle
    shown_status: Any = False  # the Status drawn last in this run (not re-sent while unchanged)
    alt_at: float = 0.0  # time.perf_counter() when a live update last carried the chart's sentence


# Metrics as a grid of label/value cells styled like st.metric (six st.metric in st.columns would be
# ~15 messages per update). The page's run draws them as HTML; live updates carry the same HTML.
METRICS_CSS = """<style>
.live-metrics{display:grid;gap:0.4rem 1rem;margin:0.1rem 0 0.4rem 0}
.live-metric{display:flex;flex-direction:column;justify-content:flex-end;min-width:0}
.live-metric-label{font-size:0.875rem;opacity:0.75;line-height:1.25;overflow-wrap:anywhere}
.live-metric-value{font-size:1.55rem;line-height:1.3;white-space:nowrap;font-variant-numeric:tabular-nums}
</style>"""

# The live panel component (live_panel.js says why and how). Registered once per process: code, no
# state (each browser tab keeps its own panel). Comment lines are left out: the code goes with
# every rerun.
_PANEL_JS = "".join(
    line for line in (Path(__file__).parent / "live_panel.js").read_text(encoding="utf-8").splitlines(True)
    if not line.lstrip().startswith("//")
)  # fmt: skip
_live_panel = st.components.v2.component("rnn_live_panel", js=_PANEL_JS, isolate_styles=False)


def metrics_html(metrics: list[Metric], per_row: int) -> str:
    """The metrics grid as HTML (labels and values escaped; help as a hover title)."""
    cells = "".join(
        f'<div class="live-metric" title="{escape(m.help or "")}">'
        f'<div class="live-metric-label">{escape(m.label)}</div>'
        f'<div class="live-metric-value">{escape(m.value)}</div></div>'
        for m in metrics
    )
    # per_row columns while each is at least 7.5rem wide (a value like 2,560,000), fewer below
    cols = f"repeat(auto-fit,minmax(max(7.5rem,calc((100% - {per_row - 1}rem) / {per_row})),1fr))"
    return f'<div class="live-metrics" style="grid-template-columns:{cols}">{cells}</div>'


def panel_data(spec: LiveSpec, metrics: list[Metric], figure, alt: str | None = None) -> dict:
    """What the live panel shows: the metrics grid (metrics_html), the figure (plotly JSON) and,
    now and then, the chart's sentence for screen readers (alt)."""
    data = {"name": spec.name, "metrics": metrics_html(metrics, spec.metrics_per_row),
            "figure": plotly.io.to_json(figure, validate=False)}  # fmt: skip
    if alt is not None:
        data["alt"] = alt
    return data


def update_html(data: dict) -> str:
    """A live update for the panel: a hidden element carrying its data as JSON."""
    payload = escape(json.dumps(data, separators=(",", ":")), quote=True)
    return f'<div class="live-panel-update" data-panel="{escape(data["name"])}" data-update="{payload}" hidden></div>'


def panel(spec: LiveSpec, container=None) -> Panel:
    """Draw the status line, the metrics and the live chart in `container` (default: here).

    They are plain Streamlit elements: the metrics grid and an interactive plotly chart (hover,
    zoom), drawn as soon as the page loads. While the run trains, the live panel component is
    mounted after them, hidden: the first live update it reads replaces them in place (in the
    same frame, so nothing blinks), and later updates redraw it there."""
    box = container or st.container()
    st.html(METRICS_CSS)
    p = Panel(status=box.empty(), updates=None)
    snapshot = spec.state.run.snapshot()
    if spec.state.loop.celebrate:
        spec.state.loop.celebrate = False
        st.balloons()
        if spec.celebrate:
            # an icon from Streamlit's icon font, not an emoji (a box where no emoji font is installed)
            st.toast(spec.celebrate(snapshot), icon=":material/celebration:")
    status = spec.status(snapshot)
    _show_status(p, status)
    a11y.announce_once(spec.name, spec.state.loop, box, status, snapshot)  # "Solved" / diverged, said once
    box.html(metrics_html(spec.metrics(snapshot), spec.metrics_per_row))
    if spec.alt:
        a11y.chart_alt(spec.alt(snapshot), spec.name, box)
    box.plotly_chart(spec.figure(), width="stretch", key=spec.key("chart"), config={"displayModeBar": False})
    loop = spec.state.loop
    if snapshot.running or loop.panel:
        # one key: while training goes on (a rerun for a new lr) the panel stays mounted; the run
        # after training stopped mounts it once more, switched off (live_panel.js says why).
        # data in a list: Streamlit scans a dict's values for dataframes, importing pandas and
        # pyarrow into the server (+68 MB of RSS) for nothing
        with box:
            _live_panel(data=[{"name": spec.name, "off": not snapshot.running}], key=spec.key("panel"))
        loop.panel = snapshot.running
    if snapshot.running:
        p.updates = box.empty()  # after the panel, in its block: where the panel looks for updates
    return p


def column(spec: LiveSpec, where) -> Panel | None:
    """A page's live column in `where` (a column): Train / Pause / Step / Reset, then the panel.
    If it fails, its section says so there and the run pauses (no training the viewer cannot
    see); None then, and the page's loop does not run."""
    p = None
    with section(f"{spec.name}.live", on_error=spec.state.run.pause, where=where):
        with where:
            buttons(spec)
        p = panel(spec, where.container())
    return p


def _show_status(p: Panel, status: Status | None) -> None:
    if status != p.shown_status:
        if status is None:
            p.status.empty()
        else:
            getattr(p.status, status.kind)(status.text)
        p.shown_status = status


ALT_EVERY = 3.0  # s: a live update carries the chart's sentence at most this often (a screen
# reader reads the text when asked; four new sentences a second would only be noise)


def draw(spec: LiveSpec, p: Panel, snapshot: Snapshot) -> None:
    """One live update: the status line if it changed, and the panel's metrics and chart (one
    small hidden element the panel reads); every ALT_EVERY seconds the chart's sentence too."""
    _show_status(p, spec.status(snapshot))
    alt = None
    if spec.alt and time.perf_counter() - p.alt_at >= ALT_EVERY:
        alt, p.alt_at = spec.alt(snapshot), time.perf_counter()
    p.updates.html(update_html(panel_data(spec, spec.metrics(snapshot), spec.figure(), alt)))


# ---- the loop ------------------------------------------------------------------------------------
MIN_SLICE = 0.001  # s: the smallest training slice per update (an advance always runs one step)
BUSY = 0.8  # an update that took more than this share of its tick halves the next slice
IDLE = 0.5  # one that took less lets the slice grow back (between the two it holds)
LATE = 1.1  # an update starting this many ticks after the previous one is late (the core is busy)
POLL = 0.05  # s: how often the sleep between updates looks for a waiting rerun (a click). Each look
# takes the GIL; every 50 ms costs a viewer ~1 ms less server CPU per update than every 20 ms.
OTHERS_BUSY = 0.3  # the rest of the server (other viewers' loops, page runs) using more than this
# share of a core since the previous update means a class is training: this viewer's slice halves.
# One viewer alone keeps its full budget; N viewers settle near N/(N-1) x 0.3 of a core in all,
# which leaves the other core's worth for page loads, clicks and (on one machine) the browsers.


def rerun_waiting() -> bool:
    """Whether a rerun (a click, a widget change) is waiting for this script run to end.

    Streamlit looks for it only at the script's next Streamlit call, which in the loop comes after
    the sleep and the next training slice: up to a tick and a slice late. This peeks at the
    runner's request state, a private attribute; on a Streamlit without it the answer is False
    and the loop simply sleeps to the tick (tests/test_app_train.py checks it is still there)."""
    ctx = get_script_run_ctx()
    state = getattr(getattr(ctx, "script_requests", None), "_state", None)
    return getattr(state, "name", "CONTINUE") != "CONTINUE"


def sleep_until(deadline: float) -> bool:
    """Sleep until time.perf_counter() reaches deadline, or until a rerun waits (returns True)."""
    while (left := deadline - time.perf_counter()) > 0:
        if rerun_waiting():
            return True
        time.sleep(min(POLL, left))
    return rerun_waiting()


def next_slice(budget: float, spec: LiveSpec, took: float, period: float | None, others: float | None):
    """The training slice for the next update, and whether this one was behind.

    took: seconds this update took (training + drawing); period: seconds since the previous
    update started (None for the first); others: the server process's CPU time over that period
    not spent by this viewer's own loop, divided by the period (1.0 = one core busy). Behind
    (busy core, late or slow update): halve, down to MIN_SLICE; an update well inside its tick:
    grow by a quarter, up to spec.budget."""
    late = period is not None and period > LATE * spec.tick
    busy = others is not None and others > OTHERS_BUSY
    if late or busy or took > BUSY * spec.tick:
        return max(budget / 2, MIN_SLICE), True
    if took < IDLE * spec.tick:
        return min(budget * 1.25, spec.budget), False
    return budget, False


def run(spec: LiveSpec, p: Panel) -> None:
    """While the run runs: advance it by a wall-clock slice, draw the update, sleep to the tick.

    The slice adapts to the server's load (every viewer's loop shares the server's one Python
    core): an update that took more than BUSY of its tick, came LATE after the previous one, or
    found the rest of the server using more than OTHERS_BUSY of a core halves the next slice; one
    that took less than IDLE lets it grow back towards spec.budget. So a busy class trains fewer
    steps per update at the same 4 updates per second, and page loads and clicks stay quick.
    The slice is kept in state.loop, so a rerun (a click) does not start at the full budget."""
    if spec.state.run.running:
        with exclusive(spec.state.loop), loop_log.logged(spec.name) as why:
            why["end"] = _loop(spec, p, why)
            why["end"] += f" at step {spec.state.run.trainer.steps}"


def _loop(spec: LiveSpec, p: Panel, why: dict | None = None) -> str:
    """The loop of run(); returns why it ended (for the loop log)."""
    loop = spec.state.loop
    updates = 0
    budget = min(loop.slice or spec.budget, spec.budget)
    previous = None  # (wall clock, server process CPU, this loop's CPU) when the previous update started
    while spec.state.run.running:
        start, cpu, own = time.perf_counter(), time.process_time(), time.thread_time()
        period = others = None
        if previous is not None:
            period = start - previous[0]
            others = ((cpu - previous[1]) - (own - previous[2])) / max(period, 1e-9)
        previous = start, cpu, own
        snapshot = spec.state.run.advance(budget, spec.max_steps, busy=loop.behind)
        updates += 1
        draw(spec, p, snapshot)
        if spec.on_update:
            spec.on_update(snapshot)
        if snapshot.stopped:  # solved or diverged: the run paused itself; draw the final page
            loop.celebrate = snapshot.stopped == "solved"
            if why is not None:
                why["end"] = f"{snapshot.stopped} at step {snapshot.step}"
            st.rerun()
        if loop.max_updates is not None and updates >= loop.max_updates:
            spec.state.run.pause()
            return "max_updates"
        took = time.perf_counter() - start
        budget, loop.behind = next_slice(budget, spec, took, period, others)
        loop.slice = budget
        if sleep_until(start + spec.tick):
            return "rerun"  # the script run ends here and Streamlit starts the waiting rerun at once
    return "paused"

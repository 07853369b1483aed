"""Reusable live-training components for any page that trains a model while the viewer watches.

Generic over the trainer object: it needs ``train_for(seconds, max_steps=...)``, ``step(n)``,
``reset()``, ``steps`` and ``diverged`` (None or a reason); ``solved_step`` (None or int) is optional.

How a page uses it (the loop MUST be the last thing the page draws)::

    from rnn_app import live

    spec = live.LiveSpec(
        prefix="digits",                      # session-state namespace: "<prefix>.running", ...
        get_trainer=get_digits_trainer,       # () -> trainer, from st.session_state
        metrics=my_metrics,                   # (trainer, steps_per_second | None) -> list[live.Metric]
        figure=my_curve,                      # (trainer) -> plotly Figure (the live chart)
        status=my_status,                     # (trainer) -> live.Status | None (solved / diverged text)
        labels=live.button_labels(),          # Train / Pause / Step / Reset in the viewer's language
        budget=0.1, tick=0.25, max_steps=50,  # per update: train <= budget s and <= max_steps, every tick s
    )
    live.buttons(spec)                        # the button row (callbacks set the running flag)
    panel = live.panel(spec)                  # status line, metrics and chart, drawn now (the live panel too)
    ... everything else of the page (drawn once per script run, NOT re-sent while training) ...
    live.run(spec, panel)                     # last line: loops while st.session_state["<prefix>.running"]

The loop: train for `budget` seconds of wall time (at most `max_steps` steps), then send one
update (metrics and chart, which the live panel in the browser redraws in place; the status line
when it changes), sleep to the next tick, repeat while running. A click
(Pause, a widget) makes Streamlit rerun the page; Streamlit would interrupt the loop only at its
next Streamlit call, so the sleep watches for the waiting rerun and ends the run at once; the
rerun redraws the page with the new settings and re-enters the loop if still running.
All training state lives in st.session_state, so an interrupted loop loses nothing. When the
trainer is newly solved or diverges the loop stops, sets "<prefix>.celebrate" (solved only) and
calls st.rerun() so the whole page redraws with the final model; panel() then shows balloons and
a toast once.

Tests: set st.session_state["<prefix>.max_updates"] = N (or pass max_updates=N to run()) and the
loop stops after N updates and pauses; AppTest never leaves an unbounded loop on its own.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import plotly.io
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from rnn_app.strings import t


@dataclass(frozen=True)
class Metric:
    label: str  # shown above the value
    value: str  # already formatted
    help: str | None = None  # tooltip


@dataclass(frozen=True)
class Status:
    kind: str  # "success" | "error" | "info" | "warning" (the st.<kind> box used)
    text: str  # one line


@dataclass(frozen=True)
class LiveSpec:
    prefix: str  # namespace of this page's session-state keys, e.g. "train"
    get_trainer: Callable[[], Any]  # returns this viewer's trainer (kept in st.session_state)
    metrics: Callable[[Any, float | None], list[Metric]]  # (trainer, steps/s or None) -> metrics; evaluates
    figure: Callable[[Any], Any]  # (trainer) -> plotly Figure redrawn at every update
    status: Callable[[Any], Status | None] = lambda tr: None  # (trainer) -> solved/diverged line
    labels: dict = field(default_factory=dict)  # {"train"|"pause"|"step"|"reset": label, "<name>.help": tip}
    budget: float = 0.1  # wall-clock seconds of training per update
    tick: float = 0.25  # seconds from one update to the next (4 updates/s)
    max_steps: int = 10**9  # at most this many training steps per update (the page's speed control)
    step_size: int = 1  # training steps done by the Step button
    celebrate: Callable[[Any], str] | None = None  # (trainer) -> toast text when newly solved
    metrics_per_row: int = 6  # metrics per row of the panel

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}"


def button_labels() -> dict:
    """The standard labels in the viewer's language: Train / Pause / Step / Reset (训练 / 暂停 / 单步 / 重置)."""
    names = ("train", "pause", "step", "reset")
    labels = {n: t(f"train.button.{n}") for n in names}
    labels.update({f"{n}.help": t(f"train.help.{n}") for n in names})
    return labels


# ---- running flag and button callbacks ---------------------------------------------------------
def is_running(spec: LiveSpec) -> bool:
    return bool(st.session_state.get(spec.key("running"), False))


def set_running(spec: LiveSpec, running: bool) -> None:
    st.session_state[spec.key("running")] = running


def _on_train(spec: LiveSpec) -> None:
    trainer = spec.get_trainer()
    # stop at a NEW solve only: pressing Train after a solve keeps training until Pause
    st.session_state[spec.key("solved_at_start")] = getattr(trainer, "solved_step", None)
    st.session_state[spec.key("rate")] = None
    set_running(spec, True)


def _on_pause(spec: LiveSpec) -> None:
    set_running(spec, False)


def _on_step(spec: LiveSpec) -> None:
    set_running(spec, False)
    spec.get_trainer().step(spec.step_size)


def _on_reset(spec: LiveSpec) -> None:
    set_running(spec, False)
    spec.get_trainer().reset()
    st.session_state[spec.key("rate")] = None


def buttons(spec: LiveSpec) -> None:
    """One row: Train (primary) / Pause / Step / Reset. State changes happen in the callbacks,
    before the page is drawn, so everything below already sees the new state."""
    running = is_running(spec)
    lab = spec.labels or button_labels()
    cols = st.columns(4, gap="small")
    specs = [
        ("train", _on_train, "primary", running),
        ("pause", _on_pause, "secondary", not running),
        ("step", _on_step, "secondary", False),
        ("reset", _on_reset, "secondary", False),
    ]
    for col, (name, callback, kind, disabled) in zip(cols, specs):
        col.button(lab[name], key=spec.key(f"button.{name}"), type=kind, on_click=callback, args=(spec,),
                   help=lab.get(f"{name}.help"), disabled=disabled, width="stretch")  # fmt: skip


# ---- the panel ------------------------------------------------------------------------------------
@dataclass
class Panel:
    status: Any  # st.empty() for the solved/diverged line
    updates: Any  # st.empty() for the live updates the panel reads (a hidden element); None if idle
    shown_status: Any = False  # the Status drawn last in this run (not re-sent while unchanged)


# Metrics as a grid of label/value cells styled like st.metric (six st.metric in st.columns would be
# ~15 messages per update). The page's run draws them as HTML; live updates carry the same HTML.
METRICS_CSS = """<style>
.live-metrics{display:grid;gap:0.4rem 1rem;margin:0.1rem 0 0.4rem 0}
.live-metric-label{font-size:0.875rem;opacity:0.75;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
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
    return f'<div class="live-metrics" style="grid-template-columns:repeat({per_row},minmax(0,1fr))">{cells}</div>'


def panel_data(spec: LiveSpec, metrics: list[Metric], figure) -> dict:
    """What the live panel shows: the metrics grid (metrics_html) and the figure (plotly JSON)."""
    return {"name": spec.prefix, "metrics": metrics_html(metrics, spec.metrics_per_row),
            "figure": plotly.io.to_json(figure, validate=False)}  # fmt: skip


def update_html(data: dict) -> str:
    """A live update for the panel: a hidden element carrying its data as JSON."""
    payload = escape(json.dumps(data, separators=(",", ":")), quote=True)
    return f'<div class="live-panel-update" data-panel="{escape(data["name"])}" data-update="{payload}" hidden></div>'


def panel(spec: LiveSpec, container=None) -> Panel:
    """Draw the status line, the metrics and the live chart in `container` (default: here).

    They are plain Streamlit elements: the metrics grid and an interactive plotly chart (hover,
    zoom), drawn as soon as the page loads. While the page trains, the live panel component is
    mounted after them, hidden: the first live update it reads replaces them in place (in the
    same frame, so nothing blinks), and later updates redraw it there."""
    box = container or st.container()
    st.html(METRICS_CSS)
    p = Panel(status=box.empty(), updates=None)
    if st.session_state.pop(spec.key("celebrate"), False):
        st.balloons()
        if spec.celebrate:
            # an icon from Streamlit's icon font, not an emoji (a box where no emoji font is installed)
            st.toast(spec.celebrate(spec.get_trainer()), icon=":material/celebration:")
    trainer = spec.get_trainer()
    _show_status(p, spec.status(trainer))
    box.html(metrics_html(spec.metrics(trainer, st.session_state.get(spec.key("rate"))), spec.metrics_per_row))
    box.plotly_chart(spec.figure(trainer), width="stretch", key=spec.key("chart"), config={"displayModeBar": False})
    if is_running(spec):
        with box:  # one key: while training goes on (a rerun for a new lr) the panel stays mounted.
            # data in a list: Streamlit scans a dict's values for dataframes, importing pandas and
            # pyarrow into the server (+68 MB of RSS) for nothing
            _live_panel(data=[{"name": spec.prefix}], key=spec.key("panel"))
        p.updates = box.empty()  # after the panel, in its block: where the panel looks for updates
    return p


def _show_status(p: Panel, status: Status | None) -> None:
    if status != p.shown_status:
        if status is None:
            p.status.empty()
        else:
            getattr(p.status, status.kind)(status.text)
        p.shown_status = status


def draw(spec: LiveSpec, p: Panel, rate: float | None) -> None:
    """One live update: the status line if it changed, and the panel's metrics and chart (one
    small hidden element the panel reads; evaluates once via spec.metrics)."""
    trainer = spec.get_trainer()
    _show_status(p, spec.status(trainer))
    p.updates.html(update_html(panel_data(spec, spec.metrics(trainer, rate), spec.figure(trainer))))


# ---- the loop ------------------------------------------------------------------------------------
MIN_SLICE = 0.001  # s: the smallest training slice per update (train_for always runs one step)
BUSY = 0.8  # an update that took more than this share of its tick halves the next slice
IDLE = 0.5  # one that took less lets the slice grow back (between the two it holds)
LATE = 1.1  # an update starting this many ticks after the previous one is late (the core is busy)
POLL = 0.05  # s: how often the sleep between updates looks for a waiting rerun (a click). Each look
# wakes the thread and takes the GIL: every 20 ms, the looks cost ~2 ms of the ~8 ms of script-thread
# CPU per update; every 50 ms, one viewer's server cost per update fell from 10.3 to 9.3 ms.
OTHERS_BUSY = 0.3  # the rest of the server (other viewers' loops, page runs) using more than this
# share of a core since the previous update means a class is training: this viewer's slice halves.
# One viewer alone keeps its full budget; N viewers settle near N/(N-1) x 0.3 of a core in all,
# which leaves the other core's worth for page loads, clicks and (on one machine) the browsers.


def _should_stop(spec: LiveSpec, trainer) -> bool:
    if getattr(trainer, "diverged", None):
        return True
    solved = getattr(trainer, "solved_step", None)
    return solved is not None and solved != st.session_state.get(spec.key("solved_at_start"))


def rerun_waiting() -> bool:
    """Whether a rerun (a click, a widget change) is waiting for this script run to end.

    Streamlit looks for it only at the script's next Streamlit call, which in the loop comes after
    the sleep and the next training slice: up to a tick and a slice late (Pause took up to 0.7 s
    with 30 viewers). This peeks at the runner's request state, a private attribute; on a
    Streamlit without it the answer is False and the loop simply sleeps to the tick."""
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
    not spent by this viewer's own loop, divided by the period (1.0 = one core busy). Behind (busy core, late or slow update): halve, down
    to MIN_SLICE; an update well inside its tick: grow by a quarter, up to spec.budget."""
    late = period is not None and period > LATE * spec.tick
    busy = others is not None and others > OTHERS_BUSY
    if late or busy or took > BUSY * spec.tick:
        return max(budget / 2, MIN_SLICE), True
    if took < IDLE * spec.tick:
        return min(budget * 1.25, spec.budget), False
    return budget, False


def run(spec: LiveSpec, p: Panel, max_updates: int | None = None) -> None:
    """While "<prefix>.running": train a wall-clock slice, redraw the placeholders, sleep to the tick.

    max_updates (or st.session_state["<prefix>.max_updates"]) bounds the loop for tests; reaching
    it pauses. Stops and reruns the page when the trainer is newly solved or diverges.

    The slice adapts to the server's load (many viewers share the server's one Python core): an
    update that took more than BUSY of its tick, or came LATE after the previous one (waiting for
    the core), or found the rest of the server (other viewers) using more than OTHERS_BUSY of a
    core since the previous update, halves the next slice (down to MIN_SLICE); one that took less than IDLE lets
    it grow back towards spec.budget. Every viewer's loop sees the same server load, so a class
    shares the core fairly and leaves headroom for page loads and clicks: a busy class trains
    fewer steps per update, at the same 4 updates per second, instead of every chart stalling.
    The slice is kept in the session, so a rerun (a click) does not start at the full budget.
    st.session_state["<prefix>.behind"] says whether the last update was busy, so a page can
    also space out its evaluations."""
    if max_updates is None:
        max_updates = st.session_state.get(spec.key("max_updates"))
    updates = 0
    last = time.perf_counter()
    last_steps = spec.get_trainer().steps
    budget = min(st.session_state.get(spec.key("slice"), spec.budget), spec.budget)
    previous = None  # (wall clock, server process CPU, this loop's CPU) when the previous update started
    while is_running(spec):
        start, cpu, own = time.perf_counter(), time.process_time(), time.thread_time()
        period = others = None
        if previous is not None:
            period = start - previous[0]
            others = ((cpu - previous[1]) - (own - previous[2])) / max(period, 1e-9)
        previous = start, cpu, own
        trainer = spec.get_trainer()
        if trainer.steps < last_steps:  # replaced or reset meanwhile
            last_steps = trainer.steps
        trainer.train_for(budget, max_steps=spec.max_steps)
        now = time.perf_counter()
        rate = (trainer.steps - last_steps) / max(now - last, 1e-9)
        last, last_steps = now, trainer.steps
        st.session_state[spec.key("rate")] = rate
        updates += 1
        draw(spec, p, rate)
        if _should_stop(spec, trainer):
            set_running(spec, False)
            st.session_state[spec.key("celebrate")] = not getattr(trainer, "diverged", None)
            st.rerun()
        if max_updates is not None and updates >= max_updates:
            set_running(spec, False)
            break
        took = time.perf_counter() - start
        budget, behind = next_slice(budget, spec, took, period, others)
        st.session_state[spec.key("behind")] = behind  # read by pages to pace other work (evaluation)
        st.session_state[spec.key("slice")] = budget
        if sleep_until(start + spec.tick):
            break  # the script run ends here and Streamlit starts the waiting rerun at once


def apply_config(trainer, cfg, rebuild: Callable[[Any], Any]):
    """Apply the widgets' config to a running trainer, keeping training wherever possible.

    lr only -> trainer.set_lr (optimiser state kept); other fields that keep
    cfg.architecture() -> trainer.reconfigure (weights kept); an architecture change ->
    rebuild(cfg), a new trainer. Lowering the lr or clipping clears a divergence (the refused step
    left the weights intact). Returns (trainer to use, names of the architecture fields changed)."""
    old = trainer.cfg
    if cfg == old:
        return trainer, []
    if cfg.architecture() != old.architecture():
        changed = [
            f.name
            for f in dataclasses.fields(cfg)
            if getattr(cfg, f.name) != getattr(old, f.name)
            and old.replace(**{f.name: getattr(cfg, f.name)}).architecture() != old.architecture()
        ]
        return rebuild(cfg), changed
    if cfg == old.replace(lr=cfg.lr):
        trainer.set_lr(cfg.lr)
    else:
        trainer.reconfigure(cfg)
    if trainer.diverged and (cfg.lr != old.lr or cfg.clip != old.clip):
        trainer.diverged = None
    return trainer, []

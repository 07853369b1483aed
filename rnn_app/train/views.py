"""What the Train page shows of its state: metrics, the status line, the learning curve, the
operand inputs, the carry animation and the result line. Figures come from pure builders
(rnn_app.train.figures, rnn_app.ui.plotting); results are reused while their inputs hold.
"""

from __future__ import annotations

import json
from html import escape

import streamlit as st

from rnn.data import eval_pairs
from rnn.history import stalled
from rnn.run import Snapshot
from rnn_app.train.figures import carry_animation
from rnn_app.train.state import TrainState, rebuilt_notice
from rnn_app.ui import alt_text, diverged
from rnn_app.ui.links import MAX_TEXT
from rnn_app.ui.live import Metric, Status
from rnn_app.ui.operands import binary, feedback, parse_operand
from rnn_app.ui.plotting import learning_curve, update_learning_curve
from rnn_app.ui.strings import current_language, t
from rnn_app.ui.view import chart_style, styled
from rnn_app.ui.widgets import control

STALL_WINDOW = 500  # steps without a lower loss before the page says so


# ---- live metrics, status and chart -------------------------------------------------------------
def metrics(snap: Snapshot) -> list[Metric]:
    """Step, samples, loss, bit accuracy, exact accuracy, steps/s."""
    ev = snap.evaluation
    pct = (lambda v: f"{100 * v:.1f} %") if ev else (lambda v: "–")
    return [
        Metric(t("train.metric.step"), f"{snap.step:,}"),
        Metric(t("train.metric.samples"), f"{snap.samples:,}"),
        Metric(t("train.metric.loss"), "–" if snap.loss is None else f"{snap.loss:.4f}" if snap.loss < 1e4
               else f"{snap.loss:.3g}"),  # a blown-up loss (1.8e+17) fits its cell  # fmt: skip
        Metric(t("train.metric.bit"), pct(ev.bit if ev else 0), t("train.help.bit")),
        Metric(t("train.metric.exact"), pct(ev.exact if ev else 0), exact_help(snap)),
        Metric(t("train.metric.rate"), f"{snap.rate:,.0f}" if snap.rate else "–"),
    ]  # fmt: skip


def exact_help(snap: Snapshot) -> str | None:
    """The exact accuracy's tooltip: which pairs it counts, and, for a paused run shown on the live
    estimate (rnn.run: a full evaluation would cost too much), why not all of them."""
    ev = snap.evaluation
    if ev is None:
        return None
    if snap.full_cost is None:
        return t("train.help.exact", pairs=f"{ev.pairs:,}", bits=ev.bits, step=ev.step)
    seconds = f"{snap.full_cost:.1f}" if snap.full_cost < 10 else f"{snap.full_cost:,.0f}"
    return t("train.help.exact_estimate", pairs=f"{ev.pairs:,}", bits=ev.bits, step=ev.step,
             total=f"{eval_pairs(ev.bits):,}", seconds=seconds)  # fmt: skip


def status(state: TrainState, snap: Snapshot) -> Status | None:
    if snap.diverged:
        return Status("error", t("train.diverged", reason=diverged.reason(snap.diverged)))
    if snap.solved_step is not None:
        return Status("success", t("train.solved", step=snap.solved_step, bits=state.run.cfg.bits))
    if stalled(state.run.trainer.history, STALL_WINDOW):
        return Status("warning", t("train.stalled", window=STALL_WINDOW))
    if state.run.rebuilt and snap.step == 0:
        return Status("info", rebuilt_notice(state.run.rebuilt))
    return None


def curve_alt(state: TrainState, snap: Snapshot) -> str:
    """The learning curve in one sentence for screen readers (rnn_app.ui.alt_text)."""
    ev = snap.evaluation
    return alt_text.curve_alt(snap.step, snap.loss, ev.exact if ev else None, ev.bits if ev else state.run.cfg.bits,
                              diverged=bool(snap.diverged), lang=current_language())  # fmt: skip


def curve(state: TrainState):
    """The live learning curve. Built once per (model, language, solved step, empty or not) and
    kept in the page state; later updates only replace its data, which costs ~1 ms instead of
    ~5 ms per update."""
    trainer = state.run.trainer
    steps, losses = trainer.history.loss_series()
    eval_steps, exact, _ = trainer.history.eval_series()
    lang = current_language()
    key = (id(trainer), lang, trainer.solved_step, len(steps) > 0, chart_style())
    if state.curve is not None and state.curve[0] == key:
        return update_learning_curve(state.curve[1], steps, losses, eval_steps, exact)
    fig = styled(learning_curve(steps, losses, eval_steps, exact, trainer.solved_step, lang, height=270))
    state.curve = (key, fig)
    return fig


def in_use(state: TrainState) -> str:
    """One line of HTML: every setting the run uses now, in words (for the class, and for a
    projector where the sidebar is folded away); data-setup carries the same values for tests."""
    cfg = state.run.cfg
    name = lambda value: t(f"train.opt.{value}")  # noqa: E731
    cell = f"{name(cfg.cell)} ({name(cfg.activation)})" if cfg.cell == "rnn" else name(cfg.cell)
    layers = t("train.in_use.layer") if cfg.layers == 1 else t("train.in_use.layers", n=cfg.layers)
    off = t("train.in_use.off")
    text = t("train.in_use", cell=cell, hidden=cfg.hidden, layers=layers, optimizer=name(cfg.optimizer),
             lr=f"{cfg.lr:g}", batch=cfg.batch, bits=cfg.bits, loss=name(cfg.loss), clip=f"{cfg.clip:g}" if cfg.clip else off,
             dropout=f"{cfg.dropout:g}" if cfg.layers > 1 else off, init=name(cfg.init), seed=cfg.seed,
             speed=state.speed or t("train.speed.max"))  # fmt: skip
    setup = json.dumps({**cfg.to_dict(), "speed": state.speed})
    return (f'<div class="setup-in-use" data-setup="{escape(setup)}" style="font-size:0.875rem;opacity:0.75">'
            f"{escape(text)}</div>")  # fmt: skip


# ---- operands, the carry animation and the result line ------------------------------------------
def operand_inputs(state: TrainState) -> tuple[int, int] | None:
    """Inputs `a` and `b` (decimal or 0b binary) with the binary form beside each and a one-line
    message under a bad one. Returns (a, b) if both fit the training width, else None."""
    bits = state.run.cfg.bits
    values = []
    cols = st.container(key="operands").columns(2, gap="medium")  # key: rnn_app.ui.layout's rules
    for col, name, text in zip(cols, ("a", "b"), state.operand_texts()):
        with col:
            left, right = st.columns([0.45, 0.55], vertical_alignment="bottom")
            control(left, "text_input", name, name=f"train.operand.{name}", value=text,
                    version=state.operand_version, on_change=lambda value, n=name: state.set_operand(n, value),
                    max_chars=MAX_TEXT,  # what a link and the stored run keep (train/saved.py)
                    help=t("train.operand.help", max=(1 << bits) - 1, bits=bits))  # fmt: skip
            parsed = parse_operand(text, bits)
            (right if parsed.ok else st).markdown(feedback(parsed, bits))
            values.append(parsed.value)
    return None if None in values else (values[0], values[1])


def carry_view(state: TrainState, a: int, b: int, width: int | None = None):
    """(trace, carry animation figure, version) for these operands laid out for `width` px, kept
    in the page state (styled) until the weights, the operands, the width, the language or the
    chart style change (version names that figure): a rerun that changed none of them (Pause
    without training in between, a speed change) reuses the figure instead of building ~30 ms of
    plotly objects again. While the run trains it shows the weights of when training started
    (the page says so): a rerun then (a new learning rate, the teacher's banner) reuses it too."""
    trainer = state.run.trainer
    weights = "training" if state.run.running else hash(trainer.model.flat.tobytes())
    key = (id(trainer), weights, trainer.cfg.bits, a, b, width, current_language(), chart_style())
    if state.carry is None or state.carry[0] != key:
        trace = trainer.trace(a, b)
        state.carry = (key, trace, styled(carry_animation(trace, current_language(), width)))
    return state.carry[1], state.carry[2], f"{hash(key):x}"


def result_line(trace) -> str:
    """Markdown: the network's sum and the true sum, decimal and binary, and whether it is right."""
    T = trace.steps
    net = f"**{t('train.sum.net')}** {trace.predicted_sum} = `{binary(trace.predicted_sum, T)}`"
    true = f"**{t('train.sum.true')}** {trace.true_sum} = `{binary(trace.true_sum, T)}`"
    if trace.correct:
        verdict = f":green[**✓ {t('train.sum.right')}**]"
    else:
        verdict = f":red[**✗ {t('train.sum.wrong', n=int(trace.wrong.sum()), T=T)}**]"
    return f"{net} &nbsp; {verdict}  \n{true}"

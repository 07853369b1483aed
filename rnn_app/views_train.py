"""View functions of the Train page: sidebar settings, operand inputs, metrics, status, sums.

Widgets return plain values (a Config, a speed, operands); deciding what a changed Config does
to the running trainer is `apply_config` (no streamlit, unit-testable).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import streamlit as st

from rnn import Config, Trainer
from rnn.config import ACTIVATIONS, CELLS, INITS, LOSSES, OPTIMIZERS, TRAIN_BITS
from rnn_app import live
from rnn_app.figures import carry_animation, learning_curve, update_learning_curve
from rnn_app.operands import binary, feedback, parse_operand
from rnn_app.presets import PRESETS, preset_by_id
from rnn_app.strings import current_language, t

PREFIX = "train"  # session-state namespace of this page (live loop keys: train.running, ...)
FIELDS = ("cell", "activation", "hidden", "layers", "lr", "optimizer", "batch", "bits", "loss", "clip",
          "dropout", "init", "seed")  # fmt: skip  # Config fields that have a widget
LR_GRID = tuple(float(f"{m * 10.0**e:.4g}") for e in range(-4, 0) for m in (1, 1.5, 2, 3, 5, 7)) + (1.0,)
BATCHES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
SPEEDS = (1, 2, 5, 10, 25, 50, 100, 250, 0)  # training steps per update; 0 = as many as fit in the budget
DEFAULT_SPEED = 25  # ~100 steps/s: the default config solves in a few seconds a class can watch
BUDGET = 0.05  # wall-clock seconds of training per update (at most; 4 updates per second)
LIVE_EVAL_MAX = 1.5  # seconds: slower full evaluations wait until training pauses
BEHIND_EVAL_GAP = 10.0  # seconds between evaluations while updates overrun their tick (a busy server)
LIVE_ESTIMATE_GAP = 0.5  # seconds between live estimates while the server is busy (else every update)
LIVE_EVAL_SHARE = 0.1  # and at most this share of the time goes to full checks


def wkey(field: str) -> str:
    """Session-state key of the widget for a Config field."""
    return f"{PREFIX}.w.{field}"


@dataclass(frozen=True)
class Settings:
    cfg: Config | None  # the Config the widgets describe, or None if they do not fit together
    error: str | None  # why not (one line), if cfg is None
    speed: int  # training steps per update; 0 = as many as fit in the time budget


# ---- config changes -----------------------------------------------------------------------------
def apply_config(trainer: Trainer, cfg: Config) -> tuple[Trainer, list[str]]:
    """The Train page's rules for a changed Config: see live.apply_config (rebuild = Trainer)."""
    return live.apply_config(trainer, cfg, Trainer)

def config_from_state(state, base: Config) -> Config:
    """The Config described by the widget values in `state` (fields without a value from base)."""
    values = {f: state[wkey(f)] for f in FIELDS if wkey(f) in state}
    return base.replace(**values)


def matching_preset(cfg: Config) -> str | None:
    return next((p.id for p in PRESETS if p.make() == cfg.replace(dtype=p.make().dtype)), None)


# ---- sidebar -------------------------------------------------------------------------------------
def saved_speed() -> int:
    """The speed in use while its widget is not drawn: the viewer's last choice (kept across page
    switches and set by a link's ?speed=), else DEFAULT_SPEED."""
    return st.session_state.get(f"{PREFIX}.speed", DEFAULT_SPEED)


def sync_widgets(cfg: Config, force: bool = False) -> None:
    """Give every settings widget the trainer's value if it has none (first run, back from another
    page: Streamlit forgets the values of widgets that were not drawn), so nothing is rebuilt."""
    for f in FIELDS:
        if force or wkey(f) not in st.session_state:
            st.session_state[wkey(f)] = getattr(cfg, f)
    if wkey("speed") not in st.session_state:
        st.session_state[wkey("speed")] = saved_speed()
    if not force:  # the preset box shows the preset the settings match, or "custom"
        current = config_from_state(st.session_state, cfg)
        st.session_state[wkey("preset")] = matching_preset(current)


def _on_preset() -> None:
    preset = preset_by_id(st.session_state.get(wkey("preset")))
    if preset is not None:
        sync_widgets(preset.make(), force=True)


def config_from_query(query: dict, base: Config) -> tuple[Config, int | None]:
    """A shareable setup from URL parameters: ?preset=<id> then any Config field with a widget
    (?hidden=32&lr=0.01&bits=8) and ?speed=<steps per update or max>. Pure; raises ValueError
    (naming the parameter) for an unknown preset or a value Config refuses.
    Returns (config, speed or None if not given)."""
    cfg = base
    if "preset" in query:
        preset = preset_by_id(query["preset"])
        if preset is None:
            raise ValueError(f"preset must be one of {', '.join(p.id for p in PRESETS)}")
        cfg = preset.make()
    changes = {}
    for name in FIELDS:
        if name in query:
            kind = type(getattr(cfg, name))
            try:
                changes[name] = kind(query[name])
            except ValueError:
                raise ValueError(f"{name} must be a {kind.__name__}; got {query[name]!r}") from None
    cfg = cfg.replace(**changes)
    speed = None
    if "speed" in query:
        speed = 0 if query["speed"] == "max" else int(query["speed"]) if query["speed"].isdigit() else -1
        if speed not in SPEEDS:
            raise ValueError(f"speed must be max or one of {', '.join(str(v) for v in SPEEDS if v)}")
    return cfg, speed


def apply_query(trainer: Trainer) -> Trainer:
    """Once per session, before any training: start from the setup in the URL (see config_from_query)."""
    if st.session_state.get(f"{PREFIX}.query_done"):
        return trainer
    st.session_state[f"{PREFIX}.query_done"] = True
    query = {k: st.query_params[k] for k in st.query_params}
    if trainer.steps or not query:
        return trainer
    try:
        cfg, speed = config_from_query(query, trainer.cfg)
    except ValueError as e:
        st.warning(t("train.bad_link", reason=e))
        return trainer
    if speed is not None:
        st.session_state[f"{PREFIX}.speed"] = speed
        st.session_state.pop(wkey("speed"), None)
    sync_widgets(cfg, force=True)
    return trainer if cfg == trainer.cfg else Trainer(cfg)


def _option_names(lang: str):
    """format_func for option values, bound to the language of this run."""
    return lambda value: t(f"train.opt.{value}", lang)


def settings_sidebar(cfg: Config) -> Settings:
    """All settings widgets in the sidebar; returns what they describe (nothing is applied here)."""
    sync_widgets(cfg)
    lang = current_language()
    names = _option_names(lang)
    sb = st.sidebar
    sb.subheader(t("train.settings"))
    sb.selectbox(t("train.preset"), [p.id for p in PRESETS], key=wkey("preset"), on_change=_on_preset,
                 format_func=lambda i: t(preset_by_id(i).label_key, lang), index=None,
                 placeholder=t("train.preset.custom"), help=t("train.preset.help"))  # fmt: skip
    c1, c2 = sb.columns(2)
    c1.selectbox(t("train.w.cell"), CELLS, key=wkey("cell"), format_func=names)
    c2.selectbox(t("train.w.activation"), ACTIVATIONS, key=wkey("activation"), format_func=names,
                 disabled=st.session_state[wkey("cell")] != "rnn", help=t("train.w.activation.help"))  # fmt: skip
    sb.slider(t("train.w.hidden"), 1, 128, key=wkey("hidden"))
    lr_options = sorted(set(LR_GRID) | {float(st.session_state[wkey("lr")])})
    sb.select_slider(t("train.w.lr"), lr_options, key=wkey("lr"), format_func=lambda v: f"{v:g}",
                     help=t("train.w.lr.help"))  # fmt: skip
    c1, c2 = sb.columns(2)
    c1.selectbox(t("train.w.optimizer"), OPTIMIZERS, key=wkey("optimizer"), format_func=names)
    c2.selectbox(t("train.w.layers"), (1, 2, 3), key=wkey("layers"))
    batches = sorted(set(BATCHES) | {int(st.session_state[wkey("batch")])})
    sb.select_slider(t("train.w.batch"), batches, key=wkey("batch"))
    sb.slider(t("train.w.bits"), *TRAIN_BITS, key=wkey("bits"), help=t("train.w.bits.help"))
    sb.select_slider(t("train.w.speed"), SPEEDS, key=wkey("speed"), help=t("train.w.speed.help"),
                     format_func=lambda v: str(v) if v else t("train.speed.max", lang))  # fmt: skip
    st.session_state[f"{PREFIX}.speed"] = st.session_state[wkey("speed")]  # survives a page switch
    with sb.expander(t("train.more")):
        st.selectbox(t("train.w.loss"), LOSSES, key=wkey("loss"), format_func=names)
        st.selectbox(t("train.w.init"), INITS, key=wkey("init"), format_func=names)
        st.number_input(t("train.w.clip"), min_value=0.0, max_value=1e6, step=0.5, key=wkey("clip"))
        st.slider(t("train.w.dropout"), 0.0, 0.9, step=0.05, key=wkey("dropout"),
                  disabled=st.session_state[wkey("layers")] < 2, help=t("train.w.dropout.help"))  # fmt: skip
        st.number_input(t("train.w.seed"), min_value=0, max_value=2**31 - 1, step=1, key=wkey("seed"))
    speed = int(st.session_state[wkey("speed")])
    try:
        return Settings(config_from_state(st.session_state, cfg), None, speed)
    except ValueError as e:
        return Settings(None, t("train.bad_config", reason=e), speed)


def settings_loading(cfg: Config) -> Settings:
    """The sidebar while its widgets are still to come (rnn_app.first_load): the heading and a
    loading line. Returns the settings in use: the trainer's config and the saved speed."""
    st.sidebar.subheader(t("train.settings"))
    st.sidebar.caption(t("train.settings.loading"))
    return Settings(cfg, None, int(saved_speed()))


def rebuilt_notice(fields: list[str]) -> str:
    return t("train.rebuilt", fields=", ".join(t(f"train.field.{f}") for f in fields))


# ---- live metrics, status and chart -------------------------------------------------------------
def evaluate_paced(trainer: Trainer, running: bool):
    """What the metrics and the curve show, cheap enough for a class sharing one server core.

    Paused: trainer.evaluate() on every pair (cached until the next step). Running: every
    update (every LIVE_ESTIMATE_GAP while the server is busy) a cheap estimate on a fixed sample
    of pairs (Trainer.estimate, 512 pairs, ~0.5 ms); only when the sample is all right
    is every pair checked (that is what marks "solved"), with at most LIVE_EVAL_SHARE of the
    time, at most once per BEHIND_EVAL_GAP while the server is busy, and
    not at all while training if one check takes more than LIVE_EVAL_MAX seconds. Before the
    first step nothing is evaluated. Returns the newest Evaluation or None."""
    if trainer.steps == 0 and not trainer.history.eval_series()[0].size:
        return None  # untrained: nothing to show yet, and a page load stays cheap for a whole class
    if not running:
        return trainer.evaluate()
    last = st.session_state.get(f"{PREFIX}.last_eval")
    busy = bool(st.session_state.get(f"{PREFIX}.behind"))  # the live loop's view of the server
    gap = LIVE_ESTIMATE_GAP if busy else 0.0
    if last is not None and last.step <= trainer.steps and time.perf_counter() - st.session_state.get(
        f"{PREFIX}.estimate_at", 0.0
    ) < gap:
        return last  # a busy server (a class on one core): two curve points a second are plenty
    st.session_state[f"{PREFIX}.estimate_at"] = time.perf_counter()
    estimate = trainer.estimate()
    if estimate.exact < 1.0:
        return estimate
    cost = st.session_state.get(f"{PREFIX}.eval_cost", 0.0)
    done_at = st.session_state.get(f"{PREFIX}.eval_at", 0.0)
    now = time.perf_counter()
    wait = max(cost * (1 - LIVE_EVAL_SHARE) / LIVE_EVAL_SHARE, BEHIND_EVAL_GAP if busy else 0.0)
    if cost <= LIVE_EVAL_MAX and now - done_at >= wait:
        ev = trainer.evaluate()
        st.session_state[f"{PREFIX}.eval_cost"] = time.perf_counter() - now
        st.session_state[f"{PREFIX}.eval_at"] = time.perf_counter()
        return ev
    return estimate

def metrics(trainer: Trainer, rate: float | None) -> list[live.Metric]:
    """Step, samples, loss, bit accuracy, exact accuracy, steps/s (evaluates at most once)."""
    running = bool(st.session_state.get(f"{PREFIX}.running"))
    ev = evaluate_paced(trainer, running)
    if ev is not None and ev.step > trainer.steps:  # left over from before a Reset or a new model
        ev = None
    st.session_state[f"{PREFIX}.last_eval"] = ev
    _, losses = trainer.history.loss_series()
    loss = f"{losses[-1]:.4f}" if len(losses) and np.isfinite(losses[-1]) else "–"
    pct = (lambda v: f"{100 * v:.1f} %") if ev else (lambda v: "–")
    return [
        live.Metric(t("train.metric.step"), f"{trainer.steps:,}"),
        live.Metric(t("train.metric.samples"), f"{trainer.samples:,}"),
        live.Metric(t("train.metric.loss"), loss),
        live.Metric(t("train.metric.bit"), pct(ev.bit if ev else 0), t("train.help.bit")),
        live.Metric(t("train.metric.exact"), pct(ev.exact if ev else 0),
                    t("train.help.exact", pairs=f"{ev.pairs:,}", bits=ev.bits, step=ev.step) if ev else None),
        live.Metric(t("train.metric.rate"), f"{rate:,.0f}" if rate else "–"),
    ]  # fmt: skip


def status(trainer: Trainer) -> live.Status | None:
    if trainer.diverged:
        return live.Status("error", t("train.diverged", reason=trainer.diverged))
    if trainer.solved:
        return live.Status("success", t("train.solved", step=trainer.solved_step, bits=trainer.cfg.bits))
    notice = st.session_state.get(f"{PREFIX}.notice")
    if notice and notice[0] == id(trainer):
        return live.Status("info", notice[1])
    return None


def curve(trainer: Trainer):
    """The live learning curve. Built once per (trainer, language, solved step, empty or not) and
    kept in this viewer's session; later updates only replace its data (update_learning_curve),
    which costs ~1 ms instead of ~5 ms per update."""
    steps, losses = trainer.history.loss_series()
    eval_steps, exact, _ = trainer.history.eval_series()
    lang = current_language()
    key = (id(trainer), lang, trainer.solved_step, len(steps) > 0)
    cached = st.session_state.get(f"{PREFIX}.curve")
    if cached is not None and cached[0] == key:
        return update_learning_curve(cached[1], steps, losses, eval_steps, exact)
    fig = learning_curve(steps, losses, eval_steps, exact, trainer.solved_step, lang, height=270)
    st.session_state[f"{PREFIX}.curve"] = (key, fig)
    return fig


# ---- operands, the carry animation and the result line ------------------------------------------
def carry_view(trainer: Trainer, a: int, b: int):
    """(trace, carry animation figure) for these operands, kept in this viewer's session until the
    weights, the operands or the language change: a rerun that changed none of them (pressing
    Train, Pause without training in between, a speed change) reuses the figure instead of
    building ~30 ms of plotly objects again."""
    key = (id(trainer), hash(trainer.model.flat.tobytes()), trainer.cfg.bits, a, b, current_language())
    cached = st.session_state.get(f"{PREFIX}.carry")
    if cached is None or cached[0] != key:
        trace = trainer.trace(a, b)
        cached = (key, trace, carry_animation(trace, key[-1]))
        st.session_state[f"{PREFIX}.carry"] = cached
    return cached[1], cached[2]


def default_operands(bits: int) -> tuple[int, int]:
    """Two operands with a long carry chain, e.g. 89 + 44 at 7 bits."""
    top = (1 << bits) - 1
    return round(0.7 * top), round(0.35 * top)


def operand_inputs(bits: int) -> tuple[int, int] | None:
    """Inputs `a` and `b` (decimal or 0b binary) with the binary form beside each and a one-line
    message under a bad one. Returns (a, b) if both fit `bits`, else None."""
    da, db = default_operands(bits)
    values = []
    cols = st.columns(2, gap="medium")
    for col, name, default in zip(cols, ("a", "b"), (da, db)):
        key = f"{PREFIX}.operand.{name}"
        if key not in st.session_state:
            st.session_state[key] = str(default)
        with col:
            left, right = st.columns([0.45, 0.55], vertical_alignment="bottom")
            text = left.text_input(name, key=key, help=t("train.operand.help", max=(1 << bits) - 1, bits=bits))
            parsed = parse_operand(text, bits)
            (right if parsed.ok else st).markdown(feedback(parsed, bits))
            values.append(parsed.value)
    return None if None in values else (values[0], values[1])


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

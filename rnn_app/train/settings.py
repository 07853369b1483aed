"""The Train page's settings: the sidebar's widgets.

Every widget shows the run's config (or the page state's speed) and applies a change through
TrainState; nothing here decides what a change does to the run (rnn.run.Run.apply does).
"""

from __future__ import annotations

import streamlit as st

from rnn import Config
from rnn.config import ACTIVATIONS, CELLS, INITS, LOSSES, OPTIMIZERS, TRAIN_BITS
from rnn_app.train.presets import PRESETS, preset_by_id
from rnn_app.train.state import SPEEDS, TrainState
from rnn_app.ui import view
from rnn_app.ui.strings import current_language, t
from rnn_app.ui.widgets import control

FIELDS = ("cell", "activation", "hidden", "layers", "lr", "optimizer", "batch", "bits", "loss", "clip",
          "dropout", "init", "seed")  # fmt: skip  # Config fields that have a widget (and a link parameter)
LR_GRID = tuple(float(f"{m * 10.0**e:.4g}") for e in range(-4, 0) for m in (1, 1.5, 2, 3, 5, 7)) + (1.0,)
BATCHES = (1, 2, 4, 8, 16, 32, 64, 128, 256)


def matching_preset(cfg: Config) -> str | None:
    """The id of the preset whose config this is (any dtype), or None (custom settings)."""
    return next((p.id for p in PRESETS if p.make() == cfg.replace(dtype=p.make().dtype)), None)


# ---- the sidebar ---------------------------------------------------------------------------------
def sidebar(state: TrainState) -> None:
    """Every settings widget, in the sidebar. Each shows what the run uses; a change goes through
    the state's callbacks (applied before the page is drawn)."""
    lang = current_language()
    cfg, v = state.run.cfg, state.version
    names = lambda value: t(f"train.opt.{value}", lang)  # noqa: E731  # labels of stable option values

    def setting(where, kind, name, label_key, **kw):
        if view.hidden(name):  # a teacher's link hides it: the "In use" line still shows its value
            return
        control(where, kind, t(label_key), name=f"train.w.{name}", value=getattr(cfg, name), version=v,
                on_change=lambda value: state.set_setting(name, value), **kw)  # fmt: skip
        if state.error and state.error[0] == name:
            where.error(state.error[1])

    sb = st.sidebar
    sb.subheader(t("train.settings"))
    preset = matching_preset(cfg)
    if not view.hidden("preset"):
        control(sb, "selectbox", t("train.preset"), name=f"train.preset.{preset}", value=preset, version=v,
                on_change=state.set_preset, options=[p.id for p in PRESETS],
                format_func=lambda i: t(preset_by_id(i).label_key, lang), placeholder=t("train.preset.custom"),
                help=t("train.preset.help"))  # fmt: skip
    c1, c2 = sb.columns(2)
    setting(c1, "selectbox", "cell", "train.w.cell", options=CELLS, format_func=names)
    setting(c2, "selectbox", "activation", "train.w.activation", options=ACTIVATIONS, format_func=names,
            disabled=cfg.cell != "rnn", help=t("train.w.activation.help"))  # fmt: skip
    setting(sb, "slider", "hidden", "train.w.hidden", min_value=1, max_value=128)
    setting(sb, "select_slider", "lr", "train.w.lr", options=sorted(set(LR_GRID) | {cfg.lr}),
            format_func=lambda x: f"{x:g}", help=t("train.w.lr.help"))  # fmt: skip
    c1, c2 = sb.columns(2)
    setting(c1, "selectbox", "optimizer", "train.w.optimizer", options=OPTIMIZERS, format_func=names)
    setting(c2, "selectbox", "layers", "train.w.layers", options=(1, 2, 3))
    setting(sb, "select_slider", "batch", "train.w.batch", options=sorted(set(BATCHES) | {cfg.batch}))
    setting(sb, "slider", "bits", "train.w.bits", min_value=TRAIN_BITS[0], max_value=TRAIN_BITS[1],
            help=t("train.w.bits.help"))  # fmt: skip
    if not view.hidden("speed"):
        control(sb, "select_slider", t("train.w.speed"), name="train.speed", value=state.speed, version=v,
                on_change=state.set_speed, options=SPEEDS, help=t("train.w.speed.help"),
                format_func=lambda s: str(s) if s else t("train.speed.max", lang))  # fmt: skip
    if view.hidden("more"):
        return
    with sb.expander(t("train.more")):
        setting(st, "selectbox", "loss", "train.w.loss", options=LOSSES, format_func=names)
        setting(st, "selectbox", "init", "train.w.init", options=INITS, format_func=names)
        setting(st, "number_input", "clip", "train.w.clip", min_value=0.0, max_value=1e6, step=0.5)
        setting(st, "slider", "dropout", "train.w.dropout", min_value=0.0, max_value=0.9, step=0.05,
                disabled=cfg.layers < 2, help=t("train.w.dropout.help"))  # fmt: skip
        setting(st, "number_input", "seed", "train.w.seed", min_value=0, max_value=2**31 - 1, step=1)

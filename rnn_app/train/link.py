"""The Train page's link: its setup as URL parameters, and back.

    ?preset=classic&hidden=24&speed=max&a=200&b=55&lang=zh

A link carries the preset closest to the settings and every setting that differs from it, the
speed, the operands typed and the language (the page is the URL's path). It never carries the
viewer's run. Read once when a session starts, before anything is trained; a refused value is
named with the range its widget allows, and the rest of the link still applies.
"""

from __future__ import annotations

import dataclasses

from rnn import Config
from rnn.config import ACTIVATIONS, CELLS, INITS, LOSSES, OPTIMIZERS, TRAIN_BITS
from rnn_app.train.presets import PRESETS, preset_by_id
from rnn_app.train.settings import FIELDS, LR_GRID
from rnn_app.train.state import DEFAULT_SPEED, SPEEDS, TrainState, new_run
from rnn_app.ui.links import Param, landing_query, read, read_once, setup_params
from rnn_app.ui.strings import current_language

PARAMS = (
    Param("preset", "train.preset", "choice", options=tuple(p.id for p in PRESETS)),
    Param("cell", "train.w.cell", "choice", options=CELLS),
    Param("activation", "train.w.activation", "choice", options=ACTIVATIONS),
    Param("hidden", "train.w.hidden", "int", 1, 128),
    Param("layers", "train.w.layers", "int", 1, 3),
    Param("lr", "train.w.lr", "float", LR_GRID[0], LR_GRID[-1]),
    Param("optimizer", "train.w.optimizer", "choice", options=OPTIMIZERS),
    Param("batch", "train.w.batch", "int", 1, 256),
    Param("bits", "train.w.bits", "int", *TRAIN_BITS),
    Param("loss", "train.w.loss", "choice", options=LOSSES),
    Param("clip", "train.w.clip", "float", 0.0, 1e6),
    Param("dropout", "train.w.dropout", "float", 0.0, 0.9),
    Param("init", "train.w.init", "choice", options=INITS),
    Param("seed", "train.w.seed", "int", 0, 2**31 - 1),
    Param("speed", "train.w.speed", "choice", options=("max", *(s for s in SPEEDS if s))),
    Param("a", "", "text"),
    Param("b", "", "text"),
)


def link_params(state: TrainState) -> dict:
    """The page's setup as URL parameters: the nearest preset and what differs from it."""
    params = setup_params(state.run.cfg, {p.id: p.make for p in PRESETS}, FIELDS)
    if state.speed != DEFAULT_SPEED:
        params["speed"] = state.speed or "max"
    params.update({n: getattr(state, n) for n in "ab" if getattr(state, n) is not None})
    return params


def setup_from_link(query: dict, lang: str) -> tuple[Config, dict, list[str]]:
    """(config, other values: speed, a, b; messages for refused values) from URL parameters."""
    values, errors = read(PARAMS, query, lang)
    cfg = preset_by_id(values.pop("preset")).make() if "preset" in values else Config()
    changes = {f: values.pop(f) for f in FIELDS if f in values}
    cfg = dataclasses.replace(cfg, **changes)  # every value was checked against its widget's range
    if "speed" in values:
        values["speed"] = 0 if values["speed"] == "max" else int(values["speed"])
    return cfg, values, errors


def read_link(state: TrainState) -> None:
    """Once per session, before anything is trained: start from the setup in the URL."""
    read_once(state, apply_link)


def apply_link(state: TrainState) -> list[str]:
    """Give the page the setup of the link its session was opened with (if it was opened on this
    page): a new run if nothing is trained yet, else the run's own rules for a changed setting
    (a stored run found again keeps what the link allows). Returns the refused values' messages."""
    query = landing_query("train")
    if not query:
        return []
    cfg, values, errors = setup_from_link(query, current_language())
    state.speed = values.get("speed", state.speed)
    state.a, state.b = values.get("a", state.a), values.get("b", state.b)
    if cfg != state.run.cfg:
        if state.run.trainer.steps:
            state.run.apply(cfg)
        else:
            state.run = new_run(cfg)  # untrained: the link's model from its own seed
    state.version += 1
    state.operand_version += 1
    return errors

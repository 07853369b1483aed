"""The Digits page's link: its setup as URL parameters, and back (see rnn_app.train.link).

    ?preset=tensorflow&hidden=128&index=42&lang=zh

The preset nearest the settings and what differs from it, and the test image shown. Read once
when the page is first opened in a session, before anything is trained.
"""

from __future__ import annotations

import dataclasses

from rnn.classifier import CLASSIFIER_CELLS, ClassifierConfig
from rnn_app.digits.settings import LR_GRID
from rnn_app.digits.state import DEFAULT_INDEX, PRESETS, DigitsState, new_run
from rnn_app.ui.links import Param, landing_query, read, read_once, setup_params
from rnn_app.ui.strings import current_language

FIELDS = ("cell", "hidden", "layers", "lr", "batch", "clip", "seed")  # the settings that have a widget
PARAMS = (
    Param("preset", "digits.w.preset", "choice", options=tuple(PRESETS)),
    Param("cell", "digits.w.cell", "choice", options=CLASSIFIER_CELLS),
    Param("hidden", "digits.w.hidden", "int", 1, 256),
    Param("layers", "digits.w.layers", "int", 1, 3),
    Param("lr", "digits.w.lr", "float", LR_GRID[0], LR_GRID[-1]),
    Param("batch", "digits.w.batch", "int", 1, 1024),
    Param("clip", "digits.w.clip", "float", 0.0, 1e6),
    Param("seed", "digits.w.seed", "int", 0, 2**31 - 1),
    Param("index", "digits.pick.index", "int", 0, 59_999),
)


def link_params(state: DigitsState) -> dict:
    params = setup_params(state.run.cfg, PRESETS, FIELDS)
    if state.index != DEFAULT_INDEX:
        params["index"] = state.index
    return params


def read_link(state: DigitsState) -> None:
    """Once per session, when the page is first drawn: start from the setup in the URL."""
    read_once(state, apply_link)


def apply_link(state: DigitsState) -> list[str]:
    """The setup of the link the session was opened with, if opened on this page (see
    rnn_app.train.link.apply_link). Returns the refused values' messages."""
    query = landing_query("digits")
    if not query:
        return []
    values, errors = read(PARAMS, query, current_language())
    cfg = PRESETS[values.pop("preset")]() if "preset" in values else ClassifierConfig()
    cfg = dataclasses.replace(cfg, **{f: values[f] for f in FIELDS if f in values})
    if cfg != state.run.cfg:
        if state.run.trainer.steps:
            state.run.apply(cfg)
        else:
            state.run = new_run(cfg, state.data)
    if "index" in values:
        state.index = min(values["index"], state.data.test_labels.size - 1)
        state.index_version += 1
    state.version += 1
    return errors

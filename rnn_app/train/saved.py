"""How the Train page's run is kept outside the session (rnn_app.ui.persist): the trainer as the
engine saves it, and the page's speed and operands beside it."""

from __future__ import annotations

import io

from rnn import Trainer
from rnn_app.train.link import apply_link
from rnn_app.train.state import SPEEDS, TrainState, run_of
from rnn_app.ui.links import MAX_TEXT
from rnn_app.ui.persist import Kind


def meta(state: TrainState) -> dict:
    return {"speed": state.speed, "a": state.a, "b": state.b}


def decode(state: TrainState, data: bytes, meta: dict) -> None:
    """The stored run in place of the one in use, then the setup of the link the session was
    opened with (a reload's link is the stored run's own setup: nothing changes)."""
    trainer = Trainer.load(io.BytesIO(data))  # ValueError for anything the engine refuses
    state.run = run_of(trainer)
    state.speed = meta.get("speed") if meta.get("speed") in SPEEDS else state.speed
    state.a, state.b = (v if isinstance(v, str) and len(v) <= MAX_TEXT else None for v in (meta.get("a"), meta.get("b")))
    apply_link(state)
    state.version += 1
    state.operand_version += 1


KIND = Kind("train", meta, decode)

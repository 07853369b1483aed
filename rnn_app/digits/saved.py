"""How the Digits page's run is kept outside the session (rnn_app.ui.persist): the trainer as the
engine saves it, and the image shown beside it. Runs on the bundled 8x8 digits only: MNIST files a
viewer loaded stay theirs, in their session."""

from __future__ import annotations

import io

from rnn.classifier import ClassifierTrainer
from rnn.digits import load_digits8x8
from rnn_app.digits.link import apply_link
from rnn_app.digits.state import DigitsState, run_of
from rnn_app.ui.persist import Kind


def meta(state: DigitsState) -> dict:
    return {"index": state.index, "section": state.section}


def decode(state: DigitsState, data: bytes, meta: dict) -> None:
    trainer = ClassifierTrainer.load(io.BytesIO(data), data=load_digits8x8())  # ValueError if refused
    state.run = run_of(trainer)
    index = meta.get("index")
    state.index = index if isinstance(index, int) and 0 <= index < trainer.data.test_labels.size else state.index
    state.section = meta.get("section") if meta.get("section") in ("mistakes", "draw") else state.section
    apply_link(state)
    state.version += 1
    state.index_version += 1


KIND = Kind("digits", meta, decode, persists=lambda state: state.data.name == "digits8x8")

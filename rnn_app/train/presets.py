"""Named starting configurations for the Train page (data only, no streamlit).

Each preset has an id (used in the URL, e.g. ``?preset=classic``), a strings-table key for its
name, and a function that returns a fresh Config (so the lead can retune Config() defaults and
"Fast default" follows them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rnn import Config


@dataclass(frozen=True)
class Preset:
    id: str  # short id, also accepted as ?preset=<id> in the page URL
    label_key: str  # strings-table key of the displayed name
    make: Callable[[], Config]  # builds the preset's Config


def _fast_default() -> Config:
    return Config()


def _classic_numpy() -> Config:
    # The classic numpy-from-scratch tutorial: sigmoid RNN, 16 hidden, plain SGD 0.1, one sequence per step.
    return Config(cell="rnn", activation="sigmoid", hidden=16, init="uniform", optimizer="sgd", lr=0.1,
                  batch=1, loss="mse", bits=7)  # fmt: skip


def _tensorflow_lstm() -> Config:
    # The TensorFlow LSTM adder: two stacked LSTM layers of 20, dropout 0.5 between them, Adam, MSE.
    return Config(cell="lstm", layers=2, hidden=20, dropout=0.5, optimizer="adam", lr=0.01, loss="mse",
                  batch=64, bits=8)  # fmt: skip


PRESETS: tuple[Preset, ...] = (
    Preset("fast", "train.preset.fast", _fast_default),
    Preset("classic", "train.preset.classic", _classic_numpy),
    Preset("tf-lstm", "train.preset.tf", _tensorflow_lstm),
)


def preset_by_id(preset_id: str | None) -> Preset | None:
    """The preset with this id, or None."""
    return next((p for p in PRESETS if p.id == preset_id), None)

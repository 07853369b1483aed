"""Per-viewer results cache of the Inside page, and the network ("subject") the page looks at.

Everything lives in st.session_state (never st.cache_data / st.cache_resource: those are shared
by every viewer, and each viewer has their own model). Entries are keyed by a fingerprint of the
weights, so they stay valid across reruns and page switches and are dropped as soon as the model
changes (a training step, a reset, a new model): only the current model's results are kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from rnn import Model
from rnn.handwired import handwired_model

CACHE_KEY = "inside.cache"
HAND_ENTRIES = 48  # hand-wired results kept (perturbed copies included), oldest dropped first


@dataclass(frozen=True)
class Subject:
    kind: str  # "trained" or "hand"
    model: Model  # the network the page looks inside (never mutated)
    bits: int  # operand width the analyses use (the training width)
    fingerprint: tuple  # identity of the weights: cache entries are valid for exactly this

    @property
    def gates(self) -> tuple[str, ...]:
        return self.model.gate_names()


def fingerprint(model: Model) -> tuple:
    """A key that changes whenever any weight, the architecture or the dtype changes."""
    digest = hashlib.blake2b(model.flat.tobytes(), digest_size=16).hexdigest()
    return (model.cfg.cell, model.cfg.hidden, model.cfg.layers, model.cfg.activation, model.cfg.dtype, digest)


def trained_subject(trainer) -> Subject:
    return Subject("trained", trainer.model, trainer.cfg.bits, ("trained", *fingerprint(trainer.model)))


def hand_subject(bits: int) -> Subject:
    """The hand-wired network, analysed at the same width as the viewer's trained one."""
    model = hand_model()
    return Subject("hand", model, bits, ("hand", *fingerprint(model)))


def hand_model() -> Model:
    """The viewer's (unperturbed) hand-wired model, built once per session."""
    if "inside.hand_model" not in st.session_state:
        st.session_state["inside.hand_model"] = handwired_model()
    return st.session_state["inside.hand_model"]


def _box() -> dict:
    if CACHE_KEY not in st.session_state:
        st.session_state[CACHE_KEY] = {"trained": (None, {}), "hand": {}}
    return st.session_state[CACHE_KEY]


def cached(subject: Subject, name: str, args: tuple, compute: Callable[[], object]):
    """compute() once per (model weights, name, args) for this viewer; later calls return the result."""
    box = _box()
    key = (name, *args)
    if subject.kind == "trained":
        fp, entries = box["trained"]
        if fp != subject.fingerprint:  # the model changed: drop every old result
            entries = {}
            box["trained"] = (subject.fingerprint, entries)
    else:
        entries = box["hand"]
        key = (subject.fingerprint, *key)
    if key not in entries:
        entries[key] = compute()
        if subject.kind == "hand" and len(entries) > HAND_ENTRIES:
            entries.pop(next(iter(entries)))  # dicts keep insertion order: drop the oldest
    return entries[key]


def cache_size() -> int:
    """Number of cached results (for tests and the benchmark)."""
    box = _box()
    return len(box["trained"][1]) + len(box["hand"])

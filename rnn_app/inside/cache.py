"""The network the Inside page looks at ("subject") and a per-viewer cache of its results.

Results are keyed by a fingerprint of the weights, so they stay valid across reruns and page
switches and are dropped as soon as the model changes (a training step, a reset, a new model):
only the current trained model's results are kept, and a bounded number of hand-wired ones. The
cache lives in the viewer's InsideState, never in st.cache_data / st.cache_resource (shared by
every viewer, and each viewer has their own model).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from rnn import Model

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


def subject(kind: str, model: Model, bits: int) -> Subject:
    return Subject(kind, model, bits, (kind, *fingerprint(model)))


@dataclass
class Results:
    """compute() once per (model weights, name, args) for this viewer; later calls return the result."""

    trained: tuple = (None, {})  # (fingerprint, {key: result}) of the viewer's trained model
    hand: dict = field(default_factory=dict)  # {(fingerprint, key): result}, at most HAND_ENTRIES

    def get(self, subj: Subject, name: str, args: tuple, compute: Callable[[], object]):
        key = (name, *args)
        if subj.kind == "trained":
            fp, entries = self.trained
            if fp != subj.fingerprint:  # the model changed: drop every old result
                entries = {}
                self.trained = (subj.fingerprint, entries)
        else:
            entries = self.hand
            key = (subj.fingerprint, *key)
        if key not in entries:
            entries[key] = compute()
            if subj.kind == "hand" and len(entries) > HAND_ENTRIES:
                entries.pop(next(iter(entries)))  # dicts keep insertion order: drop the oldest
        return entries[key]

    def size(self) -> int:
        """Number of cached results (for tests and the benchmark)."""
        return len(self.trained[1]) + len(self.hand)

"""The network the Inside page looks at ("subject") and the cache of its analyses.

Results are keyed by a fingerprint of the weights (a hash of every weight, the architecture and
the dtype) and the operand width, so they stay valid across reruns and page switches and are
never used for other weights. A class that opens the page at once mostly looks at the same
network (a fresh page, or the same setup trained the same way, has the same weights), so the
results live in one process-wide, bounded cache shared by every viewer (SHARED): the first viewer
computes an analysis, the others that ask meanwhile wait for it instead of computing it again.

Only immutable, per-weights numbers are shared (their arrays are made read-only); nothing of a
viewer (widgets, operands typed, which unit is silenced) is, and figures are built per viewer.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rnn import Model

SUBJECTS = 24  # networks whose results are kept (least recently used dropped first)
PER_SUBJECT = 64  # results kept per network (slider values of the gradient view make many keys)


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
    cfg = model.cfg
    return (cfg.cell, cfg.hidden, cfg.layers, cfg.activation, cfg.dtype, cfg.seed, digest)


def subject(kind: str, model: Model, bits: int) -> Subject:
    return Subject(kind, model, bits, (kind, *fingerprint(model)))


def freeze(value):
    """Make the arrays inside a result read-only (in place), so no viewer can change what others
    see; returns the value. Walks dataclasses, dicts, lists and tuples."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            freeze(getattr(value, f.name))
    elif isinstance(value, dict):
        for v in value.values():
            freeze(v)
    elif isinstance(value, list | tuple):
        for v in value:
            freeze(v)
    return value


class SharedResults:
    """Analyses per network, shared by every viewer of this server process; thread-safe, bounded
    (SUBJECTS networks x PER_SUBJECT results, least recently used dropped first). A result asked
    for while another viewer computes it is waited for, not computed twice."""

    def __init__(self, subjects: int = SUBJECTS, per_subject: int = PER_SUBJECT):
        self.subjects, self.per_subject = subjects, per_subject
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, OrderedDict] = OrderedDict()  # subject key -> {key: result}
        self._computing: dict[tuple, threading.Lock] = {}  # (subject key, key) -> held while computed
        self.computed = 0  # results computed (for tests and the benchmark)

    def _lookup(self, skey: tuple, key: tuple):
        entries = self._entries.get(skey)
        if entries is None or key not in entries:
            return False, None
        self._entries.move_to_end(skey)
        entries.move_to_end(key)
        return True, entries[key]

    def get(self, skey: tuple, key: tuple, compute: Callable[[], object]):
        with self._lock:
            found, value = self._lookup(skey, key)
            if found:
                return value
            busy = self._computing.setdefault((skey, key), threading.Lock())
        with busy:  # one viewer computes; the others wait here, then find it
            with self._lock:
                found, value = self._lookup(skey, key)
            if found:
                return value
            try:
                value = freeze(compute())
            finally:
                with self._lock:
                    self._computing.pop((skey, key), None)
            with self._lock:
                entries = self._entries.setdefault(skey, OrderedDict())
                entries[key] = value
                self._entries.move_to_end(skey)
                self.computed += 1
                while len(entries) > self.per_subject:
                    entries.popitem(last=False)
                while len(self._entries) > self.subjects:
                    self._entries.popitem(last=False)
            return value

    def size(self) -> int:
        with self._lock:
            return sum(len(e) for e in self._entries.values())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


SHARED = SharedResults()  # one per server process: immutable per-weights results only


@dataclass
class Results:
    """compute() once per (weights, width, name, args), for every viewer (SHARED); later calls,
    by this viewer or another, return the same (read-only) result."""

    shared: SharedResults = SHARED

    def get(self, subj: Subject, name: str, args: tuple, compute: Callable[[], object]):
        return self.shared.get((*subj.fingerprint, subj.bits), (name, *args), compute)

    def size(self) -> int:
        """Number of cached results (for tests and the benchmark)."""
        return self.shared.size()

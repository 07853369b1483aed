"""Predict then reveal, as pure logic (no streamlit): the student guesses each column's sum bit and
carry, right to left, before the network's answer is shown; in a harder round, on numbers wider
than the network was trained on, they also guess whether the network gets the column right.

The columns come from the network's own forward pass (rnn.trace.Trace via trainer.trace): the
true bits and carries, and the bit the network wrote. Scores and the per-kind tally are plain
data, kept in the lesson state and stored with it (to_dict / from_dict).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

KINDS = ("none", "in", "out", "both")  # a column: no carry, a carry comes in, one goes out, both
HARD_EXTRA = 4  # the harder round's numbers are this many bits wider than the network's training
HARD_TRIES = 300  # random pairs tried to find one the network gets wrong


@dataclass(frozen=True)
class Column:
    """One column of the written sum (one timestep), as the truth and the network have it."""

    a: int  # bit of a
    b: int  # bit of b
    carry_in: int  # the true carry coming in
    sum_bit: int  # the true sum bit
    carry_out: int  # the true carry going out
    net_bit: int  # the bit the network wrote
    net_prob: float  # the network's probability that the bit is 1

    @property
    def kind(self) -> str:
        return KINDS[self.carry_in + 2 * self.carry_out]

    @property
    def net_right(self) -> bool:
        return self.net_bit == self.sum_bit


def columns_of(trace) -> list[Column]:
    """The columns of a trace, right to left (timestep 0 first)."""
    carry_in = trace.carry_in
    return [Column(int(trace.inputs[t, 0]), int(trace.inputs[t, 1]), int(carry_in[t]), int(trace.true_bits[t]),
                   int(trace.carry[t]), int(trace.predicted_bits[t]), float(trace.prob[t]))
            for t in range(trace.steps)]  # fmt: skip


@dataclass(frozen=True)
class Mark:
    """How one guess went: the sum bit, the carry and (harder round) whether the network is right."""

    sum_ok: bool
    carry_ok: bool
    net_ok: bool | None = None  # None: not asked (the first round)

    @property
    def points(self) -> int:
        return int(self.sum_ok) + int(self.carry_ok) + int(bool(self.net_ok))

    @property
    def possible(self) -> int:
        return 2 if self.net_ok is None else 3

    @property
    def right(self) -> bool:
        """The column itself (sum bit and carry) was got right."""
        return self.sum_ok and self.carry_ok


def mark(column: Column, sum_bit: int, carry: int, net_right: bool | None = None) -> Mark:
    return Mark(
        int(sum_bit) == column.sum_bit,
        int(carry) == column.carry_out,
        None if net_right is None else bool(net_right) == column.net_right,
    )


@dataclass
class Round:
    """One exercise: two numbers, their columns, and the guesses so far (right to left)."""

    a: int
    b: int
    bits: int  # width of the numbers
    hard: bool  # the harder round: also guess whether the network is right
    columns: list[Column]
    marks: list[Mark] = field(default_factory=list)
    net_step: int | None = None  # a network stopped halfway (at this step) stood in for the student's

    @classmethod
    def of(cls, trace, hard: bool = False, net_step: int | None = None) -> Round:
        return cls(trace.a, trace.b, trace.bits, hard, columns_of(trace), net_step=net_step)

    @property
    def current(self) -> int:
        """The column to guess next (0: the rightmost)."""
        return len(self.marks)

    @property
    def done(self) -> bool:
        return len(self.marks) == len(self.columns)

    @property
    def points(self) -> int:
        return sum(m.points for m in self.marks)

    @property
    def possible(self) -> int:
        return sum(m.possible for m in self.marks)

    @property
    def net_mistakes(self) -> int:
        return sum(not c.net_right for c in self.columns)

    def answer(self, sum_bit: int, carry: int, net_right: bool | None = None) -> Mark:
        """Guess the current column: its mark (the column is then revealed)."""
        if self.done:
            raise ValueError("every column has been guessed")
        if self.hard and net_right is None:
            raise ValueError("the harder round also asks whether the network is right")
        m = mark(self.columns[self.current], sum_bit, carry, net_right if self.hard else None)
        self.marks.append(m)
        return m

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Round:
        return cls(int(d["a"]), int(d["b"]), int(d["bits"]), bool(d["hard"]), [Column(**c) for c in d["columns"]],
                   [Mark(**m) for m in d["marks"]], d.get("net_step"))  # fmt: skip


@dataclass
class Tally:
    """A student's record over every round: points, and columns right per kind of column."""

    points: int = 0
    possible: int = 0
    rounds: int = 0  # rounds finished
    asked: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    right: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    net_asked: int = 0  # harder rounds: "will the network be right?" asked
    net_right: int = 0  # ... and guessed right

    def add(self, column: Column, m: Mark) -> None:
        self.points += m.points
        self.possible += m.possible
        self.asked[column.kind] += 1
        self.right[column.kind] += int(m.right)
        if m.net_ok is not None:
            self.net_asked += 1
            self.net_right += int(m.net_ok)

    def hardest(self) -> list[tuple[str, float, int]]:
        """(kind, share of columns got wrong, columns asked) for each kind asked, hardest first."""
        rows = [(k, 1 - self.right[k] / self.asked[k], self.asked[k]) for k in KINDS if self.asked[k]]
        return sorted(rows, key=lambda r: (-r[1], KINDS.index(r[0])))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Tally:
        tally = cls(int(d["points"]), int(d["possible"]), int(d["rounds"]), net_asked=int(d["net_asked"]),
                    net_right=int(d["net_right"]))  # fmt: skip
        for k in KINDS:
            tally.asked[k], tally.right[k] = int(d["asked"][k]), int(d["right"][k])
        return tally


def hard_pair(trace_of: Callable, bits: int, seed: int, tries: int = HARD_TRIES):
    """A trace at width `bits` on which the network makes a mistake (the first of `tries` random
    pairs, long carry chains first), or the last one tried if it makes none. trace_of(a, b, bits)
    is trainer.trace."""
    rng = np.random.default_rng(seed)
    top = 1 << bits
    trace = None
    for _ in range(tries):
        a = int(rng.integers(top // 2, top))
        b = int(rng.integers(1, top))
        trace = trace_of(a, b, bits)
        if not trace.correct:
            break
    return trace


def halfway(trainer_of: Callable, cfg, target: float = 0.5, seconds: float = 1.0, chunk: int = 5):
    """A network of the same settings stopped halfway through training: trained from its seed
    until it gets about `target` of the sums right (an estimate), or for `seconds` at most. A
    trained adder is often right on every wider number too: this one still makes mistakes."""
    trainer = trainer_of(cfg)
    end = time.perf_counter() + seconds
    while time.perf_counter() < end and not trainer.diverged and trainer.estimate().exact < target:
        trainer.step(chunk)
    return trainer


def hard_round(
    trainer, trainer_of: Callable, seed: int, extra: int = HARD_EXTRA, max_bits: int = 16
) -> Round:
    """The harder round: numbers `extra` bits wider than the network's training width, on which
    the student's network makes a mistake if one can be found; else on a network of the same
    settings stopped halfway through training (Round.net_step says at which step)."""
    bits = min(trainer.cfg.bits + extra, max_bits)
    trace = hard_pair(trainer.trace, bits, seed)
    if not trace.correct:
        return Round.of(trace, hard=True)
    other = halfway(trainer_of, trainer.cfg)
    return Round.of(hard_pair(other.trace, bits, seed), hard=True, net_step=other.steps)

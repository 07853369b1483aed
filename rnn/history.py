"""Training history with bounded memory, however long a tab is left training.

Losses are kept per step until `cap` points exist; then neighbouring points are merged in pairs
(their mean loss, at the later step) and later points each stand for twice as many steps. So the
curve always has between cap/2 and cap evenly spaced points covering the whole run, and the point
being filled is a running sum: memory stays the same after a minute or a day of training.
Evaluations (exact and bit accuracy) are thinned the same way, keeping every other one.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Record:
    step: int  # update count after this step
    loss: float | None  # mean training loss of the steps this point stands for
    exact: float | None = None  # exact-sum accuracy if it was evaluated at this step
    bit: float | None = None  # bit accuracy if it was evaluated at this step


class History:
    def __init__(self, cap: int = 2000):
        self.cap = cap
        self.stride = 1  # steps per loss point
        # machine numbers in arrays, 8 bytes each (a list of Python floats takes ~4x that): at most
        # 5 x cap x 8 bytes, the same for every run of a class
        self.steps = array("q")
        self.losses = array("d")
        self._pending = (0, 0.0, 0)  # the point being filled: (steps in it, their loss sum, last step)
        self.eval_steps = array("q")
        self.exact = array("d")
        self.bit = array("d")
        self.eval_stride = 1  # evaluations per kept point
        self._evals_seen = 0
        self._eval_tail: tuple[int, float, float] | None = None

    def add_loss(self, step: int, loss: float) -> None:
        if self.stride > 1:  # thinned: average `stride` steps into one point
            n, total, _ = self._pending
            n, total = n + 1, total + loss
            if n < self.stride:
                self._pending = (n, total, step)
                return
            loss = total / n
            self._pending = (0, 0.0, 0)
        self.steps.append(step)
        self.losses.append(loss)
        if len(self.steps) >= self.cap:
            self.steps = self.steps[1::2]
            self.losses = array("d", [(a + b) / 2 for a, b in zip(self.losses[0::2], self.losses[1::2])])
            self.stride *= 2

    def add_eval(self, step: int, exact: float, bit: float) -> None:
        if self.eval_steps and self.eval_steps[-1] == step:  # re-evaluated: keep the latest
            self.exact[-1], self.bit[-1] = exact, bit
            return
        self._eval_tail = (step, exact, bit)  # the newest evaluation is always shown
        self._evals_seen += 1
        if (self._evals_seen - 1) % self.eval_stride:
            return
        self.eval_steps.append(step)
        self.exact.append(exact)
        self.bit.append(bit)
        if len(self.eval_steps) >= self.cap:  # keep every other one, evenly spaced in evaluations
            self.eval_steps, self.exact, self.bit = self.eval_steps[::2], self.exact[::2], self.bit[::2]
            self.eval_stride *= 2

    def loss_series(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, losses) including the partly filled last point."""
        steps, losses = list(self.steps), list(self.losses)
        n, total, last = self._pending
        if n:
            steps.append(last)
            losses.append(total / n)
        return np.array(steps, dtype=np.int64), np.array(losses, dtype=np.float64)

    def eval_series(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(steps, exact accuracy, bit accuracy), including the newest evaluation."""
        steps, exact, bit = list(self.eval_steps), list(self.exact), list(self.bit)
        tail = self._eval_tail
        if tail and (not steps or tail[0] > steps[-1]):
            steps.append(tail[0])
            exact.append(tail[1])
            bit.append(tail[2])
        return np.array(steps, np.int64), np.array(exact, np.float64), np.array(bit, np.float64)

    def records(self) -> list[Record]:
        steps, losses = self.loss_series()
        by_step = {int(s): Record(int(s), float(v)) for s, v in zip(steps, losses)}
        for s, e, b in zip(*self.eval_series()):
            s, e, b = int(s), float(e), float(b)
            old = by_step.get(s)
            by_step[s] = Record(s, old.loss if old else None, e, b)
        return [by_step[s] for s in sorted(by_step)]

    def memory(self) -> int:
        """Bytes the history holds (its arrays): bounded by `cap`, not by the steps."""
        import sys

        arrays = (self.steps, self.losses, self.eval_steps, self.exact, self.bit)
        return sum(sys.getsizeof(x) for x in arrays) + sys.getsizeof(self._pending)

    def __iter__(self):
        return iter(self.records())

    def __len__(self) -> int:
        return len(self.records())

    def __eq__(self, other) -> bool:
        return isinstance(other, History) and self.records() == other.records()

    # ---- save / load as plain arrays ---------------------------------------------------------
    def to_arrays(self) -> dict[str, np.ndarray]:
        return {
            "steps": np.array(self.steps, np.int64),
            "losses": np.array(self.losses, np.float64),
            "pending_steps": np.array([self._pending[2]] if self._pending[0] else [], np.int64),  # its last step
            "pending_losses": np.array([self._pending[1]] if self._pending[0] else [], np.float64),  # its sum
            "eval_steps": np.array(self.eval_steps, np.int64),
            "exact": np.array(self.exact, np.float64),
            "bit": np.array(self.bit, np.float64),
            "meta": np.array([self.cap, self.stride, self.eval_stride, self._evals_seen, self._pending[0]], np.int64),
            "eval_tail": np.array([] if self._eval_tail is None else self._eval_tail, np.float64),
        }

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray]) -> History:
        meta = [int(v) for v in a["meta"]]
        cap, stride, eval_stride, evals_seen = meta[:4]
        h = cls(cap)
        h.stride, h.eval_stride, h._evals_seen = stride, eval_stride, evals_seen
        tail = a["eval_tail"].tolist()
        h._eval_tail = (int(tail[0]), tail[1], tail[2]) if len(tail) == 3 else None
        h.steps, h.losses = array("q", a["steps"].tolist()), array("d", a["losses"].tolist())
        steps, losses = a["pending_steps"].tolist(), a["pending_losses"].tolist()
        if len(meta) > 4:  # the point being filled as (count, sum, last step)
            h._pending = (meta[4], losses[0], steps[0]) if meta[4] else (0, 0.0, 0)
        elif steps:  # files before that: one entry per step of it
            h._pending = (len(steps), sum(losses), steps[-1])
        h.eval_steps = array("q", a["eval_steps"].tolist())
        h.exact, h.bit = array("d", a["exact"].tolist()), array("d", a["bit"].tolist())
        if not (len(h.steps) == len(h.losses) and len(h.eval_steps) == len(h.exact) == len(h.bit)):
            raise ValueError("history arrays have mismatched lengths")
        return h


def stalled(history: History, window: int = 500, tolerance: float = 0.02) -> bool:
    """Whether training has stopped learning: over the last `window` steps the loss (smoothed over
    tenths of the window) got no lower than `tolerance` below its best before them. Needs at least
    two windows of steps (early training is noisy)."""
    steps, losses = history.loss_series()
    ok = np.isfinite(losses)
    steps, losses = steps[ok], losses[ok]
    if not len(steps) or steps[-1] < 2 * window:
        return False
    recent = steps > steps[-1] - window
    if recent.sum() < 5 or (~recent).sum() < 5:
        return False
    k = max(1, recent.sum() // 10)  # a moving mean: one step's noise is no progress
    smooth = np.convolve(losses, np.ones(k) / k, mode="valid")
    before, after = smooth[: (~recent).sum() - k + 1], smooth[(~recent).sum() - k + 1 :]
    return bool(len(before) and len(after) and after.min() > before.min() * (1 - tolerance))

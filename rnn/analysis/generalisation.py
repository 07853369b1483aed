"""Accuracy on operand sets (optionally with units silenced), length generalisation, and
training a network until it solves its width (also one of each cell kind, to compare them)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..config import Config
from ..data import encode
from ..model import Model
from ..trainer import Trainer
from .operands import Operands, check_layer, operand_set

LENGTH_WIDTHS = (4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64)
COMPARE_WIDTHS = (4, 6, 8, 12, 16, 24, 32, 48, 64)  # the RNN / GRU / LSTM comparison: fewer, cheaper
LENGTH_PAIRS = 4096  # pairs per width in the length-generalisation curve (a fixed random subset)
QUICK_PAIRS = 1024  # pairs of the quick "is it solved yet?" check while training to solved


@dataclass(frozen=True)
class Accuracy:
    bits: int  # operand width
    exact: float  # fraction of pairs whose whole sum is right
    bit: float  # fraction of sum bits that are right
    pairs: int  # pairs evaluated


def accuracy(model: Model, ops: Operands, unit_mask=None) -> Accuracy:
    """Exact and bit accuracy of `model` on a set of operands (optionally with units silenced)."""
    prob = model.predict(encode(ops.a, ops.b), unit_mask=unit_mask)  # (T, N)
    right = (prob > 0.5) == ops.sum.T.astype(bool)
    return Accuracy(ops.bits, float(right.all(axis=0).mean()), float(right.mean()), ops.pairs)


def unit_mask(model: Model, units, layer: int | None = None) -> dict[int, np.ndarray]:
    """A mask for model.forward that silences `units` (indices) of `layer`: {layer: (H,) 0/1}."""
    layer = check_layer(model, layer)
    mask = np.ones(model.cfg.hidden, model.dtype)
    units = np.asarray(list(units), dtype=int)
    if units.size and (units.min() < 0 or units.max() >= model.cfg.hidden):
        raise ValueError(f"units must be from 0 to {model.cfg.hidden - 1}; got {units.tolist()}")
    mask[units] = 0.0
    return {layer: mask}


def ablation(model: Model, units, bits: int, layer: int | None = None) -> tuple[Accuracy, Accuracy]:
    """Accuracy on all pairs of a width with and without `units` of `layer` (model untouched)."""
    ops = operand_set(bits)
    return accuracy(model, ops), accuracy(model, ops, unit_mask(model, units, layer))


@dataclass(frozen=True)
class LengthCurve:
    widths: np.ndarray  # operand widths evaluated
    exact: np.ndarray  # exact accuracy at each width
    bit: np.ndarray  # bit accuracy at each width
    pairs: np.ndarray  # pairs evaluated at each width


def length_generalisation(model: Model, widths=LENGTH_WIDTHS, max_pairs: int = LENGTH_PAIRS) -> LengthCurve:
    """Exact accuracy against operand width: all pairs up to 8 bits (at most max_pairs of them,
    a fixed random subset), a fixed random sample of max_pairs above."""
    accs = [accuracy(model, operand_set(w, max_pairs)) for w in widths]
    return LengthCurve(
        widths=np.array([a.bits for a in accs]),
        exact=np.array([a.exact for a in accs]),
        bit=np.array([a.bit for a in accs]),
        pairs=np.array([a.pairs for a in accs]),
    )


def train_until_solved(
    trainer: Trainer, seconds: float, progress: Callable[[float], None] | None = None, every: int = 25
) -> bool:
    """Train until 100 % exact at the training width, divergence, or `seconds` of wall time
    (accuracy checks included). After every `every` steps a quick check on QUICK_PAIRS pairs runs;
    only when that is perfect does the full evaluation (which sets trainer.solved_step) run, so
    solved_step lands close to the first step that adds. A slow check gets proportionally more
    training between checks (checks take at most about a third of the time). Returns solved."""
    t0 = time.perf_counter()
    quick = operand_set(trainer.cfg.bits, QUICK_PAIRS)
    check = 0.0  # seconds the last check took
    while not trainer.solved and not trainer.diverged:
        left = seconds - (time.perf_counter() - t0)
        if left <= 0:
            break
        s0 = time.perf_counter()
        trainer.train_for(left, max_steps=every)
        more = min(2 * check, left) - (time.perf_counter() - s0)
        if more > 0:
            trainer.train_for(more)
        c0 = time.perf_counter()
        if accuracy(trainer.model, quick).exact == 1.0:
            trainer.accuracy()  # the full evaluation; sets trainer.solved at the first 100 %
        check = time.perf_counter() - c0
        if progress:
            progress(min(1.0, (time.perf_counter() - t0) / seconds))
    return trainer.solved


@dataclass(frozen=True)
class CellRun:
    cell: str  # rnn | gru | lstm
    steps: int  # updates run
    seconds: float  # wall time used (training and the accuracy checks)
    solved_step: int | None  # first step at 100 % exact accuracy at the training width, or None
    curve: LengthCurve  # accuracy against width afterwards


def compare_cells(
    base: Config,
    cells=("rnn", "gru", "lstm"),
    bits: int = 8,
    seconds: float = 3.0,
    widths=COMPARE_WIDTHS,
    max_pairs: int = 1024,
    progress: Callable[[str, float], None] | None = None,
) -> list[CellRun]:
    """Train one network of each cell type at `bits` (same hidden size, seed, optimiser ...) until
    solved or `seconds` of wall time, then measure how far each generalises."""
    runs = []
    for i, cell in enumerate(cells):
        trainer = Trainer(base.replace(cell=cell, bits=bits))
        t0 = time.perf_counter()

        def report(frac, i=i, cell=cell):
            if progress:
                progress(cell, (i + frac) / len(cells))

        train_until_solved(trainer, seconds, report)
        curve = length_generalisation(trainer.model, widths, max_pairs)
        runs.append(CellRun(cell, trainer.steps, time.perf_counter() - t0, trainer.solved_step, curve))
        if progress:
            progress(cell, (i + 1) / len(cells))
    return runs

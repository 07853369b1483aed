"""Many runs at once: what a class's board shows of its students' runs (pure numpy).

    band = curve_band([(steps, losses), ...])      # the class's learning curves: median and quartiles
    points = sweep_points(values, solved_steps)    # a class-wide sweep: one outcome per swept value

A curve is (steps, values) of one run, steps increasing. Runs start and stop at different steps,
so the band at a step summarises only the runs that reached it (at least `min_runs` of them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Band:
    steps: np.ndarray  # (K,) the common steps
    median: np.ndarray  # (K,) median over the runs that reached each step
    low: np.ndarray  # (K,) first quartile
    high: np.ndarray  # (K,) third quartile
    runs: np.ndarray  # (K,) how many runs each point summarises


def curve_band(curves, points: int = 120, min_runs: int = 2, log: bool = True) -> Band:
    """Median and quartile band of several curves on a common grid of steps.

    Each curve is interpolated at the grid steps it covers (log10 of the values when `log`: losses
    spread over decades, and their geometric middle is what a log axis shows). Grid steps that
    fewer than `min_runs` curves reach are left out."""
    curves = [(np.asarray(s, np.float64), np.asarray(v, np.float64)) for s, v in curves if len(s)]
    empty = np.zeros(0)
    if not curves:
        return Band(empty, empty, empty, empty, np.zeros(0, np.int64))
    last = max(s[-1] for s, _ in curves)
    first = min(s[0] for s, _ in curves)
    grid = np.unique(np.linspace(first, last, points).round())
    table = np.full((len(curves), len(grid)), np.nan)
    for k, (s, v) in enumerate(curves):
        ok = np.isfinite(v) & (v > 0 if log else True)
        if not ok.any():
            continue
        s, v = s[ok], np.log10(v[ok]) if log else v[ok]
        inside = (grid >= s[0]) & (grid <= s[-1])
        table[k, inside] = np.interp(grid[inside], s, v)
    runs = np.sum(np.isfinite(table), axis=0)
    keep = runs >= min_runs
    if not keep.any():
        return Band(empty, empty, empty, empty, np.zeros(0, np.int64))
    low, median, high = np.nanpercentile(table[:, keep], [25, 50, 75], axis=0)
    if log:
        low, median, high = 10.0**low, 10.0**median, 10.0**high
    return Band(grid[keep], median, low, high, runs[keep])


@dataclass(frozen=True)
class SweepPoint:
    value: object  # the swept setting's value
    solved: int  # runs with this value that solved
    runs: int  # runs with this value that reported
    median: float  # median steps to solve of those that solved (nan if none)


def sweep_points(values, outcomes) -> list[SweepPoint]:
    """One point per distinct swept value, in ascending order: how many runs solved and their
    median steps to solve. values[i] is run i's value; outcomes[i] its solved step or None."""
    by_value: dict = {}
    for value, outcome in zip(values, outcomes):
        by_value.setdefault(value, []).append(outcome)
    points = []
    for value in sorted(by_value, key=lambda v: (isinstance(v, str), v)):
        solved = [o for o in by_value[value] if o is not None and math.isfinite(o)]
        median = float(np.median(solved)) if solved else float("nan")
        points.append(SweepPoint(value, len(solved), len(by_value[value]), median))
    return points


def first_to_solve(rows, key: str = "solved_at"):
    """The row that solved first in wall-clock time (rows are dicts; None if nobody solved)."""
    done = [r for r in rows if r.get(key) is not None]
    return min(done, key=lambda r: r[key]) if done else None


def fastest(rows, key: str = "solved_step"):
    """The row that solved in the fewest steps (None if nobody solved)."""
    done = [r for r in rows if r.get(key) is not None]
    return min(done, key=lambda r: r[key]) if done else None


def sweep_grid(low: float, high: float, n: int, log: bool = False, whole: bool = False) -> list:
    """n values from low to high for a class-wide sweep, evenly spaced (on a log scale when `log`),
    rounded to 2 significant digits (to whole numbers when `whole`), without repeats."""
    n = max(int(n), 1)
    raw = np.geomspace(low, high, n) if log else np.linspace(low, high, n)
    values = {int(round(v)) for v in raw} if whole else {float(f"{v:.2g}") for v in raw}
    return sorted(values)

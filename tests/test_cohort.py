"""rnn.cohort: a class's curves and sweeps, checked against direct computations."""

import numpy as np
import pytest

from rnn.cohort import curve_band, fastest, first_to_solve, sweep_grid, sweep_points


def test_identical_curves_have_no_spread():
    steps, loss = np.arange(1, 51), np.linspace(5, 0.1, 50)
    band = curve_band([(steps, loss)] * 3, points=50)
    assert np.allclose(band.median, np.interp(band.steps, steps, loss)) and np.allclose(band.low, band.high)
    assert set(band.runs) == {3}


def test_the_band_is_the_geometric_quartiles_of_the_runs_at_each_step():
    steps = np.arange(1, 11)
    curves = [(steps, np.full(10, v)) for v in (1.0, 10.0, 100.0, 1000.0)]
    band = curve_band(curves, points=10)
    logs = np.log10([1.0, 10.0, 100.0, 1000.0])
    low, med, high = 10 ** np.percentile(logs, [25, 50, 75])
    assert np.allclose(band.median, med) and np.allclose(band.low, low) and np.allclose(band.high, high)
    linear = curve_band(curves, points=10, log=False)
    assert np.allclose(linear.median, np.median([1, 10, 100, 1000]))


def test_runs_that_stopped_early_leave_the_band_where_they_end():
    long, short = (np.arange(1, 101), np.full(100, 2.0)), (np.arange(1, 51), np.full(50, 8.0))
    third = (np.arange(1, 101), np.full(100, 2.0))
    band = curve_band([long, short, third], points=100)
    assert band.runs[0] == 3 and band.runs[-1] == 2 and band.steps[-1] == 100
    assert band.median[-1] == pytest.approx(2.0)
    alone = curve_band([long, short], points=100, min_runs=2)
    assert alone.steps.max() == 50  # past step 50 only one run: below min_runs
    assert curve_band([]).steps.size == 0 and curve_band([(np.arange(3), np.full(3, np.nan))] * 2).steps.size == 0


def test_sweep_points_one_per_value_in_order():
    values = [1.0, 0.1, 0.1, 1.0, 1.0, 0.01]
    outcomes = [30, 50, None, 40, None, None]
    points = sweep_points(values, outcomes)
    assert [(p.value, p.solved, p.runs) for p in points] == [(0.01, 0, 1), (0.1, 1, 2), (1.0, 2, 3)]
    assert np.isnan(points[0].median) and points[1].median == 50 and points[2].median == 35
    assert [p.value for p in sweep_points(["lstm", "gru", "rnn"], [1, 2, 3])] == ["gru", "lstm", "rnn"]


def test_first_and_fastest():
    rows = [{"name": "a", "solved_step": 80, "solved_at": 10.0}, {"name": "b", "solved_step": 40, "solved_at": 30.0},
            {"name": "c", "solved_step": None, "solved_at": None}]
    assert first_to_solve(rows)["name"] == "a" and fastest(rows)["name"] == "b"
    assert first_to_solve(rows[2:]) is None and fastest([]) is None


def test_sweep_grids():
    assert sweep_grid(0.001, 3, 5, log=True) == [0.001, 0.0074, 0.055, 0.41, 3.0]
    assert sweep_grid(1, 64, 7, whole=True) == [1, 12, 22, 32, 43, 54, 64]  # 32.5 rounds to even
    assert sweep_grid(1, 4, 10, whole=True) == [1, 2, 3, 4]  # no repeats
    assert sweep_grid(0.5, 0.5, 3) == [0.5]

"""Divergence for every cell x optimiser, on both trainers through rnn.run.Run: training that would
make the loss, a gradient or a weight non-finite (or absurdly large) pauses the run, says why,
keeps the last good weights, and Step / Train afterwards behave (nothing moves at the rate that
blew up; a lower rate trains on from the kept weights; Reset starts afresh)."""

import numpy as np
import pytest

from rnn import Config, Trainer
from rnn.classifier import ClassifierConfig, ClassifierTrainer
from rnn.config import CELLS, OPTIMIZERS
from rnn.run import Run

COMBOS = [(c, o) for c in CELLS for o in OPTIMIZERS]


def adder(cell: str, optimizer: str, lr: float) -> Run:
    cfg = Config(cell=cell, optimizer=optimizer, lr=lr, hidden=8, bits=4, batch=32)
    return Run(Trainer(cfg), rebuild=Trainer)


def digits(cell: str, optimizer: str, lr: float) -> Run:
    """The digits reader trains with Adam only."""
    cfg = ClassifierConfig(cell=cell, lr=lr, hidden=8, batch=16)
    return Run(ClassifierTrainer(cfg), rebuild=ClassifierTrainer)


CASES = [(adder, c, o) for c, o in COMBOS] + [(digits, c, "adam") for c in CELLS]


def blow_up(run: Run) -> np.ndarray:
    """Train a few good steps, then at a learning rate no network survives; returns the weights
    before the blow-up."""
    run.start()
    for _ in range(3):
        assert run.advance(0.01, max_steps=2).stopped is None
    good = run.trainer.model.flat.copy()
    run.apply(run.cfg.replace(lr=1e6))  # keeps the weights and the optimiser state
    run.start()
    return good


def advance_until_stopped(run: Run):
    for _ in range(50):
        snap = run.advance(0.02, max_steps=5)
        if snap.stopped:
            return snap
    pytest.fail("training at lr 1e6 never diverged")


@pytest.mark.parametrize("make, cell, optimizer", CASES, ids=[f"{m.__name__}-{c}-{o}" for m, c, o in CASES])
def test_divergence_pauses_keeps_weights_and_recovers(make, cell, optimizer):
    run = make(cell, optimizer, 0.01)
    good = blow_up(run)
    steps = run.trainer.steps
    snap = advance_until_stopped(run)
    assert snap.stopped == "diverged" and snap.diverged and not snap.running and not run.running
    kept = run.trainer.model.flat
    assert np.isfinite(kept).all()
    # the step that would have blown up was refused: the weights are the last good ones
    if run.trainer.steps == steps:
        assert np.array_equal(kept, good)
    # Step and Train at the same rate: nothing moves, the run stays paused and still says why
    before = kept.copy()
    snap = run.step(1)
    assert snap.diverged and not snap.running and np.array_equal(run.trainer.model.flat, before)
    run.start()
    snap = run.advance(0.02)
    assert snap.stopped == "diverged" and not run.running and np.array_equal(run.trainer.model.flat, before)
    # a lower rate clears it; Train and Step then train on from the kept weights
    run.apply(run.cfg.replace(lr=0.001))
    assert run.trainer.diverged is None
    run.start()
    snap = run.advance(0.02, max_steps=3)
    assert snap.stopped is None and snap.step > run.trainer.steps - 4 and run.running
    assert np.isfinite(run.trainer.model.flat).all() and not np.array_equal(run.trainer.model.flat, before)
    snap = run.step(2)
    assert snap.diverged is None and np.isfinite(run.trainer.model.flat).all()
    # Reset: the seed's initial weights, nothing diverged
    run.apply(run.cfg.replace(lr=1e6))
    run.reset()
    assert run.trainer.diverged is None and run.trainer.steps == 0


@pytest.mark.parametrize("cell, optimizer", COMBOS)
def test_a_nan_in_the_weights_pauses_with_the_reason(cell, optimizer):
    run = adder(cell, optimizer, 0.01)
    run.trainer.model.params["Wy"][0, 0] = np.nan  # e.g. a corrupted upload that got through
    before = run.trainer.model.flat.copy()
    run.start()
    snap = advance_until_stopped(run)
    assert snap.stopped == "diverged" and "NaN" in snap.diverged
    assert np.array_equal(run.trainer.model.flat, before, equal_nan=True)  # nothing committed


@pytest.mark.parametrize("cell, optimizer", COMBOS)
def test_the_largest_rate_of_the_slider_never_leaves_non_finite_weights(cell, optimizer):
    """lr 1.0 (the Train page's largest) either trains or diverges cleanly: never a NaN weight."""
    run = adder(cell, optimizer, 1.0)
    run.start()
    for _ in range(20):
        snap = run.advance(0.01, max_steps=10)
        assert np.isfinite(run.trainer.model.flat).all()
        if snap.stopped:
            assert snap.stopped == "solved" or snap.diverged
            break


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_reason_is_said_in_the_viewers_language(lang):
    from rnn_app.ui.diverged import reason

    t = Trainer(Config(optimizer="sgd", lr=1e6))
    t.step(1)
    text = reason(t.diverged, lang)
    assert ("learning rate" in text) == (lang == "en") and ("学习率" in text) == (lang == "zh")
    t = Trainer(Config())
    t.model.params["Wy"][0, 0] = np.nan
    t.step(1)
    assert "NaN" in reason(t.diverged, lang) and (lang == "en" or "第 1 步" in reason(t.diverged, lang))
    assert reason("something else", lang) == "something else"

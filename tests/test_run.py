"""rnn.run.Run: the one owner of a run (apply a config, advance for a time budget, snapshot)."""

import numpy as np
import pytest

from rnn import Config, Trainer
from rnn.classifier import ClassifierConfig, ClassifierTrainer
from rnn.run import Pacing, Run


def adder_run(**cfg) -> Run:
    return Run(Trainer(Config(**cfg)), rebuild=Trainer)


def test_learning_rate_alone_keeps_the_optimiser_state():
    run = adder_run()
    run.step(3)
    moments = run.trainer.optimizer.state["m"]["Wh1"].copy()
    trainer = run.trainer
    change = run.apply(run.cfg.replace(lr=0.01))
    assert change.changed == ("lr",) and not change.new_model
    assert run.trainer is trainer and trainer.optimizer.lr == 0.01 and trainer.steps == 3
    assert np.array_equal(trainer.optimizer.state["m"]["Wh1"], moments)


def test_other_settings_keep_the_weights_and_an_architecture_change_rebuilds():
    run = adder_run()
    run.step(2)
    weights = run.trainer.model.params["Wh1"].copy()
    change = run.apply(run.cfg.replace(batch=8, clip=1.0))
    assert change.changed == ("batch", "clip") and not change.new_model
    assert run.trainer.steps == 2 and np.array_equal(run.trainer.model.params["Wh1"], weights)
    run.start()
    change = run.apply(run.cfg.replace(hidden=20, seed=3, lr=0.02))
    assert change.rebuilt == ("hidden", "seed") and set(change.changed) == {"hidden", "seed", "lr"}
    assert run.trainer.steps == 0 and run.cfg.hidden == 20 and run.running  # training goes on
    assert run.rebuilt == ("hidden", "seed")
    assert run.apply(run.cfg) == type(change)()  # nothing changed


def test_a_snapshot_before_training_evaluates_nothing_and_paused_evaluates_everything():
    run = adder_run(bits=6)
    snap = run.snapshot()
    assert snap.step == 0 and snap.evaluation is None and snap.loss is None and not snap.running
    snap = run.step(2)
    assert snap.step == 2 and snap.samples == 2 * run.cfg.batch
    assert snap.evaluation.pairs == 64 * 64 and snap.evaluation.step == 2  # every pair, paused
    assert snap.loss == pytest.approx(run.trainer.history.loss_series()[1][-1])


def test_advance_trains_for_its_budget_and_stops_itself_when_solved():
    run = adder_run()
    run.start()
    snap = run.advance(30.0, max_steps=3)  # max_steps ends it
    assert snap.step == 3 and snap.running and snap.rate > 0 and snap.stopped is None
    assert snap.evaluation.pairs == 512  # a live estimate, not every pair
    for _ in range(400):
        snap = run.advance(0.05)
        if snap.stopped:
            break
    assert snap.stopped == "solved" and not snap.running and not run.running
    assert snap.solved_step == run.trainer.solved_step and snap.evaluation.exact == 1.0
    assert snap.evaluation.pairs == 128 * 128  # solved means every pair was checked
    # Train after a solve trains on (until Pause): the old solve does not stop it again
    run.start()
    for _ in range(3):
        assert run.advance(0.01).stopped is None
    assert run.running


def test_divergence_pauses_says_why_and_a_lower_rate_lets_it_continue():
    run = adder_run(optimizer="sgd", lr=1e6, loss="mse")
    run.start()
    snap = run.advance(0.05)
    assert snap.stopped == "diverged" and snap.diverged and not run.running
    weights = run.trainer.model.flat.copy()
    assert np.all(np.isfinite(weights))  # the last good weights are kept
    assert run.advance(0.05).stopped is None and run.trainer.steps == snap.step  # paused: nothing runs
    run.apply(run.cfg.replace(lr=0.01))
    assert run.trainer.diverged is None
    run.start()
    snap = run.advance(0.02, max_steps=2)
    assert snap.stopped is None and snap.step > 0 and np.all(np.isfinite(run.trainer.model.flat))


def test_reset_replays_the_same_run():
    run = adder_run()
    initial = run.trainer.model.flat.copy()
    run.start()
    run.advance(0.02, max_steps=5)
    snap = run.reset()
    assert snap.step == 0 and snap.evaluation is None and not snap.running and snap.rate is None
    assert np.array_equal(run.trainer.model.flat, initial)


def test_busy_server_spaces_out_the_estimates(monkeypatch):
    run = Run(Trainer(Config()), rebuild=Trainer, pacing=Pacing(estimate_gap=60.0))
    calls = []
    real = run.trainer.estimate
    monkeypatch.setattr(run.trainer, "estimate", lambda: calls.append(1) or real())
    run.start()
    for _ in range(3):
        run.advance(0.001, max_steps=1, busy=True)
    assert len(calls) == 1  # one estimate per minute while the server is busy
    run.advance(0.001, max_steps=1, busy=False)
    assert len(calls) == 2  # every update otherwise


def test_a_new_width_makes_the_next_solve_stop_training():
    run = adder_run(bits=3)
    run.start()
    while not run.advance(0.05).stopped:
        pass
    run.start()
    run.apply(run.cfg.replace(bits=4))  # solved at 3 bits says nothing about 4 bits
    assert run.trainer.solved_step is None and run.running
    for _ in range(400):
        snap = run.advance(0.05)
        if snap.stopped:
            break
    assert snap.stopped == "solved" and snap.evaluation.bits == 4


def test_the_digits_trainer_uses_the_same_run():
    run = Run(ClassifierTrainer(ClassifierConfig(hidden=16)), rebuild=ClassifierTrainer, pacing=Pacing(share=0.25))
    run.start()
    snap = run.advance(30.0, max_steps=4)  # max_steps ends it; the budget only bounds a slow machine
    assert snap.step == 4 and 0.0 <= snap.evaluation.accuracy <= 1.0 and snap.evaluation.step == 4
    change = run.apply(run.cfg.replace(lr=0.005, batch=32))
    assert not change.new_model and run.trainer.steps == 4
    change = run.apply(run.cfg.replace(cell="gru"))
    assert change.rebuilt == ("cell",) and run.trainer.steps == 0


def test_paused_shows_the_estimate_where_a_full_evaluation_costs_too_much():
    """A Step on a big network must not spend seconds of the shared core on every pair: paused,
    a run whose full evaluation would cost over max_cost shows the live estimate, and evaluates
    everything only to confirm a perfect estimate (what marks it solved)."""
    run = Run(Trainer(Config(seed=1)), rebuild=Trainer, pacing=Pacing(max_cost=1e-12))  # every full one "too slow"
    snap = run.step(2)
    assert snap.evaluation.pairs == 512 and snap.evaluation.step == 2  # the estimate
    assert run.trainer.evaluation_cost() > 0  # and the full one was not run
    assert snap.full_cost == run.trainer.evaluation_cost()  # the snapshot says why (the page's help)
    while snap.evaluation.exact < 1.0:  # train until the estimate reads 100 %
        snap = run.step(25)
        assert snap.step < 5000
    if snap.solved_step is None:  # the full evaluation found a sum still wrong: train on
        while snap.solved_step is None:
            snap = run.step(25)
            assert snap.step < 5000
    assert snap.evaluation.pairs == 1 << 14 and snap.evaluation.exact == 1.0  # confirmed on every pair
    assert snap.full_cost is None
    snap = run.step(1)  # solved already: back to the cheap estimate
    assert snap.evaluation.pairs == 512 and snap.solved_step is not None and snap.full_cost > 0
    run.start()
    assert run.advance(0.01, max_steps=1).full_cost is None  # training: the live estimate, nothing skipped
    cheap = adder_run(seed=1)  # the default pacing: a 7-bit RNN's full evaluation is affordable
    snap = cheap.step(2)
    assert snap.evaluation.pairs == 1 << 14 and snap.full_cost is None

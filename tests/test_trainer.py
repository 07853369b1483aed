"""Trainer behaviour: reproducibility, learning-rate changes, divergence, history, traces."""

import numpy as np
import pytest

from rnn import Config, Trainer
from rnn.data import add_bits, eval_operands, int_to_bits
from rnn.history import History


def test_reset_restores_step0_weights_bit_for_bit():
    t = Trainer(Config(seed=3))
    w0 = {k: v.copy() for k, v in t.model.params.items()}
    t.step(25)
    assert any(not np.array_equal(w0[k], v) for k, v in t.model.params.items())
    t.reset()
    assert t.steps == 0 and len(t.history) == 0
    for k, v in t.model.params.items():
        assert np.array_equal(w0[k], v)


def test_reset_with_new_seed_reinitialises():
    t = Trainer(Config(seed=3))
    w0 = t.model.params["Wh1"].copy()
    t.reset(seed=5)
    assert t.cfg.seed == 5
    assert not np.array_equal(w0, t.model.params["Wh1"])
    assert np.array_equal(Trainer(Config(seed=5)).model.params["Wh1"], t.model.params["Wh1"])


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_same_config_and_seed_give_identical_histories(cell):
    cfg = Config(cell=cell, layers=2, dropout=0.3, seed=11)
    a, b = Trainer(cfg), Trainer(cfg)
    for t in (a, b):
        t.step(15)
        t.evaluate()
        t.step(5)
    assert a.history == b.history
    assert [r.loss for r in a.history] == [r.loss for r in b.history]
    assert a.history.records()[14].exact is not None  # the evaluation landed at step 15


def test_replaying_after_reset_gives_the_same_run():
    t = Trainer(Config(seed=2))
    first = [t.step(1) for _ in range(10)]
    t.reset()
    assert [t.step(1) for _ in range(10)] == first


def test_step_returns_mean_loss_and_counts_samples():
    t = Trainer(Config(batch=16))
    loss = t.step(4)
    steps, losses = t.history.loss_series()
    assert t.steps == 4 and t.samples == 64
    assert list(steps) == [1, 2, 3, 4]
    assert loss == pytest.approx(losses.mean())


def test_set_lr_takes_effect_without_losing_optimizer_state():
    t = Trainer(Config(optimizer="adam", lr=0.05))
    t.step(5)
    m = t.optimizer.state["m"]["Wh1"].copy()
    step_count = t.optimizer.t
    t.set_lr(0.001)
    assert t.cfg.lr == 0.001 and t.optimizer.lr == 0.001
    assert t.optimizer.t == step_count and np.array_equal(t.optimizer.state["m"]["Wh1"], m)
    assert t.steps == 5
    before = t.model.flat.copy()
    t.step(1)
    # Adam moves each weight by at most about lr per step
    assert np.abs(t.model.flat - before).max() < 0.005
    with pytest.raises(ValueError, match="lr"):
        t.set_lr(-1)


def test_optimizer_state_is_keyed_by_parameter_name():
    for name, slots in (("sgd", []), ("momentum", ["v"]), ("adam", ["m", "v"])):
        t = Trainer(Config(optimizer=name))
        assert sorted(t.optimizer.state) == slots
        for d in t.optimizer.state.values():
            assert list(d) == list(t.model.params)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_divergence_is_refused_and_weights_stay_finite(optimizer):
    t = Trainer(Config(optimizer=optimizer, lr=1e6))
    good = t.model.flat.copy()
    t.step(50)
    assert t.diverged and "step" in t.diverged
    assert np.isfinite(t.model.flat).all()
    assert np.abs(t.model.flat).max() <= 1e4
    steps = t.steps
    t.step(5)  # a diverged trainer does not move
    assert t.steps == steps
    if steps == 0:
        assert np.array_equal(t.model.flat, good)


def test_nan_gradient_is_refused():
    t = Trainer(Config())
    t.model.params["Wy"][0, 0] = np.nan
    w = t.model.flat.copy()
    t.step(1)
    assert t.diverged and "NaN" in t.diverged
    assert np.array_equal(w, t.model.flat, equal_nan=True)


def test_clipping_bounds_the_update():
    t = Trainer(Config(optimizer="sgd", lr=1.0, clip=0.01))
    before = t.model.flat.copy()
    t.step(1)
    assert np.linalg.norm(t.model.flat - before) <= 0.01 + 1e-6


def test_history_stays_bounded():
    h = History(cap=100)
    for s in range(1, 10001):
        h.add_loss(s, float(s))
        h.add_eval(s, 0.5, 0.5)
    steps, losses = h.loss_series()
    assert 50 <= len(steps) <= 101 and steps[-1] == 10000
    assert np.all(np.diff(steps) > 0)
    assert len(np.unique(np.diff(h.steps))) == 1  # evenly spaced
    assert losses[0] == pytest.approx(np.mean(np.arange(1, h.stride + 1)))  # means of their windows
    assert 50 <= len(h.eval_steps) < 100 and len(np.unique(np.diff(h.eval_steps))) == 1
    assert h.eval_series()[0][-1] == 10000  # the newest evaluation is always there


def test_history_of_a_long_run_is_bounded():
    t = Trainer(Config(hidden=2, batch=1, bits=2))
    t.history.cap = 64
    t.step(1000)
    assert len(t.history.loss_series()[0]) <= 64


def test_accuracy_covers_all_pairs_and_generalises_to_64_bits():
    t = Trainer(Config(bits=7))
    ev = t.evaluate()
    assert ev.pairs == 128 * 128 and 0 <= ev.exact <= ev.bit <= 1
    for bits in (32, 64):
        ev = t.evaluate(bits)
        assert ev.pairs == 65536 and ev.bits == bits
    with pytest.raises(ValueError, match="bits"):
        t.accuracy(bits=65)


def test_eval_set_is_all_pairs_with_exact_sums():
    a_bits, b_bits = eval_operands(3)
    s, carry = add_bits(a_bits, b_bits)
    pows = 1 << np.arange(4)
    a, b, total = a_bits @ pows, b_bits @ pows, s @ pows
    assert sorted(zip(a, b)) == [(i, j) for i in range(8) for j in range(8)]
    assert np.array_equal(total, a + b)
    # 64-bit sample: sums are right even past 2**64
    a_bits, b_bits = eval_operands(64)
    s, _ = add_bits(a_bits[:20], b_bits[:20])
    for ab, bb, sb in zip(a_bits[:20], b_bits[:20], s):
        assert int("".join(map(str, sb[::-1])), 2) == int("".join(map(str, ab[::-1])), 2) + int(
            "".join(map(str, bb[::-1])), 2
        )


def test_trace_reads_the_forward_caches():
    t = Trainer(Config(cell="lstm", layers=2, hidden=6))
    t.step(3)
    tr = t.trace(200 % 128, 55)
    assert tr.true_sum == 200 % 128 + 55 and tr.steps == 8
    assert tr.inputs.shape == (8, 2) and len(tr.hidden) == 2 and tr.hidden[1].shape == (8, 6)
    assert set(tr.gates[0]) == {"i", "f", "o", "g", "c"}
    assert np.array_equal(tr.true_bits, int_to_bits(tr.true_sum, 8))
    assert tr.predicted_sum == int(sum(int(b) << i for i, b in enumerate(tr.prob > 0.5)))
    # same numbers as the batched forward pass on the same input
    x = np.array([[[tr.a >> i & 1, tr.b >> i & 1]] for i in range(8)], float)
    prob, cache = t.model.forward(x)
    np.testing.assert_allclose(tr.prob, prob[:, 0])
    np.testing.assert_allclose(tr.gates[0]["c"], cache["layers"][0]["cs"][1:, 0])
    # carry into column t+1 is the true carry of written addition
    assert list(tr.carry) == [((tr.a % (1 << (i + 1))) + (tr.b % (1 << (i + 1)))) >> (i + 1) for i in range(8)]


def test_trace_at_64_bits_and_bad_operands():
    t = Trainer(Config(bits=8))
    big = (1 << 64) - 1
    tr = t.trace(big, big, bits=64)
    assert tr.true_sum == 2 * big and tr.steps == 65
    assert t.trace(200, 55).true_sum == 255
    for a, b in ((256, 1), (-1, 0), (1.5, 2), ("3", 1)):
        with pytest.raises(ValueError, match="operand"):
            t.trace(a, b)


def test_grad_norms_through_time():
    t = Trainer(Config())
    assert t.grad_norms_through_time().size == 0
    t.step(1)
    norms = t.grad_norms_through_time()
    assert norms.shape == (8,) and np.all(norms > 0) and np.all(np.isfinite(norms))


@pytest.mark.parametrize(
    "field,value",
    [("cell", "transformer"), ("hidden", 0), ("hidden", 129), ("layers", 4), ("activation", "gelu"),
     ("optimizer", "rmsprop"), ("lr", 0), ("lr", float("nan")), ("lr", 1e7), ("batch", 257), ("bits", 1), ("bits", 17),
     ("loss", "l1"), ("clip", -1), ("dropout", 1.0), ("init", "zeros"), ("seed", -1), ("hidden", 2.5)],
)
def test_config_rejects_bad_values_with_readable_messages(field, value):
    with pytest.raises(ValueError, match=field):
        Config(**{field: value})


def test_reconfigure_keeps_weights_and_refuses_architecture_changes():
    t = Trainer(Config())
    t.step(5)
    w = t.model.flat.copy()
    changed = t.reconfigure(t.cfg.replace(batch=64, clip=1.0))
    assert changed == ["batch", "clip"] and t.steps == 5 and np.array_equal(w, t.model.flat)
    with pytest.raises(ValueError, match="new model"):
        t.reconfigure(t.cfg.replace(hidden=32))


def test_estimate_is_a_fixed_sample_that_never_marks_solved():
    t = Trainer(Config(bits=8))
    t.step(2)
    est = t.estimate(pairs=512)
    assert est.pairs == 512 and est.step == 2
    assert t.history.eval_series()[0][-1] == 2  # a point for the live curve
    assert t.estimate(pairs=512) is est  # cached until the next step
    t.step(1)
    again = t.estimate(pairs=512)
    assert again.step == 3 and again.pairs == 512
    # a tiny width has fewer pairs than the sample: the estimate is the full evaluation
    small = Trainer(Config(bits=3))
    assert small.estimate(pairs=512).pairs == 64
    # the estimate of a solved-looking model does not mark it solved; evaluate() does
    t2 = Trainer(Config(bits=4))
    while t2.estimate(pairs=64).exact < 1.0 and t2.steps < 500:
        t2.step(5)
    assert t2.estimate(pairs=64).pairs == 64 and t2.solved_step is None
    t2.evaluate()
    assert t2.solved == (t2.accuracy() == 1.0)


@pytest.mark.parametrize("change", [{"loss": "mse"}, {"dropout": 0.5}, {"optimizer": "sgd", "lr": 0.5}])
def test_reconfigure_trains_as_a_run_saved_with_the_new_config(tmp_path, change):
    """After reconfigure the run trains exactly as one restored with the new config would: the
    model reads the new loss and dropout too, not only the trainer."""
    import json

    a = Trainer(Config(layers=2, hidden=6, seed=4))
    a.step(5)
    path = tmp_path / "run.npz"
    a.save(path)
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    arrays["config"] = np.array(json.dumps(a.cfg.replace(**change).to_dict()))
    if "optimizer" in change:  # a new optimiser kind starts with fresh state
        arrays = {k: v for k, v in arrays.items() if not k.startswith("opt/")}
        state = json.loads(str(arrays["state"]))
        arrays["state"] = np.array(json.dumps(dict(state, opt_t=0)))
    np.savez(path, **arrays)
    b = Trainer.load(path)
    assert a.reconfigure(a.cfg.replace(**change)) == sorted(change, key=list(Config().to_dict()).index)
    assert a.model.cfg == a.cfg
    assert [a.step(1) for _ in range(3)] == [b.step(1) for _ in range(3)]
    assert np.array_equal(a.model.flat, b.model.flat)


def test_both_trainers_share_one_training_step():
    from rnn.classifier import ClassifierTrainer
    from rnn.trainer import BaseTrainer

    for name in ("step", "train_for", "set_lr", "save"):
        assert getattr(Trainer, name) is getattr(BaseTrainer, name) is getattr(ClassifierTrainer, name), name


def test_a_run_that_stopped_learning_is_told_from_one_that_learns():
    from rnn.history import stalled

    stuck = Trainer(Config(optimizer="sgd", lr=1.0))  # SGD at rate 1: the loss sits near 72 for good
    stuck.step(1200)
    assert stalled(stuck.history, window=500) and stuck.accuracy() < 0.01
    learning = Trainer(Config())
    learning.step(1200)
    assert not stalled(learning.history, window=500)  # solved long ago, and the loss still falls
    early = Trainer(Config(optimizer="sgd", lr=1.0))
    early.step(600)
    assert not stalled(early.history, window=500)  # too early to tell
    plateau = Trainer(Config(cell="rnn", activation="sigmoid", hidden=16, optimizer="sgd", lr=0.1, batch=1,
                             loss="mse", init="uniform"))  # the classic setup waits on a plateau first
    plateau.step(1200)
    assert stalled(plateau.history, window=500)  # (the page's hint says a plateau may come first)


def test_history_memory_does_not_grow_over_hours_of_training():
    """30 minutes at 2 000 steps/s (a fast setup, one viewer alone) with an evaluation every 25
    steps: the history's memory (which goes up and down as points fill and merge) never exceeds
    that of a history holding `cap` points of each kind, the most it ever holds."""
    h = History()
    sizes = []
    for s in range(1, 3_600_001):
        h.add_loss(s, 1.0 / s)
        if s % 25 == 0:
            h.add_eval(s, 0.5, 0.5)
        if s % 20_000 == 0:
            sizes.append(h.memory())
    assert len(h.loss_series()[0]) <= h.cap and len(h.eval_series()[0]) <= h.cap
    full = History()
    for s in range(1, full.cap):  # one point short of merging, in both series
        full.add_loss(s, 1.0 / s)
        full.add_eval(s, 0.5, 0.5)
    assert max(sizes) <= 1.05 * full.memory() and max(sizes) < 400_000, (max(sizes), full.memory())
    back = History.from_arrays(h.to_arrays())  # the point being filled survives a save
    assert back == h and back.memory() <= 1.1 * h.memory()


def test_history_saved_before_the_running_sum_loads():
    """Files written while the point being filled was kept step by step (meta of 4 numbers)."""
    h, s = History(cap=8), 0
    while h._pending[0] < 3:  # a point of 3 steps or more being filled
        s += 1
        h.add_loss(s, float(s))
    a = h.to_arrays()
    n, total, last = h._pending
    assert n > 1
    old = {**a, "meta": a["meta"][:4], "pending_steps": np.arange(last - n + 1, last + 1),
           "pending_losses": np.full(n, total / n)}  # fmt: skip
    assert History.from_arrays(old).loss_series()[1][-1] == pytest.approx(h.loss_series()[1][-1])


def test_evaluation_counts_match_an_independent_pass_and_memory_stays_small():
    """evaluate() scores chunk by chunk over the shared read-only set: the same numbers as one
    plain pass over every pair, and no temporary the size of the whole set."""
    import tracemalloc

    from rnn.data import encode, eval_set

    t = Trainer(Config(bits=8, hidden=16, seed=3))
    t.step(30)  # part-trained: some sums wrong, so the counts are not trivially 0 or 1
    a_bits, b_bits, sum_bits = eval_set(8)
    assert not a_bits.flags.writeable and eval_set(8)[0] is a_bits  # made once, shared
    right = (t.model.forward(encode(a_bits, b_bits))[0] > 0.5) == sum_bits.T.astype(bool)  # one pass
    tracemalloc.start()
    ev = t.evaluate()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert 0 < ev.exact < 1 and ev.pairs == 65536
    assert ev.exact == right.all(axis=0).mean() and ev.bit == right.mean()
    whole_input = a_bits.size * 2 * 8  # the set encoded as float64 at once: 9.4 MB
    assert peak < whole_input / 3, peak


def test_evaluation_cost_is_predicted_from_the_last_timed_evaluation():
    t = Trainer(Config(bits=8, hidden=16))
    assert t.evaluation_cost() is None  # nothing timed yet
    t.step(1)
    t.estimate()  # 512 pairs, timed
    predicted = t.evaluation_cost()
    assert predicted > 0 and t.evaluation_cost(bits=16) > predicted  # wider: more steps per pair
    t.evaluate()
    assert t.evaluation_cost() == 0.0  # cached until the next step


def test_the_shared_evaluation_set_follows_the_constants_that_shape_it(monkeypatch):
    """The page fuzz shrinks the evaluation sets for speed: a cached set must not outlive that."""
    from rnn import data

    assert data.eval_set(9)[0].shape[0] == data.SAMPLE_PAIRS
    with monkeypatch.context() as m:
        m.setattr(data, "SAMPLE_PAIRS", 2048)
        m.setattr(data, "ALL_PAIRS_MAX_BITS", 5)
        assert data.eval_set(9)[0].shape[0] == 2048 and data.eval_set(7)[0].shape[0] == 2048
    assert data.eval_set(9)[0].shape[0] == 65536 and data.eval_set(7)[0].shape[0] == 1 << 14

"""The analysis behind the "Inside the network" page, on hand-wired and really trained networks."""

import numpy as np
import pytest

from rnn import Config, Trainer
from rnn import analysis as A
from rnn.handwired import CARRY_UNIT, handwired_model, perturb, weight_names
from rnn.trace import make_trace

SEEDS = range(5)


@pytest.fixture(scope="module")
def handwired():
    return handwired_model()


@pytest.fixture(scope="module")
def trained():
    """Default-config trainers of 5 seeds, each trained until 100 % exact (bounded)."""
    out = []
    for seed in SEEDS:
        t = Trainer(Config(seed=seed))
        while t.steps < 4000 and not t.solved:
            t.step(25)
            t.accuracy()
        assert t.accuracy() == 1.0, f"seed {seed} did not solve in {t.steps} steps"
        out.append(t)
    return out


def params_copy(model):
    return {k: v.copy() for k, v in model.params.items()}


def assert_same_params(model, before):
    for k, v in before.items():
        np.testing.assert_array_equal(model.params[k], v)


# ---- the hand-wired network -----------------------------------------------------------------


@pytest.mark.parametrize("bits", [8, 32, 64])
def test_handwired_adds_exactly(handwired, bits):
    acc = A.accuracy(handwired, A.operand_set(bits))
    assert acc.exact == 1.0 and acc.bit == 1.0
    assert acc.pairs == 65536


def test_handwired_carry_unit_is_the_carry(handwired):
    sa = A.analyse_states(handwired, 8)
    assert sa.corr[CARRY_UNIT, 0] >= 0.999
    assert sa.carry_neuron() == CARRY_UNIT
    assert sa.rows == 65536 * 9


def test_states_line_up_with_their_targets(handwired):
    """The carry unit, rounded, IS the true carry at every (pair, step): rows and labels align."""
    ops = A.operand_set(6)
    states = A.collect_states(handwired, ops)  # (T, N, 3)
    assert states.shape == (7, 4096, 3) and states.dtype == np.float32
    np.testing.assert_array_equal(np.round(states[:, :, CARRY_UNIT]).astype(np.uint8), ops.carry.T)
    tr = make_trace(handwired, 45, 27, 6)  # and they equal the trace of one pair
    pair = 45 * 64 + 27  # a varies slowest
    np.testing.assert_allclose(states[:, pair], tr.hidden[0], rtol=1e-6)


def test_ablating_the_carry_unit_breaks_addition(handwired):
    before = params_copy(handwired)
    full, ablated = A.ablation(handwired, [CARRY_UNIT], 8)
    assert full.exact == 1.0
    assert ablated.exact < 0.6
    assert_same_params(handwired, before)  # the mask never touches the weights
    _, other = A.ablation(handwired, [0], 8)
    assert other.exact < 1.0  # every unit of the three is needed


def test_perturb_returns_a_new_model(handwired):
    before = params_copy(handwired)
    names = weight_names(handwired)
    assert len(names) == sum(v.size for v in before.values())
    broken = perturb(handwired, "Wh1", (CARRY_UNIT, 0), 0.0)  # the carry no longer reaches unit 1
    assert broken is not handwired and broken.params["Wh1"][CARRY_UNIT, 0] == 0.0
    assert_same_params(handwired, before)
    assert A.accuracy(broken, A.operand_set(8)).exact < 0.9
    small = perturb(handwired, "Wh1", (CARRY_UNIT, 0), 18.0)  # a small change keeps it exact
    assert A.accuracy(small, A.operand_set(8)).exact == 1.0
    with pytest.raises(ValueError):
        perturb(handwired, "Wz", (0, 0), 1.0)
    with pytest.raises(ValueError):
        perturb(handwired, "Wh1", (3, 0), 1.0)


def test_handwired_generalises_to_every_width(handwired):
    curve = A.length_generalisation(handwired)
    assert list(curve.widths) == list(A.LENGTH_WIDTHS)
    assert np.all(curve.exact == 1.0)


# ---- trained networks -------------------------------------------------------------------------


def test_carry_is_linearly_decodable_in_trained_networks(trained):
    for t in trained:
        before = params_copy(t.model)
        sa = A.analyse_states(t.model, t.cfg.bits)
        assert sa.accuracy["carry"] >= 0.999, f"seed {t.cfg.seed}: {sa.accuracy}"
        assert sa.carry_margin > 0, f"seed {t.cfg.seed}: carry ranges overlap {sa.carry_range}"
        lo, hi = sa.carry_range[0], sa.carry_range[1]
        assert lo[0] <= lo[1] < hi[0] <= hi[1]
        # the sample's plane coordinates are the same probe scores: carry 1 right of carry 0
        plane, carry = sa.sample.plane[:, 0], sa.sample.carry
        assert plane[carry == 0].max() < plane[carry == 1].min()
        assert_same_params(t.model, before)


def test_pca_orders_components_by_variance(trained):
    t = trained[0]
    sa = A.analyse_states(t.model, t.cfg.bits)
    assert np.all(np.diff(sa.explained) <= 1e-12)
    assert sa.explained.sum() <= 1.0 + 1e-9 and sa.explained.min() >= -1e-12
    assert sa.components.shape == (t.cfg.hidden, t.cfg.hidden)
    np.testing.assert_allclose(sa.components.T @ sa.components, np.eye(t.cfg.hidden), atol=1e-8)
    # the sampled states' PC coordinates vary most along PC1
    assert sa.sample.pc[:, 0].var() > sa.sample.pc[:, 1].var() * 0.5
    # a probe restricted to the PC1-PC2 plane can never beat the probe on the whole state
    assert sa.accuracy["carry_pca"] <= sa.accuracy["carry"]


def test_moments_match_numpy_on_data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5000, 4)) @ rng.standard_normal((4, 4)) + 3.0
    y = np.stack([(x[:, 0] + 0.3 * x[:, 1] > 3).astype(float), (x[:, 2] > 3).astype(float)], axis=1)
    whole = A.Moments.of(x, y)
    parts = A.Moments()
    for s in range(0, 5000, 1300):
        parts.add(x[s : s + 1300], y[s : s + 1300])
    np.testing.assert_allclose(parts.cov_xx, np.cov(x.T, bias=True), rtol=1e-9)
    np.testing.assert_allclose(whole.cov_xy, parts.cov_xy, atol=1e-12)
    r = A.correlations(parts)
    for j in range(4):
        for k in range(2):
            np.testing.assert_allclose(r[j, k], np.corrcoef(x[:, j], y[:, k])[0, 1], atol=1e-9)
    comps, explained = A.pca(parts)
    var = np.linalg.svd(x - x.mean(0), compute_uv=False) ** 2
    np.testing.assert_allclose(explained, var / var.sum(), rtol=1e-8)
    w, b = A.probe(parts, 0)
    z = np.c_[x, np.ones(len(x))]
    ref = np.linalg.lstsq(z, y[:, 0], rcond=None)[0]
    np.testing.assert_allclose(np.r_[w, b], ref, atol=1e-8)
    w_id, b_id = A.probe(parts, 0, np.eye(4))  # the whole space as a basis: the same probe
    np.testing.assert_allclose(np.r_[w_id, b_id], ref, atol=1e-8)


def test_constant_unit_has_zero_correlation():
    x = np.c_[np.ones(100), np.arange(100.0)]
    y = np.c_[np.arange(100.0) > 50, np.zeros(100)].astype(float)
    r = A.correlations(A.Moments.of(x, y))
    assert r[0, 0] == 0.0 and r[1, 1] == 0.0 and r[1, 0] > 0.8


def test_unit_mask_checks_units(handwired):
    assert A.unit_mask(handwired, [])[1].tolist() == [1.0, 1.0, 1.0]
    assert A.unit_mask(handwired, [2])[1].tolist() == [1.0, 1.0, 0.0]
    with pytest.raises(ValueError):
        A.unit_mask(handwired, [3])
    with pytest.raises(ValueError):
        A.unit_mask(handwired, [0], layer=2)


# ---- gradients through time ------------------------------------------------------------------


def test_sigmoid_gradients_vanish_lstm_less():
    sig = A.gradient_through_time(A.fresh_model("sigmoid", 16), bits=32)
    lstm = A.gradient_through_time(A.fresh_model("lstm", 16), bits=32)
    assert sig.norm.shape == (33,) and list(sig.distance[[0, -1]]) == [32, 0]
    assert sig.fall >= 100.0
    assert lstm.fall < sig.fall
    assert np.all(np.isfinite(sig.norm)) and sig.norm[-1] > 0


def test_large_recurrent_weights_explode_and_clipping_scales():
    relu = A.gradient_through_time(A.fresh_model("relu", 16, recurrent_scale=3.0), bits=32, clip=1.0)
    assert relu.fall < 1e-3  # grew by more than 1000x going back in time
    assert relu.grad_norm > 1.0
    np.testing.assert_allclose(relu.clip_factor, 1.0 / relu.grad_norm)
    np.testing.assert_allclose(relu.clipped, relu.norm / relu.grad_norm)
    assert relu.clipped[0] / relu.clipped[-1] == pytest.approx(relu.norm[0] / relu.norm[-1])  # same shape
    off = A.gradient_through_time(A.fresh_model("relu", 16, recurrent_scale=3.0), bits=32)
    assert off.clip_factor == 1.0


def test_gradient_comparison_leaves_the_model_alone(trained):
    model = trained[0].model
    before = params_copy(model)
    curves = A.gradient_comparison(model, bits=16)
    assert [c.name for c in curves] == ["current", *A.GRADIENT_KINDS]
    assert all(c.norm.shape == (17,) for c in curves)
    assert model.dtype == np.float32
    assert_same_params(model, before)
    with pytest.raises(ValueError):
        A.fresh_model("gru", 16)


# ---- comparing cells -------------------------------------------------------------------------


def test_compare_cells_trains_each_cell():
    seen = []
    runs = A.compare_cells(
        Config(hidden=8),
        seconds=0.3,
        widths=(4, 8, 16),
        max_pairs=512,
        progress=lambda cell, frac: seen.append((cell, frac)),
    )
    assert [r.cell for r in runs] == ["rnn", "gru", "lstm"]
    for r in runs:
        assert r.steps > 0
        assert list(r.curve.widths) == [4, 8, 16]
        assert np.all((0 <= r.curve.exact) & (r.curve.exact <= 1))
    assert seen[-1] == ("lstm", 1.0)
    assert all(0 <= f <= 1 for _, f in seen)


def test_train_until_solved_stops_at_solved_or_budget():
    t = Trainer(Config(seed=3))
    assert not A.train_until_solved(t, 0.0) and t.steps == 0  # no budget: nothing trained
    assert A.train_until_solved(t, 60.0)
    assert t.solved and t.solved_step == t.steps and t.accuracy() == 1.0
    steps = t.steps
    assert A.train_until_solved(t, 60.0) and t.steps == steps  # already solved: no more training

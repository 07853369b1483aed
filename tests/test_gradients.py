"""Backpropagation through time against centred finite differences, in float64."""

import itertools

import numpy as np
import pytest
from gradcheck import numeric_grads, rel_error

from rnn import Config, Model
from rnn.cells import BACKWARD, FORWARD

COMBOS = [
    (cell, act, loss, layers)
    for cell, act, loss, layers in itertools.product(
        ("rnn", "gru", "lstm"), ("tanh", "sigmoid", "relu"), ("bce", "mse"), (1, 2)
    )
    if cell == "rnn" or act == "tanh"  # the activation only applies to the vanilla cell
]


def _perturbed_model(cfg, seed=1):
    """A float64 model whose weights are moved off their init (zero biases hide bugs)."""
    model = Model.create(cfg)
    rng = np.random.default_rng(seed)
    for p in model.params.values():
        p += rng.normal(0.0, 0.4, p.shape)
    return model


def _batch(rng, n=3, steps=5):
    x = rng.integers(0, 2, (n, steps, 2)).astype(float)
    y = rng.integers(0, 2, (n, steps, 1)).astype(float)
    return x, y


@pytest.mark.parametrize("cell,activation,loss,layers", COMBOS)
def test_model_gradients_match_finite_differences(cell, activation, loss, layers):
    cfg = Config(cell=cell, activation=activation, loss=loss, layers=layers, hidden=4, dtype="float64")
    model = _perturbed_model(cfg)
    x, y = _batch(np.random.default_rng(2))
    _, grads = model.loss_and_grads(x, y)
    assert list(grads) == list(model.params)
    numeric = numeric_grads(lambda: model.loss_and_grads(x, y)[0], model.params)
    for name in model.params:
        assert grads[name].shape == model.params[name].shape
        assert rel_error(grads[name], numeric[name]) < 1e-6, name


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_dropout_gradients_with_fixed_masks(cell):
    cfg = Config(cell=cell, layers=2, hidden=3, dropout=0.5, dtype="float64")
    model = _perturbed_model(cfg)
    x, y = _batch(np.random.default_rng(3))

    def loss_and_grads():  # the same dropout masks on every call
        return model.loss_and_grads(x, y, rng=np.random.default_rng(7))

    _, grads = loss_and_grads()
    numeric = numeric_grads(lambda: loss_and_grads()[0], model.params)
    for name in model.params:
        assert rel_error(grads[name], numeric[name]) < 1e-6, name
    # and dropout really is active in this pass: without rng the loss differs
    assert model.loss_and_grads(x, y)[0] != loss_and_grads()[0]


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_cell_backward_gives_input_and_initial_state_gradients(cell):
    """The cs231n pair forward/backward also returns dx and dh0: check those numerically."""
    rng = np.random.default_rng(4)
    T, N, D, H = 4, 2, 3, 3
    G = {"rnn": 1, "gru": 3, "lstm": 4}[cell]
    p = {"Wx": rng.normal(0, 0.5, (D, G * H)), "Wh": rng.normal(0, 0.5, (H, G * H)), "b": rng.normal(0, 0.5, G * H)}
    x, h0 = rng.normal(size=(T, N, D)), rng.normal(size=(N, H))
    w = rng.normal(size=(T, N, H))  # loss = sum(w * h)

    def loss():
        h, _ = FORWARD[cell](x, h0, p, "tanh")
        return float((w * h).sum())

    _, cache = FORWARD[cell](x, h0, p, "tanh")
    dx, dh0, grads = BACKWARD[cell](w, cache)
    numeric = numeric_grads(loss, {"x": x, "h0": h0, **p})
    assert rel_error(dx, numeric["x"]) < 1e-6
    assert rel_error(dh0, numeric["h0"]) < 1e-6
    for k in p:
        assert rel_error(grads[k], numeric[k]) < 1e-6, k


def _naive_forward(cell, x, p, H):
    """An independent, unvectorised implementation: one sample, one step at a time."""

    def sig(v):
        return 1.0 / (1.0 + np.exp(-v))

    T = x.shape[0]
    h, c, out = np.zeros(H), np.zeros(H), []
    for t in range(T):
        a_x, a_h = x[t] @ p["Wx"] + p["b"], h @ p["Wh"]
        if cell == "rnn":
            h = np.tanh(a_x + a_h)
        elif cell == "gru":
            r = sig(a_x[:H] + a_h[:H])
            z = sig(a_x[H : 2 * H] + a_h[H : 2 * H])
            n = np.tanh(a_x[2 * H :] + r * a_h[2 * H :])
            h = (1 - z) * n + z * h
        else:
            a = a_x + a_h
            i, f, o, g = sig(a[:H]), sig(a[H : 2 * H]), sig(a[2 * H : 3 * H]), np.tanh(a[3 * H :])
            c = f * c + i * g
            h = o * np.tanh(c)
        out.append(h)
    return np.array(out)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_vectorised_forward_matches_naive_loop(cell):
    cfg = Config(cell=cell, hidden=5, dtype="float64")
    model = _perturbed_model(cfg)
    x = np.random.default_rng(5).integers(0, 2, (6, 4, 2)).astype(float)  # (T, N, 2)
    prob, cache = model.forward(x)
    p = model.layer_params(1)
    for n in range(x.shape[1]):
        h = _naive_forward(cell, x[:, n], p, 5)
        np.testing.assert_allclose(cache["layers"][0]["hs"][1:, n], h, rtol=1e-12, atol=1e-12)
        logits = h @ model.params["Wy"][:, 0] + model.params["by"][0]
        np.testing.assert_allclose(prob[:, n], 1 / (1 + np.exp(-logits)), rtol=1e-12)


def test_float32_gradients_agree_with_float64():
    """Training runs in float32 by default: its gradients must match the checked float64 ones."""
    cfg64 = Config(hidden=8, dtype="float64")
    m64 = _perturbed_model(cfg64)
    m32 = Model(cfg64.replace(dtype="float32"), {k: v.copy() for k, v in m64.params.items()})
    x, y = _batch(np.random.default_rng(6), n=8, steps=8)
    g64, g32 = m64.loss_and_grads(x, y)[1], m32.loss_and_grads(x, y)[1]
    for k in g64:
        assert g32[k].dtype == np.float32
        assert rel_error(g32[k].astype(float), g64[k]) < 1e-4, k


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("layers", [1, 3])
def test_recurrent_stack_gradients(cell, layers):
    """The stack both networks share (rnn.stack), on its own: loss = sum(w * h^L), with dropout
    masks between layers fixed by the rng; gradients written into views of one flat vector."""
    from rnn.optim import flatten, unflatten
    from rnn.stack import RecurrentStack, init_weights

    rng = np.random.default_rng(8)
    T, N, D, H = 4, 3, 5, 3
    params = init_weights(cell, H, layers, D, 1, "xavier", np.random.default_rng(0))
    for p in params.values():
        p += rng.normal(0.0, 0.3, p.shape)  # off the init: zero biases hide bugs
    x, w = rng.normal(size=(T, N, D)), rng.normal(size=(T, N, H))
    grad_flat = np.zeros(flatten(params).size)
    grads = unflatten(grad_flat, params)
    stack = RecurrentStack(cell, "tanh", layers, params, grads)
    assert stack.keys() == [k for k in params if k not in ("Wy", "by")]

    def forward():
        return stack.forward(x, dropout=0.3 if layers > 1 else 0.0, rng=np.random.default_rng(4))

    h, cache = forward()
    out = stack.backward(w, cache, out=grads)
    assert out is grads
    new = stack.backward(w, forward()[1])  # new arrays: the same numbers
    numeric = numeric_grads(lambda: float((w * forward()[0]).sum()), {k: params[k] for k in stack.keys()})
    for k in stack.keys():
        assert np.array_equal(new[k], grads[k]), k
        assert rel_error(grads[k], numeric[k]) < 1e-6, k
    assert not grads["Wy"].any()  # the head's slots are not the stack's to write
    assert cache["layers"][0]["dh_total"].shape == (T, N, H)

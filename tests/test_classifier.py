"""The digits sequence classifier: gradients, learning, and the trainer conveniences."""

import io
import json

import numpy as np
import pytest
from gradcheck import numeric_grads, rel_error

from rnn import Config, Trainer
from rnn.classifier import (
    ClassifierConfig,
    ClassifierTrainer,
    SequenceClassifier,
    head_backward,
    head_forward,
    softmax_cross_entropy,
    tensorflow_preset,
)
from rnn.digits import DigitData, load_digits8x8

# ---- gradients against centred finite differences (float64) ----------------------------------


def test_softmax_head_gradients():
    rng = np.random.default_rng(0)
    N, H, K = 5, 4, 10
    p = {"h": rng.standard_normal((N, H)), "Wy": rng.standard_normal((H, K)), "by": rng.standard_normal(K)}
    y = rng.integers(0, K, N)

    def f():
        return softmax_cross_entropy(head_forward(p["h"], p["Wy"], p["by"]), y)[0]

    _, dz, prob = softmax_cross_entropy(head_forward(p["h"], p["Wy"], p["by"]), y)
    dh, g = head_backward(dz, p["h"], p["Wy"])
    num = numeric_grads(f, p)
    assert rel_error(dh, num["h"]) < 1e-7
    assert rel_error(g["Wy"], num["Wy"]) < 1e-7
    assert rel_error(g["by"], num["by"]) < 1e-7
    np.testing.assert_allclose(prob.sum(axis=1), 1.0)


def test_cross_entropy_is_the_batch_mean_and_stable():
    z = np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]])
    loss, dz, p = softmax_cross_entropy(z, np.array([0, 2]))
    assert np.isfinite(loss) and np.all(np.isfinite(dz))
    assert loss == pytest.approx((0.0 + np.log(3.0)) / 2)  # mean of -log p over the 2 images


@pytest.mark.parametrize(
    "cell, layers, activation",
    [("lstm", 1, "tanh"), ("lstm", 2, "tanh"), ("gru", 1, "tanh"), ("gru", 2, "tanh"), ("rnn", 1, "tanh"), ("rnn", 2, "sigmoid")],
)
def test_whole_classifier_gradients(cell, layers, activation):
    cfg = ClassifierConfig(cell=cell, hidden=4, layers=layers, activation=activation, dtype="float64", seed=3)
    model = SequenceClassifier(cfg, n_inputs=3)
    rng = np.random.default_rng(1)
    x = rng.random((5, 3, 3))  # T=5 rows of D=3 pixels, N=3 images
    y = np.array([2, 7, 2])

    def f():
        return model.loss(model.forward(x)[1], y)[0]

    _, cache = model.forward(x)
    _, dz = model.loss(cache, y)
    grads = model.backward(dz, cache)
    num = numeric_grads(f, model.params)  # params are views into model.flat: perturbing them works
    assert list(grads) == list(model.params)
    for k in model.params:
        assert grads[k].shape == model.params[k].shape
        assert rel_error(grads[k], num[k]) < 1e-6, k


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_classifier_gradients_into_the_flat_vector(cell):
    """The training step's path: backward(..., out=model.grads) fills model.grad_flat, through
    the recurrent stack the adder uses too, and matches finite differences (float64)."""
    from rnn.optim import flatten

    cfg = ClassifierConfig(cell=cell, hidden=3, layers=2, dtype="float64", seed=4)
    model = SequenceClassifier(cfg, n_inputs=4)
    rng = np.random.default_rng(5)
    model.flat += rng.normal(0.0, 0.3, model.flat.shape)  # off the init: zero biases hide bugs
    x, y = rng.random((6, 3, 4)), np.array([1, 9, 4])
    _, cache = model.forward(x)
    _, dz = model.loss(cache, y)
    assert model.backward(dz, cache, out=model.grads) is model.grads
    assert np.array_equal(model.grad_flat, flatten(model.backward(dz, cache)))
    num = numeric_grads(lambda: model.loss(model.forward(x)[1], y)[0], model.params)
    assert rel_error(model.grad_flat, flatten(num)) < 1e-6


def test_classifier_unit_mask_silences_units():
    """The stack's ablation mask works for the classifier too: with every top unit silenced the
    answer is softmax(by) for any image."""
    from rnn.classifier import softmax

    model = SequenceClassifier(ClassifierConfig(hidden=5, layers=2, dtype="float64"), n_inputs=4)
    model.params["by"][:] = np.arange(10.0) / 10
    x = np.random.default_rng(6).random((6, 3, 4))
    prob, _ = model.forward(x, unit_mask={2: np.zeros(5)})
    np.testing.assert_allclose(prob, np.tile(softmax(model.params["by"]), (3, 1)))
    assert not np.allclose(model.forward(x)[0], prob)


def test_row_probabilities_come_from_the_cache_and_match_shorter_images():
    cfg = ClassifierConfig(hidden=6, dtype="float64")
    model = SequenceClassifier(cfg, n_inputs=4)
    x = np.random.default_rng(2).random((6, 3, 4))
    prob, cache = model.forward(x)
    rows = model.row_probabilities(cache)
    assert rows.shape == (6, 3, 10)
    np.testing.assert_allclose(rows[-1], prob)  # after the last row: the model's answer
    for t in range(6):  # after row t: what the model says if the image ended there
        np.testing.assert_allclose(rows[t], model.forward(x[: t + 1])[0], rtol=1e-12)


def test_wrong_row_width_is_a_clear_error():
    model = SequenceClassifier(ClassifierConfig(hidden=3), n_inputs=8)
    with pytest.raises(ValueError, match="rows of 8 pixels"):
        model.forward(np.zeros((28, 2, 28)))


# ---- learning -----------------------------------------------------------------------------------


def test_default_config_learns_the_digits():
    t = ClassifierTrainer(ClassifierConfig(seed=0))
    assert t.evaluate().accuracy < 0.3  # untrained: about chance
    best = 0.0
    while t.steps < 1000 and best < 0.95:
        t.step(50)
        best = max(best, t.evaluate().accuracy)
    assert best >= 0.95, f"test accuracy {best:.3f} after {t.steps} steps"
    steps, acc, _ = t.history.eval_series()
    reached = steps[acc >= 0.97]
    assert t.solved_step == (int(reached[0]) if reached.size else None)
    ev = t.evaluate()
    assert ev.confusion.sum() == 360 and ev.confusion.trace() == round(ev.accuracy * 360)
    np.testing.assert_allclose(ev.per_class, np.diag(ev.confusion) / ev.confusion.sum(axis=1))
    assert ev.accuracy == pytest.approx(np.mean(ev.predicted == t.data.test_labels))
    steps, acc, balanced = t.history.eval_series()
    assert steps[-1] == t.steps and acc[-1] == ev.accuracy and balanced[-1] == pytest.approx(ev.balanced)


@pytest.mark.parametrize("cell", ["gru", "rnn"])
def test_other_cells_learn(cell):
    t = ClassifierTrainer(ClassifierConfig(cell=cell, seed=0))
    t.step(300)
    assert t.evaluate().accuracy >= 0.85


def test_reads_mnist_shaped_data():
    rng = np.random.default_rng(0)
    imgs = rng.integers(0, 256, (40, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 40, dtype=np.uint8)
    data = DigitData("mnist", imgs[:30], labels[:30], imgs[30:], labels[30:], max_value=255)
    t = ClassifierTrainer(ClassifierConfig(hidden=8, batch=16), data)
    assert np.isfinite(t.step(3)) and t.samples == 48
    assert t.evaluate().n == 10
    assert t.row_probabilities(imgs[0]).shape == (28, 1, 10)


# ---- trainer conveniences -----------------------------------------------------------------------


def test_reset_replays_the_same_run():
    t = ClassifierTrainer(ClassifierConfig(hidden=16))
    w0 = t.model.flat.copy()
    losses = [t.step(1) for _ in range(30)]
    t.evaluate()
    hist, w = t.history, t.model.flat.copy()
    t.reset()
    assert np.array_equal(t.model.flat, w0) and t.steps == 0 and len(t.history) == 0
    assert [t.step(1) for _ in range(30)] == losses
    t.evaluate()
    assert t.history == hist and np.array_equal(t.model.flat, w)
    t.reset(seed=1)
    assert t.cfg.seed == 1 and not np.array_equal(t.model.flat, w0)


def test_epochs_cover_every_training_image_once():
    t = ClassifierTrainer(ClassifierConfig(hidden=4, batch=100))
    seen = []
    for _ in range(14):  # 1437 // 100 = 14 full batches per epoch
        seen.append(t._next_batch().copy())
    assert np.unique(np.concatenate(seen)).size == 1400 and t.epochs == 0
    t._next_batch()
    assert t.epochs == 1


def test_set_lr_keeps_optimiser_state():
    a = ClassifierTrainer(ClassifierConfig(hidden=8))
    a.step(10)
    m, v, t_adam = a.optimizer.buffers["m"].copy(), a.optimizer.buffers["v"].copy(), a.optimizer.t
    a.set_lr(0.001)
    assert a.cfg.lr == 0.001 and a.optimizer.lr == 0.001 and a.optimizer.t == t_adam
    assert np.array_equal(a.optimizer.buffers["m"], m) and np.array_equal(a.optimizer.buffers["v"], v)
    # the next step continues Adam's moments (a fresh optimiser would take a different step)
    b = ClassifierTrainer(ClassifierConfig(hidden=8))
    b.step(10)
    b.optimizer = type(b.optimizer)(0.001, b.model.params)
    a.step(1)
    b.step(1)
    assert not np.allclose(a.model.flat, b.model.flat)
    with pytest.raises(ValueError, match="lr"):
        a.set_lr(-1.0)
    assert a.cfg.lr == 0.001


def test_reconfigure_keeps_weights_but_refuses_new_architecture():
    t = ClassifierTrainer(ClassifierConfig(hidden=8))
    t.step(3)
    w = t.model.flat.copy()
    assert sorted(t.reconfigure(t.cfg.replace(batch=16, clip=0.0))) == ["batch", "clip"]
    assert np.array_equal(t.model.flat, w) and t.steps == 3
    with pytest.raises(ValueError, match="new model"):
        t.reconfigure(t.cfg.replace(hidden=9))


def test_divergence_is_refused_and_reported():
    t = ClassifierTrainer(ClassifierConfig(hidden=8, lr=1e6, clip=0.0))
    w0 = t.model.flat.copy()
    loss = t.step(5)
    assert t.diverged and "learning rate" in t.diverged
    assert np.isnan(loss) and t.steps == 0 and np.array_equal(t.model.flat, w0)
    assert t.train_for(0.1) == 0  # stays stopped
    t.reset()
    assert t.diverged is None


def test_config_validation_names_the_field():
    with pytest.raises(ValueError, match="cell"):
        ClassifierConfig(cell="transformer")
    with pytest.raises(ValueError, match="hidden"):
        ClassifierConfig(hidden=0)
    with pytest.raises(ValueError, match="unknown"):
        ClassifierConfig.from_dict({"bits": 8})
    preset = tensorflow_preset()
    assert (preset.cell, preset.hidden, preset.layers, preset.lr, preset.batch) == ("lstm", 256, 1, 0.001, 128)


# ---- save / load --------------------------------------------------------------------------------


def test_save_load_resumes_identically(tmp_path):
    a = ClassifierTrainer(ClassifierConfig(hidden=12, cell="gru", batch=50))
    a.step(31)  # mid-epoch: the image order and position must survive
    a.evaluate()
    path = tmp_path / "digits.npz"
    a.save(path)
    b = ClassifierTrainer.load(path)
    assert b.cfg == a.cfg and b.steps == a.steps and b.samples == a.samples and b.history == a.history
    assert b.solved_step == a.solved_step
    assert np.array_equal(b.model.flat, a.model.flat)
    assert [a.step(1) for _ in range(40)] == [b.step(1) for _ in range(40)]  # crosses an epoch
    assert np.array_equal(a.model.flat, b.model.flat)
    buf = io.BytesIO()
    a.save(buf)
    buf.seek(0)
    assert ClassifierTrainer.load(buf).steps == a.steps


def _arrays(tmp_path):
    t = ClassifierTrainer(ClassifierConfig(hidden=4))
    t.step(2)
    path = tmp_path / "ok.npz"
    t.save(path)
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def _load(tmp_path, arrays, data=None):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    return ClassifierTrainer.load(path, data)


def test_bad_files_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="not a saved model"):
        ClassifierTrainer.load(io.BytesIO(b"hello, not a zip file"))
    good = _arrays(tmp_path)
    bad = dict(good, **{"param/Wh1": np.array([{"x": 1}], dtype=object)})
    with pytest.raises(ValueError, match="not a saved model"):
        _load(tmp_path, bad)
    bad = {k: v for k, v in good.items() if k != "param/Wy"}
    with pytest.raises(ValueError, match="missing 'param/Wy'"):
        _load(tmp_path, bad)
    with pytest.raises(ValueError, match="shape"):
        _load(tmp_path, dict(good, **{"param/Wh1": np.zeros((5, 5), np.float32)}))
    with pytest.raises(ValueError, match="NaN"):
        _load(tmp_path, dict(good, **{"param/by": good["param/by"] * np.nan}))
    with pytest.raises(ValueError, match="image order"):
        _load(tmp_path, dict(good, order=good["order"] + 5000))
    with pytest.raises(ValueError, match="bad config"):
        _load(tmp_path, dict(good, config=np.array("{not json")))


def test_adder_model_and_wrong_image_size_are_refused(tmp_path):
    adder = tmp_path / "adder.npz"
    Trainer(Config(hidden=4)).save(adder)
    with pytest.raises(ValueError):
        ClassifierTrainer.load(adder)
    good = _arrays(tmp_path)
    state = json.loads(str(good["state"]))
    state["format"] = "something/else"
    with pytest.raises(ValueError, match="not a saved digits model"):
        _load(tmp_path, dict(good, state=np.array(json.dumps(state))))
    d = load_digits8x8()
    big = DigitData("mnist", np.zeros((3, 28, 28), np.uint8), np.zeros(3, np.uint8), d.test_images, d.test_labels, 255)
    with pytest.raises(ValueError, match="trained on 8x8 images"):
        _load(tmp_path, good, data=big)


def test_bytes_round_trip_and_uploads_that_are_not_models():
    from rnn import saveload

    a = ClassifierTrainer(ClassifierConfig(hidden=8, cell="lstm", batch=40))
    a.step(13)
    a.evaluate()
    data = saveload.to_bytes(a)
    b = ClassifierTrainer.load(io.BytesIO(data), data=a.data)
    assert b.cfg == a.cfg and b.history == a.history and (b.epochs, b.pos) == (a.epochs, a.pos)
    assert np.array_equal(b.order, a.order) and np.array_equal(b.model.flat, a.model.flat)
    assert np.array_equal(b.optimizer._all, a.optimizer._all)
    assert [a.step(1) for _ in range(10)] == [b.step(1) for _ in range(10)]
    # an upload over the size limit, a truncated one, and a bomb in the digits layout
    with pytest.raises(ValueError, match="at most 32 MB"):
        ClassifierTrainer.load(io.BytesIO(data + bytes(saveload.MAX_UPLOAD_BYTES)))
    with pytest.raises(ValueError, match="not a saved model"):
        ClassifierTrainer.load(io.BytesIO(data[: len(data) // 2]))
    import zipfile

    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("extra.npy", b"", compress_type=zipfile.ZIP_DEFLATED)
        z.filelist[-1].file_size = 100 << 20  # declares 100 MB
    with pytest.raises(ValueError, match="would take 100 MB"):
        ClassifierTrainer.load(io.BytesIO(buf.getvalue()))

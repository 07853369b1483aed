"""Save/load: exact resume, and clear errors for anything that is not our file."""

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from rnn import Config, Trainer


@pytest.mark.parametrize("cfg", [Config(), Config(cell="lstm", layers=2, dropout=0.3, optimizer="momentum")])
def test_round_trip_resumes_training_identically(tmp_path, cfg):
    a = Trainer(cfg)
    a.step(37)
    a.evaluate()
    path = tmp_path / "run.npz"
    a.save(path)
    b = Trainer.load(path)
    assert b.cfg == a.cfg and b.steps == a.steps and b.samples == a.samples
    assert b.history == a.history
    for k in a.model.params:
        assert np.array_equal(a.model.params[k], b.model.params[k])
    losses_a = [a.step(1) for _ in range(20)]
    losses_b = [b.step(1) for _ in range(20)]
    assert losses_a == losses_b
    assert np.array_equal(a.model.flat, b.model.flat)


def test_load_from_file_object_and_fresh_trainer(tmp_path):
    t = Trainer(Config(hidden=4))
    buf = io.BytesIO()
    t.save(buf)
    buf.seek(0)
    u = Trainer.load(buf)
    assert u.steps == 0 and np.array_equal(u.model.flat, t.model.flat)


def _saved(tmp_path):
    t = Trainer(Config(hidden=4))
    t.step(2)
    path = tmp_path / "ok.npz"
    t.save(path)
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def _write(tmp_path, arrays, name="bad.npz"):
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


def test_object_array_is_refused_without_unpickling(tmp_path):
    arrays = _saved(tmp_path)
    arrays["param/Wh1"] = np.array([{"evil": 1}, None], dtype=object)
    with pytest.raises(ValueError, match="not a saved model"):
        Trainer.load(_write(tmp_path, arrays))


def test_missing_key(tmp_path):
    arrays = _saved(tmp_path)
    del arrays["param/Wy"]
    with pytest.raises(ValueError, match="missing 'param/Wy'"):
        Trainer.load(_write(tmp_path, arrays))


def test_wrong_shape(tmp_path):
    arrays = _saved(tmp_path)
    arrays["param/Wh1"] = np.zeros((5, 5), np.float32)
    with pytest.raises(ValueError, match="shape"):
        Trainer.load(_write(tmp_path, arrays))


def test_non_finite_weights(tmp_path):
    arrays = _saved(tmp_path)
    arrays["param/Wh1"] = arrays["param/Wh1"] * np.nan
    with pytest.raises(ValueError, match="NaN"):
        Trainer.load(_write(tmp_path, arrays))


def test_bad_config(tmp_path):
    arrays = _saved(tmp_path)
    arrays["config"] = np.array('{"hidden": 0}')
    with pytest.raises(ValueError, match="hidden"):
        Trainer.load(_write(tmp_path, arrays))
    arrays["config"] = np.array("{not json")
    with pytest.raises(ValueError, match="not a saved model"):
        Trainer.load(_write(tmp_path, arrays))


@pytest.mark.parametrize("content", [b"", b"garbage bytes \x00\x01", b"PK\x03\x04 truncated zip"])
def test_garbage_bytes(tmp_path, content):
    path = tmp_path / "garbage.npz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not a saved model"):
        Trainer.load(path)


def test_zip_of_other_things(tmp_path):
    path = tmp_path / "other.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not numpy")
    with pytest.raises(ValueError, match="not a saved model"):
        Trainer.load(path)


# ---- one saver for both trainers, and files written before it ---------------------------------

DATA = Path(__file__).resolve().parent / "data"

# tests/data/*_v1.npz were written by the code of commit a90c069, before the two trainers shared
# rnn.saveload's saver, as follows; the losses are what that code's trainers went on to report.
#   t = Trainer(Config(hidden=4, cell="lstm", layers=2, dropout=0.2, seed=5)); t.step(7); t.evaluate()
#   c = ClassifierTrainer(ClassifierConfig(hidden=4, cell="gru", batch=100, seed=2)); c.step(9); c.evaluate()
OLD_ADDER_LOSSES = [5.4909751415252686, 5.463429659605026, 5.437994033098221, 5.398172050714493, 5.327827647328377]
OLD_DIGITS_LOSSES = [2.2863752746582033, 2.268824462890625, 2.2429983520507815, 2.259011077880859,
                     2.2528704833984374, 2.2556912231445314, 2.233841857910156, 2.226240539550781]  # fmt: skip


def test_files_of_the_old_savers_still_load_and_resume():
    from rnn.classifier import ClassifierTrainer

    t = Trainer.load(DATA / "adder_v1.npz")
    assert (t.cfg.cell, t.cfg.layers, t.steps, t.samples) == ("lstm", 2, 7, 7 * 128)
    assert t.history.eval_series()[0].tolist() == [7]
    np.testing.assert_allclose([t.step(1) for _ in range(5)], OLD_ADDER_LOSSES, rtol=1e-6)
    c = ClassifierTrainer.load(DATA / "digits_v1.npz")
    assert (c.cfg.cell, c.steps, c.samples, c.epochs, c.pos) == ("gru", 9, 900, 0, 900)
    np.testing.assert_allclose([c.step(1) for _ in range(8)], OLD_DIGITS_LOSSES, rtol=1e-6)
    assert c.epochs == 1  # the resumed image order ran into the next epoch


def test_both_trainers_round_trip_through_the_one_saver(tmp_path):
    from rnn import saveload
    from rnn.classifier import ClassifierConfig, ClassifierTrainer

    for t in (Trainer(Config(hidden=5, optimizer="momentum")), ClassifierTrainer(ClassifierConfig(hidden=5))):
        t.step(3)
        t.evaluate()
        path = tmp_path / f"{type(t).__name__}.npz"
        t.save(path)
        with np.load(path, allow_pickle=False) as f:
            names = set(f.files)
        common = {"config", "state"} | {f"param/{k}" for k in t.model.params}
        common |= {f"opt/{slot}/{k}" for slot in t.optimizer.state for k in t.model.params}
        assert common <= names and any(n.startswith("hist/") for n in names)
        u = saveload.load_trainer(type(t), path)
        assert type(u) is type(t) and u.cfg == t.cfg and u.history == t.history and u.steps == 3
        assert np.array_equal(u.model.flat, t.model.flat) and np.array_equal(u.optimizer._all, t.optimizer._all)
        assert u.step(2) == t.step(2)
    # each trainer refuses the other's file by its format
    with pytest.raises(ValueError, match="not a saved model of this app"):
        Trainer.load(tmp_path / "ClassifierTrainer.npz")
    with pytest.raises(ValueError, match="not a saved digits model of this app"):
        ClassifierTrainer.load(tmp_path / "Trainer.npz")


def test_state_that_is_not_a_json_object(tmp_path):
    arrays = _saved(tmp_path)
    arrays["state"] = np.array("[1, 2]")
    with pytest.raises(ValueError, match="not a saved model"):
        Trainer.load(_write(tmp_path, arrays))
    arrays = _saved(tmp_path)
    arrays["config"] = np.array('["hidden"]')
    with pytest.raises(ValueError, match="not a saved model"):
        Trainer.load(_write(tmp_path, arrays))

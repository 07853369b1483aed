"""Save/load: exact resume, and clear errors for anything that is not our file."""

import io
import zipfile

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

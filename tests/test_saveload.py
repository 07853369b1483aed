"""Save/load: exact resume, and clear errors for anything that is not our file."""

import contextlib
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from rnn import Config, Trainer, saveload


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


# ---- uploads: files from anywhere are checked before anything is allocated ---------------------


@pytest.mark.parametrize("compress", [True, False])
def test_bytes_round_trip_is_bit_for_bit(compress):
    t = Trainer(Config(hidden=6, cell="gru", optimizer="adam"))
    t.step(11)
    t.evaluate()
    data = saveload.to_bytes(t, compress)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        methods = {i.compress_type for i in z.infolist()}
    assert methods == {zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED}
    with np.load(io.BytesIO(data), allow_pickle=False) as f:
        expected = {k: f[k] for k in f.files}
    got = saveload.read_npz(io.BytesIO(data))
    assert got.keys() == expected.keys()
    for k, v in expected.items():  # same dtype, shape and bytes (NaN-safe)
        assert got[k].dtype == v.dtype and got[k].shape == v.shape and got[k].tobytes() == v.tobytes(), k
    u = Trainer.load(io.BytesIO(data))
    assert np.array_equal(u.model.flat, t.model.flat) and np.array_equal(u.optimizer._all, t.optimizer._all)
    assert u.history == t.history and u.steps == t.steps
    assert [u.step(1) for _ in range(5)] == [t.step(1) for _ in range(5)]
    # saved again, the arrays are the same bytes (the zip's timestamps may differ)
    again = saveload.read_npz(io.BytesIO(saveload.to_bytes(Trainer.load(io.BytesIO(data)))))
    assert all(again[k].tobytes() == v.tobytes() for k, v in expected.items())


def test_reader_matches_numpy_on_the_old_files_and_any_layout(tmp_path):
    for name in ("adder_v1.npz", "digits_v1.npz"):
        with np.load(DATA / name, allow_pickle=False) as f:
            ref = {k: f[k] for k in f.files}
        got = saveload.read_npz(DATA / name)
        assert got.keys() == ref.keys() and all(np.array_equal(got[k], ref[k]) for k in ref)
    arrays = {"f": np.asfortranarray(np.arange(12.0).reshape(3, 4)), "big": np.arange(5, dtype=">i4"),
              "empty": np.zeros((0, 3)), "scalar": np.array(2.5), "s": np.array([b"ab", b"c"]), "b": np.array([True])}  # fmt: skip
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    got = saveload.read_npz(io.BytesIO(buf.getvalue()))
    for k, v in arrays.items():
        assert got[k].dtype == v.dtype and np.array_equal(got[k], v), k
    assert got["f"].flags.f_contiguous and got["f"].flags.writeable


def _saved_bytes():
    t = Trainer(Config(hidden=4))
    t.step(2)
    return saveload.to_bytes(t)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_truncated_files(keep):
    data = _saved_bytes()
    with pytest.raises(ValueError, match="not a saved model"):
        Trainer.load(io.BytesIO(data[: int(len(data) * keep)]))


def test_corrupt_member_data_fails_its_crc():
    data = bytearray(saveload.to_bytes(Trainer(Config(hidden=4))))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("param/Wh1.npy")
    at = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
    data[at] ^= 0xFF
    with pytest.raises(ValueError, match="not a saved model"):
        Trainer.load(io.BytesIO(bytes(data)))


def _timed_refusal(source, match="not a saved model"):
    """Trainer.load(source) refuses quickly and without allocating much."""
    import time
    import tracemalloc

    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(ValueError, match=match):
            Trainer.load(source)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - t0 < 2.0
    assert peak < 8 << 20, f"allocated {peak} bytes while refusing"


def test_a_200_mb_file_is_refused_unread(tmp_path):
    path = tmp_path / "huge.npz"
    with open(path, "wb") as f:  # sparse: 200 MB on disk in name only
        f.write(_saved_bytes())
        f.seek(200 << 20)
        f.write(b"\0")
    _timed_refusal(path, match="at most 32 MB")
    with open(path, "rb") as f:
        _timed_refusal(f, match="at most 32 MB")


BOMB_MB = 300


def _zeros_member(z, name, mb, declare=None):
    """An .npy member of `mb` MB of float64 zeros, streamed in 1 MB pieces; `declare`: the size
    its directory entry and its .npy header claim (a lying bomb: only its CRC can tell)."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    header = _npy_header((mb << 17,) if declare is None else ((declare - 128) // 8,))
    assert len(header) == 128
    chunk = bytes(1 << 20)
    with z.open(info, "w", force_zip64=True) as w:
        w.write(header)
        for _ in range(mb):
            w.write(chunk)
    if declare is not None:
        z.filelist[-1].file_size = declare  # the central directory is written from this on close


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    good = _saved_bytes()
    made = {}
    for kind in ("declared", "lying", "many"):
        path = made[kind] = folder / f"{kind}.npz"
        path.write_bytes(good)
        with zipfile.ZipFile(path, "a") as z:
            if kind == "declared":  # honest about its 300 MB
                _zeros_member(z, "param/bomb.npy", BOMB_MB)
            elif kind == "lying":  # claims 1 KB of data, holds 300 MB
                _zeros_member(z, "param/bomb.npy", BOMB_MB, declare=1024 + 128)
            else:  # 30 members of 10 MB each: each one under the limit, together over it
                for i in range(30):
                    _zeros_member(z, f"param/bomb{i}.npy", 10)
    return made


@pytest.mark.parametrize(
    "kind, match", [("declared", "would take 300 MB"), ("lying", "Bad CRC"), ("many", "would take 300 MB")]
)
def test_zip_bombs_are_refused_quickly(bombs, kind, match):
    path = bombs[kind]
    assert path.stat().st_size < 2 << 20  # hundreds of MB of zeros in a few hundred KB
    _timed_refusal(path, match=match)
    _timed_refusal(io.BytesIO(path.read_bytes()), match=match)


def _npz_with(member_name, payload, compress_type=zipfile.ZIP_STORED):
    buf = io.BytesIO(_saved_bytes())
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr(zipfile.ZipInfo(member_name), payload, compress_type=compress_type)
    return io.BytesIO(buf.getvalue())


def _npy_header(shape, descr="<f8"):
    h = io.BytesIO()
    np.lib.format.write_array_header_1_0(h, {"descr": descr, "fortran_order": False, "shape": shape})
    return h.getvalue()


@pytest.mark.parametrize(
    "name, payload, match",
    [
        ("param/x.npy", _npy_header((10**12,)) + bytes(80), "declares shape"),  # a header that lies
        ("param/x.npy", _npy_header((-2, -4)) + bytes(64), "declares shape"),
        ("param/x.npy", _npy_header((3,), "|O") + bytes(24), "object arrays"),
        ("param/x.npy", _npy_header((3,), [("a", "<f8")]) + bytes(24), "object arrays"),  # records
        ("param/x.npy", b"\x93NUMPY\x09\x00" + bytes(64), "not a saved model"),  # unknown version
        # numpy reads a header as a Python literal: an unclosed one raised tokenize.TokenError (page fuzz)
        ("param/x.npy", b"\x93NUMPY\x01\x00\x13\x00{'descr': '<f8', (\x00\n", "array header that is not one"),
        ("notes.txt", b"hello", "not a numpy array"),
        ("param/Wy.npy", _npy_header((1,)) + bytes(8), "stored twice"),
    ],
)
def test_members_that_are_not_plain_arrays(name, payload, match):
    with pytest.warns(UserWarning, match="Duplicate") if "Wy" in name else contextlib.nullcontext():
        source = _npz_with(name, payload)
    _timed_refusal(source, match=match)


def test_unknown_compression_and_encryption_are_refused():
    data = _npz_with("param/x.npy", _npy_header((1000,)) + bytes(8000), zipfile.ZIP_BZIP2).getvalue()
    _timed_refusal(io.BytesIO(data), match="compressed in an unknown way")
    flagged = bytearray(_saved_bytes())
    at = flagged.index(b"PK\x01\x02")  # the first central directory entry: set its "encrypted" bit
    flagged[at + 8] |= 0x1
    _timed_refusal(io.BytesIO(bytes(flagged)), match="encrypted")


def test_too_many_members_or_a_huge_directory():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(saveload.MAX_MEMBERS + 1):
            z.writestr(f"a{i}.npy", b"")
    _timed_refusal(io.BytesIO(buf.getvalue()), match="at most 1024")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # few members with long names: a directory over 256 KB
        for i in range(40):
            z.writestr(f"{i}{'x' * 8000}.npy", b"")
    _timed_refusal(io.BytesIO(buf.getvalue()), match="zip directory")


def test_an_unseekable_stream_is_refused():
    class Pipe(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, b):
            return 0

    with pytest.raises(ValueError, match="not a saved model"):
        Trainer.load(Pipe())

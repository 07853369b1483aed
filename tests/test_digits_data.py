"""The bundled 8x8 digits and the IDX (MNIST) reader, on files the tests write themselves."""

import gzip
import io
import struct

import numpy as np
import pytest

from rnn.digits import (
    ASSET,
    drawing_to_grid,
    ink_from_rgba,
    load_digits8x8,
    load_mnist_folder,
    mnist_from_files,
    mnist_role,
    read_idx,
)

# ---- the bundled set ---------------------------------------------------------------------------


def test_bundled_digits_shapes_and_values():
    d = load_digits8x8()
    assert d.train_images.shape == (1437, 8, 8) and d.test_images.shape == (360, 8, 8)
    assert d.train_labels.shape == (1437,) and d.test_labels.shape == (360,)
    assert d.train_images.dtype == np.uint8 and d.train_labels.dtype == np.uint8
    assert d.max_value == 16 and int(d.train_images.max()) == 16 and int(d.test_images.min()) == 0
    assert set(np.unique(d.train_labels)) == set(range(10)) == set(np.unique(d.test_labels))
    assert (d.rows, d.cols) == (8, 8)
    assert "Alpaydin" in d.attribution and "CC BY 4.0" in d.attribution
    with pytest.raises(ValueError):  # shared by every viewer: read-only
        d.train_images[0, 0, 0] = 1


def test_split_is_a_stratified_partition():
    with np.load(ASSET, allow_pickle=False) as f:
        labels, train, test = f["labels"], f["train"], f["test"]
    assert labels.shape == (1797,)
    assert np.intersect1d(train, test).size == 0
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(1797))
    share = np.bincount(labels, minlength=10) / labels.size
    test_counts = np.bincount(labels[test], minlength=10)
    assert np.all(np.abs(test_counts - 360 * share) <= 1)  # every digit keeps its share


def test_sequences_are_time_major_rows_in_unit_range():
    d = load_digits8x8()
    x = d.sequences(d.test_images[:5])
    assert x.shape == (8, 5, 8) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0
    for t in range(8):  # timestep t is row t of each image
        np.testing.assert_allclose(x[t, 3], d.test_images[3, t] / 16.0, rtol=1e-6)


# ---- IDX files ---------------------------------------------------------------------------------


def idx_bytes(a: np.ndarray, code: int = 0x08) -> bytes:
    """An IDX file as LeCun describes it: 0, 0, type code, ndim, big-endian dims, big-endian data."""
    be = a.astype(a.dtype.newbyteorder(">"))
    return bytes([0, 0, code, a.ndim]) + struct.pack(f">{a.ndim}I", *a.shape) + be.tobytes()


@pytest.fixture
def small_set():
    rng = np.random.default_rng(0)
    return {
        "train_images": rng.integers(0, 256, (12, 5, 7), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, 12, dtype=np.uint8),
        "test_images": rng.integers(0, 256, (4, 5, 7), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, 4, dtype=np.uint8),
    }


@pytest.mark.parametrize("compress", [False, True])
def test_idx_round_trip_from_path_bytes_and_file(tmp_path, compress):
    a = np.random.default_rng(1).integers(0, 256, (3, 4, 5), dtype=np.uint8)
    raw = idx_bytes(a)
    data = gzip.compress(raw) if compress else raw
    path = tmp_path / ("x.gz" if compress else "x")
    path.write_bytes(data)
    for source in (path, str(path), data, io.BytesIO(data)):
        out = read_idx(source)
        assert out.dtype == np.uint8 and np.array_equal(out, a)


def test_idx_multibyte_types_are_big_endian():
    a = np.array([[1, -2, 70000], [3, 4, -5]], np.int32)
    out = read_idx(idx_bytes(a, 0x0C))
    assert out.dtype == np.dtype("int32") and np.array_equal(out, a)
    f = np.array([0.5, -1.25], np.float64)
    assert np.array_equal(read_idx(idx_bytes(f, 0x0E)), f)


@pytest.mark.parametrize(
    "cut, message",
    [
        (0, "truncated: the magic number"),
        (3, "truncated: the magic number"),
        (6, "truncated: the header"),
        (4 + 12, "truncated: data of shape"),  # header complete, no pixels
        (-1, "truncated: data of shape"),  # last pixel missing
    ],
)
def test_truncated_idx_is_a_clear_error(cut, message):
    raw = idx_bytes(np.zeros((3, 4, 5), np.uint8))
    with pytest.raises(ValueError, match=message):
        read_idx(raw[:cut], name="train-images-idx3-ubyte")


def test_truncated_gzip_is_a_clear_error():
    raw = gzip.compress(idx_bytes(np.arange(60, dtype=np.uint8).reshape(3, 4, 5)))
    with pytest.raises(ValueError, match="truncated"):
        read_idx(raw[: len(raw) // 2])


@pytest.mark.parametrize(
    "magic",
    [b"\x01\x00\x08\x03", b"\x00\x00\x07\x03", b"\x00\x00\x08\x00", b"\x00\x00\x08\x09", b"PK\x03\x04"],
)
def test_wrong_magic_is_a_clear_error(magic):
    raw = idx_bytes(np.zeros((3, 4, 5), np.uint8))
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(magic + raw[4:], name="t10k-images-idx3-ubyte")


def test_extra_bytes_and_absurd_sizes_are_refused():
    raw = idx_bytes(np.zeros((3, 4), np.uint8))
    with pytest.raises(ValueError, match="bytes after the data"):
        read_idx(raw + b"\x00")
    huge = bytes([0, 0, 8, 3]) + struct.pack(">3I", 60000, 28000, 28000)  # 47 GB declared, 16 bytes given
    with pytest.raises(ValueError, match="more than"):
        read_idx(huge)


def test_missing_file_and_text_stream_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="cannot open"):
        read_idx(tmp_path / "nope")
    with pytest.raises(ValueError, match="binary"):
        read_idx(io.StringIO("hello"))


def test_mnist_file_names():
    assert mnist_role("train-images-idx3-ubyte") == "train_images"
    assert mnist_role("train-images.idx3-ubyte") == "train_images"  # a common renaming
    assert mnist_role("T10K-LABELS-IDX1-UBYTE.GZ") == "test_labels"
    assert mnist_role("/some/dir/t10k-images-idx3-ubyte.gz") == "test_images"
    assert mnist_role("train-images-idx3-ubyte.zip") is None


def _write_folder(folder, arrays, compress_roles=()):
    names = {
        "train_images": "train-images-idx3-ubyte",
        "train_labels": "train-labels-idx1-ubyte",
        "test_images": "t10k-images.idx3-ubyte",
        "test_labels": "t10k-labels-idx1-ubyte",
    }
    for role, a in arrays.items():
        raw = idx_bytes(a)
        if role in compress_roles:
            (folder / (names[role] + ".gz")).write_bytes(gzip.compress(raw))
        else:
            (folder / names[role]).write_bytes(raw)


def test_mnist_folder_loads_mixed_gzip(tmp_path, small_set):
    _write_folder(tmp_path, small_set, compress_roles=("train_images", "test_labels"))
    d = load_mnist_folder(tmp_path)
    assert d.name == "mnist" and d.max_value == 255 and (d.rows, d.cols) == (5, 7)
    for role, a in small_set.items():
        assert np.array_equal(getattr(d, role), a)
    x = d.sequences(d.test_images)
    assert x.shape == (5, 4, 7) and x.max() <= 1.0


def test_mnist_from_uploaded_file_objects(small_set):
    files = {role: io.BytesIO(gzip.compress(idx_bytes(a))) for role, a in small_set.items()}
    d = mnist_from_files(files)
    assert np.array_equal(d.train_labels, small_set["train_labels"])


def test_mnist_mismatched_counts(tmp_path, small_set):
    small_set["train_labels"] = small_set["train_labels"][:-1]
    _write_folder(tmp_path, small_set)
    with pytest.raises(ValueError, match="12 images but 11 labels"):
        load_mnist_folder(tmp_path)


def test_mnist_bad_contents(tmp_path, small_set):
    bad = dict(small_set, test_labels=np.full(4, 10, np.uint8))
    with pytest.raises(ValueError, match="digits 0..9"):
        mnist_from_files({k: idx_bytes(v) for k, v in bad.items()})
    bad = dict(small_set, train_images=small_set["train_images"].reshape(12, 35))
    with pytest.raises(ValueError, match="3-D"):
        mnist_from_files({k: idx_bytes(v) for k, v in bad.items()})
    bad = dict(small_set, test_images=np.zeros((4, 7, 5), np.uint8))
    with pytest.raises(ValueError, match="training images are"):
        mnist_from_files({k: idx_bytes(v) for k, v in bad.items()})


def test_mnist_missing_file_and_not_a_folder(tmp_path, small_set):
    del small_set["test_images"]
    _write_folder(tmp_path, small_set)
    with pytest.raises(ValueError, match="missing MNIST file.*t10k-images-idx3-ubyte"):
        load_mnist_folder(tmp_path)
    with pytest.raises(ValueError, match="not a folder"):
        load_mnist_folder(tmp_path / "nothing-here")


def test_corrupt_member_names_the_file(tmp_path, small_set):
    _write_folder(tmp_path, small_set)
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(ValueError, match="train-labels-idx1-ubyte: file is truncated"):
        load_mnist_folder(tmp_path)


# ---- a drawn digit ---------------------------------------------------------------------------------


def test_drawing_of_a_one_becomes_a_centred_full_height_bar():
    ink = np.zeros((224, 224))
    ink[40:180, 100:120] = 1.0  # a vertical stroke, off centre and not full height
    img = drawing_to_grid(ink, 8, 8, 16)
    assert img.shape == (8, 8) and img.dtype == np.uint8
    assert (img > 0).any(axis=1).all()  # the digit's height fills the grid, like the UCI data
    cols = np.flatnonzero((img > 0).any(axis=0))
    assert cols.min() >= 3 and cols.max() <= 4  # a thin bar in the middle
    assert img.max() >= 8 and img[:, 0].max() == 0 and img[:, 7].max() == 0


def test_drawing_to_mnist_grid_keeps_a_margin_and_grey_levels():
    ink = np.zeros((200, 200))
    ink[20:60, 20:180] = 1.0  # a wide flat stroke
    img = drawing_to_grid(ink, 28, 28, 255, style="mnist")
    rows, cols = np.flatnonzero(img.any(axis=1)), np.flatnonzero(img.any(axis=0))
    assert cols.min() >= 3 and cols.max() <= 24 and 9 <= rows.min() and rows.max() <= 18
    assert img.max() == 255


def test_empty_drawing_and_canvas_pixels():
    assert not drawing_to_grid(np.zeros((50, 50)), 8, 8, 16).any()
    rgba = np.zeros((10, 10, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[2:5, 2:5, :3] = 255  # white strokes on an opaque black canvas
    ink = ink_from_rgba(rgba)
    assert ink[3, 3] == 1.0 and ink[0, 0] == 0.0
    rgba = np.zeros((10, 10, 4), np.uint8)
    rgba[2:5, 2:5, 3] = 255  # black strokes on a transparent canvas
    assert ink_from_rgba(rgba)[3, 3] == 1.0 and ink_from_rgba(rgba)[0, 0] == 0.0
    with pytest.raises(ValueError, match="image"):
        ink_from_rgba(np.zeros((10, 10)))

"""A public server is not a laptop: no folder box on a hosted copy, an upload limit sized to the
data, and one shared, read-only decoded copy of MNIST however many viewers upload the same files."""

from __future__ import annotations

import gzip
import struct
import tomllib
from pathlib import Path

import numpy as np
import pytest
from apptest import has_widget, open_app

from rnn_app.digits import uploads
from rnn_app.digits.settings import MNIST_UPLOAD_MB

ROOT = Path(__file__).resolve().parent.parent
MNIST_TRAIN_IMAGES = 16 + 60_000 * 28 * 28  # bytes of train-images-idx3-ubyte, unpacked
NAMES = {"train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
         "test_images": "t10k-images-idx3-ubyte.gz", "test_labels": "t10k-labels-idx1-ubyte"}  # fmt: skip


def idx(a: np.ndarray) -> bytes:
    return bytes([0, 0, 8, a.ndim]) + struct.pack(f">{a.ndim}I", *a.shape) + a.astype(np.uint8).tobytes()


def mnist_files(seed: int) -> dict[str, bytes]:
    """Four small MNIST-style files (10x12 images), different bytes for each seed."""
    rng = np.random.default_rng(seed)
    arrays = {"train_images": rng.integers(0, 256, (40, 10, 12)), "train_labels": rng.integers(0, 10, 40),
              "test_images": rng.integers(0, 256, (15, 10, 12)), "test_labels": rng.integers(0, 10, 15)}  # fmt: skip
    out = {role: idx(a) for role, a in arrays.items()}
    out["test_images"] = gzip.compress(out["test_images"])
    return out


@pytest.fixture(autouse=True)
def empty_cache():
    uploads.clear()
    yield
    uploads.clear()


def test_the_folder_box_is_only_on_a_local_install(monkeypatch):
    monkeypatch.delenv(uploads.LOCAL_FOLDERS_ENV, raising=False)
    at = open_app("digits", timeout=120)
    assert not has_widget(at, "digits.folder")
    assert "Load folder" not in [b.label for b in at.button]
    assert [u.label for u in at.file_uploader if u.key.startswith("digits.upload#")] == ["Upload the four MNIST files"]
    monkeypatch.setenv(uploads.LOCAL_FOLDERS_ENV, "1")
    at = open_app("digits", timeout=120)
    assert has_widget(at, "digits.folder") and "Load folder" in [b.label for b in at.button]


def test_a_folder_load_is_refused_without_the_variable(monkeypatch, tmp_path):
    from rnn_app.digits.settings import _load_folder
    from rnn_app.digits.state import DigitsState

    monkeypatch.delenv(uploads.LOCAL_FOLDERS_ENV, raising=False)
    state = DigitsState()
    _load_folder(state, str(tmp_path))  # a callback forged by a visitor: nothing is opened
    assert state.data.name == "digits8x8" and state.data_error is None and state.folder == ""


def test_the_upload_limit_fits_the_data_and_not_more():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    limit = config["server"]["maxUploadSize"]
    assert limit == MNIST_UPLOAD_MB < 200  # not Streamlit's default
    assert (limit - 4) * 2**20 < MNIST_TRAIN_IMAGES <= limit * 2**20  # Streamlit counts MiB


def upload(at, files: dict[str, bytes]):
    uploader = next(u for u in at.file_uploader if u.key.startswith("digits.upload#"))
    uploader.set_value([(NAMES[role], data, "application/octet-stream") for role, data in files.items()]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at.session_state["digits"].data


def test_two_sessions_uploading_the_same_files_share_one_read_only_copy():
    files = mnist_files(0)
    one, two = open_app("digits", timeout=120), open_app("digits", timeout=120)
    a, b = upload(one, files), upload(two, dict(files))
    assert a.name == b.name == "mnist" and a.train_images.shape == (40, 10, 12)
    assert a.train_images is b.train_images and a.train_labels is b.train_labels
    assert a.test_images.base is b.test_images.base  # the live test set: a view of the same copy
    for arr in (a.train_images, a.train_labels, a.test_images, a.test_labels):
        assert not arr.flags.writeable
    with pytest.raises(ValueError):
        a.train_images[0, 0, 0] = 1  # no viewer can change another's images
    assert len(uploads.cached_keys()) == 1
    # the uploaded bytes were dropped and the uploader is a fresh, empty one
    assert one.session_state["digits"].upload_version == 1
    assert all(not u.value for u in one.file_uploader if u.key.startswith("digits.upload#"))
    one.button(key="digits.button.step").click().run()
    assert not one.exception and one.session_state["digits"].run.trainer.steps == 1


def test_the_cache_keeps_at_most_two_data_sets_least_recently_used_out():
    first, second, third = (mnist_files(s) for s in (1, 2, 3))
    d1 = uploads.shared_mnist(first)
    uploads.shared_mnist(second)
    assert uploads.shared_mnist(first) is d1  # used again: now the most recent
    uploads.shared_mnist(third)
    keys = uploads.cached_keys()
    assert len(keys) == uploads.MAX_SETS == 2
    assert keys == [uploads.content_key(first), uploads.content_key(third)]  # the second went
    assert uploads.shared_mnist(second) is not None and len(uploads.cached_keys()) == 2


def test_bad_files_are_a_message_and_are_not_cached():
    files = mnist_files(4)
    files["train_labels"] = files["train_labels"][:-3]  # truncated
    at = open_app("digits", timeout=120)
    upload(at, files)
    assert at.session_state["digits"].data.name == "digits8x8"
    assert any("Could not read MNIST" in e.value and "truncated" in e.value for e in at.error)
    assert uploads.cached_keys() == []


def test_the_raw_uploads_are_dropped_once_decoded(monkeypatch):
    """Streamlit keeps uploaded bytes for the session (up to 55 MB a viewer) until told otherwise."""
    from types import SimpleNamespace

    from rnn_app.digits import settings
    from rnn_app.digits.state import DigitsState

    removed = []
    manager = SimpleNamespace(remove_file=lambda session, file_id: removed.append((session, file_id)))
    monkeypatch.setattr(settings, "get_script_run_ctx", lambda: SimpleNamespace(uploaded_file_mgr=manager,
                                                                                session_id="s1"))
    files = [SimpleNamespace(name=NAMES[role], getvalue=lambda b=b: b, file_id=f"f{i}")
             for i, (role, b) in enumerate(mnist_files(5).items())]  # fmt: skip
    state = DigitsState()
    settings._upload(state, files[:3])  # three of four: wait for the fourth, keep them
    assert removed == [] and state.data.name == "digits8x8"
    settings._upload(state, files)
    assert state.data.name == "mnist" and sorted(removed) == [("s1", f"f{i}") for i in range(4)]
    assert state.upload_version == 1

"""MNIST for the Digits page from a hosted server's point of view.

Uploads: thirty students uploading the same four files must not hold thirty decoded copies in a
1 GB server. The decoded data is shared by content (the sha256 of the four files' bytes), in a
small LRU cache of MAX_SETS data sets, as read-only arrays so no viewer can change another's.
Decoding happens under one lock: identical uploads wait for the first decode and get its copy,
and at most one decode's buffers are alive at a time.

Folders: reading a folder on the server lets a visitor open paths of their choosing, so the
folder box exists only where the environment variable LOCAL_FOLDERS_ENV is "1" (a local install).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict

from rnn.digits import MNIST_ROLES, DigitData, mnist_from_files

MAX_SETS = 2  # decoded data sets kept by the server (MNIST: ~55 MB each as uint8)
LOCAL_FOLDERS_ENV = "RNN_LAB_LOCAL_FOLDERS"

_lock = threading.Lock()
_cache: OrderedDict[str, DigitData] = OrderedDict()  # content key -> data, least recently used first


def local_folders() -> bool:
    """Whether this server may read MNIST folders on its own disk (local installs only)."""
    return os.environ.get(LOCAL_FOLDERS_ENV, "").strip() == "1"


def content_key(files: dict[str, bytes]) -> str:
    """sha256 over the four roles' bytes (each role's digest, in MNIST_ROLES order)."""
    h = hashlib.sha256()
    for role in MNIST_ROLES:
        data = files.get(role, b"")
        h.update(role.encode() + len(data).to_bytes(8, "big") + hashlib.sha256(data).digest())
    return h.hexdigest()


def read_only(data: DigitData) -> DigitData:
    for a in (data.train_images, data.train_labels, data.test_images, data.test_labels):
        a.setflags(write=False)
    return data


def shared_mnist(files: dict[str, bytes]) -> DigitData:
    """The decoded MNIST of these files' bytes ({role: bytes}), shared by every session that
    uploads the same bytes. ValueError (from rnn.digits) for files that are not MNIST."""
    key = content_key(files)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        data = read_only(mnist_from_files(files))
        _cache[key] = data
        while len(_cache) > MAX_SETS:
            _cache.popitem(last=False)
        return data


def cached_keys() -> list[str]:
    """The content keys held now, least recently used first (for tests and benchmarks)."""
    with _lock:
        return list(_cache)


def clear() -> None:
    with _lock:
        _cache.clear()

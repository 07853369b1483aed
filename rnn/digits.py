"""Handwritten digits as sequences of rows: the bundled 8x8 set and a reader for real MNIST files.

An image of R rows and C columns is read one row per timestep: x[t] is row t, so the input is
time-major x (T=R, N, D=C) with pixels scaled to [0, 1].

    data = load_digits8x8()                  # 1 437 train / 360 test images, 8x8, grey 0..16
    x = data.sequences(data.test_images)     # (8, 360, 8) float32
    data = load_mnist_folder("~/mnist")      # the four MNIST IDX files, gzipped or not, 28x28

Images stay uint8 in memory (MNIST's 60 000 training images are 47 MB that way, 188 MB as
float32); `sequences` converts only the images asked for.

IDX format (LeCun's MNIST files): 2 zero bytes, a type code, the number of dimensions d, then d
big-endian uint32 sizes, then the values, big-endian, row-major. `read_idx` checks every part of
that and raises ValueError for anything else (wrong magic, truncated, extra bytes) without ever
reading past the end of the data it was given.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ASSET = Path(__file__).resolve().parent.parent / "assets" / "digits8x8.npz"
N_CLASSES = 10

# IDX type code -> numpy dtype (big-endian as stored)
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
MAX_IDX_DIMS = 4
MAX_IDX_BYTES = 256 << 20  # the largest MNIST-style file we accept (train images are 47 MB)
MNIST_ROLES = {  # role -> file-name stem (".gz", and "." instead of "-" before idx, accepted)
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


@dataclass(frozen=True)
class DigitData:
    """A labelled train/test set of digit images (uint8, grey levels 0..max_value)."""

    name: str  # "digits8x8" or "mnist"
    train_images: np.ndarray  # (N_train, R, C) uint8
    train_labels: np.ndarray  # (N_train,) uint8 in 0..9
    test_images: np.ndarray  # (N_test, R, C) uint8
    test_labels: np.ndarray  # (N_test,) uint8 in 0..9
    max_value: int  # brightest grey level: 16 for the 8x8 set, 255 for MNIST
    attribution: str = ""  # where the data comes from and its licence

    @property
    def rows(self) -> int:
        """Timesteps T: one per image row."""
        return int(self.train_images.shape[1])

    @property
    def cols(self) -> int:
        """Inputs per timestep D: one per pixel of a row."""
        return int(self.train_images.shape[2])

    def sequences(self, images: np.ndarray, dtype="float32") -> np.ndarray:
        """Images (N, R, C) uint8 -> time-major rows x (R, N, C) in [0, 1]."""
        x = np.asarray(images).transpose(1, 0, 2).astype(dtype)
        x *= 1.0 / self.max_value
        return x


@functools.cache
def load_digits8x8(path: str | os.PathLike | None = None) -> DigitData:
    """The bundled UCI digits (1 797 images of 8x8, 16 grey levels) with its fixed split.

    Read-only arrays, loaded once per process (the data never changes; models are per viewer)."""
    with np.load(ASSET if path is None else path, allow_pickle=False) as f:
        images, labels, train, test = f["images"], f["labels"], f["train"], f["test"]
        meta = json.loads(str(f["meta"]))
    parts = [images[train], labels[train], images[test], labels[test]]
    for a in parts:
        a.setflags(write=False)
    attribution = f"{meta['name']}, {meta['authors']} ({meta['year']}), {meta['source']}; licence {meta['license']}"
    return DigitData("digits8x8", *parts, max_value=16, attribution=attribution)


# ---- IDX files ---------------------------------------------------------------------------------


def _stream(f):
    """A binary stream over the seekable file f, gunzipped if it starts with gzip's magic."""
    head = f.read(2)
    if isinstance(head, str):
        raise ValueError("the file was opened as text; open it in binary mode")
    f.seek(-len(head), io.SEEK_CUR)
    return gzip.GzipFile(fileobj=f, mode="rb") if head == b"\x1f\x8b" else f


def _read_exact(stream, n: int, what: str) -> bytes:
    """Exactly n bytes, or ValueError naming what was cut short."""
    out = bytearray()
    while len(out) < n:
        chunk = stream.read(n - len(out))
        if not chunk:
            raise ValueError(f"file is truncated: {what} needs {n} bytes, only {len(out)} present")
        out += chunk
    return bytes(out)


def read_idx(source, name: str = "") -> np.ndarray:
    """Read one IDX file (gzipped or not) from a path, bytes or binary file-like object.

    Returns the array in native byte order (uint8 for MNIST). Raises ValueError with a reason
    for a wrong magic number, unknown type, a header or data cut short, bytes left over after
    the data, or a file larger than MAX_IDX_BYTES. Never reads beyond the declared size + 1."""
    label = f"{name}: " if name else ""
    try:
        if isinstance(source, str | os.PathLike):
            try:
                with open(os.path.expanduser(source), "rb") as f:
                    return _parse_idx(_stream(f))
            except OSError as e:
                if isinstance(e, gzip.BadGzipFile):
                    raise
                raise ValueError(f"cannot open {source}: {e.strerror or e}") from None
        if isinstance(source, bytes | bytearray | memoryview):
            source = io.BytesIO(bytes(source))
        if not hasattr(source, "read"):
            raise ValueError(f"not a file: {type(source).__name__}")
        if not (hasattr(source, "seekable") and source.seekable()):
            source = io.BytesIO(source.read(MAX_IDX_BYTES + 1))
        source.seek(0)
        return _parse_idx(_stream(source))
    except ValueError as e:
        raise ValueError(label + str(e)) from None
    except (EOFError, OSError, zlib.error) as e:  # broken or truncated gzip
        raise ValueError(f"{label}unreadable or truncated gzip data ({e})") from None


def _parse_idx(stream) -> np.ndarray:
    magic = _read_exact(stream, 4, "the magic number")
    if magic[0] != 0 or magic[1] != 0 or magic[2] not in IDX_TYPES or not 1 <= magic[3] <= MAX_IDX_DIMS:
        raise ValueError(
            f"not an IDX file (magic number {magic.hex()}; expected 0000 then a type code such as "
            f"08 and 1..{MAX_IDX_DIMS} dimensions, e.g. 00000803 for images)"
        )
    dtype = np.dtype(IDX_TYPES[magic[2]])
    ndim = magic[3]
    dims = tuple(int(v) for v in np.frombuffer(_read_exact(stream, 4 * ndim, "the header"), ">u4"))
    size = dtype.itemsize * int(np.prod(dims, dtype=np.int64))
    if size > MAX_IDX_BYTES:
        raise ValueError(f"dimensions {dims} declare {size} bytes, more than the {MAX_IDX_BYTES >> 20} MB accepted")
    data = _read_exact(stream, size, f"data of shape {dims}")
    if stream.read(1):
        raise ValueError(f"file has bytes after the data of shape {dims}: wrong dimensions or not an IDX file")
    return np.frombuffer(data, dtype).reshape(dims).astype(dtype.newbyteorder("="))


def check_images_labels(images: np.ndarray, labels: np.ndarray, which: str = "") -> None:
    """ValueError unless images is (N, R, C) uint8, labels (N,) uint8 in 0..9, same N."""
    w = f"{which} " if which else ""
    if images.dtype != np.uint8 or images.ndim != 3:
        raise ValueError(f"{w}images must be a 3-D unsigned-byte IDX file (idx3-ubyte); got {images.ndim}-D {images.dtype}")
    if labels.dtype != np.uint8 or labels.ndim != 1:
        raise ValueError(f"{w}labels must be a 1-D unsigned-byte IDX file (idx1-ubyte); got {labels.ndim}-D {labels.dtype}")
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"{w}images and labels disagree: {images.shape[0]} images but {labels.shape[0]} labels")
    if images.shape[0] == 0 or min(images.shape[1:]) < 1:
        raise ValueError(f"{w}images are empty: shape {images.shape}")
    if labels.size and labels.max() >= N_CLASSES:
        raise ValueError(f"{w}labels must be digits 0..9; found {int(labels.max())}")


def mnist_role(filename: str) -> str | None:
    """Which of the four MNIST files a file name is ("train_images", ...), or None."""
    base = Path(filename).name.lower().removesuffix(".gz").replace(".idx", "-idx")
    for role, stem in MNIST_ROLES.items():
        if base == stem:
            return role
    return None


def mnist_from_files(files: dict[str, object]) -> DigitData:
    """MNIST from {role: path, bytes or file-like} for the four roles of MNIST_ROLES."""
    missing = [MNIST_ROLES[r] for r in MNIST_ROLES if r not in files]
    if missing:
        raise ValueError("missing MNIST file(s): " + ", ".join(missing))
    arr = {role: read_idx(files[role], name=MNIST_ROLES[role]) for role in MNIST_ROLES}
    check_images_labels(arr["train_images"], arr["train_labels"], "training")
    check_images_labels(arr["test_images"], arr["test_labels"], "test")
    if arr["train_images"].shape[1:] != arr["test_images"].shape[1:]:
        raise ValueError(
            f"training images are {arr['train_images'].shape[1:]} but test images {arr['test_images'].shape[1:]}"
        )
    return DigitData(
        "mnist",
        arr["train_images"],
        arr["train_labels"],
        arr["test_images"],
        arr["test_labels"],
        max_value=255,
        attribution="MNIST (Y. LeCun, C. Cortes, C. J. C. Burges), files supplied by the user",
    )


def load_mnist_folder(folder: str | os.PathLike) -> DigitData:
    """MNIST from a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte,
    t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each optionally .gz)."""
    path = Path(os.path.expanduser(folder))
    if not path.is_dir():
        raise ValueError(f"not a folder: {folder}")
    files = {}
    for entry in sorted(path.iterdir()):
        role = mnist_role(entry.name)
        if role and entry.is_file():
            files.setdefault(role, entry)
    return mnist_from_files(files)


# ---- a drawn digit -> the model's grid --------------------------------------------------------


def ink_from_rgba(rgba: np.ndarray) -> np.ndarray:
    """(H, W, 4) uint8 canvas pixels (light strokes on a dark background, or dark strokes on a
    transparent one) -> (H, W) ink in [0, 1]."""
    rgba = np.asarray(rgba, np.float64)
    if rgba.ndim != 3 or rgba.shape[2] not in (3, 4):
        raise ValueError(f"expected an (H, W, 3 or 4) image; got shape {rgba.shape}")
    grey = rgba[..., :3].mean(axis=2) / 255.0
    if rgba.shape[2] == 4 and rgba[..., 3].min() < 255:  # transparent background: ink = opacity
        return rgba[..., 3] / 255.0
    return grey


def drawing_to_grid(ink: np.ndarray, rows: int, cols: int, max_value: int, style: str = "uci") -> np.ndarray:
    """A drawing (H, W) with ink in [0, 1] -> a (rows, cols) uint8 image like the training data.

    The ink's bounding box is scaled (aspect kept) and placed the way the data set was made:
      "uci"   (8x8 digits): the digit's height fills the grid, centred left to right, and each
              cell holds the share of inked pixels in it times 16 (as the 4x4 block counts of
              the UCI 32x32 bitmaps);
      "mnist" (28x28): the longer side fills 20 of 28 pixels, centred, greys 0..255.
    An empty drawing gives an all-zero image."""
    ink = np.clip(np.asarray(ink, np.float64), 0.0, 1.0)
    on = ink > 0.5
    if not on.any():
        return np.zeros((rows, cols), np.uint8)
    r0, r1 = np.flatnonzero(on.any(axis=1))[[0, -1]]
    c0, c1 = np.flatnonzero(on.any(axis=0))[[0, -1]]
    crop = on[r0 : r1 + 1, c0 : c1 + 1].astype(np.float64) if style == "uci" else ink[r0 : r1 + 1, c0 : c1 + 1]
    h, w = crop.shape
    S = 8  # sub-cells per grid cell: place the digit on a (rows*S, cols*S) canvas, then average
    H, W = rows * S, cols * S
    if style == "uci":
        scale = min(H / h, W / w)
    else:
        box = 20.0 / 28.0
        scale = min(H * box / h, W * box / w)
    th, tw = max(1, round(h * scale)), max(1, round(w * scale))
    src_r = np.minimum((np.arange(th) + 0.5) * h / th, h - 1).astype(int)  # nearest source pixel
    src_c = np.minimum((np.arange(tw) + 0.5) * w / tw, w - 1).astype(int)
    canvas = np.zeros((H, W))
    top, left = (H - th) // 2, (W - tw) // 2
    canvas[top : top + th, left : left + tw] = crop[np.ix_(src_r, src_c)]
    cells = canvas.reshape(rows, S, cols, S).mean(axis=(1, 3))  # share of ink per cell
    return np.rint(cells * max_value).astype(np.uint8)

"""Save and load a trainer as a plain .npz (np.load with allow_pickle=False: never unpickles).

One layout for both trainers (rnn.Trainer, rnn.classifier.ClassifierTrainer):

    "config"            JSON of the config dataclass
    "state"             JSON: format, steps, samples, optimiser step, rng state, solved step,
                        plus the trainer's own (saved_extras: the adder's data stream; the
                        classifier's data shape, epochs and position in the epoch)
    "param/<name>"      the weights
    "opt/<slot>/<name>" the optimiser's state
    "hist/<field>"      the history
    ...                 the trainer's own arrays (the classifier's image order, "order")

The format string names the trainer: files of either kind written before the trainers shared
this saver have the same layout and load unchanged.

Reading is safe for files from anywhere (a student's upload): read_npz checks the file's size,
the zip's directory and every member's declared size, name, compression and .npy header before
it allocates anything for the data, then reads each array through zipfile's bounded stream (a
member never yields more than its declared size, and its CRC is checked). Anything else is a
ValueError "not a saved model (...)". A trainer round-trips through bytes as well as files:
to_bytes(trainer), and cls.load(io.BytesIO(data)).
"""

from __future__ import annotations

import io
import json
import math
import os
import struct
import tokenize
import zipfile
import zlib

import numpy as np

from .history import History

MAX_UPLOAD_BYTES = 32 << 20  # a model file larger than this is refused unread
MAX_ARRAY_BYTES = 64 << 20  # all arrays of one file together, decompressed (their declared sizes)
MAX_MEMBERS = 1024  # arrays in one file (ours hold 20 to 60)
MAX_DIRECTORY_BYTES = 256 << 10  # the zip's central directory (ours: about 100 bytes per array)
ARRAY_KINDS = "biufcUS"  # bool, integers, floats, complex, strings: no objects, no records

FORMAT = "rnn-adder-lab/1"  # the adder (rnn.Trainer)
DIGITS_FORMAT = "rnn-adder-lab/digits/1"  # the digit classifier (rnn.classifier.ClassifierTrainer)


def save_trainer(trainer, path, compress: bool = True) -> None:
    """Write `trainer` (either kind) to a path or writable file-like object. compress=False
    stores the arrays as they are: 20-30x faster for models of a few hundred KB (float weights
    barely compress: about 8 % larger), which suits frequent saves (the run store)."""
    state = {
        "format": trainer.FORMAT,
        "steps": trainer.steps,
        "samples": trainer.samples,
        "opt_t": trainer.optimizer.t,
        "rng": trainer.rng.bit_generator.state,
        "solved_step": trainer.solved_step,
    }
    extra_state, extra_arrays = trainer.saved_extras()
    state.update(extra_state)
    arrays = {"config": np.array(json.dumps(trainer.cfg.to_dict())), "state": np.array(json.dumps(state))}
    arrays.update(extra_arrays)
    arrays.update({f"param/{k}": v for k, v in trainer.model.params.items()})
    arrays.update(optimizer_arrays(trainer.optimizer))
    arrays.update({f"hist/{k}": v for k, v in trainer.history.to_arrays().items()})
    (np.savez_compressed if compress else np.savez)(path, **arrays)


def load_trainer(cls, path, **kwargs):
    """Rebuild a trainer of class `cls` from a path or file-like object; kwargs go to
    cls.from_saved (the classifier's `data`).

    Raises ValueError with a readable reason for anything that is not a file of this kind."""
    arrays = read_npz(path)
    state = _json(arrays, "state")
    if state.get("format") != cls.FORMAT:
        raise ValueError(f"not a saved {cls.NOUN} of this app (format {state.get('format')!r})")
    cfg = cls.CONFIG.from_dict(_json(arrays, "config"))  # ValueError naming a bad field
    trainer = cls.from_saved(cfg, state, **kwargs)
    dtype = np.dtype(cfg.dtype)
    for k, v in trainer.model.params.items():  # views into model.flat
        np.copyto(v, checked_array(arrays, f"param/{k}", v.shape, dtype))
    restore_optimizer(trainer.optimizer, arrays, dtype)
    hist = {k[len("hist/") :]: v for k, v in arrays.items() if k.startswith("hist/")}
    try:
        trainer.history = History.from_arrays(hist)
        trainer.optimizer.t = count(state["opt_t"], "opt_t")
        trainer.steps, trainer.samples = count(state["steps"], "steps"), count(state["samples"], "samples")
        trainer.rng.bit_generator.state = state["rng"]
        solved = state.get("solved_step")
        trainer.solved_step = None if solved is None else count(solved, "solved_step")
        trainer.restore_extras(state, arrays)
    except (KeyError, TypeError, ValueError, OverflowError) as e:
        if isinstance(e, ValueError) and str(e).startswith("not a saved model"):
            raise  # already readable (a missing array)
        raise ValueError(f"not a saved model (bad training state: {e!r})") from None
    return trainer


# ---- helpers --------------------------------------------------------------------------------


def to_bytes(trainer, compress: bool = True) -> bytes:
    """The file save_trainer writes, as bytes (load it back with cls.load(io.BytesIO(data)))."""
    buf = io.BytesIO()
    save_trainer(trainer, buf, compress)
    return buf.getvalue()


def read_npz(path) -> dict[str, np.ndarray]:
    """Every array of an .npz (path or seekable binary file object, read from its position).

    Refuses, with ValueError("not a saved model (...)"), before allocating the data: files over
    MAX_UPLOAD_BYTES, zip64 archives or a central directory over MAX_DIRECTORY_BYTES, more than
    MAX_MEMBERS members, members that are not .npy, encrypted or compressed other than stored or
    deflated, declared sizes over MAX_ARRAY_BYTES in total, object or record arrays, and .npy
    headers whose shape does not match the member's declared size. A member whose data does not
    match its declared size or CRC (truncated, or a zip bomb that lies) is refused while read."""
    try:
        if hasattr(path, "read"):
            return _read_zip(path)
        with open(path, "rb") as f:
            return _read_zip(f)
    except ValueError as e:
        if str(e).startswith("not a saved model"):
            raise
        raise ValueError(f"not a saved model (unreadable .npz: {e})") from None
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError, RuntimeError, NotImplementedError,
            struct.error, OverflowError, MemoryError) as e:  # fmt: skip
        raise ValueError(f"not a saved model (unreadable .npz: {e})") from None
    except (SyntaxError, tokenize.TokenError):  # numpy reads a .npy header as a Python literal
        raise ValueError("not a saved model (unreadable .npz: an array header that is not one)") from None


def _refuse(reason: str):
    raise ValueError(f"not a saved model ({reason})")


def _read_zip(f) -> dict[str, np.ndarray]:
    start = f.tell()
    size = f.seek(0, os.SEEK_END) - start
    if size > MAX_UPLOAD_BYTES:
        _refuse(f"the file has {size / 2**20:.1f} MB; a model file has at most {MAX_UPLOAD_BYTES >> 20} MB")
    _check_directory(f, start, size)
    f.seek(start)
    with zipfile.ZipFile(f) as z:
        infos = z.infolist()
        if len(infos) > MAX_MEMBERS:
            _refuse(f"{len(infos)} arrays; a model file has at most {MAX_MEMBERS}")
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            _refuse("the same array is stored twice")
        for i in infos:
            if not i.filename.endswith(".npy"):
                _refuse(f"{i.filename!r} is not a numpy array")
            if i.flag_bits & 0x1 or i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                _refuse(f"{i.filename!r} is encrypted or compressed in an unknown way")
        total = sum(i.file_size for i in infos)
        if total > MAX_ARRAY_BYTES:
            _refuse(f"its arrays would take {total / 2**20:.0f} MB; a model has at most {MAX_ARRAY_BYTES >> 20} MB")
        return {i.filename[: -len(".npy")]: _read_member(z, i) for i in infos}


def _check_directory(f, start: int, size: int) -> None:
    """The end record's directory size, before zipfile reads the directory into objects."""
    n = min(size, 22 + 0xFFFF)  # the end record, 22 bytes, after at most a 64 KB comment
    f.seek(start + size - n)
    tail = f.read(n)
    at = n - 22 if tail[-22:-18] == b"PK\x05\x06" and tail[-2:] == b"\0\0" else tail.rfind(b"PK\x05\x06")
    if at < 0 or n - at < 22:
        _refuse("not a zip file")
    if at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
        _refuse("a zip64 archive; model files are far smaller")
    (directory,) = struct.unpack("<I", tail[at + 12 : at + 16])
    if directory > MAX_DIRECTORY_BYTES:
        _refuse(f"its zip directory has {directory} bytes; a model file's has at most {MAX_DIRECTORY_BYTES}")


def _read_member(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    name = info.filename
    with z.open(info) as m:
        version = np.lib.format.read_magic(m)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(m)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(m)
        else:
            _refuse(f"{name!r} has .npy format {version}")
        if dtype.hasobject or dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.itemsize == 0:
            _refuse(f"{name!r} holds {dtype} values (object arrays are not allowed)")
        if any(d < 0 for d in shape):
            _refuse(f"{name!r} declares shape {shape}")
        count = math.prod(shape)
        if count * dtype.itemsize != info.file_size - m.tell():
            _refuse(f"{name!r} declares shape {shape} of {dtype} but holds {info.file_size - m.tell()} bytes")
        flat = np.empty(count, dtype)  # at most the declared size, checked against MAX_ARRAY_BYTES
        if m.readinto(flat.view(np.uint8)) != flat.nbytes:
            _refuse(f"{name!r} is truncated")
        m.read(1)  # at the declared end: zipfile checks the CRC
    return flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)


def _json(arrays, key) -> dict:
    """arrays[key] read as a JSON object (ValueError "not a saved model ..." otherwise)."""
    try:
        d = json.loads(str(require(arrays, key)))
    except (TypeError, json.JSONDecodeError) as e:
        raise ValueError(f"not a saved model (bad config or state: {e})") from None
    if not isinstance(d, dict):
        raise ValueError(f"not a saved model (bad config or state: {key} is not a JSON object)")
    return d


def optimizer_arrays(optimizer) -> dict[str, np.ndarray]:
    """The optimiser's per-parameter state as "opt/<slot>/<name>" arrays."""
    return {f"opt/{slot}/{k}": v for slot, d in optimizer.state.items() for k, v in d.items()}


def restore_optimizer(optimizer, data, dtype) -> None:
    """Copy saved "opt/<slot>/<name>" arrays into a fresh optimiser's state (checked)."""
    for slot, d in optimizer.state.items():
        for k, v in d.items():
            np.copyto(v, checked_array(data, f"opt/{slot}/{k}", v.shape, dtype))  # into the flat buffer


MAX_COUNT = 2**53  # steps, samples: a count a file may hold (exact as a JSON number)


def count(value, name: str) -> int:
    """A saved counter: a whole number in [0, MAX_COUNT] (ValueError otherwise)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or not 0 <= value <= MAX_COUNT:
        raise ValueError(f"{name} is {value!r}")
    if value != int(value):
        raise ValueError(f"{name} is {value!r}")
    return int(value)


def require(data, key):
    if key not in data:
        raise ValueError(f"not a saved model: missing {key!r}")
    return data[key]


def checked_array(data, key, shape, shape_dtype):
    """data[key], which must exist, have this shape and dtype, and be finite (else ValueError)."""
    a = require(data, key)
    if a.dtype != shape_dtype or a.shape != shape:
        raise ValueError(f"saved {key!r} has shape {a.shape} and type {a.dtype}; expected {shape} {shape_dtype}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"saved {key!r} contains infinite or NaN values")
    return a

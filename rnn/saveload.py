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
"""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np

from .history import History

FORMAT = "rnn-adder-lab/1"  # the adder (rnn.Trainer)
DIGITS_FORMAT = "rnn-adder-lab/digits/1"  # the digit classifier (rnn.classifier.ClassifierTrainer)


def save_trainer(trainer, path) -> None:
    """Write `trainer` (either kind) to a path or writable file-like object."""
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
    np.savez_compressed(path, **arrays)


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
        trainer.optimizer.t = int(state["opt_t"])
        trainer.steps, trainer.samples = int(state["steps"]), int(state["samples"])
        trainer.rng.bit_generator.state = state["rng"]
        solved = state.get("solved_step")
        trainer.solved_step = None if solved is None else int(solved)
        trainer.restore_extras(state, arrays)
    except (KeyError, TypeError, ValueError) as e:
        if isinstance(e, ValueError) and str(e).startswith("not a saved model"):
            raise  # already readable (a missing array)
        raise ValueError(f"not a saved model (bad training state: {e!r})") from None
    return trainer


# ---- helpers --------------------------------------------------------------------------------


def read_npz(path) -> dict[str, np.ndarray]:
    """Every array of an .npz (path or file-like), read with allow_pickle=False.

    Raises ValueError("not a saved model ...") for object arrays or unreadable files."""
    try:
        with np.load(path, allow_pickle=False) as f:
            return {k: f[k] for k in f.files}
    except ValueError as e:  # object arrays land here (allow_pickle=False)
        raise ValueError(f"not a saved model: {e}") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, io.UnsupportedOperation) as e:
        raise ValueError(f"not a saved model (unreadable .npz: {e})") from None


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

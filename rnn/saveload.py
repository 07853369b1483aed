"""Save and load a Trainer as a plain .npz (np.load with allow_pickle=False: never unpickles).

Layout: "config" (JSON), "state" (JSON: step, samples, optimiser step, data generator state,
solved step), "param/<name>", "opt/<slot>/<name>", "hist/<field>".
"""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np

from .config import Config
from .history import History
from .model import Model, init_params
from .optim import make_optimizer

FORMAT = "rnn-adder-lab/1"


def save_trainer(trainer, path) -> None:
    state = {
        "format": FORMAT,
        "steps": trainer.steps,
        "samples": trainer.samples,
        "opt_t": trainer.optimizer.t,
        "data": trainer.data.state(),
        "rng": trainer.rng.bit_generator.state,
        "solved_step": trainer.solved_step,
    }
    arrays = {"config": np.array(json.dumps(trainer.cfg.to_dict())), "state": np.array(json.dumps(state))}
    arrays.update({f"param/{k}": v for k, v in trainer.model.params.items()})
    arrays.update(optimizer_arrays(trainer.optimizer))
    arrays.update({f"hist/{k}": v for k, v in trainer.history.to_arrays().items()})
    np.savez_compressed(path, **arrays)


def load_trainer(cls, path):
    """Rebuild a Trainer from `path` (a file path or file-like object).

    Raises ValueError with a readable reason for anything that is not a file we wrote."""
    data = read_npz(path)
    try:
        cfg = Config.from_dict(json.loads(str(require(data, "config"))))
        state = json.loads(str(require(data, "state")))
    except (TypeError, json.JSONDecodeError) as e:
        raise ValueError(f"not a saved model (bad config or state: {e})") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ValueError(f"not a saved model of this app (format {state.get('format')!r})")

    trainer = cls(cfg)
    expected = init_params(cfg, np.random.default_rng(cfg.seed))
    dtype = np.dtype(cfg.dtype)
    params = {k: checked_array(data, f"param/{k}", v.shape, dtype) for k, v in expected.items()}
    trainer.model = Model(cfg, params)
    trainer.optimizer = make_optimizer(cfg.optimizer, cfg.lr, params)
    restore_optimizer(trainer.optimizer, data, dtype)
    hist = {k[len("hist/") :]: v for k, v in data.items() if k.startswith("hist/")}
    try:
        trainer.history = History.from_arrays(hist)
        trainer.optimizer.t = int(state["opt_t"])
        trainer.steps, trainer.samples = int(state["steps"]), int(state["samples"])
        trainer.rng.bit_generator.state = state["rng"]
        trainer.data.set_state(state["data"])
        trainer.solved_step = None if state["solved_step"] is None else int(state["solved_step"])
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"not a saved model (bad training state: {e!r})") from None
    return trainer


# ---- helpers shared with other savers (rnn.classifier) ---------------------------------------


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

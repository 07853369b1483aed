"""A recurrent sequence classifier: read an image one row per timestep, then name the digit.

    h^1_t = cell(x_t, h^1_{t-1})        x_t = row t of the image (D pixels in [0, 1])
    h^l_t = cell(h^{l-1}_t, h^l_{t-1})  stacked layers 2..L
    z = h^L_T Wy + by,  p = softmax(z)  10 class probabilities from the LAST hidden state only

The cells are rnn.cells' FORWARD/BACKWARD pairs (LSTM by default; GRU and vanilla RNN too).
Applying the same head to every h^L_t (`row_probabilities`) shows how the decision forms as
the rows arrive; it reads the hidden states the forward pass cached, no second pass.

Parameters are one dict name -> array (views into one flat vector, as in rnn.model):
Wx1 (D, G*H), Wh1 (H, G*H), b1 (G*H,), ... Wy (H, 10), by (10,).
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass

import numpy as np

from .cells import BACKWARD, FORWARD, N_GATES
from .config import _choice, _integer, _number
from .digits import N_CLASSES, DigitData, load_digits8x8
from .history import History
from .model import layer_keys
from .optim import flatten, make_optimizer, safe_update, unflatten
from .saveload import checked_array, optimizer_arrays, read_npz, require, restore_optimizer
from .trainer import WallClockTraining

CLASSIFIER_CELLS = ("lstm", "gru", "rnn")
TARGET_ACCURACY = 0.97  # test accuracy that counts as "reached" (solved_step)
CLASSIFIER_INITS = ("xavier", "orthogonal")


@dataclass
class ClassifierConfig:
    """A digits run. Defaults are what the page starts with: on the bundled 8x8 digits they
    reach >= 97 % test accuracy within about 10 s of training on a 2-core machine
    (benchmarks/digits_bench.py measures it)."""

    cell: str = "lstm"  # recurrent cell: "lstm", "gru" or "rnn" (vanilla)
    hidden: int = 64  # hidden units per layer, 1..256
    layers: int = 1  # stacked recurrent layers, 1..3
    activation: str = "tanh"  # nonlinearity of the vanilla rnn cell: tanh | sigmoid | relu
    lr: float = 0.01  # Adam learning rate, > 0 (up to 1e6, to watch training blow up)
    batch: int = 64  # images per update, 1..1024
    clip: float = 5.0  # clip the global gradient norm to this value; 0 = no clipping
    init: str = "xavier"  # xavier (Glorot uniform per gate) | orthogonal (recurrent weights)
    seed: int = 0  # seeds the initial weights and the order of training images, 0..2**31-1
    dtype: str = "float32"  # float32 (fast) | float64 (gradient checks)

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ValueError naming the field and its allowed range if anything is off."""
        _choice("cell", self.cell, CLASSIFIER_CELLS)
        _choice("activation", self.activation, ("tanh", "sigmoid", "relu"))
        _choice("init", self.init, CLASSIFIER_INITS)
        _choice("dtype", self.dtype, ("float32", "float64"))
        _integer("hidden", self.hidden, 1, 256)
        _integer("layers", self.layers, 1, 3)
        _integer("batch", self.batch, 1, 1024)
        _integer("seed", self.seed, 0, 2**31 - 1)
        _number("lr", self.lr, 0.0, 1e6, low_open=True)
        _number("clip", self.clip, 0.0, 1e6)
        for name in ("hidden", "layers", "batch", "seed"):
            setattr(self, name, int(getattr(self, name)))
        for name in ("lr", "clip"):
            setattr(self, name, float(getattr(self, name)))

    def replace(self, **changes) -> ClassifierConfig:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> ClassifierConfig:
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - names)
        if unknown:
            raise ValueError(f"unknown ClassifierConfig field(s): {', '.join(unknown)}")
        return cls(**d)

    def architecture(self) -> tuple:
        """Fields whose change needs a new model (the rest can change mid-run)."""
        return (self.cell, self.hidden, self.layers, self.activation, self.init, self.seed, self.dtype)


def tensorflow_preset() -> ClassifierConfig:
    """The classic TensorFlow "LSTM reads MNIST row by row" example, as far as it translates.

    Kept: one LSTM layer of 256 units, forget-gate bias 1, last hidden state -> softmax,
    cross-entropy averaged over the batch, Adam with lr 0.001, batch 128, no gradient clipping.
    Changed by the data: 8 timesteps of 8 pixels instead of 28 of 28 (on MNIST files it is
    28 x 28 again). TensorFlow initialised the LSTM with one Glorot matrix over [x, h]; here
    each gate block is Glorot uniform on its own."""
    return ClassifierConfig(cell="lstm", hidden=256, layers=1, lr=0.001, batch=128, clip=0.0)


PRESETS = {"default": ClassifierConfig, "tensorflow": tensorflow_preset}


# ---- the softmax head ----------------------------------------------------------------------


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax over the last axis, shifted by the max (no overflow)."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def head_forward(h: np.ndarray, Wy: np.ndarray, by: np.ndarray) -> np.ndarray:
    """Inputs: h (N, H) last hidden state, Wy (H, K), by (K,). Returns logits z (N, K)."""
    return h @ Wy + by


def softmax_cross_entropy(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Inputs: logits z (N, K), integer labels y (N,).
    Returns: loss L = -(1/N) sum_n log p[n, y_n] (mean over the batch, natural log),
             dL/dz (N, K) = (p - onehot(y)) / N, and p (N, K)."""
    n = z.shape[0]
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    p = np.exp(log_p)
    loss = -float(log_p[np.arange(n), y].sum()) / n
    dz = p.copy()
    dz[np.arange(n), y] -= 1.0
    dz /= n
    return loss, dz, p


def head_backward(dz: np.ndarray, h: np.ndarray, Wy: np.ndarray):
    """Inputs: dz (N, K), h (N, H), Wy (H, K). Returns: dh (N, H), {"Wy": (H, K), "by": (K,)}."""
    return dz @ Wy.T, {"Wy": h.T @ dz, "by": dz.sum(axis=0)}


# ---- the model -----------------------------------------------------------------------------


def init_classifier_params(cfg: ClassifierConfig, n_inputs: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Initial weights drawn from rng in a fixed order (same seed -> same weights).

    Glorot uniform per gate block (orthogonal recurrent blocks with init="orthogonal"),
    biases 0 except the LSTM forget gate (1), head Glorot uniform."""
    H, G = cfg.hidden, N_GATES[cfg.cell]

    def glorot(fan_in: int, fan_out: int, blocks: int) -> np.ndarray:
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=(fan_in, blocks * fan_out))

    params: dict[str, np.ndarray] = {}
    for layer in range(1, cfg.layers + 1):
        kx, kh, kb = layer_keys(layer)
        params[kx] = glorot(n_inputs if layer == 1 else H, H, G)
        if cfg.init == "orthogonal":
            params[kh] = np.concatenate([np.linalg.qr(rng.standard_normal((H, H)))[0] for _ in range(G)], axis=1)
        else:
            params[kh] = glorot(H, H, G)
        params[kb] = np.zeros(G * H)
        if cfg.cell == "lstm":
            params[kb][H : 2 * H] = 1.0  # forget gate starts open
    params["Wy"] = glorot(H, N_CLASSES, 1)
    params["by"] = np.zeros(N_CLASSES)
    return params


class SequenceClassifier:
    """Recurrent layers + softmax head on the last hidden state. Holds no training state."""

    def __init__(self, cfg: ClassifierConfig, n_inputs: int, params: dict[str, np.ndarray] | None = None):
        self.cfg = cfg
        self.n_inputs = int(n_inputs)
        self.dtype = np.dtype(cfg.dtype)
        if params is None:
            params = init_classifier_params(cfg, self.n_inputs, np.random.default_rng(cfg.seed))
        self.flat = flatten(params).astype(self.dtype)  # every weight in one vector, for the optimiser
        self.params = unflatten(self.flat, params)  # name -> view into self.flat

    def layer_params(self, layer: int) -> dict[str, np.ndarray]:
        kx, kh, kb = layer_keys(layer)
        return {"Wx": self.params[kx], "Wh": self.params[kh], "b": self.params[kb]}

    def forward(self, x: np.ndarray):
        """Inputs: x (T, N, D) time-major rows.
        Returns: prob (N, 10) class probabilities after the last row, cache
        (cache["layers"][l] is the cell cache of layer l + 1, with "hs" (T + 1, N, H))."""
        x = np.asarray(x).astype(self.dtype, copy=False)
        T, N, D = x.shape
        if D != self.n_inputs:
            raise ValueError(f"this model reads rows of {self.n_inputs} pixels; got rows of {D}")
        h0 = np.zeros((N, self.cfg.hidden), self.dtype)
        caches, inp = [], x
        for layer in range(1, self.cfg.layers + 1):
            inp, c = FORWARD[self.cfg.cell](inp, h0, self.layer_params(layer), self.cfg.activation)
            c["need_dx"] = layer > 1  # nobody needs dL/dx for the pixels
            caches.append(c)
        last = inp[-1]  # (N, H) h^L_T
        z = head_forward(last, self.params["Wy"], self.params["by"])
        prob = softmax(z)
        return prob, {"layers": caches, "last": last, "logits": z, "prob": prob, "T": T}

    def loss(self, cache, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Cross-entropy of a forward pass against labels y (N,), averaged over the batch:
        L = -(1/N) sum_n log p[n, y_n]. Returns (L, dL/dlogits (N, 10))."""
        loss, dz, _ = softmax_cross_entropy(cache["logits"], y)
        return loss, dz

    def backward(self, dz: np.ndarray, cache) -> dict[str, np.ndarray]:
        """Inputs: dz (N, 10) = dL/dlogits, cache. Returns grads with the keys of params."""
        dlast, grads = head_backward(dz, cache["last"], self.params["Wy"])
        dh = np.zeros((cache["T"],) + dlast.shape, self.dtype)  # dL/dh^L_t from above: only t = T
        dh[-1] = dlast
        for layer in range(self.cfg.layers, 0, -1):
            dx, _, g = BACKWARD[self.cfg.cell](dh, cache["layers"][layer - 1])
            for k, name in zip(("Wx", "Wh", "b"), layer_keys(layer)):
                grads[name] = g[k]
            dh = dx
        return {k: grads[k] for k in self.params}

    def row_probabilities(self, cache) -> np.ndarray:
        """(T, N, 10): the head applied to every cached top-layer hidden state h^L_t, i.e. what
        the classifier would answer if the image ended after row t. The last row is `prob`."""
        hs = cache["layers"][-1]["hs"][1:]  # (T, N, H)
        T, N, H = hs.shape
        return softmax(head_forward(hs.reshape(T * N, H), self.params["Wy"], self.params["by"])).reshape(T, N, -1)

    def predict(self, x: np.ndarray, chunk: int | None = None) -> np.ndarray:
        """Class probabilities (N, 10) for x (T, N, D), in chunks to bound the cache's memory."""
        T, N, _ = x.shape
        if N == 0:
            return np.zeros((0, N_CLASSES), self.dtype)
        if chunk is None:  # about 32 MB of cache per chunk
            per_sample = T * self.cfg.hidden * self.cfg.layers * (2 + 2 * N_GATES[self.cfg.cell]) * self.dtype.itemsize
            chunk = max(64, (32 << 20) // per_sample)
        return np.concatenate([self.forward(x[:, s : s + chunk])[0] for s in range(0, N, chunk)], axis=0)


# ---- training ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ClassifierEvaluation:
    step: int  # update count when evaluated
    accuracy: float  # fraction of test images classified right
    balanced: float  # mean of the per-class accuracies
    per_class: np.ndarray  # (10,) accuracy on the test images of each true digit (nan if none)
    confusion: np.ndarray  # (10, 10) counts: row = true digit, column = predicted digit
    predicted: np.ndarray  # (N_test,) predicted digit of each test image
    confidence: np.ndarray  # (N_test,) probability the model gives its predicted digit
    n: int  # how many test images were evaluated


def evaluate_predictions(step: int, prob: np.ndarray, labels: np.ndarray) -> ClassifierEvaluation:
    """Accuracy, per-class accuracy and confusion matrix of class probabilities (N, 10)."""
    labels = np.asarray(labels, np.int64)
    predicted = prob.argmax(axis=1)
    confusion = np.zeros((N_CLASSES, N_CLASSES), np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    counts = confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class = np.diag(confusion) / counts
    n = labels.size
    accuracy = float((predicted == labels).mean()) if n else float("nan")
    balanced = float(np.nanmean(per_class)) if counts.any() else float("nan")
    confidence = prob[np.arange(n), predicted] if n else np.zeros(0)
    return ClassifierEvaluation(step, accuracy, balanced, per_class, confusion, predicted, confidence, n)


class ClassifierTrainer(WallClockTraining):
    """Everything a digits run needs, so a page can keep one per viewer in session state.

        t = ClassifierTrainer()            # default config, bundled 8x8 digits
        t.step(100); t.evaluate().accuracy
        t.row_probabilities(t.data.test_images[:1])[:, 0]   # (8, 10): the decision row by row

    history: loss per step; evaluations record test accuracy in the "exact" slot and the mean
    per-class accuracy in the "bit" slot (rnn.history.History is shared with the adder).
    solved_step: the first evaluated step with test accuracy >= TARGET_ACCURACY (or None)."""

    def __init__(self, cfg: ClassifierConfig | None = None, data: DigitData | None = None):
        self.cfg = cfg if cfg is not None else ClassifierConfig()
        self.cfg.validate()
        self.data = data if data is not None else load_digits8x8()
        self.reset()

    # ---- state ---------------------------------------------------------------------------
    def reset(self, seed: int | None = None) -> None:
        """Back to the seed's initial weights and image order: reset() replays the same run."""
        if seed is not None:
            self.cfg = self.cfg.replace(seed=seed)
        self.model = SequenceClassifier(self.cfg, self.data.cols)
        self.optimizer = make_optimizer("adam", self.cfg.lr, self.model.params)
        self.rng = np.random.default_rng([self.cfg.seed, 1])  # order of training images
        self.order = np.zeros(0, np.int64)  # this epoch's shuffled image indices
        self.pos = 0  # next unused position in order
        self.steps = 0  # updates applied
        self.samples = 0  # training images seen
        self.epochs = 0  # completed passes over the training images
        self.train_seconds = 0.0  # wall time spent inside step()
        self.history = History()
        self.diverged: str | None = None  # why training stopped, if it blew up
        self.solved_step: int | None = None  # first step evaluated at >= TARGET_ACCURACY
        self.last_cache: dict | None = None  # forward/backward cache of the most recent step
        self._eval: ClassifierEvaluation | None = None  # valid while its step == self.steps

    def set_lr(self, lr: float) -> None:
        """Change the learning rate from the next step on, keeping Adam's moment estimates."""
        self.cfg = self.cfg.replace(lr=lr)
        self.optimizer.lr = self.cfg.lr

    def reconfigure(self, cfg: ClassifierConfig) -> list[str]:
        """Apply lr, batch or clip changes without losing the weights; returns changed field
        names. ValueError if the architecture differs (that needs a new trainer)."""
        cfg.validate()
        if cfg.architecture() != self.cfg.architecture():
            raise ValueError("this change needs a new model (cell, hidden, layers, activation, init, seed or dtype)")
        changed = [k for k, v in cfg.to_dict().items() if getattr(self.cfg, k) != v]
        self.cfg = cfg
        self.optimizer.lr = cfg.lr
        return changed

    # ---- training --------------------------------------------------------------------------
    def _next_batch(self) -> np.ndarray:
        """Indices of the next batch: shuffled epochs without replacement (seeded)."""
        n, b = self.data.train_labels.size, min(self.cfg.batch, self.data.train_labels.size)
        if self.pos + b > self.order.size:
            if self.order.size:
                self.epochs += 1
            self.order, self.pos = self.rng.permutation(n), 0
        idx = self.order[self.pos : self.pos + b]
        self.pos += b
        return idx

    def step(self, n: int = 1) -> float:
        """Run n minibatch updates; returns their mean loss (nan if none ran).

        A step whose loss, gradient or weights would be non-finite (or huge) is refused by
        rnn.optim.safe_update; `diverged` then says why and no further steps run."""
        t0 = time.perf_counter()
        model, total, done = self.model, 0.0, 0
        for _ in range(n):
            if self.diverged:
                break
            idx = self._next_batch()
            x = self.data.sequences(self.data.train_images[idx], self.cfg.dtype)
            _, cache = model.forward(x)
            loss, dz = model.loss(cache, self.data.train_labels[idx])
            g = flatten(model.backward(dz, cache))
            self.diverged = safe_update(model.flat, self.optimizer, g, loss, self.cfg.clip, self.steps + 1)
            if self.diverged:
                break
            self.steps += 1
            self.samples += idx.size
            self.history.add_loss(self.steps, loss)
            self.last_cache = cache
            total += loss
            done += 1
        self.train_seconds += time.perf_counter() - t0
        return total / done if done else float("nan")

    # ---- evaluation ------------------------------------------------------------------------
    def evaluate(self) -> ClassifierEvaluation:
        """Accuracy, per-class accuracy and confusion matrix on the whole test split.

        Cached until the next step; recorded in the history (see the class docstring)."""
        if self._eval is not None and self._eval.step == self.steps:
            return self._eval
        prob = self.model.predict(self.data.sequences(self.data.test_images, self.cfg.dtype))
        ev = evaluate_predictions(self.steps, prob, self.data.test_labels)
        self._eval = ev
        self.history.add_eval(self.steps, ev.accuracy, ev.balanced)
        if ev.accuracy >= TARGET_ACCURACY and self.solved_step is None:
            self.solved_step = self.steps
        return ev

    def accuracy(self) -> float:
        return self.evaluate().accuracy

    @property
    def solved(self) -> bool:
        return self.solved_step is not None

    def row_probabilities(self, images: np.ndarray) -> np.ndarray:
        """Class probabilities after each row, (T, N, 10), for images (N, R, C): uint8 grey
        levels of the data set, or floats already in [0, 1] (a drawn digit). One forward pass;
        the rows are read from its cache (SequenceClassifier.row_probabilities)."""
        images = np.asarray(images)
        if images.ndim == 2:
            images = images[None]
        if images.shape[1:] != self.data.train_images.shape[1:]:
            raise ValueError(f"images must be {self.data.rows}x{self.data.cols}; got {images.shape[1:]}")
        if images.dtype.kind in "ui":
            x = self.data.sequences(images, self.cfg.dtype)
        else:
            x = np.ascontiguousarray(images.transpose(1, 0, 2), dtype=self.cfg.dtype)
        _, cache = self.model.forward(x)
        return self.model.row_probabilities(cache)

    # ---- persistence -----------------------------------------------------------------------
    def save(self, path) -> None:
        save_classifier(self, path)

    @classmethod
    def load(cls, path, data: DigitData | None = None) -> ClassifierTrainer:
        return load_classifier(cls, path, data)


# ---- save / load (.npz, allow_pickle=False) --------------------------------------------------

FORMAT = "rnn-adder-lab/digits/1"


def save_classifier(trainer: ClassifierTrainer, path) -> None:
    """Layout: "config" (JSON), "state" (JSON), "order", "param/<name>", "opt/<slot>/<name>",
    "hist/<field>"."""
    d = trainer.data
    state = {
        "format": FORMAT,
        "data": {"name": d.name, "rows": d.rows, "cols": d.cols, "n_train": int(d.train_labels.size)},
        "steps": trainer.steps,
        "samples": trainer.samples,
        "epochs": trainer.epochs,
        "pos": trainer.pos,
        "opt_t": trainer.optimizer.t,
        "rng": trainer.rng.bit_generator.state,
        "solved_step": trainer.solved_step,
    }
    arrays = {"config": np.array(json.dumps(trainer.cfg.to_dict())), "state": np.array(json.dumps(state))}
    arrays["order"] = trainer.order
    arrays.update({f"param/{k}": v for k, v in trainer.model.params.items()})
    arrays.update(optimizer_arrays(trainer.optimizer))
    arrays.update({f"hist/{k}": v for k, v in trainer.history.to_arrays().items()})
    np.savez_compressed(path, **arrays)


def load_classifier(cls, path, data: DigitData | None = None) -> ClassifierTrainer:
    """Rebuild a ClassifierTrainer from a path or file-like object.

    data: the images it trained on (default: the bundled 8x8 digits). ValueError with a
    readable reason for anything that is not a digits model of this app, or a model whose
    image size differs from `data`."""
    arrays = read_npz(path)
    try:
        cfg = ClassifierConfig.from_dict(json.loads(str(require(arrays, "config"))))
        state = json.loads(str(require(arrays, "state")))
    except (TypeError, AttributeError, json.JSONDecodeError) as e:
        raise ValueError(f"not a saved model (bad config or state: {e})") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        fmt = state.get("format") if isinstance(state, dict) else None
        raise ValueError(f"not a saved digits model of this app (format {fmt!r})")
    data = data if data is not None else load_digits8x8()
    saved = state.get("data") or {}
    if (saved.get("rows"), saved.get("cols")) != (data.rows, data.cols):
        raise ValueError(
            f"this model was trained on {saved.get('rows')}x{saved.get('cols')} images "
            f"({saved.get('name')}); the loaded data has {data.rows}x{data.cols} images"
        )
    trainer = cls(cfg, data)
    dtype = np.dtype(cfg.dtype)
    expected = trainer.model.params
    params = {k: checked_array(arrays, f"param/{k}", v.shape, dtype) for k, v in expected.items()}
    trainer.model = SequenceClassifier(cfg, data.cols, params)
    trainer.optimizer = make_optimizer("adam", cfg.lr, trainer.model.params)
    restore_optimizer(trainer.optimizer, arrays, dtype)
    order = require(arrays, "order")
    hist = {k[len("hist/") :]: v for k, v in arrays.items() if k.startswith("hist/")}
    try:
        if order.dtype.kind not in "iu" or order.ndim != 1 or (order.size and not 0 <= order.min() <= order.max() < data.train_labels.size):
            raise ValueError("image order does not fit the training data")
        trainer.order = order.astype(np.int64)
        trainer.history = History.from_arrays(hist)
        trainer.optimizer.t = int(state["opt_t"])
        trainer.steps, trainer.samples = int(state["steps"]), int(state["samples"])
        trainer.epochs, trainer.pos = int(state["epochs"]), int(state["pos"])
        trainer.rng.bit_generator.state = state["rng"]
        solved = state.get("solved_step")
        trainer.solved_step = None if solved is None else int(solved)
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"not a saved model (bad training state: {e!r})") from None
    return trainer

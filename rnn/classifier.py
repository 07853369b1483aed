"""A recurrent sequence classifier: read an image one row per timestep, then name the digit.

    h^1_t = cell(x_t, h^1_{t-1})        x_t = row t of the image (D pixels in [0, 1])
    h^l_t = cell(h^{l-1}_t, h^l_{t-1})  stacked layers 2..L
    z = h^L_T Wy + by,  p = softmax(z)  10 class probabilities from the LAST hidden state only

LSTM by default; GRU and vanilla RNN too. Applying the same head to every h^L_t
(`row_probabilities`) shows how the decision forms as the rows arrive; it reads the hidden
states the forward pass cached, no second pass.

The recurrent layers are rnn.stack's RecurrentStack, the same as the adder's (rnn.model), and
ClassifierTrainer shares rnn.trainer's training step and rnn.saveload's saver. Parameters are
one dict name -> array (views into one flat vector): Wx1 (D, G*H), Wh1 (H, G*H), b1 (G*H,), ...
Wy (H, 10), by (10,); gradients a dict with the same keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import saveload
from .config import ConfigFields, choice, integer, number
from .digits import N_CLASSES, DigitData, load_digits8x8
from .optim import make_optimizer
from .stack import RecurrentNet, init_weights
from .trainer import BaseTrainer

CLASSIFIER_CELLS = ("lstm", "gru", "rnn")
TARGET_ACCURACY = 0.97  # test accuracy that counts as "reached" (solved_step)
CLASSIFIER_INITS = ("xavier", "orthogonal")


@dataclass
class ClassifierConfig(ConfigFields):
    """A digits run. Defaults are what the page starts with: on the bundled 8x8 digits they
    reach >= 97 % test accuracy in about 300-400 steps, a second or two of training on a 2-core machine
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

    def validate(self) -> None:
        """Raise ValueError naming the field and its allowed range if anything is off."""
        choice("cell", self.cell, CLASSIFIER_CELLS)
        choice("activation", self.activation, ("tanh", "sigmoid", "relu"))
        choice("init", self.init, CLASSIFIER_INITS)
        choice("dtype", self.dtype, ("float32", "float64"))
        integer("hidden", self.hidden, 1, 256)
        integer("layers", self.layers, 1, 3)
        integer("batch", self.batch, 1, 1024)
        integer("seed", self.seed, 0, 2**31 - 1)
        number("lr", self.lr, 0.0, 1e6, low_open=True)
        number("clip", self.clip, 0.0, 1e6)
        for name in ("hidden", "layers", "batch", "seed"):
            setattr(self, name, int(getattr(self, name)))
        for name in ("lr", "clip"):
            setattr(self, name, float(getattr(self, name)))


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


def head_backward(dz: np.ndarray, h: np.ndarray, Wy: np.ndarray, out=None):
    """Inputs: dz (N, K), h (N, H), Wy (H, K); out: optional {"Wy", "by"} arrays to write into.
    Returns: dh (N, H), {"Wy": (H, K), "by": (K,)}."""
    g = out if out is not None else {"Wy": np.empty(Wy.shape, dz.dtype), "by": np.empty(dz.shape[1], dz.dtype)}
    np.dot(h.T, dz, out=g["Wy"])
    np.sum(dz, axis=0, out=g["by"])
    return dz @ Wy.T, g


# ---- the model -----------------------------------------------------------------------------


def init_classifier_params(cfg: ClassifierConfig, n_inputs: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Initial weights drawn from rng in a fixed order (same seed -> same weights): Glorot uniform
    per gate block (orthogonal recurrent blocks with init="orthogonal"), biases 0 except the LSTM
    forget gate (1), head Glorot uniform. See rnn.stack.init_weights."""
    return init_weights(cfg.cell, cfg.hidden, cfg.layers, n_inputs, N_CLASSES, cfg.init, rng)


class SequenceClassifier(RecurrentNet):
    """The recurrent stack + a softmax head on the last hidden state. Holds no training state.

    flat / params: the weights (one vector, and name -> view into it); grad_flat / grads: the
    same for a training step's gradient (backward(..., out=model.grads) writes into grad_flat)."""

    def __init__(self, cfg: ClassifierConfig, n_inputs: int, params: dict[str, np.ndarray] | None = None):
        self.n_inputs = int(n_inputs)
        if params is None:
            params = init_classifier_params(cfg, self.n_inputs, np.random.default_rng(cfg.seed))
        super().__init__(cfg, params)

    def forward(self, x: np.ndarray, *, train=False, rng=None, unit_mask=None):
        """Inputs: x (T, N, D) time-major rows. unit_mask: as in rnn.model.Model.forward.
        train, rng: taken for the shared training step; the classifier has no dropout.
        Returns: prob (N, 10) class probabilities after the last row, cache (the stack's:
        cache["layers"][l]["hs"] (T + 1, N, H) are the hidden states of layer l + 1; and more)."""
        x = np.asarray(x).astype(self.dtype, copy=False)
        T, N, D = x.shape
        if D != self.n_inputs:
            raise ValueError(f"this model reads rows of {self.n_inputs} pixels; got rows of {D}")
        hs, cache = self.stack.forward(x, unit_mask=unit_mask)
        last = hs[-1]  # (N, H) h^L_T
        z = head_forward(last, self.params["Wy"], self.params["by"])
        prob = softmax(z)
        cache.update(last=last, logits=z, prob=prob, T=T)
        return prob, cache

    def loss(self, cache, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Cross-entropy of a forward pass against labels y (N,), averaged over the batch:
        L = -(1/N) sum_n log p[n, y_n]. Returns (L, dL/dlogits (N, 10))."""
        loss, dz, _ = softmax_cross_entropy(cache["logits"], y)
        return loss, dz

    def backward(self, dz: np.ndarray, cache, out=None) -> dict[str, np.ndarray]:
        """Inputs: dz (N, 10) = dL/dlogits, cache. out: optional arrays to write the gradients
        into (as in rnn.model.Model.backward). Returns grads with the keys of params."""
        grads = self.new_grads(out)
        dlast, _ = head_backward(dz, cache["last"], self.params["Wy"], out=grads)
        dh = np.zeros((cache["T"],) + dlast.shape, self.dtype)  # dL/dh^L_t from the head: only t = T
        dh[-1] = dlast
        self.stack.backward(dh, cache, out=grads)
        return grads

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
            chunk = self.chunk_size(T, 32 << 20)
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


class ClassifierTrainer(BaseTrainer):
    """Everything a digits run needs, so a page can keep one per viewer in session state.

        t = ClassifierTrainer()            # default config, bundled 8x8 digits
        t.step(100); t.evaluate().accuracy
        t.row_probabilities(t.data.test_images[:1])[:, 0]   # (8, 10): the decision row by row

    The training step, train_for, set_lr and save / load are rnn.trainer.BaseTrainer's (shared
    with the adder). history: loss per step; evaluations record test accuracy in the "exact"
    slot and the mean per-class accuracy in the "bit" slot (rnn.history.History).
    solved_step: the first evaluated step with test accuracy >= TARGET_ACCURACY (or None)."""

    FORMAT = saveload.DIGITS_FORMAT
    NOUN = "digits model"
    CONFIG = ClassifierConfig

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
        self.epochs = 0  # completed passes over the training images
        self._clear_progress()

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

    def _batch(self):
        idx = self._next_batch()
        return self.data.sequences(self.data.train_images[idx], self.cfg.dtype), self.data.train_labels[idx]

    # ---- evaluation ------------------------------------------------------------------------
    def evaluate(self) -> ClassifierEvaluation:
        """Accuracy, per-class accuracy and confusion matrix on the whole test split.

        Cached until the next step; recorded in the history (see the class docstring)."""
        if "test" in self._evals:
            return self._evals["test"]
        prob = self.model.predict(self.data.sequences(self.data.test_images, self.cfg.dtype))
        ev = evaluate_predictions(self.steps, prob, self.data.test_labels)
        self._evals["test"] = ev
        self.history.add_eval(self.steps, ev.accuracy, ev.balanced)
        if ev.accuracy >= TARGET_ACCURACY and self.solved_step is None:
            self.solved_step = self.steps
        return ev

    def accuracy(self) -> float:
        return self.evaluate().accuracy

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

    # ---- saved files (rnn.saveload): the data's shape, the image order and the epoch ---------
    @classmethod
    def load(cls, path, data: DigitData | None = None) -> ClassifierTrainer:
        """data: the images it trained on (default: the bundled 8x8 digits). ValueError with a
        readable reason for anything that is not a digits model of this app, or a model whose
        image size differs from `data`."""
        return saveload.load_trainer(cls, path, data=data)

    @classmethod
    def from_saved(cls, cfg, state, data=None):
        data = data if data is not None else load_digits8x8()
        saved = state.get("data") if isinstance(state.get("data"), dict) else {}
        if (saved.get("rows"), saved.get("cols")) != (data.rows, data.cols):
            raise ValueError(
                f"this model was trained on {saved.get('rows')}x{saved.get('cols')} images "
                f"({saved.get('name')}); the loaded data has {data.rows}x{data.cols} images"
            )
        return cls(cfg, data)

    def saved_extras(self):
        d = self.data
        shape = {"name": d.name, "rows": d.rows, "cols": d.cols, "n_train": int(d.train_labels.size)}
        return {"data": shape, "epochs": self.epochs, "pos": self.pos}, {"order": self.order}

    def restore_extras(self, state, arrays) -> None:
        order = saveload.require(arrays, "order")
        n = self.data.train_labels.size
        if order.dtype.kind not in "iu" or order.ndim != 1 or (order.size and not 0 <= order.min() <= order.max() < n):
            raise ValueError("image order does not fit the training data")
        self.order = order.astype(np.int64)
        self.epochs, self.pos = saveload.count(state["epochs"], "epochs"), saveload.count(state["pos"], "pos")
        if self.pos > order.size:
            raise ValueError(f"position {self.pos} is past the image order's {order.size} images")

"""The training loop: sample a batch, forward, loss, BPTT, clip, optimiser step, record.

    t = Trainer(Config())
    t.step(10)        # 10 updates, returns their mean loss
    t.accuracy()      # exact-sum accuracy at the training width

A Trainer holds everything a run needs (model, optimiser state, data generator, history), so a
page can keep one per viewer in its session state and nothing is lost between reruns.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from . import saveload
from .config import ARCHITECTURE_FIELDS, Config
from .data import BatchStream, check_bits, encode, eval_pairs, eval_set
from .history import History
from .model import Model, init_params
from .optim import make_optimizer, safe_update
from .trace import Trace, make_trace

ESTIMATE_PAIRS = 512  # pairs in the cheap live estimate: 0.2 % resolution, ~0.5 ms, arrays that stay in cache


@dataclass(frozen=True)
class Evaluation:
    step: int  # update count when evaluated
    bits: int  # operand width evaluated
    exact: float  # fraction of pairs whose whole sum is right
    bit: float  # fraction of sum bits that are right
    pairs: int  # how many operand pairs were evaluated


class BaseTrainer:
    """What both trainers share (this module's Trainer, and rnn.classifier's ClassifierTrainer):
    the training step, wall-clock training, learning-rate and config changes, save / load.

    A subclass sets FORMAT (the saved-file format), CONFIG (its config class) and in reset()
    cfg, model, optimizer and rng, then calls _clear_progress(); it provides _batch() (the
    next training batch) and the saved-file hooks saved_extras / restore_extras."""

    FORMAT = ""  # "format" of the saved file's state (rnn.saveload)
    NOUN = "model"  # what a saved file of this trainer is called in error messages
    CONFIG: type  # the config dataclass (from_dict reads the saved "config")

    def _clear_progress(self) -> None:
        """Counters, history and caches of a run at step 0."""
        self.steps = 0  # updates applied
        self.samples = 0  # training samples seen
        self.train_seconds = 0.0  # wall time spent inside step()
        self.history = History()
        self.diverged: str | None = None  # why training stopped, if it blew up
        self.solved_step: int | None = None  # first step evaluated as solved
        self.last_cache: dict | None = None  # forward/backward cache of the most recent step
        self._evals: dict = {}  # evaluations, valid for self.steps (cleared by step())

    def _batch(self) -> tuple[np.ndarray, np.ndarray]:
        """The next training batch: x (T, N, D) time-major inputs and the targets model.loss takes."""
        raise NotImplementedError

    # ---- training --------------------------------------------------------------------------
    def step(self, n: int = 1) -> float:
        """Run n minibatch updates; returns their mean loss (nan if none ran).

        Stops early, without touching the weights, if a step would make the loss, a gradient
        or a weight non-finite or larger than MAX_WEIGHT (rnn.optim.safe_update); `diverged`
        then says why and no further steps run."""
        t0 = time.perf_counter()
        model = self.model
        total, done = 0.0, 0
        for _ in range(n):
            if self.diverged:
                break
            x, y = self._batch()
            _, cache = model.forward(x, train=True, rng=self.rng)
            loss, dz = model.loss(cache, y)
            model.backward(dz, cache, out=model.grads)  # into model.grad_flat, no per-step concatenation
            self.diverged = safe_update(model.flat, self.optimizer, model.grad_flat, loss, self.cfg.clip, self.steps + 1)
            if self.diverged:
                break
            self.steps += 1
            self.samples += x.shape[1]
            self.history.add_loss(self.steps, loss)
            self.last_cache = cache
            total += loss
            done += 1
        if done:
            self._evals.clear()
        self.train_seconds += time.perf_counter() - t0
        return total / done if done else float("nan")

    def train_for(self, seconds: float, max_steps: int = 10**9) -> int:
        """Train until `seconds` of wall time are used (at least one step). Returns steps run."""
        end = time.perf_counter() + seconds
        done = 0
        while done < max_steps and not self.diverged:
            before = self.steps
            self.step(1)
            done += self.steps - before
            if time.perf_counter() >= end or self.steps == before:
                break
        return done

    @property
    def solved(self) -> bool:
        return self.solved_step is not None

    # ---- settings --------------------------------------------------------------------------
    def set_lr(self, lr: float) -> None:
        """Change the learning rate from the next step on, keeping all optimiser state."""
        self.cfg = self.cfg.replace(lr=lr)
        self.optimizer.lr = self.cfg.lr

    def reconfigure(self, cfg) -> list[str]:
        """Apply a config that keeps the architecture without losing the weights or the
        optimiser's state. Returns the names of the fields that changed. Raises ValueError if
        cfg.architecture() differs: that needs a new trainer."""
        cfg.validate()
        if cfg.architecture() != self.cfg.architecture():
            raise ValueError(f"this change needs a new model ({ARCHITECTURE_FIELDS})")
        changed = [k for k, v in cfg.to_dict().items() if getattr(self.cfg, k) != v]
        self.cfg = cfg
        self.model.cfg = cfg  # the model reads its loss and dropout from its config
        self.optimizer.lr = cfg.lr
        return changed

    # ---- persistence (rnn.saveload) ----------------------------------------------------------
    def save(self, path) -> None:
        """Write the whole run (weights, optimiser state, data position, history) to an .npz."""
        saveload.save_trainer(self, path)

    @classmethod
    def load(cls, path):
        """A trainer that continues exactly where the saved one stopped. ValueError with a
        readable reason for anything that is not a file of this trainer."""
        return saveload.load_trainer(cls, path)

    @classmethod
    def from_saved(cls, cfg, state: dict, **kwargs):
        """A fresh trainer for a saved file's config (before its weights and state are restored)."""
        return cls(cfg, **kwargs)

    def saved_extras(self) -> tuple[dict, dict[str, np.ndarray]]:
        """What this trainer saves beyond the common state: (JSON state, arrays)."""
        return {}, {}

    def restore_extras(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        """Restore what saved_extras wrote (raise KeyError, TypeError or ValueError if it is bad)."""


class Trainer(BaseTrainer):
    """The adder's run: model, optimiser state, training-data stream, history and evaluations."""

    FORMAT = saveload.FORMAT
    CONFIG = Config

    def __init__(self, cfg: Config | None = None):
        self.cfg = cfg if cfg is not None else Config()
        self.cfg.validate()
        self.reset()

    # ---- state ---------------------------------------------------------------------------
    def reset(self, seed: int | None = None) -> None:
        """Back to the initial weights of the seed (the same ones as at step 0).

        reset() replays the same run; reset(seed=5) starts a different one."""
        if seed is not None:
            self.cfg = self.cfg.replace(seed=seed)
        self.model = Model(self.cfg, init_params(self.cfg, np.random.default_rng(self.cfg.seed)))
        self.optimizer = make_optimizer(self.cfg.optimizer, self.cfg.lr, self.model.params)
        self.data = BatchStream(self.cfg.seed, self.cfg.dtype)  # training batches
        self.rng = np.random.default_rng([self.cfg.seed, 2])  # dropout masks
        self._clear_progress()  # solved_step: the first step evaluated at 100 % exact accuracy
        self._sample = None  # ((bits, pairs), a_bits, b_bits, sum_bits) of the live estimate
        self._pair_step_seconds: float | None = None  # evaluation cost per pair and timestep, last measured

    def reconfigure(self, cfg: Config) -> list[str]:
        """Apply a config that keeps the architecture (batch, bits, lr, loss, clip, dropout,
        optimizer) without losing the weights. Returns the names of the fields that changed.
        Changing the optimiser kind starts its state afresh. Raises ValueError if the
        architecture (cell, hidden, layers, activation, init, seed, dtype) differs: build a new Trainer."""
        old = self.cfg
        changed = super().reconfigure(cfg)
        if cfg.optimizer != old.optimizer:
            self.optimizer = make_optimizer(cfg.optimizer, cfg.lr, self.model.params)
        if cfg.bits != old.bits or cfg.loss != old.loss:
            self._evals.clear()
            self.solved_step = None
        return changed

    def _batch(self):
        return self.data.next(self.cfg.bits, self.cfg.batch)  # (T, N, 2), (T, N)

    # ---- evaluation ------------------------------------------------------------------------
    def evaluate(self, bits: int | None = None, unit_mask=None) -> Evaluation:
        """Exact and bit accuracy over all pairs (bits <= 8) or a fixed sample of 65 536 pairs.

        Cached until the next step; at the training width it is recorded in the history and
        the first 100 % marks `solved_step`."""
        bits = self.cfg.bits if bits is None else check_bits(bits)
        if unit_mask is None and bits in self._evals:
            return self._evals[bits]
        ev = self._score(bits, *eval_set(bits), unit_mask)
        if unit_mask is None:
            self._evals[bits] = ev
            if bits == self.cfg.bits:
                self.history.add_eval(self.steps, ev.exact, ev.bit)
                if ev.exact == 1.0 and self.solved_step is None:
                    self.solved_step = self.steps
        return ev

    def evaluation_cost(self, bits: int | None = None) -> float | None:
        """Predicted seconds of evaluate(bits): 0 when it is cached, None before any evaluation
        (or estimate) of this trainer has been timed."""
        bits = self.cfg.bits if bits is None else check_bits(bits)
        if bits in self._evals:
            return 0.0
        if self._pair_step_seconds is None:
            return None
        return self._pair_step_seconds * eval_pairs(bits) * (bits + 1)

    def estimate(self, pairs: int = ESTIMATE_PAIRS) -> Evaluation:
        """A cheap live estimate at the training width: accuracy on a fixed random subset of the
        evaluation set (the same subset every time), recorded in the history for the curve.

        It never marks the run solved: when it reads 100 %, confirm with evaluate()."""
        bits = self.cfg.bits
        if eval_pairs(bits) <= pairs:  # fewer pairs than the sample: check them all
            return self.evaluate()
        key = ("estimate", bits, pairs)
        if key not in self._evals:
            if self._sample is None or self._sample[0] != (bits, pairs):  # picked once per width
                full = eval_set(bits)
                pick = np.random.default_rng(bits).choice(full[0].shape[0], pairs, replace=False)
                self._sample = ((bits, pairs), *(arr[pick] for arr in full))
            self._evals[key] = ev = self._score(bits, *self._sample[1:], None)
            self.history.add_eval(self.steps, ev.exact, ev.bit)
        return self._evals[key]

    def _score(self, bits, a_bits, b_bits, sum_bits, unit_mask) -> Evaluation:
        """Exact and bit accuracy on operand bits a_bits, b_bits (N, T) uint8 with their true sum
        bits, chunk by chunk: no array the size of the whole set is made (a class's evaluations
        would raise every server thread's memory high-water mark)."""
        n, steps = a_bits.shape
        chunk = self.model.chunk_size(steps, 1 << 20)  # ~1 MB of cache per forward pass
        exact = right_bits = 0
        start = time.perf_counter()
        for s in range(0, n, chunk):
            prob, _ = self.model.forward(encode(a_bits[s : s + chunk], b_bits[s : s + chunk]), unit_mask=unit_mask)
            right = (prob > 0.5) == sum_bits[s : s + chunk].T.astype(bool)  # (T, chunk)
            exact += int(np.count_nonzero(right.all(axis=0)))
            right_bits += int(np.count_nonzero(right))
        self._pair_step_seconds = (time.perf_counter() - start) / (n * steps)
        return Evaluation(self.steps, bits, exact / n, right_bits / (n * steps), n)

    def accuracy(self, bits: int | None = None) -> float:
        """Exact-sum accuracy: the fraction of operand pairs whose every sum bit is right."""
        return self.evaluate(bits).exact

    def trace(self, a: int, b: int, bits: int | None = None) -> Trace:
        """One forward pass on (a, b) with everything the caches hold; see rnn.trace.Trace."""
        return make_trace(self.model, a, b, self.cfg.bits if bits is None else bits)

    def grad_norms_through_time(self, layer: int | None = None) -> np.ndarray:
        """||dL/dh_t|| for t = 0..T-1 from the most recent training step (top layer by default).

        The norm is taken over the whole batch (Frobenius norm of the (N, H) block)."""
        if self.last_cache is None:
            return np.zeros(0)
        lc = self.last_cache["layers"][(self.cfg.layers if layer is None else layer) - 1]
        dh = lc["dh_total"]
        return np.sqrt(np.einsum("tnh,tnh->t", dh, dh))

    # ---- saved files: the data stream's position ----------------------------------------------
    def saved_extras(self):
        return {"data": self.data.state()}, {}

    def restore_extras(self, state, arrays) -> None:
        self.data.set_state(state["data"])

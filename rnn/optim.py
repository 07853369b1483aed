"""Optimisers over parameter dicts (numpy-ml style: state dicts keyed by parameter name).

An optimiser never mutates the weights itself: `propose(w, g)` writes the new weights and the new
optimiser state into scratch buffers, and the trainer commits both only if they are finite. That is how a
diverging step is refused without corrupting anything.
"""

from __future__ import annotations

import math

import numpy as np


class Optimizer:
    """Per-parameter state lives in dicts keyed by parameter name (state["m"]["Wh1"], ...).

    For speed those dicts are views into one flat buffer holding every slot, laid out like the
    model's flat parameter vector, so one vectorised update serves every parameter at once. A
    proposal is written into preallocated scratch buffers (no allocation per step) and only
    copied over the weights and the state by commit()."""

    name = ""
    slots: tuple[str, ...] = ()  # names of the per-parameter state dicts

    def __init__(self, lr: float, params: dict[str, np.ndarray]):
        self.lr = lr
        self.t = 0  # number of committed updates (Adam's bias correction uses it)
        size = sum(p.size for p in params.values())
        dtype = next(iter(params.values())).dtype
        self._all = np.zeros(len(self.slots) * size, dtype)  # every slot, one after the other
        self._new_all = np.zeros_like(self._all)  # the proposed state (scratch)
        self.new_w = np.zeros(size, dtype)  # the proposed weights (scratch)
        self.buffers = {s: self._all[k * size : (k + 1) * size] for k, s in enumerate(self.slots)}
        self.new_buffers = {s: self._new_all[k * size : (k + 1) * size] for k, s in enumerate(self.slots)}
        self.state = {s: unflatten(buf, params) for s, buf in self.buffers.items()}

    def propose(self, w: np.ndarray, g: np.ndarray) -> np.ndarray:
        """Flat weights w and gradient g -> the new flat weights (self.new_w); the new state goes
        to self.new_buffers. Leaves w and the optimiser's state untouched."""
        raise NotImplementedError

    def commit(self) -> None:
        np.copyto(self._all, self._new_all)  # in place, so the per-name views stay valid
        self.t += 1


class SGD(Optimizer):
    """w <- w - lr g"""

    name = "sgd"

    def propose(self, w, g):
        np.multiply(g, -self.lr, out=self.new_w)
        self.new_w += w
        return self.new_w


class Momentum(Optimizer):
    """v <- mu v - lr g;  w <- w + v   (classical momentum, mu = 0.9)"""

    name, slots, mu = "momentum", ("v",), 0.9

    def propose(self, w, g):
        v = np.multiply(self.buffers["v"], self.mu, out=self.new_buffers["v"])
        v -= self.lr * g
        return np.add(w, v, out=self.new_w)


class Adam(Optimizer):
    """m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;  w <- w - lr m_hat / (sqrt(v_hat) + eps)"""

    name, slots = "adam", ("m", "v")
    b1, b2, eps = 0.9, 0.999, 1e-8

    def __init__(self, lr, params):
        super().__init__(lr, params)
        size, dtype = self.new_w.size, self._all.dtype
        # m and v move together: [m; v] += [1-b1; 1-b2] * ([g; g^2] - [m; v]), 3 ufunc calls for both
        self._rate = np.repeat(np.array([1.0 - self.b1, 1.0 - self.b2], dtype), size)
        self._g_g2 = np.zeros_like(self._all)  # [g; g^2] (scratch)
        # halves of the flat buffers, sliced once (a slice costs half as much as a small ufunc call)
        self._g, self._g2 = self._g_g2[:size], self._g_g2[size:]
        self._new_m, self._new_v = self.new_buffers["m"], self.new_buffers["v"]
        self._eps = np.array(self.eps, dtype)  # 0-d, in the weights' dtype (see numeric.scalar)

    def propose(self, w, g):
        t = self.t + 1
        # bias correction folded in; a Python float (not np.float64) keeps float32 updates in float32
        step = self.lr * math.sqrt(1.0 - self.b2**t) / (1.0 - self.b1**t)
        gg, new = self._g_g2, self._new_all
        np.copyto(self._g, g)
        np.multiply(g, g, out=self._g2)
        np.subtract(gg, self._all, out=new)
        new *= self._rate
        new += self._all  # new = [m; v] updated
        d = np.sqrt(self._new_v, out=self.new_w)
        d += self._eps
        np.divide(self._new_m, d, out=d)
        d *= -step
        d += w
        return d


def flatten(arrays: dict[str, np.ndarray]) -> np.ndarray:
    """One flat float64 vector holding every array of the dict, in the dict's order."""
    return np.concatenate([a.ravel() for a in arrays.values()])


def unflatten(flat: np.ndarray, like: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Views into `flat` with the names and shapes of `like` (writing to a view writes flat)."""
    out, start = {}, 0
    for k, a in like.items():
        out[k] = flat[start : start + a.size].reshape(a.shape)
        start += a.size
    return out


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Adam)}


def make_optimizer(name: str, lr: float, params) -> Optimizer:
    return OPTIMIZERS[name](lr, params)


def clip_global_norm(g: np.ndarray, max_norm: float, norm: float) -> np.ndarray:
    """Scale the flat gradient so its global L2 norm is at most max_norm (0 = off)."""
    if max_norm <= 0 or norm <= max_norm:
        return g
    return g * (max_norm / norm)


MAX_WEIGHT = 1e4  # a step that would push any weight past this is refused as divergence
EXPLODED = 1e6  # a gradient norm above this that blows a weight up is named as the cause


def safe_update(w: np.ndarray, optimizer: Optimizer, g: np.ndarray, loss: float, clip: float, step: int) -> str | None:
    """Clip, propose, check and commit one update of the flat weights w (in place).

    Returns None on success. If the loss or gradient is not finite, or a weight would leave
    [-MAX_WEIGHT, MAX_WEIGHT], nothing is changed and the reason is returned (for the page)."""
    norm2 = float(np.dot(g, g))  # one pass: nan or inf anywhere in g makes this non-finite
    if not (math.isfinite(loss) and math.isfinite(norm2)):
        return f"the loss or a gradient became infinite or NaN at step {step}"
    if clip > 0 and norm2 > clip * clip:
        g = clip_global_norm(g, clip, math.sqrt(norm2))
    new_w = optimizer.propose(w, g)
    # |w|^2 <= MAX^2 bounds every weight (one pass, false for nan); only otherwise find the largest
    if not np.dot(new_w, new_w) <= MAX_WEIGHT * MAX_WEIGHT:
        largest = float(np.abs(new_w).max())
        if not largest <= MAX_WEIGHT:  # also catches nan
            if not isinstance(optimizer, Adam) and math.sqrt(norm2) > EXPLODED:
                # the gradient itself exploded: a lower rate alone would blow up too (Adam's steps
                # are about the rate whatever the gradient)
                return f"the gradient exploded (norm {math.sqrt(norm2):.3g}) at step {step}"
            return (
                f"a weight would have grown to {largest:.3g} at step {step}: "
                f"the learning rate ({optimizer.lr:g}) is too large"
            )
    np.copyto(w, new_w)  # in place: the model's per-name params are views into w
    optimizer.commit()
    return None

"""A stack of recurrent layers with one sigmoid output per timestep.

    h^1_t = cell(x_t, h^1_{t-1})                 layer 1 reads the two input bits
    h^l_t = cell(drop(h^{l-1}_t), h^l_{t-1})     layers 2..L read the layer below
    z_t   = h^L_t Wy + by,  p_t = sigmoid(z_t)   probability that sum bit t is 1

Parameters live in one dict, name -> ndarray: Wx1, Wh1, b1 (layer 1), Wx2, ... and Wy, by.
Gradients come back as a dict with exactly the same keys.
"""

from __future__ import annotations

import numpy as np

from .cells import BACKWARD, FORWARD, GATES, N_GATES, ones, scalar, sigmoid
from .config import Config
from .optim import flatten, unflatten

N_INPUTS = 2  # the two operand bits a_t, b_t


def layer_keys(layer: int) -> tuple[str, str, str]:
    """Parameter names of recurrent layer `layer` (1-based)."""
    return f"Wx{layer}", f"Wh{layer}", f"b{layer}"


def init_params(cfg: Config, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Initial weights, drawn from `rng` in a fixed order (same seed -> same weights).

    xavier:     Glorot uniform, per gate block; biases 0 (LSTM forget gate bias 1)
    orthogonal: input weights as xavier, each recurrent gate block a random orthogonal matrix
    uniform:    every weight uniform in [-1, 1], biases 0, like the classic numpy tutorial
    """
    H, G = cfg.hidden, N_GATES[cfg.cell]
    params: dict[str, np.ndarray] = {}

    def weights(fan_in: int, fan_out: int, blocks: int, recurrent: bool) -> np.ndarray:
        """(fan_in, blocks * fan_out): one block of fan_out columns per gate."""
        if cfg.init == "uniform":
            return rng.uniform(-1.0, 1.0, size=(fan_in, blocks * fan_out))
        if cfg.init == "orthogonal" and recurrent:
            return np.concatenate(
                [np.linalg.qr(rng.standard_normal((H, H)))[0] for _ in range(blocks)], axis=1
            )
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=(fan_in, blocks * fan_out))

    for layer in range(1, cfg.layers + 1):
        kx, kh, kb = layer_keys(layer)
        params[kx] = weights(N_INPUTS if layer == 1 else H, H, G, recurrent=False)
        params[kh] = weights(H, H, G, recurrent=True)
        params[kb] = np.zeros(G * H)
        if cfg.cell == "lstm":
            params[kb][H : 2 * H] = 1.0  # forget gate starts open
    params["Wy"] = weights(H, 1, 1, recurrent=False)
    params["by"] = np.zeros(1)
    return params


def _layer_dict(arrays: dict[str, np.ndarray], layer: int) -> dict[str, np.ndarray]:
    """{Wx, Wh, b} of recurrent layer `layer` (1-based) from a params-like dict."""
    kx, kh, kb = layer_keys(layer)
    return {"Wx": arrays[kx], "Wh": arrays[kh], "b": arrays[kb]}


class Model:
    """The network of a Config: params plus forward / backward. Holds no training state."""

    def __init__(self, cfg: Config, params: dict[str, np.ndarray]):
        self.cfg = cfg
        self.dtype = np.dtype(cfg.dtype)
        self.flat = flatten(params).astype(self.dtype)  # every weight in one vector, for the optimiser
        self.params = unflatten(self.flat, params)  # name -> view into self.flat
        self.grad_flat = np.zeros_like(self.flat)  # a training step's gradient, laid out like flat
        self.grads = unflatten(self.grad_flat, self.params)  # name -> view: backward(out=self.grads)
        # per-layer {Wx, Wh, b} views of params and grads, built once: they stay valid as flat and
        # grad_flat are updated in place
        self._layers = [self.layer_params(layer) for layer in range(1, cfg.layers + 1)]
        self._layer_grads = [_layer_dict(self.grads, layer) for layer in range(1, cfg.layers + 1)]

    @classmethod
    def create(cls, cfg: Config) -> Model:
        return cls(cfg, init_params(cfg, np.random.default_rng(cfg.seed)))

    # ---------------------------------------------------------------------------------------
    def layer_params(self, layer: int) -> dict[str, np.ndarray]:
        return _layer_dict(self.params, layer)

    def forward(self, x, *, train=False, rng=None, unit_mask=None):
        """Inputs: x (T, N, 2) time-major input bits.
        train: apply dropout between layers (needs rng when cfg.dropout > 0).
        unit_mask: optional {layer: (H,) array} multiplied into that layer's hidden state at
          every step (0 ablates a unit; the model's weights are not touched).
        Returns: prob (T, N) output probabilities, cache (per-layer cell caches and more)."""
        cfg = self.cfg
        x = x.astype(self.dtype, copy=False)
        T, N, _ = x.shape
        h0 = np.zeros((N, cfg.hidden), self.dtype)
        layer_caches, drop_masks = [], []
        inp = x
        for layer in range(1, cfg.layers + 1):
            if layer > 1 and train and cfg.dropout > 0:
                keep = 1.0 - cfg.dropout
                # inverted dropout, in the model's dtype
                mask = ((rng.random(inp.shape) < keep) / keep).astype(self.dtype)
                inp = inp * mask
                drop_masks.append(mask)
            else:
                drop_masks.append(None)
            mask_l = None if unit_mask is None else unit_mask.get(layer)
            h, c = FORWARD[cfg.cell](inp, h0, self._layers[layer - 1], cfg.activation, mask_l)
            c["need_dx"] = layer > 1  # nobody needs dL/dx for the input bits
            layer_caches.append(c)
            inp = h
        # (T, N), all t at once; matmul reads a transposed inp (GRU, LSTM) without copying it
        logits = np.matmul(inp, self.params["Wy"])[..., 0]
        logits += self.params["by"]
        prob = sigmoid(logits)
        cache = {"layers": layer_caches, "drop": drop_masks, "top": inp, "logits": logits, "prob": prob}
        return prob, cache

    def loss(self, cache, y):
        """Loss of a forward pass against targets y (T, N), and dL/dlogits (T, N).

        L = (1/N) sum_n sum_t l(y, p): summed over timesteps, averaged over the batch."""
        z, p = cache["logits"], cache["prob"]
        n = z.shape[1]
        if self.cfg.loss == "bce":
            # -y log p - (1-y) log(1-p) = softplus(z) - y z, and softplus(z) = max(z, 0) - log(max(p, 1-p))
            # (1 + e^-|z| = 1 / sigmoid(|z|)): stable for any z, and 3x faster than np.logaddexp here.
            # (constants as 0-d arrays of the model's dtype: see cells.scalar)
            q = np.subtract(scalar(1.0, p.dtype), p)
            np.log(np.maximum(p, q, out=q), out=q)  # log max(p, 1 - p)
            sp = np.maximum(z, scalar(0.0, p.dtype))
            sp -= q  # softplus(z)
            loss = (float(sp.sum()) - float(np.vdot(y, z))) / n
            dz = np.subtract(p, y)
            dz /= scalar(n, p.dtype)
        else:
            err = p - y
            loss = 0.5 * np.vdot(err, err) / n
            dz = err * p * (1.0 - p) / n
        return float(loss), dz

    def backward(self, dz, cache, out=None):
        """Inputs: dz (T, N) = dL/dlogits, cache from forward. Returns grads (same keys as params).
        out: optional dict of arrays (same keys and shapes as params, e.g. views into one flat
          vector) that the gradients are written into instead of new arrays.

        Leaves cache["layers"][l]["dh_total"] = dL/dh_t (T, N, H) for every layer."""
        top = cache["top"]
        H = self.cfg.hidden
        grads = out if out is not None else unflatten(np.empty_like(self.flat), self.params)
        dz2 = dz.reshape(-1, 1)  # (T*N, 1)
        np.dot(top.reshape(-1, H).T, dz2, out=grads["Wy"])  # sum_t h_t^T dz_t
        np.dot(ones(len(dz2), dz.dtype), dz2, out=grads["by"])  # sum of dz (a matmul: 2x faster than .sum())
        T, N = dz.shape
        # (T, N, H) dL/dh^L_t from the outputs = dz_t Wy^T: a K=1 matmul is 3x faster than the broadcast
        dh = np.dot(dz2, self.params["Wy"].T).reshape(T, N, H)
        layer_grads = self._layer_grads if grads is self.grads else None
        for layer in range(self.cfg.layers, 0, -1):
            lc = cache["layers"][layer - 1]
            g = layer_grads[layer - 1] if layer_grads else _layer_dict(grads, layer)
            dx, _, _ = BACKWARD[self.cfg.cell](dh, lc, out=g)  # writes the layer's weight gradients into g
            mask = cache["drop"][layer - 1]
            dh = dx if mask is None else dx * mask
        return grads

    def loss_and_grads(self, x, y, rng=None):
        """Inputs: x (N, T, 2), y (N, T, 1) batch-major, as in the public API.
        rng: when given and cfg.dropout > 0, the pass is a training pass with dropout.
        Returns: (loss, grads)."""
        xt = np.ascontiguousarray(np.swapaxes(np.asarray(x, dtype=self.dtype), 0, 1))
        yt = np.swapaxes(np.asarray(y, dtype=self.dtype), 0, 1)[..., 0]
        _, cache = self.forward(xt, train=rng is not None, rng=rng)
        loss, dz = self.loss(cache, yt)
        return loss, self.backward(dz, cache)

    # ---------------------------------------------------------------------------------------
    def gate_names(self) -> tuple[str, ...]:
        return GATES[self.cfg.cell]

    def predict(self, x, unit_mask=None, chunk=None):
        """Output probabilities (T, N) for time-major x (T, N, 2), in chunks to bound memory."""
        T, N, _ = x.shape
        if chunk is None:  # ~1 MB of cache per chunk: stays in cache; big arrays are 5x slower here
            per_sample = (
                T * self.cfg.hidden * self.cfg.layers * (2 + 2 * N_GATES[self.cfg.cell]) * self.dtype.itemsize
            )
            chunk = max(64, (1 << 20) // per_sample)
        if N <= chunk:
            return self.forward(x, unit_mask=unit_mask)[0]
        return np.concatenate(
            [self.forward(x[:, s : s + chunk], unit_mask=unit_mask)[0] for s in range(0, N, chunk)], axis=1
        )

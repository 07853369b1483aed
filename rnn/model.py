"""The adder's network: a recurrent stack with one sigmoid output per timestep.

    h^1_t = cell(x_t, h^1_{t-1})                 layer 1 reads the two input bits
    h^l_t = cell(drop(h^{l-1}_t), h^l_{t-1})     layers 2..L read the layer below
    z_t   = h^L_t Wy + by,  p_t = sigmoid(z_t)   probability that sum bit t is 1

The layers are rnn.stack's RecurrentStack (shared with the digit classifier). Parameters live in
one dict, name -> ndarray: Wx1, Wh1, b1 (layer 1), Wx2, ... and Wy, by. Gradients come back as a
dict with exactly the same keys.
"""

from __future__ import annotations

import numpy as np

from .config import Config
from .numeric import ones, scalar, sigmoid
from .stack import RecurrentNet, init_weights

N_INPUTS = 2  # the two operand bits a_t, b_t


def init_params(cfg: Config, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Initial weights of a Config (see rnn.stack.init_weights), drawn from `rng` in a fixed order."""
    return init_weights(cfg.cell, cfg.hidden, cfg.layers, N_INPUTS, 1, cfg.init, rng)


class Model(RecurrentNet):
    """The network of a Config: params plus forward / backward. Holds no training state.

    flat / params: the weights (one vector, and name -> view into it); grad_flat / grads: the
    same for a training step's gradient (backward(..., out=model.grads) writes into grad_flat)."""

    @classmethod
    def create(cls, cfg: Config) -> Model:
        return cls(cfg, init_params(cfg, np.random.default_rng(cfg.seed)))

    def forward(self, x, *, train=False, rng=None, unit_mask=None):
        """Inputs: x (T, N, 2) time-major input bits.
        train: apply dropout between layers (needs rng when cfg.dropout > 0).
        unit_mask: optional {layer: (H,) array} multiplied into that layer's hidden state at
          every step (0 ablates a unit; the model's weights are not touched).
        Returns: prob (T, N) output probabilities, cache (the stack's, plus top, logits, prob)."""
        x = x.astype(self.dtype, copy=False)
        inp, cache = self.stack.forward(x, self.cfg.dropout if train else 0.0, rng, unit_mask)
        # (T, N), all t at once; matmul reads a transposed inp (GRU, LSTM) without copying it
        logits = np.matmul(inp, self.params["Wy"])[..., 0]
        logits += self.params["by"]
        prob = sigmoid(logits)
        cache["top"], cache["logits"], cache["prob"] = inp, logits, prob
        return prob, cache

    def loss(self, cache, y):
        """Loss of a forward pass against targets y (T, N), and dL/dlogits (T, N).

        L = (1/N) sum_n sum_t l(y, p): summed over timesteps, averaged over the batch."""
        z, p = cache["logits"], cache["prob"]
        n = z.shape[1]
        if self.cfg.loss == "bce":
            # -y log p - (1-y) log(1-p) = softplus(z) - y z, and softplus(z) = max(z, 0) - log(max(p, 1-p))
            # (1 + e^-|z| = 1 / sigmoid(|z|)): stable for any z, and 3x faster than np.logaddexp here.
            # (constants as 0-d arrays of the model's dtype: see numeric.scalar)
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
        grads = self.new_grads(out)
        dz2 = dz.reshape(-1, 1)  # (T*N, 1)
        np.dot(top.reshape(-1, H).T, dz2, out=grads["Wy"])  # sum_t h_t^T dz_t
        np.dot(ones(len(dz2), dz.dtype), dz2, out=grads["by"])  # sum of dz (a matmul: 2x faster than .sum())
        T, N = dz.shape
        # (T, N, H) dL/dh^L_t from the outputs = dz_t Wy^T: a K=1 matmul is 3x faster than the broadcast
        dh = np.dot(dz2, self.params["Wy"].T).reshape(T, N, H)
        self.stack.backward(dh, cache, out=grads)  # writes the layers' gradients into grads
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

    def predict(self, x, unit_mask=None, chunk=None):
        """Output probabilities (T, N) for time-major x (T, N, 2), in chunks to bound memory."""
        T, N, _ = x.shape
        if chunk is None:  # ~1 MB of cache per chunk: stays in cache; big arrays are 5x slower here
            chunk = self.chunk_size(T, 1 << 20)
        if N <= chunk:
            return self.forward(x, unit_mask=unit_mask)[0]
        return np.concatenate(
            [self.forward(x[:, s : s + chunk], unit_mask=unit_mask)[0] for s in range(0, N, chunk)], axis=1
        )

"""The stack of recurrent layers that both networks of the app share, and their initial weights.

    h^1_t = cell(x_t, h^1_{t-1})                 layer 1 reads the input (D features)
    h^l_t = cell(drop(h^{l-1}_t), h^l_{t-1})     layers 2..L read the layer below

rnn.model.Model puts a sigmoid output on every h^L_t (the adder); rnn.classifier's
SequenceClassifier puts a softmax on the last one, h^L_T (the digit reader). Both are a
RecurrentNet: one flat weight vector and one flat gradient vector, with per-name views.

Parameters and gradients are dicts with the same keys: Wx1 (D, G*H), Wh1 (H, G*H), b1 (G*H,),
Wx2 (H, G*H), ... for the layers, then the head's (Wy, by).
"""

from __future__ import annotations

import numpy as np

from .cells import BACKWARD, FORWARD, GATES, N_GATES
from .optim import flatten, unflatten


def layer_keys(layer: int) -> tuple[str, str, str]:
    """Parameter names of recurrent layer `layer` (1-based)."""
    return f"Wx{layer}", f"Wh{layer}", f"b{layer}"


def layer_dict(arrays: dict[str, np.ndarray], layer: int) -> dict[str, np.ndarray]:
    """{Wx, Wh, b} of recurrent layer `layer` (1-based) from a params-like dict."""
    kx, kh, kb = layer_keys(layer)
    return {"Wx": arrays[kx], "Wh": arrays[kh], "b": arrays[kb]}


def init_weights(
    cell: str, hidden: int, layers: int, n_inputs: int, n_outputs: int, init: str, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Initial weights of a stack and a linear head (Wy (H, K), by (K,)), float64, drawn from
    `rng` in a fixed order (same seed -> same weights).

    xavier:     Glorot uniform, per gate block; biases 0 (LSTM forget gate bias 1)
    orthogonal: input weights as xavier, each recurrent gate block a random orthogonal matrix
    uniform:    every weight uniform in [-1, 1], biases 0, like the classic numpy tutorial
    """
    H, G = hidden, N_GATES[cell]

    def weights(fan_in: int, fan_out: int, blocks: int, recurrent: bool) -> np.ndarray:
        """(fan_in, blocks * fan_out): one block of fan_out columns per gate."""
        if init == "uniform":
            return rng.uniform(-1.0, 1.0, size=(fan_in, blocks * fan_out))
        if init == "orthogonal" and recurrent:
            return np.concatenate([np.linalg.qr(rng.standard_normal((H, H)))[0] for _ in range(blocks)], axis=1)
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=(fan_in, blocks * fan_out))

    params: dict[str, np.ndarray] = {}
    for layer in range(1, layers + 1):
        kx, kh, kb = layer_keys(layer)
        params[kx] = weights(n_inputs if layer == 1 else H, H, G, recurrent=False)
        params[kh] = weights(H, H, G, recurrent=True)
        params[kb] = np.zeros(G * H)
        if cell == "lstm":
            params[kb][H : 2 * H] = 1.0  # forget gate starts open
    params["Wy"] = weights(H, n_outputs, 1, recurrent=False)
    params["by"] = np.zeros(n_outputs)
    return params


class RecurrentStack:
    """L recurrent layers of one cell kind over given parameter (and gradient) arrays.

    params: a dict holding Wx1, Wh1, b1, ... (more keys are ignored), e.g. views into a flat
    vector; the stack keeps per-layer {Wx, Wh, b} views of it, built once. grads: optionally
    the same for the gradients, so that backward(..., out=grads) needs no new dicts per step."""

    def __init__(self, cell: str, activation: str, layers: int, params, grads=None):
        self.cell, self.activation, self.layers = cell, activation, layers
        self._forward, self._backward = FORWARD[cell], BACKWARD[cell]
        self.grads = grads  # the dict backward(..., out=grads) finds per-layer views of below
        self._params = [layer_dict(params, layer) for layer in range(1, layers + 1)]  # {Wx, Wh, b} per layer
        self._grads = None if grads is None else [layer_dict(grads, layer) for layer in range(1, layers + 1)]
        self.hidden = self._params[0]["Wh"].shape[0]

    def keys(self) -> list[str]:
        """The stack's parameter names, in order: Wx1, Wh1, b1, Wx2, ..."""
        return [k for layer in range(1, self.layers + 1) for k in layer_keys(layer)]

    def _all_params(self) -> list[np.ndarray]:
        return [p for layer in self._params for p in layer.values()]

    def forward(self, x, dropout: float = 0.0, rng=None, unit_mask=None):
        """Inputs: x (T, N, D) time-major, in the weights' dtype.
        dropout: drop probability between layers (inverted dropout, masks drawn from rng); 0 = none.
        unit_mask: optional {layer: (H,) array} multiplied into that layer's hidden state at
          every step (0 ablates a unit; the weights are not touched).
        Returns: h (T, N, H) hidden states of the top layer, cache {"layers": the cell caches
          (cache["layers"][l]["hs"] (T + 1, N, H) is h of layer l + 1), "drop": the masks}."""
        h0 = np.zeros((x.shape[1], self.hidden), x.dtype)
        layer_caches, drop_masks = [], []
        inp, cell, act = x, self._forward, self.activation
        for layer, p in enumerate(self._params, 1):
            mask = None
            if layer > 1 and dropout > 0:
                keep = 1.0 - dropout
                mask = ((rng.random(inp.shape) < keep) / keep).astype(x.dtype)  # in the weights' dtype
                inp = inp * mask
            drop_masks.append(mask)
            inp, c = cell(inp, h0, p, act, None if unit_mask is None else unit_mask.get(layer))
            c["need_dx"] = layer > 1  # nobody needs dL/dx for the network's input
            layer_caches.append(c)
        return inp, {"layers": layer_caches, "drop": drop_masks}

    def backward(self, dh, cache, out=None):
        """Inputs: dh (T, N, H) = dL/dh^L_t from the head (not yet through later timesteps),
        cache from forward. out: optional dict with the stack's keys (more are ignored) to write
        the gradients into, e.g. views into a flat gradient vector.
        Returns: grads {Wx1, Wh1, b1, ...} (`out` itself when given).

        Leaves cache["layers"][l]["dh_total"] = dL/dh_t (T, N, H) for every layer."""
        if out is None:
            out = {k: np.empty(p.shape, dh.dtype) for k, p in zip(self.keys(), self._all_params())}
        layer_grads = self._grads if out is self.grads else None
        for layer in range(self.layers, 0, -1):
            g = layer_grads[layer - 1] if layer_grads else layer_dict(out, layer)
            dx, _, _ = self._backward(dh, cache["layers"][layer - 1], out=g)  # writes into g
            mask = cache["drop"][layer - 1]
            dh = dx if mask is None else dx * mask
        return out


class RecurrentNet:
    """What both networks share: the weights in one flat vector (for the optimiser) with per-name
    views, a gradient vector laid out the same way, and the recurrent stack over them.
    Subclasses add a head: forward, loss, backward and predict. Holds no training state."""

    def __init__(self, cfg, params: dict[str, np.ndarray]):
        self.cfg = cfg
        self.dtype = np.dtype(cfg.dtype)
        self.flat = flatten(params).astype(self.dtype)  # every weight in one vector, for the optimiser
        self.params = unflatten(self.flat, params)  # name -> view into self.flat
        self.grad_flat = np.zeros_like(self.flat)  # a training step's gradient, laid out like flat
        self.grads = unflatten(self.grad_flat, self.params)  # name -> view: backward(out=self.grads)
        # the views stay valid: flat and grad_flat are only ever updated in place
        self.stack = RecurrentStack(cfg.cell, cfg.activation, cfg.layers, self.params, self.grads)

    def layer_params(self, layer: int) -> dict[str, np.ndarray]:
        return layer_dict(self.params, layer)

    def gate_names(self) -> tuple[str, ...]:
        return GATES[self.cfg.cell]

    def new_grads(self, out=None) -> dict[str, np.ndarray]:
        """`out`, or new gradient arrays with the keys and shapes of params."""
        return out if out is not None else unflatten(np.empty_like(self.flat), self.params)

    def chunk_size(self, steps: int, cache_bytes: int) -> int:
        """Samples per forward pass so that one pass's cache takes about cache_bytes (at least 64)."""
        cfg = self.cfg
        per_sample = steps * cfg.hidden * cfg.layers * (2 + 2 * N_GATES[cfg.cell]) * self.dtype.itemsize
        return max(64, cache_bytes // per_sample)

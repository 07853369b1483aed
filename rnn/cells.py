"""Recurrent layers as forward/backward pairs (in the style of cs231n's rnn_layers.py).

Shapes: N batch, T timesteps, D input size, H hidden size, G gates (rnn 1, gru 3, lstm 4).
Tensors are time-major: x (T, N, D), h (T, N, H), so h[t] is one contiguous (N, H) block.

    forward(x, h0, p)  -> (h, cache)        x (T, N, D), h0 (N, H), h (T, N, H)
                                             (optional mask (H,) multiplies h_t at every
                                             step: an ablation that leaves the weights alone)
    backward(dh, cache) -> (dx, dh0, grads)  dh (T, N, H) = dL/dh_t from above (the output
                                             layer or the next layer), not yet including the
                                             path through later timesteps
                                             (optional out: a grads dict of arrays to write
                                             the weight gradients into, e.g. views of a flat
                                             gradient vector, instead of new arrays)

Parameters p and grads are dicts with the same keys: Wx (D, G*H), Wh (H, G*H), b (G*H,).

Two things make these fast without hiding the equations:
- the input projection x_t Wx + b is one matmul for all timesteps before the loop, and the
  weight gradients are one matmul each over all timesteps after the backward loop;
- every per-step quantity is written into a preallocated (T, ...) array with `out=`, and those
  arrays are the cache. The same cache is what `Trainer.trace` and the analysis views read:
  there is no second, instrumented forward pass.

The backward pass also stores dh_total[t] = dL/dh_t (including the path through later
timesteps) in the cache, for the gradients-through-time view.
"""

from __future__ import annotations

import functools

import numpy as np

GATES = {"rnn": (), "gru": ("r", "z", "n"), "lstm": ("i", "f", "o", "g")}
N_GATES = {"rnn": 1, "gru": 3, "lstm": 4}


def sigmoid(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """1 / (1 + e^-a), computed as (1 + tanh(a/2)) / 2: no overflow for large |a|."""
    out = np.multiply(a, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


@functools.lru_cache(maxsize=64)
def _per_gate(values: tuple[float, ...], H: int, dtype: np.dtype) -> np.ndarray:
    """(G*H,) read-only constants, one value per gate block (cached: np.repeat costs more than
    the per-step ops it feeds)."""
    out = np.repeat(np.array(values, dtype), H)
    out.flags.writeable = False
    return out


def _project(x, p):
    """x_t Wx + b for every timestep in one 2-D matmul: (T, N, D) -> (T, N, G*H)."""
    T, N, D = x.shape
    xw = x.reshape(T * N, D) @ p["Wx"]
    xw += p["b"]  # in place: no second (T*N, G*H) temporary
    return xw.reshape(T, N, -1)


def _relu(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    return np.maximum(a, 0.0, out=out)


ACTIVATIONS = {"tanh": np.tanh, "sigmoid": sigmoid, "relu": _relu}  # act(a, out) -> out


def _act_grad(name: str, h: np.ndarray) -> np.ndarray:
    """d act(a) / da, written in terms of the output h = act(a), for all timesteps at once."""
    if name == "tanh":
        return 1.0 - h * h
    if name == "sigmoid":
        return h * (1.0 - h)
    return (h > 0).astype(h.dtype)  # relu


# --------------------------------------------------------------------------------------------
# Vanilla RNN:  h_t = act(x_t Wx + h_{t-1} Wh + b)
# --------------------------------------------------------------------------------------------


def rnn_forward(x, h0, p, activation="tanh", mask=None):
    """Inputs: x (T, N, D), h0 (N, H), p {Wx (D, H), Wh (H, H), b (H,)}.
    Returns: h (T, N, H), cache."""
    T, N, _ = x.shape
    Wh = p["Wh"]
    H = Wh.shape[0]
    xw = _project(x, p)  # (T, N, H): x_t Wx + b for every t in one matmul
    hs = np.empty((T + 1, N, H), x.dtype)  # hs[0] = h0, hs[t + 1] = h_t
    hs[0] = h0
    a = np.empty((N, H), x.dtype)
    act = ACTIVATIONS[activation]
    for t in range(T):
        np.dot(hs[t], Wh, out=a)  # h_{t-1} Wh (np.dot with out=: the cheapest small matmul here)
        a += xw[t]  # a_t = x_t Wx + h_{t-1} Wh + b
        act(a, out=hs[t + 1])  # h_t = act(a_t)
        if mask is not None:
            hs[t + 1] *= mask  # ablation: silenced units feed nothing forward
    cache = {"cell": "rnn", "activation": activation, "x": x, "hs": hs, "p": p}
    return hs[1:], cache


def rnn_backward(dh, cache, out=None):
    """Inputs: dh (T, N, H) upstream gradient dL/dh_t (not through later steps), cache.
    Returns: dx (T, N, D), dh0 (N, H), grads {Wx, Wh, b}."""
    x, hs, p = cache["x"], cache["hs"], cache["p"]
    T, N, H = dh.shape
    WhT = p["Wh"].T
    dact = _act_grad(cache["activation"], hs[1:])  # (T, N, H) act'(a_t), all steps at once
    da = np.empty((T, N, H), x.dtype)  # dL/da_t
    dh_total = np.empty((T, N, H), x.dtype)  # dL/dh_t including the path through later steps
    dnext = np.zeros((N, H), x.dtype)  # dL/dh_t arriving from step t + 1
    for t in reversed(range(T)):
        np.add(dh[t], dnext, out=dh_total[t])  # dL/dh_t = from above + from the future
        np.multiply(dh_total[t], dact[t], out=da[t])  # through the nonlinearity
        np.dot(da[t], WhT, out=dnext)  # dL/dh_{t-1} via h_{t-1} Wh
    cache["dh_total"] = dh_total
    return _projection_grads(x, hs, da, da, p, dnext, cache.get("need_dx", True), out)


def _projection_grads(x, hs, dxw, dhh, p, dh0, cache_need_dx=True, out=None):
    """Gradients of a_t = x_t Wx + b + (h_{t-1} Wh), summed over all timesteps in one matmul each.

    dxw (T, N, G*H) is dL/d(x_t Wx + b); dhh (T, N, G*H) is dL/d(h_{t-1} Wh) (the same array
    except in the GRU, where the reset gate sits between h_{t-1} Wh_n and the candidate).
    Returns: dx (T, N, D), dh0, grads {Wx, Wh, b} (written into `out` if given)."""
    D, GH = p["Wx"].shape
    H = p["Wh"].shape[0]
    dxw2 = dxw.reshape(-1, GH)  # (T*N, G*H)
    grads = out if out is not None else {k: np.empty(v.shape, dxw.dtype) for k, v in p.items()}
    np.dot(x.reshape(-1, D).T, dxw2, out=grads["Wx"])  # sum_t x_t^T dxw_t
    np.dot(hs[:-1].reshape(-1, H).T, dhh.reshape(-1, GH), out=grads["Wh"])  # sum_t h_{t-1}^T dhh_t
    np.dot(np.ones(len(dxw2), dxw2.dtype), dxw2, out=grads["b"])  # sum over rows: 5x faster than .sum(0)
    dx = dxw @ p["Wx"].T if cache_need_dx else None
    return dx, dh0, grads


# --------------------------------------------------------------------------------------------
# GRU (gates r, z and candidate n, as in PyTorch):
#   r_t = sigmoid(x_t Wx_r + h_{t-1} Wh_r + b_r)        reset gate
#   z_t = sigmoid(x_t Wx_z + h_{t-1} Wh_z + b_z)        update gate
#   n_t = tanh(x_t Wx_n + b_n + r_t * (h_{t-1} Wh_n))    candidate
#   h_t = (1 - z_t) * n_t + z_t * h_{t-1}
# --------------------------------------------------------------------------------------------


def gru_forward(x, h0, p, activation=None, mask=None):
    """Inputs: x (T, N, D), h0 (N, H), p {Wx (D, 3H), Wh (H, 3H), b (3H,)} in gate order r, z, n.
    Returns: h (T, N, H), cache (gates (T, N, 3H) holds r, z, n)."""
    T, N, _ = x.shape
    H = p["Wh"].shape[0]
    # r, z = sigmoid(a) = 0.5 tanh(a / 2) + 0.5: their weight columns are halved once (cheaper than
    # halving every pre-activation), and r, z live in a contiguous (T, N, 2H) array (strided
    # slices are 2-3x slower per op).
    half = _per_gate((0.5, 0.5, 1.0), H, x.dtype)  # (3H,)
    xw = _project(x, {"Wx": p["Wx"] * half, "b": p["b"] * half})  # (T, N, 3H), r and z halved
    xw_rz = np.ascontiguousarray(xw[:, :, : 2 * H])  # (T, N, 2H)
    xw_n = np.ascontiguousarray(xw[:, :, 2 * H :])  # (T, N, H) x_t Wx_n + b_n
    Whs = p["Wh"] * half
    hs = np.empty((T + 1, N, H), x.dtype)
    hs[0] = h0
    rz_all = np.empty((T, N, 2 * H), x.dtype)  # r, z at each step
    n_all = np.empty((T, N, H), x.dtype)  # n at each step
    hh_all = np.empty((T, N, 3 * H), x.dtype)  # h_{t-1} Wh (r, z halved); the backward pass reads Wh_n's part
    for t in range(T):
        hh = np.dot(hs[t], Whs, out=hh_all[t])  # h_{t-1} Wh for all three gates
        rz = np.add(xw_rz[t], hh[:, : 2 * H], out=rz_all[t])
        np.tanh(rz, out=rz)
        rz *= 0.5
        rz += 0.5  # r_t, z_t
        n = np.multiply(rz[:, :H], hh[:, 2 * H :], out=n_all[t])  # r_t * (h_{t-1} Wh_n)
        n += xw_n[t]
        np.tanh(n, out=n)  # n_t
        h = np.subtract(hs[t], n, out=hs[t + 1])  # h_t = n_t + z_t (h_{t-1} - n_t)
        h *= rz[:, H:]
        h += n
        if mask is not None:
            h *= mask
    hn = hh_all[:, :, 2 * H :]  # (T, N, H) h_{t-1} Wh_n
    gates = np.concatenate([rz_all, n_all], axis=2)  # (T, N, 3H): r, z, n
    cache = {"cell": "gru", "x": x, "hs": hs, "gates": gates, "hn": hn, "rz": rz_all, "n": n_all, "p": p}
    return hs[1:], cache


def gru_backward(dh, cache, out=None):
    """Inputs: dh (T, N, H), cache. Returns: dx (T, N, D), dh0 (N, H), grads {Wx, Wh, b}."""
    x, hs, hn, rz, n, p = (cache[k] for k in ("x", "hs", "hn", "rz", "n", "p"))
    T, N, H = dh.shape
    WhT = p["Wh"].T
    r, z = rz[..., :H], rz[..., H:]
    h_prev = hs[:-1]
    # Local derivatives for all steps at once (T, N, H):
    dn_da = (1.0 - z) * (1.0 - n * n)  # dh_t/da_n
    # dL/d(h_{t-1} Wh) = dL/dh_t * local[t] for all three gates at once: (T, N, 3, H) blocks r, z, n
    local = np.empty((T, N, 3, H), x.dtype)
    np.multiply(dn_da * hn, r * (1.0 - r), out=local[:, :, 0])  # dh_t/da_r = dh_t/da_n * hn * r (1 - r)
    np.multiply(h_prev - n, z * (1.0 - z), out=local[:, :, 1])  # dh_t/da_z
    np.multiply(dn_da, r, out=local[:, :, 2])  # r_t gates h_{t-1} Wh_n: dh_t/d(h_{t-1} Wh_n)
    zc = np.ascontiguousarray(z)  # contiguous: read every step
    dhh = np.empty((T, N, 3 * H), x.dtype)  # dL/d(h_{t-1} Wh): r, z, n
    dh_total = np.empty((T, N, H), x.dtype)
    dnext = np.zeros((N, H), x.dtype)
    via_z = np.empty((N, H), x.dtype)
    for t in reversed(range(T)):
        dht = np.add(dh[t], dnext, out=dh_total[t])
        np.multiply(local[t], dht[:, None, :], out=dhh[t].reshape(N, 3, H))  # every gate in one broadcast
        np.dot(dhh[t], WhT, out=dnext)  # via h_{t-1} Wh
        dnext += np.multiply(dht, zc[t], out=via_z)  # via z_t * h_{t-1}
    cache["dh_total"] = dh_total
    dxw = dhh.copy()  # dL/d(x_t Wx + b): the same for r and z; for n without the r_t factor
    np.multiply(dh_total, dn_da, out=dxw[..., 2 * H :])
    return _projection_grads(x, hs, dxw, dhh, p, dnext, cache.get("need_dx", True), out)


# --------------------------------------------------------------------------------------------
# LSTM (gates i, f, o and candidate g):
#   [i, f, o] = sigmoid(x_t Wx + h_{t-1} Wh + b)[:3H],  g = tanh(...)[3H:]
#   c_t = f * c_{t-1} + i * g
#   h_t = o * tanh(c_t)
# --------------------------------------------------------------------------------------------


def lstm_forward(x, h0, p, activation=None, mask=None):
    """Inputs: x (T, N, D), h0 (N, H), p {Wx (D, 4H), Wh (H, 4H), b (4H,)} in order i, f, o, g.
    Returns: h (T, N, H), cache (gates (T, N, 4H), cell state cs (T + 1, N, H), cs[0] = 0)."""
    T, N, _ = x.shape
    H = p["Wh"].shape[0]
    # sigmoid(a) = 0.5 tanh(a / 2) + 0.5: halving the i, f, o weight columns once lets ONE tanh
    # over the contiguous (N, 4H) block give all four gates (strided slices are 2-3x slower).
    half = _per_gate((0.5, 0.5, 0.5, 1.0), H, x.dtype)  # (4H,) scale per column
    shift = _per_gate((0.5, 0.5, 0.5, 0.0), H, x.dtype)  # (4H,) offset per column
    xw = _project(x, {"Wx": p["Wx"] * half, "b": p["b"] * half})  # (T, N, 4H), scaled
    Whs = p["Wh"] * half
    hs = np.empty((T + 1, N, H), x.dtype)
    hs[0] = h0
    cs = np.empty((T + 1, N, H), x.dtype)
    cs[0] = 0.0
    gates = np.empty((T, N, 4 * H), x.dtype)  # i, f, o, g
    tc = np.empty((T, N, H), x.dtype)  # tanh(c_t)
    ig = np.empty((N, H), x.dtype)
    for t in range(T):
        a = np.dot(hs[t], Whs, out=gates[t])
        a += xw[t]  # (x_t Wx + h_{t-1} Wh + b) * half
        np.tanh(a, out=a)
        a *= half
        a += shift  # i, f, o = sigmoid(.), g = tanh(.)
        i, f, o, g = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
        np.multiply(f, cs[t], out=cs[t + 1])  # c_t = f * c_{t-1} + i * g
        cs[t + 1] += np.multiply(i, g, out=ig)
        np.tanh(cs[t + 1], out=tc[t])
        np.multiply(o, tc[t], out=hs[t + 1])  # h_t = o * tanh(c_t)
        if mask is not None:
            hs[t + 1] *= mask
    cache = {"cell": "lstm", "x": x, "hs": hs, "cs": cs, "gates": gates, "tc": tc, "p": p}
    return hs[1:], cache


def lstm_backward(dh, cache, out=None):
    """Inputs: dh (T, N, H), cache. Returns: dx (T, N, D), dh0 (N, H), grads {Wx, Wh, b}."""
    x, hs, cs, gates, tc, p = (cache[k] for k in ("x", "hs", "cs", "gates", "tc", "p"))
    T, N, H = dh.shape
    WhT = p["Wh"].T
    i, f, o, g = (gates[..., k * H : (k + 1) * H] for k in range(4))
    # Local derivatives for all steps at once. dL/da for the gates i, f, g is dL/dc_t times
    # local[t] (gate blocks i, f, o, g as (T, N, 4, H)), so one broadcast multiply gives them all;
    # the o block is dL/dh_t times its local derivative and is written over afterwards.
    local = np.multiply(gates, 1.0 - gates).reshape(T, N, 4, H)  # sigmoid' = s (1 - s) for i, f, o
    local[:, :, 0] *= g  # dc_t/da_i = g i (1 - i)
    local[:, :, 1] *= cs[:-1]  # dc_t/da_f = c_{t-1} f (1 - f)
    local[:, :, 2] *= tc  # dh_t/da_o = tanh(c_t) o (1 - o)
    np.multiply(i, 1.0 - g * g, out=local[:, :, 3])  # dc_t/da_g = i (1 - g^2)
    dc_dh = o * (1.0 - tc * tc)  # dc_t/dh_t: h_t = o tanh(c_t)
    fc = np.ascontiguousarray(f)  # contiguous: read every step
    da = np.empty((T, N, 4 * H), x.dtype)  # dL/da_t for i, f, o, g
    dh_total = np.empty((T, N, H), x.dtype)
    dnext = np.zeros((N, H), x.dtype)  # dL/dh_t from step t + 1
    dc = np.zeros((N, H), x.dtype)  # dL/dc_t, accumulates through c_{t+1} = f c_t + ...
    via_h = np.empty((N, H), x.dtype)
    for t in reversed(range(T)):
        dht = np.add(dh[t], dnext, out=dh_total[t])
        dc += np.multiply(dht, dc_dh[t], out=via_h)
        da_t = np.multiply(local[t], dc[:, None, :], out=da[t].reshape(N, 4, H))  # i, f, (o), g at once
        np.multiply(dht, local[t, :, 2], out=da_t[:, 2])  # o: from dL/dh_t, not dL/dc_t
        dc *= fc[t]  # dL/dc_{t-1} through the forget gate
        np.dot(da[t], WhT, out=dnext)
    cache["dh_total"] = dh_total
    return _projection_grads(x, hs, da, da, p, dnext, cache.get("need_dx", True), out)


FORWARD = {"rnn": rnn_forward, "gru": gru_forward, "lstm": lstm_forward}
BACKWARD = {"rnn": rnn_backward, "gru": gru_backward, "lstm": lstm_backward}

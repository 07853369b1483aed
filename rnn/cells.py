"""Recurrent layers as forward/backward pairs (in the style of cs231n's rnn_layers.py).

Shapes: N batch, T timesteps, D input size, H hidden size, G gates (rnn 1, gru 3, lstm 4).
Tensors are time-major: x (T, N, D), h (T, N, H), so h[t] is one (N, H) block (for the GRU
and LSTM a transposed view of the contiguous (H, N) block their loops use).

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

Three things make these fast without hiding the equations:
- the weight gradients are one matmul each over all timesteps after the backward loop (and the
  RNN's input projection x_t Wx + b is one matmul for all timesteps before the loop);
- the GRU and LSTM loops work on (features, N) blocks: one matmul with stacked weights
  [Wh; Wx; b]^T per step gives every pre-activation, and every gate is a contiguous block of
  rows (see _stacked_inputs); their h, hs, cs, gates and dh_total are (T, N, ...) views;
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
# GRU and LSTM: inside the loop each step's state is a (features, N) block, one column per sample.
# A step's input [h_{t-1}; x_t; 1] is the contiguous block hx[t] (H + D + 1, N), so ONE matmul with
# the stacked weights W = [Wh; Wx; b]^T gives every pre-activation, bias included, and every gate
# is a contiguous block of rows (numpy's per-call overhead, not arithmetic, dominates at this size,
# and strided gate slices cost 2-3x more per op). h, hs and the gates come back as (T, N, ...) views.
# --------------------------------------------------------------------------------------------


def _stacked_inputs(x, h0):
    """hx (T + 1, H + D + 1, N): hx[t] = [h_{t-1}; x_t; 1]; the loop writes h_t into hx[t + 1, :H]."""
    T, N, D = x.shape
    H = h0.shape[1]
    hx = np.empty((T + 1, H + D + 1, N), x.dtype)
    hx[0, :H] = h0.T
    hx[:T, H : H + D] = x.transpose(0, 2, 1)
    hx[:T, H + D] = 1.0
    return hx


def _stacked_weights(p, rows, h_rows, x_rows):
    """W (rows, H + D + 1): Wh^T in the rows h_rows, [Wx; b]^T in the rows x_rows, zeros elsewhere."""
    (D, _), H = p["Wx"].shape, p["Wh"].shape[0]
    W = np.zeros((rows, H + D + 1), p["Wh"].dtype)
    W[h_rows, :H] = p["Wh"].T
    W[x_rows, H : H + D] = p["Wx"].T
    W[x_rows, H + D] = p["b"]
    return W


def _stacked_grads(da, hx, p, h_rows, x_rows, out, need_dx):
    """Gradients from da (T, R, N) = dL/d(W hx[t]) at every step (rows as in _stacked_weights),
    summed over all steps and samples in ONE matmul with the step inputs hx.
    Returns: dx (T, N, D) or None, grads {Wx, Wh, b} (written into `out` if given)."""
    T, R, N = da.shape
    (D, _), H = p["Wx"].shape, p["Wh"].shape[0]
    da2 = da.transpose(1, 0, 2).reshape(R, T * N)  # (R, T*N): a copy, made once
    hx2 = np.ascontiguousarray(hx[:T].transpose(1, 0, 2)).reshape(-1, T * N)  # (H + D + 1, T*N)
    gW = np.dot(da2, hx2.T)  # sum_t da_t [h_{t-1}; x_t; 1]^T: (R, H + D + 1)
    grads = out if out is not None else {k: np.empty(v.shape, da.dtype) for k, v in p.items()}
    np.copyto(grads["Wh"], gW[h_rows, :H].T)
    np.copyto(grads["Wx"], gW[x_rows, H : H + D].T)
    np.copyto(grads["b"], gW[x_rows, H + D])
    if not need_dx:
        return None, grads
    return np.dot(p["Wx"], da2[x_rows]).reshape(D, T, N).transpose(1, 2, 0), grads  # (T, N, D) view


# --------------------------------------------------------------------------------------------
# GRU (gates r, z and candidate n, as in PyTorch):
#   r_t = sigmoid(x_t Wx_r + h_{t-1} Wh_r + b_r)        reset gate
#   z_t = sigmoid(x_t Wx_z + h_{t-1} Wh_z + b_z)        update gate
#   n_t = tanh(x_t Wx_n + b_n + r_t * (h_{t-1} Wh_n))    candidate
#   h_t = (1 - z_t) * n_t + z_t * h_{t-1}
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _gru_rows(H):
    """The GRU's stacked rows: a_r, a_z, h_{t-1} Wh_n, x_t Wx_n + b_n (kept apart: r_t multiplies
    only the third). Returns (rows, h_rows, x_rows) for _stacked_weights (cached: np.r_ is slow)."""
    x_rows = np.r_[0 : 2 * H, 3 * H : 4 * H]
    x_rows.flags.writeable = False
    return 4 * H, slice(0, 3 * H), x_rows


def gru_forward(x, h0, p, activation=None, mask=None):
    """Inputs: x (T, N, D), h0 (N, H), p {Wx (D, 3H), Wh (H, 3H), b (3H,)} in gate order r, z, n.
    Returns: h (T, N, H), cache (gates (T, N, 3H) holds r, z, n)."""
    T, N, _ = x.shape
    H = p["Wh"].shape[0]
    W = _stacked_weights(p, *_gru_rows(H))
    Ws = (
        W * _per_gate((0.5, 0.5, 1.0, 1.0), H, x.dtype)[:, None]
    )  # r, z halved: sigmoid(a) = 0.5 tanh(a/2) + 0.5
    hx = _stacked_inputs(x, h0)
    pre = np.empty((T, 4 * H, N), x.dtype)  # Ws hx[t]; the backward pass reads h_{t-1} Wh_n
    gates = np.empty((T, 3 * H, N), x.dtype)  # r, z, n
    for t in range(T):
        a = np.dot(Ws, hx[t], out=pre[t])
        rz = np.tanh(a[: 2 * H], out=gates[t, : 2 * H])
        rz *= 0.5
        rz += 0.5  # r_t, z_t
        n = np.multiply(rz[:H], a[2 * H : 3 * H], out=gates[t, 2 * H :])  # r_t * (h_{t-1} Wh_n)
        n += a[3 * H :]
        np.tanh(n, out=n)  # n_t
        h = np.subtract(hx[t, :H], n, out=hx[t + 1, :H])  # h_t = n_t + z_t (h_{t-1} - n_t)
        h *= rz[H:]
        h += n
        if mask is not None:
            h *= mask[:, None]
    hs = hx[:, :H].transpose(0, 2, 1)  # (T + 1, N, H) view
    cache = {"cell": "gru", "x": x, "hx": hx, "hs": hs, "W": W, "pre": pre, "gates_hn": gates, "p": p}
    cache["gates"] = gates.transpose(0, 2, 1)  # (T, N, 3H) view: r, z, n
    return hs[1:], cache


def gru_backward(dh, cache, out=None):
    """Inputs: dh (T, N, H), cache. Returns: dx (T, N, D), dh0 (N, H), grads {Wx, Wh, b}."""
    x, hx, W, pre, gates, p = (cache[k] for k in ("x", "hx", "W", "pre", "gates_hn", "p"))
    T, N, H = dh.shape
    dh_in = np.ascontiguousarray(dh.transpose(0, 2, 1))  # (T, H, N)
    rz, r, z, n = gates[:, : 2 * H], gates[:, :H], gates[:, H : 2 * H], gates[:, 2 * H :]
    # Local derivatives for all steps at once, in the stacked rows r, z, h_{t-1} Wh_n, x_t Wx_n + b_n:
    # dL/d(row block) = dL/dh_t * local[t].
    local = np.empty((T, 4 * H, N), x.dtype)
    s = np.subtract(1.0, rz, out=local[:, : 2 * H])  # 1 - r, 1 - z
    dn_da = np.multiply(n, n, out=local[:, 3 * H :])
    np.subtract(1.0, dn_da, out=dn_da)
    dn_da *= s[:, H:]  # dh_t/da_n = (1 - z) (1 - n^2)
    s *= rz  # sigmoid' = s (1 - s)
    local[:, :H] *= pre[:, 2 * H : 3 * H]
    local[:, :H] *= dn_da  # dh_t/da_r = dh_t/da_n * hn * r (1 - r)
    hmn = np.subtract(hx[:T, :H], n, out=local[:, 2 * H : 3 * H])
    local[:, H : 2 * H] *= hmn  # dh_t/da_z = (h_{t-1} - n) z (1 - z)
    np.multiply(dn_da, r, out=local[:, 2 * H : 3 * H])  # r_t gates h_{t-1} Wh_n
    da = np.empty((T, 4 * H, N), x.dtype)  # dL/d(stacked rows)
    dh_total = np.empty((T, H, N), x.dtype)  # dL/dh_t including the path through later steps
    dnext = np.zeros((H, N), x.dtype)
    via_z = np.empty((H, N), x.dtype)
    WhT = np.ascontiguousarray(W[:, :H].T)  # dL/dh_{t-1} through the matmul = W[:, :H]^T da_t
    for t in reversed(range(T)):
        dht = np.add(dh_in[t], dnext, out=dh_total[t])
        np.multiply(local[t].reshape(4, H, N), dht, out=da[t].reshape(4, H, N))  # every block at once
        np.dot(WhT, da[t], out=dnext)  # via h_{t-1} Wh
        dnext += np.multiply(dht, z[t], out=via_z)  # via z_t * h_{t-1}
    cache["dh_total"] = dh_total.transpose(0, 2, 1)  # (T, N, H) view
    _, h_rows, x_rows = _gru_rows(H)
    dx, grads = _stacked_grads(da, hx, p, h_rows, x_rows, out, cache.get("need_dx", True))
    return dx, dnext.T, grads


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
    W = _stacked_weights(p, 4 * H, slice(None), slice(None))
    # sigmoid(a) = 0.5 tanh(a / 2) + 0.5: halving the i, f, o rows once lets ONE tanh over the
    # (4H, N) block give all four gates.
    W *= _per_gate((0.5, 0.5, 0.5, 1.0), H, x.dtype)[:, None]
    hx = _stacked_inputs(x, h0)
    cs = np.empty((T + 1, H, N), x.dtype)
    cs[0] = 0.0
    gates = np.empty((T, 4 * H, N), x.dtype)  # i, f, o, g
    tc = np.empty((T, H, N), x.dtype)  # tanh(c_t)
    ig = np.empty((H, N), x.dtype)
    for t in range(T):
        a = np.dot(W, hx[t], out=gates[t])  # x_t Wx + h_{t-1} Wh + b, i f o halved
        np.tanh(a, out=a)
        ifo = a[: 3 * H]
        ifo *= 0.5
        ifo += 0.5  # i, f, o = sigmoid(.), g = tanh(.)
        i, f, o, g = a[:H], a[H : 2 * H], a[2 * H : 3 * H], a[3 * H :]
        c = np.multiply(f, cs[t], out=cs[t + 1])  # c_t = f * c_{t-1} + i * g
        c += np.multiply(i, g, out=ig)
        np.tanh(c, out=tc[t])
        h = np.multiply(o, tc[t], out=hx[t + 1, :H])  # h_t = o * tanh(c_t)
        if mask is not None:
            h *= mask[:, None]
    hs = hx[:, :H].transpose(0, 2, 1)  # (T + 1, N, H) view
    cache = {"cell": "lstm", "x": x, "hx": hx, "hs": hs, "cs_hn": cs, "gates_hn": gates, "tc": tc, "p": p}
    cache["cs"], cache["gates"] = cs.transpose(0, 2, 1), gates.transpose(0, 2, 1)  # (T, N, .) views
    return hs[1:], cache


def lstm_backward(dh, cache, out=None):
    """Inputs: dh (T, N, H), cache. Returns: dx (T, N, D), dh0 (N, H), grads {Wx, Wh, b}."""
    x, hx, cs, gates, tc, p = (cache[k] for k in ("x", "hx", "cs_hn", "gates_hn", "tc", "p"))
    T, N, H = dh.shape
    dh_in = np.ascontiguousarray(dh.transpose(0, 2, 1))  # (T, H, N)
    i, f, o, g = (gates[:, k * H : (k + 1) * H] for k in range(4))
    # Local derivatives for all steps at once. dL/da for the gates i, f, g is dL/dc_t times
    # local[t] (row blocks i, f, o, g), so one broadcast multiply gives them all; the o block is
    # dL/dh_t times its local derivative and is written over afterwards.
    local = np.subtract(1.0, gates)
    local *= gates  # sigmoid' = s (1 - s) for i, f, o
    local[:, :H] *= g  # dc_t/da_i = g i (1 - i)
    local[:, H : 2 * H] *= cs[:-1]  # dc_t/da_f = c_{t-1} f (1 - f)
    local[:, 2 * H : 3 * H] *= tc  # dh_t/da_o = tanh(c_t) o (1 - o)
    lg = np.multiply(g, g, out=local[:, 3 * H :])
    np.subtract(1.0, lg, out=lg)
    lg *= i  # dc_t/da_g = i (1 - g^2)
    dc_dh = np.multiply(tc, tc)
    np.subtract(1.0, dc_dh, out=dc_dh)
    dc_dh *= o  # dc_t/dh_t: h_t = o tanh(c_t)
    da = np.empty((T, 4 * H, N), x.dtype)  # dL/da_t for i, f, o, g
    dh_total = np.empty((T, H, N), x.dtype)
    dnext = np.zeros((H, N), x.dtype)  # dL/dh_t from step t + 1
    dc = np.zeros((H, N), x.dtype)  # dL/dc_t, accumulates through c_{t+1} = f c_t + ...
    via_h = np.empty((H, N), x.dtype)
    Wh = p["Wh"]  # dL/dh_{t-1} = Wh da_t
    for t in reversed(range(T)):
        dht = np.add(dh_in[t], dnext, out=dh_total[t])
        dc += np.multiply(dht, dc_dh[t], out=via_h)
        da_t = np.multiply(local[t].reshape(4, H, N), dc, out=da[t].reshape(4, H, N))  # i, f, (o), g
        np.multiply(dht, local[t, 2 * H : 3 * H], out=da_t[2])  # o: from dL/dh_t, not dL/dc_t
        dc *= f[t]  # dL/dc_{t-1} through the forget gate
        np.dot(Wh, da[t], out=dnext)
    cache["dh_total"] = dh_total.transpose(0, 2, 1)  # (T, N, H) view
    dx, grads = _stacked_grads(da, hx, p, slice(None), slice(None), out, cache.get("need_dx", True))
    return dx, dnext.T, grads


FORWARD = {"rnn": rnn_forward, "gru": gru_forward, "lstm": lstm_forward}
BACKWARD = {"rnn": rnn_backward, "gru": gru_backward, "lstm": lstm_backward}

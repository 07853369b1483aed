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
- the weight gradients are one matmul each over all timesteps after the backward loop;
- the forward loops work on (features, N) blocks: one matmul with stacked weights
  [Wh; Wx; b]^T per step gives every pre-activation (the RNN's lands straight in h_t), and
  every gate is a contiguous block of rows (see _stacked_inputs). The GRU and LSTM backward
  loops do too, and their h, hs, cs and dh_total are (T, N, ...) views, gates a (G, T, N, H)
  view; the RNN copies its hs once to (T + 1, N, H) and runs its backward loop on (N, H) blocks;
- every per-step quantity is written into a preallocated (T, ...) array with `out=`, and those
  arrays are the cache. The same cache is what `Trainer.trace` and the analysis views read:
  there is no second, instrumented forward pass.

Small cached constants (scalar, ones, per_gate, eye2) and sigmoid live in rnn.numeric; rnn.stack
stacks these layers into the networks' recurrent part.

The backward pass also stores dh_total[t] = dL/dh_t (including the path through later
timesteps) in the cache, for the gradients-through-time view.
"""

from __future__ import annotations

import functools

import numpy as np

from .numeric import eye2, ones, per_gate, scalar, sigmoid

GATES = {"rnn": (), "gru": ("r", "z", "n"), "lstm": ("i", "f", "o", "g")}
N_GATES = {"rnn": 1, "gru": 3, "lstm": 4}


def _relu(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    return np.maximum(a, 0.0, out=out)


ACTIVATIONS = {"tanh": np.tanh, "sigmoid": sigmoid, "relu": _relu}  # act(a, out) -> out


def _act_grad(name: str, h: np.ndarray) -> np.ndarray:
    """d act(a) / da, written in terms of the output h = act(a), for all timesteps at once."""
    one = scalar(1.0, h.dtype)
    if name == "tanh":
        d = np.multiply(h, h)
        return np.subtract(one, d, out=d)  # 1 - h^2
    if name == "sigmoid":
        d = np.subtract(one, h)
        d *= h
        return d  # h (1 - h)
    return (h > 0).astype(h.dtype)  # relu


# --------------------------------------------------------------------------------------------
# Stacked inputs. Inside every forward loop (and the GRU's and LSTM's backward loops) each step's state
# is a (features, N) block, one column per sample. A step's input [h_{t-1}; x_t; 1] is the contiguous
# block hx[t] (H + D + 1, N), so ONE matmul with the stacked weights W = [Wh; Wx; b]^T gives every
# pre-activation, bias included, and every gate is a contiguous block of rows (numpy's per-call
# overhead, not arithmetic, dominates at this size, and strided gate slices cost 2-3x more per op).
# The GRU's and LSTM's h, hs and gates come back as (T, N, ...) views.
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


def _stacked_all(p):
    """[Wh; Wx; b]^T (G*H, H + D + 1), a transposed view of one new array: the stacked weights
    when every row feeds from [h_{t-1}; x_t; 1] (the RNN's and LSTM's; the GRU's are split)."""
    return np.concatenate((p["Wh"], p["Wx"], p["b"][None])).T


def _stacked_grads(da, hx, p, h_map, x_map, out, need_dx):
    """Gradients from da (T, R, N) = dL/d(W hx[t]) at every step (rows as in the stacked weights W; a view is fine),
    summed over all steps and samples in ONE matmul with the step inputs hx.
    Returns: dx (T, N, D) or None, grads {Wx, Wh, b} (written into `out` if given)."""
    T, R, N = da.shape
    (D, _), H = p["Wx"].shape, p["Wh"].shape[0]
    da2 = da.transpose(1, 0, 2).reshape(R, T * N)  # (R, T*N): a copy, made once
    hx2 = np.ascontiguousarray(hx[:T].transpose(1, 0, 2)).reshape(-1, T * N)  # (H + D + 1, T*N)
    gW = np.dot(da2, hx2.T)  # sum_t da_t [h_{t-1}; x_t; 1]^T: (R, H + D + 1)
    grads = out if out is not None else {k: np.empty(v.shape, da.dtype) for k, v in p.items()}
    for r, c in h_map:
        np.copyto(grads["Wh"][:, c], gW[r, :H].T)
    for r, c in x_map:
        np.copyto(grads["Wx"][:, c], gW[r, H : H + D].T)
        np.copyto(grads["b"][c], gW[r, H + D])
    if not need_dx:
        return None, grads
    dx = sum(np.dot(p["Wx"][:, c], da2[r]) for r, c in x_map)  # (D, T*N)
    return dx.reshape(D, T, N).transpose(1, 2, 0), grads  # (T, N, D) view


# --------------------------------------------------------------------------------------------
# Vanilla RNN:  h_t = act(x_t Wx + h_{t-1} Wh + b)
# --------------------------------------------------------------------------------------------


def rnn_forward(x, h0, p, activation="tanh", mask=None):
    """Inputs: x (T, N, D), h0 (N, H), p {Wx (D, H), Wh (H, H), b (H,)}.
    Returns: h (T, N, H), cache."""
    T, N, _ = x.shape
    H = h0.shape[1]
    # The loop runs on (features, N) blocks like the GRU and LSTM (see _stacked_inputs): ONE matmul
    # with [Wh; Wx; b]^T gives a_t, written straight into h_t's rows of the next step's input.
    W = _stacked_all(p)  # (H, H + D + 1)
    hx = _stacked_inputs(x, h0)  # hx[t] = [h_{t-1}; x_t; 1]
    h_all = hx[1:, :H]  # (T, H, N) view: h_all[t] = h_t
    act = ACTIVATIONS[activation]
    for t in range(T):
        h = np.dot(W, hx[t], out=h_all[t])  # a_t = x_t Wx + h_{t-1} Wh + b
        act(h, out=h)  # h_t = act(a_t)
        if mask is not None:
            h *= mask[:, None]  # ablation: silenced units feed nothing forward
    # one transposing copy to (T + 1, N, H): the output layer and the backward pass read it contiguous
    hs = np.ascontiguousarray(hx[:, :H].transpose(0, 2, 1))  # hs[0] = h0, hs[t + 1] = h_t
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
    for t in reversed(range(T)):  # (each op's result is reused as the next one's input: fewer views)
        dht = np.add(dh[t], dnext, out=dh_total[t])  # dL/dh_t = from above + from the future
        dat = np.multiply(dht, dact[t], out=da[t])  # through the nonlinearity
        np.dot(dat, WhT, out=dnext)  # dL/dh_{t-1} via h_{t-1} Wh
    cache["dh_total"] = dh_total
    # the weight gradients: one matmul each over all timesteps
    D = x.shape[2]
    da2 = da.reshape(-1, H)  # (T*N, H)
    grads = out if out is not None else {k: np.empty(v.shape, x.dtype) for k, v in p.items()}
    np.dot(x.reshape(-1, D).T, da2, out=grads["Wx"])  # sum_t x_t^T da_t
    np.dot(hs[:-1].reshape(-1, H).T, da2, out=grads["Wh"])  # sum_t h_{t-1}^T da_t
    np.dot(ones(len(da2), x.dtype), da2, out=grads["b"])  # sum over rows: 5x faster than .sum(0)
    dx = da @ p["Wx"].T if cache.get("need_dx", True) else None
    return dx, dnext, grads


# --------------------------------------------------------------------------------------------
# GRU (gates r, z and candidate n, as in PyTorch):
#   r_t = sigmoid(x_t Wx_r + h_{t-1} Wh_r + b_r)        reset gate
#   z_t = sigmoid(x_t Wx_z + h_{t-1} Wh_z + b_z)        update gate
#   n_t = tanh(x_t Wx_n + b_n + r_t * (h_{t-1} Wh_n))    candidate
#   h_t = (1 - z_t) * n_t + z_t * h_{t-1}
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _gru_maps(H):
    """The GRU's 4H stacked rows are a_r, a_z, h_{t-1} Wh_n, x_t Wx_n + b_n (the last two kept apart:
    r_t multiplies only the third). Returns (h_map, x_map) for _stacked_grads: ((W rows, parameter
    columns), ...) slice pairs saying which rows of W hold which columns of Wh, and of Wx and b."""
    rz, n, xn = slice(0, 2 * H), slice(2 * H, 3 * H), slice(3 * H, 4 * H)
    return ((slice(0, 3 * H), slice(0, 3 * H)),), ((rz, rz), (xn, n))


def _gru_weights(p):
    """The GRU's stacked weights (4H, H + D + 1), rows as in _gru_maps, with the r and z rows negated
    (they give -a_r, -a_z): built from [Wh; Wx; b]^T."""
    H = p["Wh"].shape[0]
    W = _stacked_all(p)  # (3H, H + D + 1): rows r, z, n
    Ws = np.zeros((4 * H, W.shape[1]), W.dtype)
    np.negative(W[: 2 * H], out=Ws[: 2 * H])
    Ws[2 * H : 3 * H, :H] = W[2 * H :, :H]  # h_{t-1} Wh_n
    Ws[3 * H :, H:] = W[2 * H :, H:]  # x_t Wx_n + b_n
    return Ws


def gru_forward(x, h0, p, activation=None, mask=None):
    """Inputs: x (T, N, D), h0 (N, H), p {Wx (D, 3H), Wh (H, 3H), b (3H,)} in gate order r, z, n.
    Returns: h (T, N, H), cache (gates (3, T, N, H) holds r, z, n)."""
    T, N, _ = x.shape
    H = p["Wh"].shape[0]
    Ws = _gru_weights(p)  # (4H, H + D + 1)
    hx = _stacked_inputs(x, h0)
    pre = np.empty((4 * H, N), x.dtype)  # Ws hx[t] (scratch, one step at a time)
    inv = np.empty((T, 2 * H, N), x.dtype)  # 1 + e^-a_r, 1 + e^-a_z = 1 / r_t, 1 / z_t
    # gate-major (3, T, H, N): each gate's (T, H, N) block is contiguous for the backward pass
    gates = np.empty((3, T, H, N), x.dtype)  # r, z, n
    # for the backward pass, side by side like r and z: r_t * (h_{t-1} Wh_n) and z_t (h_{t-1} - n_t)
    rhn_zd = np.empty((2, T, H, N), x.dtype)
    rhn, zd = rhn_zd[0], rhn_zd[1]
    d = np.empty((H, N), x.dtype)  # h_{t-1} - n_t (scratch)
    # sigmoid(a) = 1 / (1 + e^-a): the loop keeps 1 + e^-a and divides by it (one op, where
    # multiplying by the gate would take two); r and z are made after the loop.
    one = scalar(1.0, x.dtype)
    # views made once: of the scratch's row blocks, and (T, ...) views that [t] indexes (the cheapest
    # view per step)
    a_rz, hn, xn = pre[: 2 * H], pre[2 * H : 3 * H], pre[3 * H :]
    inv_r, inv_z, n_all, h_all = inv[:, :H], inv[:, H:], gates[2], hx[1:, :H]
    h = hx[0, :H]
    with np.errstate(over="ignore"):  # e^-a = inf for very negative a: the gate is 0, as it should be
        for t in range(T):
            np.dot(Ws, hx[t], out=pre)  # -a_r, -a_z, h_{t-1} Wh_n, x_t Wx_n + b_n
            e = np.exp(a_rz, out=inv[t])
            e += one  # 1 / r_t, 1 / z_t
            rh = np.divide(hn, inv_r[t], out=rhn[t])  # r_t * (h_{t-1} Wh_n)
            n = np.add(rh, xn, out=n_all[t])
            np.tanh(n, out=n)  # n_t
            np.subtract(h, n, out=d)
            zd_t = np.divide(d, inv_z[t], out=zd[t])
            h = np.add(zd_t, n, out=h_all[t])  # h_t = n_t + z_t (h_{t-1} - n_t)
            if mask is not None:
                h *= mask[:, None]
    np.divide(one, inv.reshape(T, 2, H, N).transpose(1, 0, 2, 3), out=gates[:2])  # r_t, z_t for every step
    hs = hx[:, :H].transpose(0, 2, 1)  # (T + 1, N, H) view
    cache = {"cell": "gru", "x": x, "hx": hx, "hs": hs, "gates_hn": gates, "rhn_zd": rhn_zd, "p": p}
    cache["gates"] = gates.transpose(0, 1, 3, 2)  # (3, T, N, H) view: r, z, n
    return hs[1:], cache


def gru_backward(dh, cache, out=None):
    """Inputs: dh (T, N, H), cache. Returns: dx (T, N, D), dh0 (N, H), grads {Wx, Wh, b}."""
    x, hx, gates, rhn_zd, p = (cache[k] for k in ("x", "hx", "gates_hn", "rhn_zd", "p"))
    T, N, H = dh.shape
    # Local derivatives for every step at once, on the contiguous (T, H, N) block of each gate.
    # local = [dr, dz, dhn, z]: dh_t/da for the rows a_r, a_z, h_{t-1} Wh_n, and z_t = dh_t/dh_{t-1}
    # through z_t * h_{t-1}.
    one = scalar(1.0, x.dtype)
    r, z, n = gates[0], gates[1], gates[2]
    buf = np.empty((5, T, H, N), x.dtype)
    local, dn = buf[:4], buf[4]
    dr, dz, dhn = local[:3]
    np.copyto(local[3], z)
    one_rz = np.subtract(one, gates[:2])  # 1 - r, 1 - z
    np.multiply(n, n, out=dn)
    np.subtract(one, dn, out=dn)
    dn *= one_rz[1]  # dh_t/da_n = (1 - z) (1 - n^2), a_n = x_t Wx_n + b_n + r * (h_{t-1} Wh_n)
    # (1 - r) r (h_{t-1} Wh_n) and dh_t/da_z = (1 - z) z (h_{t-1} - n) in one op
    np.multiply(one_rz, rhn_zd, out=local[:2])
    dr *= dn  # dh_t/da_r = (h_{t-1} Wh_n) r (1 - r) dh_t/da_n
    np.multiply(r, dn, out=dhn)  # dh_t/d(h_{t-1} Wh_n) = r dh_t/da_n
    local = local.transpose(1, 0, 2, 3)  # (T, 4, H, N) view: local[t] is step t's four blocks
    # Like the forward's [h_{t-1}; x_t; 1], the backward stacks its step input: st[t] (5H, N) =
    # [da_r; da_z; da_hn; z_t dL/dh_t; dh[t-1] from above], so ONE matmul with [Wh, I, I] gives
    #   dL/dh_{t-1} = Wh [da_r; da_z; da_hn] + z_t dL/dh_t + dh[t-1]   (through a, z_t h_{t-1}, above)
    W_back = np.concatenate((p["Wh"], eye2(H, x.dtype)), axis=1)  # (H, 5H)
    st = np.empty((T, 5 * H, N), x.dtype)
    blocks = st.reshape(T, 5, H, N)
    blocks[1:, 4] = dh[:-1].transpose(0, 2, 1)
    blocks[0, 4] = 0.0  # h_{-1} = h0 feeds no output
    dh_total = np.empty((T + 1, H, N), x.dtype)  # dh_total[t + 1] = dL/dh_t, all paths; [0] = dL/dh0
    dh_total[T] = dh[T - 1].T
    da4, dh_after = blocks[:, :4], dh_total[1:]  # (T, ...) views, made once
    for t in reversed(range(T)):
        np.multiply(local[t], dh_after[t], out=da4[t])
        np.dot(W_back, st[t], out=dh_total[t])
    da = st[:, : 4 * H]  # dL/d(stacked rows) a_r, a_z, h_{t-1} Wh_n, x_t Wx_n + b_n ...
    np.multiply(dn, dh_after, out=blocks[:, 3])  # ... the last one made after the loop
    cache["dh_total"] = dh_after.transpose(0, 2, 1)  # (T, N, H) view
    dx, grads = _stacked_grads(da, hx, p, *_gru_maps(H), out, cache.get("need_dx", True))
    return dx, dh_total[0].T, grads


# --------------------------------------------------------------------------------------------
# LSTM (gates i, f, o and candidate g):
#   [i, f, o] = sigmoid(x_t Wx + h_{t-1} Wh + b)[:3H],  g = tanh(...)[3H:]
#   c_t = f * c_{t-1} + i * g
#   h_t = o * tanh(c_t)
# --------------------------------------------------------------------------------------------


_ALL_ROWS = (((slice(None), slice(None)),),) * 2  # h_map, x_map: every row is every gate's


def lstm_forward(x, h0, p, activation=None, mask=None):
    """Inputs: x (T, N, D), h0 (N, H), p {Wx (D, 4H), Wh (H, 4H), b (4H,)} in order i, f, o, g.
    Returns: h (T, N, H), cache (gates (4, T, N, H) holds i, f, o, g; cell state cs (T + 1, N, H), cs[0] = 0)."""
    T, N, _ = x.shape
    H = p["Wh"].shape[0]
    # sigmoid(a) = 0.5 tanh(a / 2) + 0.5: halving the i, f, o rows once lets ONE tanh over the
    # (4H, N) block give all four gates.
    W = _stacked_all(p) * per_gate((0.5, 0.5, 0.5, 1.0), H, x.dtype)[:, None]  # (4H, H + D + 1)
    hx = _stacked_inputs(x, h0)
    cs = np.empty((T + 1, H, N), x.dtype)
    cs[0] = 0.0
    gates = np.empty((T, 4 * H, N), x.dtype)  # i, f, o, g
    tc = np.empty((T, H, N), x.dtype)  # tanh(c_t)
    ig = np.empty((H, N), x.dtype)
    half = scalar(0.5, x.dtype)
    # (T, ...) views of the row blocks, made once: indexing them with [t] is the cheapest view per step
    ifo_all, h_all = gates[:, : 3 * H], hx[1:, :H]
    i_all, f_all, o_all, g_all = (gates[:, k * H : (k + 1) * H] for k in range(4))
    c = cs[0]
    for t in range(T):
        a = np.dot(W, hx[t], out=gates[t])  # x_t Wx + h_{t-1} Wh + b, i f o halved
        np.tanh(a, out=a)
        ifo = ifo_all[t]
        ifo *= half
        ifo += half  # i, f, o = sigmoid(.), g = tanh(.)
        c = np.multiply(f_all[t], c, out=cs[t + 1])  # c_t = f * c_{t-1} + i * g
        c += np.multiply(i_all[t], g_all[t], out=ig)
        tct = np.tanh(c, out=tc[t])
        h = np.multiply(o_all[t], tct, out=h_all[t])  # h_t = o * tanh(c_t)
        if mask is not None:
            h *= mask[:, None]
    hs = hx[:, :H].transpose(0, 2, 1)  # (T + 1, N, H) view
    cache = {"cell": "lstm", "x": x, "hx": hx, "hs": hs, "cs_hn": cs, "gates_hn": gates, "tc": tc, "p": p}
    cache["cs"] = cs.transpose(0, 2, 1)  # (T + 1, N, H) view
    cache["gates"] = gates.reshape(T, 4, H, N).transpose(1, 0, 3, 2)  # (4, T, N, H) view: i, f, o, g
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
    one = scalar(1.0, x.dtype)
    local = np.subtract(one, gates)
    local *= gates  # sigmoid' = s (1 - s) for i, f, o
    local[:, :H] *= g  # dc_t/da_i = g i (1 - i)
    local[:, H : 2 * H] *= cs[:-1]  # dc_t/da_f = c_{t-1} f (1 - f)
    local[:, 2 * H : 3 * H] *= tc  # dh_t/da_o = tanh(c_t) o (1 - o)
    lg = np.multiply(g, g, out=local[:, 3 * H :])
    np.subtract(one, lg, out=lg)
    lg *= i  # dc_t/da_g = i (1 - g^2)
    dc_dh = np.multiply(tc, tc)
    np.subtract(one, dc_dh, out=dc_dh)
    dc_dh *= o  # dc_t/dh_t: h_t = o tanh(c_t)
    da = np.empty((T, 4 * H, N), x.dtype)  # dL/da_t for i, f, o, g
    dh_total = np.empty((T, H, N), x.dtype)
    dnext = np.zeros((H, N), x.dtype)  # dL/dh_t from step t + 1
    dc = np.zeros((H, N), x.dtype)  # dL/dc_t, accumulates through c_{t+1} = f c_t + ...
    via_h = np.empty((H, N), x.dtype)
    Wh = p["Wh"]  # dL/dh_{t-1} = Wh da_t
    local4, da4 = local.reshape(T, 4, H, N), da.reshape(T, 4, H, N)  # [t] = step t's four gate blocks
    for t in reversed(range(T)):
        dht = np.add(dh_in[t], dnext, out=dh_total[t])
        dc += np.multiply(dht, dc_dh[t], out=via_h)
        lt = local4[t]
        da_t = np.multiply(lt, dc, out=da4[t])  # i, f, (o), g
        np.multiply(dht, lt[2], out=da_t[2])  # o: from dL/dh_t, not dL/dc_t
        dc *= f[t]  # dL/dc_{t-1} through the forget gate
        np.dot(Wh, da[t], out=dnext)
    cache["dh_total"] = dh_total.transpose(0, 2, 1)  # (T, N, H) view
    dx, grads = _stacked_grads(da, hx, p, *_ALL_ROWS, out, cache.get("need_dx", True))
    return dx, dnext.T, grads


FORWARD = {"rnn": rnn_forward, "gru": gru_forward, "lstm": lstm_forward}
BACKWARD = {"rnn": rnn_backward, "gru": gru_backward, "lstm": lstm_backward}

"""Small numeric helpers shared by the cells and the output heads.

numpy's per-call overhead, not arithmetic, dominates at this network size, so constants are
made once (cached, read-only) instead of on every step.
"""

from __future__ import annotations

import functools

import numpy as np


@functools.lru_cache(maxsize=16)
def scalar(value: float, dtype: np.dtype) -> np.ndarray:
    """value as a read-only 0-d array of dtype: numpy combines that with an array ~0.4 us faster
    than a Python float, which it converts on every call (it adds up in the per-step loops)."""
    out = np.array(value, dtype)
    out.flags.writeable = False
    return out


def sigmoid(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """1 / (1 + e^-a), computed as (1 + tanh(a/2)) / 2: no overflow for large |a|."""
    half = scalar(0.5, a.dtype)
    out = np.multiply(a, half, out=out)
    np.tanh(out, out=out)
    out *= half
    out += half
    return out


@functools.lru_cache(maxsize=64)
def ones(n: int, dtype: np.dtype) -> np.ndarray:
    """(n,) read-only ones, for row sums as a matmul (cached: np.ones costs as much as the matmul)."""
    out = np.ones(n, dtype)
    out.flags.writeable = False
    return out


@functools.lru_cache(maxsize=64)
def per_gate(values: tuple[float, ...], H: int, dtype: np.dtype) -> np.ndarray:
    """(G*H,) read-only constants, one value per gate block (cached: np.repeat costs more than
    the per-step ops it feeds)."""
    out = np.repeat(np.array(values, dtype), H)
    out.flags.writeable = False
    return out


@functools.lru_cache(maxsize=64)
def eye2(H: int, dtype: np.dtype) -> np.ndarray:
    """[I, I] (H, 2H), read-only (cached: np.eye costs more than the ops it feeds)."""
    out = np.concatenate((np.eye(H, dtype=dtype),) * 2, axis=1)
    out.flags.writeable = False
    return out

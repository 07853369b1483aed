"""Centred finite differences for dict-of-arrays parameters (shared by the gradient tests)."""

from __future__ import annotations

import numpy as np


def numeric_grads(f, params: dict[str, np.ndarray], eps: float = 1e-6) -> dict[str, np.ndarray]:
    """dF/dp for every entry of every array in params, by (F(p + eps) - F(p - eps)) / 2 eps."""
    out = {}
    for name, p in params.items():
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + eps
            up = f()
            p[i] = old - eps
            down = f()
            p[i] = old
            g[i] = (up - down) / (2 * eps)
        out[name] = g
    return out


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(|a| + |b|), the scale-free error used by the checks."""
    return float(np.abs(a - b).max() / max(1e-12, (np.abs(a) + np.abs(b)).max()))

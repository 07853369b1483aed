"""Running moments of hidden states and targets, and what they give: correlations, PCA, probes."""

from __future__ import annotations

import numpy as np


class Moments:
    """Running sums of rows x (H features) and targets y (K columns), kept as one augmented Gram
    matrix G = sum z^T z with z = [x - shift, y, 1]: every sum, square and cross product at once.
    The shift (the first chunk's mean) keeps variances from cancelling catastrophically. Each
    chunk's G is one BLAS call in x's precision (float32 for states), accumulated in float64."""

    def __init__(self):
        self.shift = None
        self.G = None

    def add(self, x: np.ndarray, y: np.ndarray) -> None:
        """x (n, H), y (n, K)."""
        n, h = x.shape
        k = y.shape[1]
        if self.shift is None:
            self.shift = x.mean(axis=0, dtype=np.float64)
            self.G = np.zeros((h + k + 1, h + k + 1))
        z = np.empty((n, h + k + 1), x.dtype)
        np.subtract(x, self.shift.astype(x.dtype), out=z[:, :h])
        z[:, h : h + k] = y
        z[:, -1] = 1.0
        self.G += z.T @ z
        self.h = h

    @classmethod
    def of(cls, x: np.ndarray, y: np.ndarray) -> Moments:
        m = cls()
        m.add(x, y)
        return m

    @property
    def n(self) -> int:
        return int(round(self.G[-1, -1]))

    def _mean(self) -> np.ndarray:
        return self.G[-1, :-1] / self.G[-1, -1]  # means of [x - shift, y]

    def _cov(self) -> np.ndarray:
        mu = self._mean()
        return self.G[:-1, :-1] / self.G[-1, -1] - np.outer(mu, mu)

    @property
    def mean_x(self) -> np.ndarray:
        return self.shift + self._mean()[: self.h]

    @property
    def mean_y(self) -> np.ndarray:
        return self._mean()[self.h :]

    @property
    def cov_xx(self) -> np.ndarray:
        """(H, H) population covariance of the features."""
        return self._cov()[: self.h, : self.h]

    @property
    def cov_xy(self) -> np.ndarray:
        """(H, K) covariance of each feature with each target."""
        return self._cov()[: self.h, self.h :]

    @property
    def var_y(self) -> np.ndarray:
        return np.diag(self._cov())[self.h :]


def correlations(m: Moments) -> np.ndarray:
    """(H, K) Pearson correlation of every unit with every target (0 for a constant unit)."""
    sx = np.sqrt(np.clip(np.diag(m.cov_xx), 0.0, None))
    sy = np.sqrt(np.clip(m.var_y, 0.0, None))
    den = np.outer(sx, sy)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(den > 1e-12, m.cov_xy / np.where(den > 0, den, 1.0), 0.0)
    return np.clip(r, -1.0, 1.0)


def pca(m: Moments) -> tuple[np.ndarray, np.ndarray]:
    """Principal components by SVD of the covariance (symmetric, so U = V holds the eigenvectors).

    Returns: components (H, H), column k the k-th direction (largest variance first, sign fixed
    so its largest entry is positive); explained (H,) fraction of the total variance, descending."""
    u, s, _ = np.linalg.svd(m.cov_xx)
    flip = np.sign(u[np.abs(u).argmax(axis=0), np.arange(u.shape[1])])
    u = u * np.where(flip == 0, 1.0, flip)
    total = s.sum()
    explained = s / total if total > 0 else np.zeros_like(s)
    return u, explained


def probe(m: Moments, target: int, basis: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Least-squares linear probe y_k ~ x . w + bias over all rows (optionally with w restricted to
    the span of basis (H, d)). Returns w (H,) and bias; predict 1 where the score exceeds 0.5."""
    cxx, cxy = m.cov_xx, m.cov_xy[:, target]
    if basis is None:
        w = np.linalg.lstsq(cxx, cxy, rcond=1e-10)[0]
    else:
        w = basis @ np.linalg.lstsq(basis.T @ cxx @ basis, basis.T @ cxy, rcond=1e-10)[0]
    return w, float(m.mean_y[target] - m.mean_x @ w)

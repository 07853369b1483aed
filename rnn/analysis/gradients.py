"""Gradients through time: how ||dL/dh_t|| shrinks or grows with the distance to the loss, for the
current model and for fresh networks of each kind."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..config import Config
from ..data import encode
from ..model import Model
from .operands import check_layer, random_operands

GRADIENT_KINDS = ("sigmoid", "tanh", "relu", "lstm")  # fresh networks to compare gradients with


@dataclass(frozen=True)
class GradientCurve:
    name: str  # "current" or a fresh network kind: sigmoid | tanh | relu | lstm
    distance: np.ndarray  # (T,) steps between h_t and the loss: 0 = the last step
    norm: np.ndarray  # (T,) mean over sequences of ||dL/dh_t|| (each sequence's own loss)
    grad_norm: float  # global norm of all parameter gradients of the batch loss
    clip_factor: float  # min(1, clip / grad_norm): what global-norm clipping multiplies by (1 = off)

    @property
    def clipped(self) -> np.ndarray:
        """||dL/dh_t|| after clipping: every gradient is scaled by the same factor."""
        return self.norm * self.clip_factor

    @property
    def fall(self) -> float:
        """How many times smaller ||dL/dh_t|| is at the first step than at the last (< 1: it grew)."""
        first = self.norm[0]
        return float(self.norm[-1] / first) if first > 0 else float("inf")


def with_clip(curve: GradientCurve, clip: float) -> GradientCurve:
    """The same curve with global-norm clipping at `clip` (0 = off): one factor for every step."""
    factor = min(1.0, clip / curve.grad_norm) if clip > 0 and curve.grad_norm > 0 else 1.0
    return dataclasses.replace(curve, clip_factor=factor)


def as_float64(model: Model) -> Model:
    """A float64 copy of a model (gradients over 64 steps can underflow float32)."""
    return Model(
        model.cfg.replace(dtype="float64"), {k: v.astype(np.float64) for k, v in model.params.items()}
    )


def fresh_model(
    kind: str, hidden: int, layers: int = 1, seed: int = 0, recurrent_scale: float = 1.0
) -> Model:
    """An untrained float64 network of a kind in GRADIENT_KINDS, its recurrent weights Wh scaled
    by `recurrent_scale` (> 1 to make gradients explode). Other settings are Config's defaults."""
    if kind not in GRADIENT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(GRADIENT_KINDS)}; got {kind!r}")
    cell, act = ("lstm", Config().activation) if kind == "lstm" else ("rnn", kind)
    cfg = Config(cell=cell, activation=act, hidden=hidden, layers=layers, seed=seed, dtype="float64")
    model = Model.create(cfg)
    params = {k: (v * recurrent_scale if k.startswith("Wh") else v) for k, v in model.params.items()}
    return Model(cfg, params)


def gradient_through_time(
    model: Model,
    bits: int = 32,
    pairs: int = 256,
    seed: int = 0,
    layer: int | None = None,
    clip: float = 0.0,
    name: str = "current",
) -> GradientCurve:
    """||dL/dh_t|| for a loss on the LAST output only (the final carry-out bit, which depends on
    every earlier column), by the engine's own backward pass in float64. The model is untouched."""
    layer = check_layer(model, layer)
    m64 = model if model.dtype == np.float64 else as_float64(model)
    ops = random_operands(bits, pairs, seed)
    _, cache = m64.forward(encode(ops.a, ops.b))
    _, dz = m64.loss(cache, ops.sum.T.astype(np.float64))  # the engine's dL/dlogit (T, N)
    dz[:-1] = 0.0  # keep the loss of the last step only
    grads = m64.backward(dz, cache)
    dh = cache["layers"][layer - 1]["dh_total"] * pairs  # (T, N, H): each sequence's own loss
    norm = np.sqrt(np.einsum("tnh,tnh->tn", dh, dh)).mean(axis=1)  # (T,)
    g = float(np.sqrt(sum(np.vdot(v, v) for v in grads.values())))
    curve = GradientCurve(name, np.arange(ops.steps)[::-1].copy(), norm, g, 1.0)
    return with_clip(curve, clip)


def gradient_comparison(
    model: Model,
    bits: int = 32,
    kinds=GRADIENT_KINDS,
    recurrent_scale: float = 1.0,
    clip: float = 0.0,
    pairs: int = 256,
    seed: int = 0,
) -> list[GradientCurve]:
    """The current model's curve and those of fresh networks of each kind with the same size."""
    cfg = model.cfg
    curves = [gradient_through_time(model, bits, pairs, seed, clip=clip)]
    for kind in kinds:
        fresh = fresh_model(kind, cfg.hidden, cfg.layers, cfg.seed, recurrent_scale)
        curves.append(gradient_through_time(fresh, bits, pairs, seed, clip=clip, name=kind))
    return curves

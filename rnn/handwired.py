"""A vanilla RNN wired by hand that adds exactly at any width: proof that 3 units can carry.

Three sigmoid units count how many of a_t, b_t and the incoming carry are 1:

    u1_t = sigmoid(s (a_t + b_t + c_{t-1} - 0.5))    fires when a_t + b_t + carry >= 1
    u2_t = sigmoid(s (a_t + b_t + c_{t-1} - 1.5))    fires when ... >= 2: this IS the carry out
    u3_t = sigmoid(s (a_t + b_t + c_{t-1} - 2.5))    fires when ... >= 3
    c_t  = u2_t                                      fed back to every unit through Wh (row 2)
    sum bit p_t = sigmoid(s (u1_t - u2_t + u3_t - 0.5))

Count 0 -> (0,0,0) -> sum 0; 1 -> (1,0,0) -> 1; 2 -> (1,1,0) -> 0 carry 1; 3 -> (1,1,1) -> 1 carry 1.
With steep weights (s = 20) a saturated unit is within 5e-5 of 0 or 1, so the error never grows
with the number of steps. It is an ordinary rnn.Model: evaluate, trace and analyse it like any
trained one.
"""

from __future__ import annotations

import numpy as np

from .config import Config
from .model import Model

STEEPNESS = 20.0  # s: how hard each unit switches
CARRY_UNIT = 1  # index of the ">= 2" unit, the carry
THRESHOLDS = (1, 2, 3)  # unit k fires when a_t + b_t + carry >= THRESHOLDS[k]


def handwired_config(dtype: str = "float32") -> Config:
    """The Config of the hand-wired network: 3 sigmoid units, one layer."""
    return Config(cell="rnn", hidden=3, layers=1, activation="sigmoid", dtype=dtype)


def handwired_params(steepness: float = STEEPNESS) -> dict[str, np.ndarray]:
    """Weights in the engine's layout: a_t = x_t Wx1 + h_{t-1} Wh1 + b1, z_t = h_t Wy + by.

    Wh1[i, j] is the weight from unit i (previous step) to unit j (this step)."""
    s = float(steepness)
    wx = np.full((2, 3), s)  # both input bits count once towards every unit
    wh = np.zeros((3, 3))
    wh[CARRY_UNIT, :] = s  # the carry counts once towards every unit at the next step
    b = -s * (np.array(THRESHOLDS, float) - 0.5)  # thresholds at 0.5, 1.5, 2.5
    wy = s * np.array([[1.0], [-1.0], [1.0]])  # sum bit = u1 - u2 + u3
    by = np.array([-0.5 * s])
    return {"Wx1": wx, "Wh1": wh, "b1": b, "Wy": wy, "by": by}


def handwired_model(steepness: float = STEEPNESS, dtype: str = "float32") -> Model:
    """A fresh hand-wired rnn.Model."""
    return Model(handwired_config(dtype), handwired_params(steepness))


def weight_names(model: Model) -> list[tuple[str, tuple[int, ...]]]:
    """Every single weight of a model as (parameter name, index), in parameter order."""
    return [(name, idx) for name, p in model.params.items() for idx in np.ndindex(p.shape)]


def perturb(model: Model, name: str, index, value: float) -> Model:
    """A NEW model equal to `model` except params[name][index] = value. `model` is untouched."""
    if name not in model.params:
        raise ValueError(f"no parameter named {name!r}; have {', '.join(model.params)}")
    params = {k: v.copy() for k, v in model.params.items()}
    index = tuple(np.atleast_1d(index))
    if len(index) != params[name].ndim or any(not 0 <= i < n for i, n in zip(index, params[name].shape)):
        raise ValueError(f"index {index} is outside {name} of shape {params[name].shape}")
    params[name][index] = value
    return Model(model.cfg, params)

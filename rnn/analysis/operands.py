"""Operand sets of one width with their true answers, and the hidden states of a model on them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data import ALL_PAIRS_MAX_BITS, SAMPLE_PAIRS, SAMPLE_SEED, add_bits, check_bits, encode, eval_operands
from ..model import Model

CHUNK_PAIRS = 8192  # operand pairs per forward pass when streaming hidden states
TARGETS = ("carry", "sum")  # the two quantities probed in every hidden state


@dataclass(frozen=True)
class Operands:
    """Operand pairs of one width with the true answers: arrays (N, T) uint8, least significant first."""

    bits: int  # operand width; T = bits + 1 timesteps
    a: np.ndarray  # (N, T) bits of a
    b: np.ndarray  # (N, T) bits of b
    sum: np.ndarray  # (N, T) bits of a + b
    carry: np.ndarray  # (N, T) true carry out of column t (into column t + 1)

    @property
    def pairs(self) -> int:
        return self.a.shape[0]

    @property
    def steps(self) -> int:
        return self.a.shape[1]


def operand_set(bits: int, max_pairs: int | None = None) -> Operands:
    """The evaluation pairs of a width: all 2^n x 2^n up to 8 bits, else the engine's fixed sample
    of 65 536 pairs. With max_pairs, at most that many: a fixed random subset of all pairs, or
    above 8 bits a fixed random sample of its own (cheaper than drawing 65 536 to keep a few)."""
    bits = check_bits(bits)
    if max_pairs is not None and bits > ALL_PAIRS_MAX_BITS and max_pairs < SAMPLE_PAIRS:
        return random_operands(bits, max_pairs, seed=SAMPLE_SEED)
    a, b = eval_operands(bits)
    if max_pairs is not None and a.shape[0] > max_pairs:
        keep = np.sort(np.random.default_rng(bits).choice(a.shape[0], size=max_pairs, replace=False))
        a, b = a[keep], b[keep]
    s, c = add_bits(a, b)
    return Operands(bits, a, b, s, c)


def random_operands(bits: int, pairs: int, seed: int = 0) -> Operands:
    """`pairs` random operand pairs of width 1..64 (independent uniform bits)."""
    bits = check_bits(bits)
    ab = np.random.default_rng([seed, bits]).integers(0, 2, size=(2, pairs, bits + 1), dtype=np.uint8)
    ab[:, :, -1] = 0
    s, c = add_bits(ab[0], ab[1])
    return Operands(bits, ab[0], ab[1], s, c)


def check_layer(model: Model, layer: int | None) -> int:
    layer = model.cfg.layers if layer is None else int(layer)
    if not 1 <= layer <= model.cfg.layers:
        raise ValueError(f"layer must be from 1 to {model.cfg.layers}; got {layer}")
    return layer


def state_chunks(
    model: Model, ops: Operands, layer: int | None = None, chunk: int = CHUNK_PAIRS, unit_mask=None
):
    """Yield (start, states, prob) over the pairs in chunks: states (T, n, H) float32 = h_t of
    `layer` for pairs start .. start + n - 1, read from the forward caches; prob (T, n) the outputs."""
    layer = check_layer(model, layer)
    for start in range(0, ops.pairs, chunk):
        x = encode(ops.a[start : start + chunk], ops.b[start : start + chunk])
        prob, cache = model.forward(x, unit_mask=unit_mask)
        yield start, cache["layers"][layer - 1]["hs"][1:].astype(np.float32, copy=False), prob


def collect_states(model: Model, ops: Operands, layer: int | None = None) -> np.ndarray:
    """All hidden states (T, N, H) float32 of `layer` (N * T * H * 4 bytes: keep N modest)."""
    return np.concatenate([s for _, s, _ in state_chunks(model, ops, layer)], axis=1)


def state_targets(ops: Operands, start: int, n: int) -> np.ndarray:
    """(T * n, 2) float32 targets carry, sum (0 or 1) for the rows of a chunk, time-major like its states."""
    sl = slice(start, start + n)
    return np.stack([ops.carry[sl].T.reshape(-1), ops.sum[sl].T.reshape(-1)], axis=1).astype(np.float32)

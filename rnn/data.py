"""Binary addition as a sequence task, read least significant bit first.

For n-bit operands the network sees T = n + 1 timesteps: at step t the inputs are bit t of a and
of b (both 0 at the last step) and the target is bit t of a + b, so the carry-out is emitted too.

Inside the engine arrays are time-major: x (T, N, 2), y (T, N, 1), float64.
Operands of up to 64 bits are handled as bit arrays (uint8), never as machine integers, so the
sum of two 64-bit operands (65 bits) is exact.
"""

from __future__ import annotations

import functools

import numpy as np

from .config import EVAL_BITS

ALL_PAIRS_MAX_BITS = 8  # up to here "all pairs" means all 2^n x 2^n of them
SAMPLE_PAIRS = 65536  # above it, a fixed random sample of this many pairs
SAMPLE_SEED = 20240607  # the fixed sample does not depend on the run's seed


def check_bits(bits, low=EVAL_BITS[0], high=EVAL_BITS[1]) -> int:
    if isinstance(bits, bool) or not isinstance(bits, (int, np.integer)) or not low <= bits <= high:
        raise ValueError(f"bits must be a whole number from {low} to {high}; got {bits!r}")
    return int(bits)


def sample_batch(rng: np.random.Generator, bits: int, n: int, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """A training batch of uniformly random operand pairs in [0, 2^bits) (bits <= 16 here).

    Returns x (T, N, 2) and y (T, N, 1) in `dtype`, T = bits + 1.
    """
    ab = rng.integers(0, 1 << bits, size=(n, 2), dtype=np.int32)  # (N, 2) operands a, b
    shifts = np.arange(bits + 1, dtype=np.int32)[:, None]  # (T, 1)
    x = (ab.reshape(1, -1) >> shifts) & 1  # (T, 2N): long inner loops, much faster than (T, N, 2) broadcasting
    y = ((ab[:, 0] + ab[:, 1]) >> shifts) & 1  # (T, N)
    return x.reshape(bits + 1, n, 2).astype(dtype), y[..., None].astype(dtype)


class BatchStream:
    """Training batches from a seeded generator, drawn and encoded a pool at a time.

    Drawing and encoding random numbers has a large fixed cost per call, so batches are
    cut from a pool of POOL encoded pairs (small enough to stay in cache). The stream is reproducible from its seed and can be
    saved and restored exactly (state() / set_state())."""

    POOL = 1024

    def __init__(self, seed: int, dtype="float32"):
        self.rng = np.random.default_rng([seed, 1])
        self.dtype = np.dtype(dtype)
        self.bits, self.pos, self.pool_state = None, self.POOL, None

    def next(self, bits: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        """x (T, n, 2) input bits and y (T, n) sum bits for n fresh random pairs."""
        if bits != self.bits or self.pos + n > self.POOL:
            self._refill(bits)
        s = slice(self.pos, self.pos + n)
        self.pos += n
        return self.x[:, s], self.y[:, s]

    def _refill(self, bits: int) -> None:
        self.pool_state = self.rng.bit_generator.state
        self.bits, self.pos = bits, 0
        self.x, y = sample_batch(self.rng, bits, self.POOL, self.dtype)  # small arrays: no page faults
        self.y = y[..., 0]

    def state(self) -> dict:
        return {"pool_state": self.pool_state, "bits": self.bits, "pos": self.pos}

    def set_state(self, state: dict) -> None:
        if state["bits"] is None:  # nothing drawn yet
            return
        bits, pos = state["bits"], state["pos"]
        # a saved file may come from anywhere: 1 << bits must stay small, pos inside the pool
        if type(bits) is not int or not 1 <= bits <= 30 or type(pos) is not int or not 0 <= pos <= self.POOL:
            raise ValueError(f"bad data stream state: bits {bits!r}, position {pos!r}")
        self.rng.bit_generator.state = state["pool_state"]
        self._refill(bits)
        self.pos = pos


def int_to_bits(value: int, width: int) -> np.ndarray:
    """Bits of a non-negative Python int, least significant first: shape (width,), uint8."""
    return np.array([(value >> t) & 1 for t in range(width)], dtype=np.uint8)


def bits_to_int(bits) -> int:
    """Inverse of int_to_bits for any length (exact Python int)."""
    return sum(int(b) << t for t, b in enumerate(bits))


def check_operand(name: str, value, bits: int) -> int:
    """An operand as a Python int, or ValueError if it does not fit in `bits` bits."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"operand {name} must be a whole number; got {value!r}")
    value = int(value)
    if not 0 <= value < (1 << bits):
        raise ValueError(f"operand {name} must be from 0 to {(1 << bits) - 1} for {bits} bits; got {value}")
    return value


def add_bits(a_bits: np.ndarray, b_bits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ripple-carry addition, vectorised over the batch.

    Inputs: a_bits, b_bits (N, T) uint8, least significant bit first (last column 0).
    Returns: sum_bits (N, T) and carry (N, T) where carry[:, t] is the carry out of column t,
    i.e. into column t + 1.
    """
    n, steps = a_bits.shape
    sum_bits = np.empty((n, steps), np.uint8)
    carry = np.empty((n, steps), np.uint8)
    c = np.zeros(n, np.uint8)
    for t in range(steps):
        total = a_bits[:, t] + b_bits[:, t] + c  # 0..3
        sum_bits[:, t] = total & 1
        c = total >> 1
        carry[:, t] = c
    return sum_bits, carry


def eval_operands(bits: int) -> tuple[np.ndarray, np.ndarray]:
    """The evaluation set for a width: operand bits a_bits, b_bits, each (N, bits + 1) uint8.

    All 2^bits x 2^bits pairs when bits <= 8 (a varies slowest), else a fixed random sample of
    65 536 pairs (the same for every run, so accuracies are comparable).
    """
    bits = check_bits(bits)
    steps = bits + 1
    if bits <= ALL_PAIRS_MAX_BITS:
        values = np.arange(1 << bits)
        col = ((values[:, None] >> np.arange(steps)) & 1).astype(np.uint8)  # (2^n, T)
        a_bits = np.repeat(col, 1 << bits, axis=0)
        b_bits = np.tile(col, (1 << bits, 1))
    else:
        rng = np.random.default_rng(SAMPLE_SEED + bits)
        ab = rng.integers(0, 2, size=(2, SAMPLE_PAIRS, steps), dtype=np.uint8)
        ab[:, :, -1] = 0
        a_bits, b_bits = ab
    return a_bits, b_bits


def eval_pairs(bits: int) -> int:
    """How many operand pairs the evaluation set of a width holds (see eval_operands)."""
    return 1 << (2 * bits) if check_bits(bits) <= ALL_PAIRS_MAX_BITS else SAMPLE_PAIRS


def eval_set(bits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The evaluation set of a width with its answers: a_bits, b_bits and sum_bits, (N, bits + 1)
    uint8 each, read-only. Constant data, made once and shared by every run (at most 4 widths,
    under 13 MB at 64 bits), so an evaluation allocates nothing the size of the set."""
    return _eval_set(check_bits(bits), ALL_PAIRS_MAX_BITS, SAMPLE_PAIRS)  # keyed by what shapes the set


@functools.lru_cache(maxsize=4)
def _eval_set(bits: int, all_pairs_max_bits: int, sample_pairs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a_bits, b_bits = eval_operands(bits)
    sum_bits, _ = add_bits(a_bits, b_bits)
    for arr in (a_bits, b_bits, sum_bits):
        arr.setflags(write=False)
    return a_bits, b_bits, sum_bits


def encode(a_bits: np.ndarray, b_bits: np.ndarray) -> np.ndarray:
    """Network input for operand bits (N, T): x (T, N, 2) float64."""
    return np.stack([a_bits.T, b_bits.T], axis=-1).astype(np.float64)

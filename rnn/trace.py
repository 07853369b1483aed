"""What the network does on one pair of operands, step by step, read from the forward caches."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .data import add_bits, bits_to_int, check_bits, check_operand, encode, int_to_bits


@dataclass
class Trace:
    """One forward pass on operands a, b. T = bits + 1 timesteps, least significant first.

    Arrays are indexed by timestep t (column t of the written sum, read right to left)."""

    a: int  # first operand
    b: int  # second operand
    bits: int  # operand width; the pass has bits + 1 timesteps
    inputs: np.ndarray  # (T, 2) input bits a_t, b_t (0, 0 at the last step)
    hidden: list[np.ndarray]  # per layer, (T, H) hidden state h_t
    gates: list[dict[str, np.ndarray]]  # per layer, name -> (T, H): GRU r z n; LSTM i f o g and c (cell state)
    prob: np.ndarray  # (T,) output probability that sum bit t is 1
    predicted_bits: np.ndarray  # (T,) 0/1, prob > 0.5
    true_bits: np.ndarray  # (T,) 0/1, bit t of a + b
    carry: np.ndarray  # (T,) 0/1, true carry out of column t into column t + 1
    predicted_sum: int = 0  # the network's answer as an integer
    true_sum: int = 0  # a + b
    wrong: np.ndarray = field(default=None)  # (T,) bool, predicted bit differs from the true bit

    @property
    def steps(self) -> int:
        return len(self.prob)

    @property
    def correct(self) -> bool:
        return self.predicted_sum == self.true_sum

    @property
    def carry_in(self) -> np.ndarray:
        """(T,) the true carry coming into column t (0 for the first column)."""
        return np.concatenate([[0], self.carry[:-1]]).astype(np.uint8)


def make_trace(model, a, b, bits: int) -> Trace:
    """Run `model` once on (a, b) at width `bits` and package what its caches hold."""
    bits = check_bits(bits)
    a, b = check_operand("a", a, bits), check_operand("b", b, bits)
    steps = bits + 1
    a_bits, b_bits = int_to_bits(a, steps)[None], int_to_bits(b, steps)[None]  # (1, T)
    sum_bits, carry = add_bits(a_bits, b_bits)
    prob, cache = model.forward(encode(a_bits, b_bits))  # the one forward pass
    hidden, gates = [], []
    names = model.gate_names()
    for lc in cache["layers"]:
        hidden.append(lc["hs"][1:, 0, :].copy())
        g = {name: lc["gates"][k][:, 0, :].copy() for k, name in enumerate(names)}  # gates (G, T, N, H)
        if "cs" in lc:
            g["c"] = lc["cs"][1:, 0, :].copy()
        gates.append(g)
    p = prob[:, 0].copy()
    predicted = (p > 0.5).astype(np.uint8)
    return Trace(
        a=a,
        b=b,
        bits=bits,
        inputs=np.stack([a_bits[0], b_bits[0]], axis=1),
        hidden=hidden,
        gates=gates,
        prob=p,
        predicted_bits=predicted,
        true_bits=sum_bits[0],
        carry=carry[0],
        predicted_sum=bits_to_int(predicted),
        true_sum=a + b,
        wrong=predicted != sum_bits[0],
    )

"""The whole hidden-state analysis of a model at one width: correlations, PCA and probes over
every hidden state of all its operand pairs, in two streamed passes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..model import Model
from .moments import Moments, correlations, pca, probe
from .operands import Operands, check_layer, operand_set, state_chunks, state_targets

KEEP_BYTES = 64 << 20  # keep the streamed states for the second pass if they fit in this


@dataclass(frozen=True)
class StateSample:
    """A stratified sample of hidden states for scatter plots (statistics use all of them)."""

    pc: np.ndarray  # (n, 2) coordinates on the first two principal components
    plane: np.ndarray  # (n, 2) probe-plane coordinates: carry-probe score, sum-probe score
    carry: np.ndarray  # (n,) true carry out of this column
    sum: np.ndarray  # (n,) true sum bit of this column
    ab: np.ndarray  # (n,) a_t + b_t: 0, 1 or 2
    t: np.ndarray  # (n,) timestep (column)


@dataclass(frozen=True)
class StateAnalysis:
    bits: int  # operand width analysed
    layer: int  # recurrent layer analysed (1-based)
    pairs: int  # operand pairs used (all of them up to 8 bits)
    rows: int  # hidden states analysed = pairs * (bits + 1)
    corr: np.ndarray  # (H, 2) correlation of each unit with carry, sum
    mean: np.ndarray  # (H,) mean hidden state
    components: np.ndarray  # (H, H) principal directions as columns, largest variance first
    explained: np.ndarray  # (H,) fraction of variance per component
    probes: dict  # name -> (w (H,), bias): "carry", "sum" on the full state; "carry_pca" in the PC1-PC2 plane
    accuracy: dict  # name -> fraction of rows the probe classifies right
    carry_range: np.ndarray  # (2, 2) [min, max] of the carry-probe score for true carry 0 and 1
    sample: StateSample
    exact: float  # the network's exact accuracy on these pairs (from the same forward pass)
    bit: float  # the network's bit accuracy on these pairs

    @property
    def carry_margin(self) -> float:
        """Gap between the carry-probe scores of carry 1 and carry 0 (> 0: no overlap at all)."""
        return float(self.carry_range[1, 0] - self.carry_range[0, 1])

    def ranked_units(self, target: int = 0) -> np.ndarray:
        """Unit indices by decreasing |correlation| with the target (0 carry, 1 sum)."""
        return np.argsort(-np.abs(self.corr[:, target]), kind="stable")

    def carry_neuron(self, threshold: float = 0.9) -> int | None:
        """The unit most correlated with the carry if |r| >= threshold, else None."""
        top = int(self.ranked_units()[0])
        return top if abs(self.corr[top, 0]) >= threshold else None


def _sample_rows(ops: Operands, size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(t, pair) indices of a sample stratified by (carry, a_t + b_t): equal shares per stratum."""
    rng = np.random.default_rng(seed)
    ab = ops.a.astype(np.int64) + ops.b  # (N, T)
    stratum = (ops.carry * 3 + ab).T.ravel()  # 0..5 per time-major row
    present = np.flatnonzero(np.bincount(stratum, minlength=6))
    per = max(1, size // len(present))
    picks = []
    for s in present:
        flat = np.flatnonzero(stratum == s)
        picks.append(rng.choice(flat, size=min(per, flat.size), replace=False))
    rows = np.sort(np.concatenate(picks))
    return rows // ops.pairs, rows % ops.pairs  # t, pair


class _States:
    """Streams state chunks; keeps them for a second pass when they fit in KEEP_BYTES."""

    def __init__(self, model, ops, layer):
        self.model, self.ops, self.layer = model, ops, layer
        size = ops.pairs * ops.steps * model.cfg.hidden * 4
        self.kept = [] if size <= KEEP_BYTES else None

    def first(self) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        for start, s, prob in state_chunks(self.model, self.ops, self.layer):
            if self.kept is not None:
                self.kept.append((start, s))
            yield start, s, prob

    def again(self) -> Iterator[tuple[int, np.ndarray]]:
        if self.kept is not None:
            return iter(self.kept)
        return ((start, s) for start, s, _ in state_chunks(self.model, self.ops, self.layer))


def analyse_states(
    model: Model,
    bits: int,
    layer: int | None = None,
    max_pairs: int | None = None,
    sample: int = 3000,
    seed: int = 0,
) -> StateAnalysis:
    """Correlations, PCA and probes over every hidden state of all pairs of a width (two passes)."""
    layer = check_layer(model, layer)
    ops = operand_set(bits, max_pairs)
    states = _States(model, ops, layer)
    m = Moments()
    exact = bit = 0
    for start, s, prob in states.first():  # pass 1: moments, and the network's own accuracy
        m.add(s.reshape(-1, s.shape[-1]), state_targets(ops, start, s.shape[1]))
        right = (prob > 0.5) == ops.sum[start : start + s.shape[1]].T.astype(bool)  # (T, n)
        exact += int(np.count_nonzero(right.all(axis=0)))
        bit += int(np.count_nonzero(right))
    components, explained = pca(m)
    probes = {"carry": probe(m, 0), "sum": probe(m, 1), "carry_pca": probe(m, 0, components[:, :2])}
    W = np.stack([p[0] for p in probes.values()], axis=1)  # (H, 3)
    bias = np.array([p[1] for p in probes.values()])
    W32, bias32 = W.astype(np.float32), bias.astype(np.float32)  # scores of all states in float32
    right = np.zeros(3)
    lo, hi = np.full(2, np.inf), np.full(2, -np.inf)
    st, sp = _sample_rows(ops, sample, seed)
    pc, plane = np.empty((st.size, 2)), np.empty((st.size, 2))
    for start, s in states.again():  # pass 2: every state's probe scores
        T, n, H = s.shape
        y = state_targets(ops, start, n)
        score = s.reshape(-1, H) @ W32 + bias32  # (T * n, 3)
        right += np.count_nonzero((score > 0.5) == (y[:, [0, 1, 0]] > 0.5), axis=0)
        for c in (0, 1):
            sc = score[y[:, 0] == c, 0]
            if sc.size:
                lo[c], hi[c] = min(lo[c], sc.min()), max(hi[c], sc.max())
        inside = (sp >= start) & (sp < start + n)
        if inside.any():
            h = s[st[inside], sp[inside] - start].astype(np.float64)  # (k, H)
            pc[inside] = (h - m.mean_x) @ components[:, :2]
            plane[inside] = h @ W[:, :2] + bias[:2]
    smp = StateSample(
        pc=pc,
        plane=plane,
        carry=ops.carry[sp, st],
        sum=ops.sum[sp, st],
        ab=(ops.a[sp, st] + ops.b[sp, st]).astype(np.uint8),
        t=st,
    )
    return StateAnalysis(
        bits=ops.bits,
        layer=layer,
        pairs=ops.pairs,
        rows=m.n,
        corr=correlations(m),
        mean=m.mean_x,
        components=components,
        explained=explained,
        probes=probes,
        accuracy=dict(zip(probes, right / m.n)),
        carry_range=np.stack([[lo[0], hi[0]], [lo[1], hi[1]]]),
        sample=smp,
        exact=exact / ops.pairs,
        bit=bit / (ops.pairs * ops.steps),
    )

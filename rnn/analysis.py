"""Looking inside a network: what its hidden state holds, how gradients flow, how far it generalises.

Every view of the "Inside the network" page is computed here, in numpy, from the engine's own
forward and backward passes (no second implementation of the network). Nothing here mutates a
model: ablations pass a unit mask to the forward pass, other networks are new Model objects.

Hidden states over all operand pairs of a width are streamed in chunks of pairs. Statistics are
accumulated as running moments (float64), so memory stays bounded whatever the hidden size:

    pass 1  moments of the states and the targets  -> correlations, PCA, least-squares probes
    pass 2  probe scores and PCA coordinates of every state -> accuracies, ranges, a plot sample

Rows are (pair, timestep) states: h_t after reading column t, with targets carry_t (the true carry
out of column t, which h_t must remember) and sum_t (bit t of a + b, which h_t must output).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from .config import Config
from .data import ALL_PAIRS_MAX_BITS, SAMPLE_PAIRS, SAMPLE_SEED, add_bits, check_bits, encode, eval_operands
from .model import Model
from .trainer import Trainer

CHUNK_PAIRS = 8192  # operand pairs per forward pass when streaming hidden states
KEEP_BYTES = 64 << 20  # keep the streamed states for the second pass if they fit in this
TARGETS = ("carry", "sum")  # the two quantities probed in every hidden state
LENGTH_WIDTHS = (4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64)
COMPARE_WIDTHS = (4, 6, 8, 12, 16, 24, 32, 48, 64)  # the RNN / GRU / LSTM comparison: fewer, cheaper
LENGTH_PAIRS = 4096  # pairs per width in the length-generalisation curve (a fixed random subset)
QUICK_PAIRS = 1024  # pairs of the quick "is it solved yet?" check while training to solved
GRADIENT_KINDS = ("sigmoid", "tanh", "relu", "lstm")  # fresh networks to compare gradients with


# ---------------------------------------------------------------------------------------------
# Operand sets and hidden states
# ---------------------------------------------------------------------------------------------


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


def _layer(model: Model, layer: int | None) -> int:
    layer = model.cfg.layers if layer is None else int(layer)
    if not 1 <= layer <= model.cfg.layers:
        raise ValueError(f"layer must be from 1 to {model.cfg.layers}; got {layer}")
    return layer


def state_chunks(
    model: Model, ops: Operands, layer: int | None = None, chunk: int = CHUNK_PAIRS, unit_mask=None
):
    """Yield (start, states, prob) over the pairs in chunks: states (T, n, H) float32 = h_t of
    `layer` for pairs start .. start + n - 1, read from the forward caches; prob (T, n) the outputs."""
    layer = _layer(model, layer)
    for start in range(0, ops.pairs, chunk):
        x = encode(ops.a[start : start + chunk], ops.b[start : start + chunk])
        prob, cache = model.forward(x, unit_mask=unit_mask)
        yield start, cache["layers"][layer - 1]["hs"][1:].astype(np.float32, copy=False), prob


def collect_states(model: Model, ops: Operands, layer: int | None = None) -> np.ndarray:
    """All hidden states (T, N, H) float32 of `layer` (N * T * H * 4 bytes: keep N modest)."""
    return np.concatenate([s for _, s, _ in state_chunks(model, ops, layer)], axis=1)


def _targets(ops: Operands, start: int, n: int) -> np.ndarray:
    """(T * n, 2) float32 targets carry, sum (0 or 1) for the rows of a chunk, time-major like its states."""
    sl = slice(start, start + n)
    return np.stack([ops.carry[sl].T.reshape(-1), ops.sum[sl].T.reshape(-1)], axis=1).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# Moments, correlations, PCA, probes
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# The whole hidden-state analysis of a model at one width
# ---------------------------------------------------------------------------------------------


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
    layer = _layer(model, layer)
    ops = operand_set(bits, max_pairs)
    states = _States(model, ops, layer)
    m = Moments()
    exact = bit = 0
    for start, s, prob in states.first():  # pass 1: moments, and the network's own accuracy
        m.add(s.reshape(-1, s.shape[-1]), _targets(ops, start, s.shape[1]))
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
        y = _targets(ops, start, n)
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


# ---------------------------------------------------------------------------------------------
# Accuracy, ablation and length generalisation
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Accuracy:
    bits: int  # operand width
    exact: float  # fraction of pairs whose whole sum is right
    bit: float  # fraction of sum bits that are right
    pairs: int  # pairs evaluated


def accuracy(model: Model, ops: Operands, unit_mask=None) -> Accuracy:
    """Exact and bit accuracy of `model` on a set of operands (optionally with units silenced)."""
    prob = model.predict(encode(ops.a, ops.b), unit_mask=unit_mask)  # (T, N)
    right = (prob > 0.5) == ops.sum.T.astype(bool)
    return Accuracy(ops.bits, float(right.all(axis=0).mean()), float(right.mean()), ops.pairs)


def unit_mask(model: Model, units, layer: int | None = None) -> dict[int, np.ndarray]:
    """A mask for model.forward that silences `units` (indices) of `layer`: {layer: (H,) 0/1}."""
    layer = _layer(model, layer)
    mask = np.ones(model.cfg.hidden, model.dtype)
    units = np.asarray(list(units), dtype=int)
    if units.size and (units.min() < 0 or units.max() >= model.cfg.hidden):
        raise ValueError(f"units must be from 0 to {model.cfg.hidden - 1}; got {units.tolist()}")
    mask[units] = 0.0
    return {layer: mask}


def ablation(model: Model, units, bits: int, layer: int | None = None) -> tuple[Accuracy, Accuracy]:
    """Accuracy on all pairs of a width with and without `units` of `layer` (model untouched)."""
    ops = operand_set(bits)
    return accuracy(model, ops), accuracy(model, ops, unit_mask(model, units, layer))


@dataclass(frozen=True)
class LengthCurve:
    widths: np.ndarray  # operand widths evaluated
    exact: np.ndarray  # exact accuracy at each width
    bit: np.ndarray  # bit accuracy at each width
    pairs: np.ndarray  # pairs evaluated at each width


def length_generalisation(model: Model, widths=LENGTH_WIDTHS, max_pairs: int = LENGTH_PAIRS) -> LengthCurve:
    """Exact accuracy against operand width: all pairs up to 8 bits (at most max_pairs of them,
    a fixed random subset), a fixed random sample of max_pairs above."""
    accs = [accuracy(model, operand_set(w, max_pairs)) for w in widths]
    return LengthCurve(
        widths=np.array([a.bits for a in accs]),
        exact=np.array([a.exact for a in accs]),
        bit=np.array([a.bit for a in accs]),
        pairs=np.array([a.pairs for a in accs]),
    )


def train_until_solved(
    trainer: Trainer, seconds: float, progress: Callable[[float], None] | None = None, every: int = 25
) -> bool:
    """Train until 100 % exact at the training width, divergence, or `seconds` of wall time
    (accuracy checks included). After every `every` steps a quick check on QUICK_PAIRS pairs runs;
    only when that is perfect does the full evaluation (which sets trainer.solved_step) run, so
    solved_step lands close to the first step that adds. A slow check gets proportionally more
    training between checks (checks take at most about a third of the time). Returns solved."""
    t0 = time.perf_counter()
    quick = operand_set(trainer.cfg.bits, QUICK_PAIRS)
    check = 0.0  # seconds the last check took
    while not trainer.solved and not trainer.diverged:
        left = seconds - (time.perf_counter() - t0)
        if left <= 0:
            break
        s0 = time.perf_counter()
        trainer.train_for(left, max_steps=every)
        more = min(2 * check, left) - (time.perf_counter() - s0)
        if more > 0:
            trainer.train_for(more)
        c0 = time.perf_counter()
        if accuracy(trainer.model, quick).exact == 1.0:
            trainer.accuracy()  # the full evaluation; sets trainer.solved at the first 100 %
        check = time.perf_counter() - c0
        if progress:
            progress(min(1.0, (time.perf_counter() - t0) / seconds))
    return trainer.solved


@dataclass(frozen=True)
class CellRun:
    cell: str  # rnn | gru | lstm
    steps: int  # updates run
    seconds: float  # wall time used (training and the accuracy checks)
    solved_step: int | None  # first step at 100 % exact accuracy at the training width, or None
    curve: LengthCurve  # accuracy against width afterwards


def compare_cells(
    base: Config,
    cells=("rnn", "gru", "lstm"),
    bits: int = 8,
    seconds: float = 3.0,
    widths=COMPARE_WIDTHS,
    max_pairs: int = 1024,
    progress: Callable[[str, float], None] | None = None,
) -> list[CellRun]:
    """Train one network of each cell type at `bits` (same hidden size, seed, optimiser ...) until
    solved or `seconds` of wall time, then measure how far each generalises."""
    runs = []
    for i, cell in enumerate(cells):
        trainer = Trainer(base.replace(cell=cell, bits=bits))
        t0 = time.perf_counter()

        def report(frac, i=i, cell=cell):
            if progress:
                progress(cell, (i + frac) / len(cells))

        train_until_solved(trainer, seconds, report)
        curve = length_generalisation(trainer.model, widths, max_pairs)
        runs.append(CellRun(cell, trainer.steps, time.perf_counter() - t0, trainer.solved_step, curve))
        if progress:
            progress(cell, (i + 1) / len(cells))
    return runs


# ---------------------------------------------------------------------------------------------
# Gradients through time
# ---------------------------------------------------------------------------------------------


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
    layer = _layer(model, layer)
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

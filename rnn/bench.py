"""Engine benchmark: `python -m rnn.bench` prints a table and, last, the same figures as JSON.

Everything is measured in the same run against a one-sample-at-a-time reference written like
the classic numpy tutorial (sigmoid RNN, 16 units, SGD 0.1, batch 1, 1/2 (y - p)^2 summed over
time, weights uniform in [-1, 1]), and reported as ratios, because absolute times vary between
machines. Evaluation time is excluded from every "time to solved": the steps needed are found
with an evaluation after every step (every 100 samples for the reference), then exactly that
many steps are replayed from the same seed and timed (best of 3 replays per seed and side,
interleaved, because the machine is shared).

    python -m rnn.bench            # full run (about 1.5 minutes)
    python -m rnn.bench --quick    # fewer seeds and repeats
"""

from __future__ import annotations

# One BLAS thread: set by the rnn package itself, which `python -m rnn.bench` imports before this module.
import argparse
import json
import statistics
import time

import numpy as np

from rnn import Config, Trainer
from rnn.data import add_bits, encode, eval_operands

# ---------------------------------------------------------------------------------------------
# The reference: the classic tutorial's loop, one sample and one timestep at a time.
# ---------------------------------------------------------------------------------------------


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


class Reference:
    """Classic numpy RNN adder (no biases, as in the tutorial), trained one sample at a time."""

    def __init__(self, seed: int, hidden: int = 16, bits: int = 7, lr: float = 0.1):
        self.rng = np.random.default_rng(seed)
        self.H, self.bits, self.lr = hidden, bits, lr
        self.W0 = self.rng.uniform(-1, 1, (2, hidden))  # input -> hidden
        self.Wh = self.rng.uniform(-1, 1, (hidden, hidden))  # hidden -> hidden
        self.W1 = self.rng.uniform(-1, 1, (hidden, 1))  # hidden -> output

    def train_sample(self) -> None:
        T, H = self.bits + 1, self.H
        a = int(self.rng.integers(0, 1 << self.bits))
        b = int(self.rng.integers(0, 1 << self.bits))
        c = a + b
        deltas, hs = [], [np.zeros((1, H))]
        for pos in range(T):  # forward, least significant bit first
            X = np.array([[(a >> pos) & 1, (b >> pos) & 1]])
            y = np.array([[(c >> pos) & 1]])
            h = _sigmoid(np.dot(X, self.W0) + np.dot(hs[-1], self.Wh))
            out = _sigmoid(np.dot(h, self.W1))
            deltas.append((out - y) * out * (1 - out))  # d(1/2 (y - p)^2)/dz
            hs.append(h)
        future = np.zeros((1, H))
        U0, U1, Uh = np.zeros_like(self.W0), np.zeros_like(self.W1), np.zeros_like(self.Wh)
        for pos in reversed(range(T)):  # backpropagation through time
            X = np.array([[(a >> pos) & 1, (b >> pos) & 1]])
            h, prev = hs[pos + 1], hs[pos]
            dh = (future.dot(self.Wh.T) + deltas[pos].dot(self.W1.T)) * h * (1 - h)
            U1 += h.T.dot(deltas[pos])
            Uh += prev.T.dot(dh)
            U0 += X.T.dot(dh)
            future = dh
        self.W0 -= self.lr * U0
        self.W1 -= self.lr * U1
        self.Wh -= self.lr * Uh

    def exact_accuracy(self) -> float:
        a_bits, b_bits = eval_operands(self.bits)
        sums, _ = add_bits(a_bits, b_bits)
        x = encode(a_bits, b_bits)  # (T, N, 2)
        h = np.zeros((x.shape[1], self.H))
        right = np.ones(x.shape[1], bool)
        for t in range(x.shape[0]):
            h = _sigmoid(x[t] @ self.W0 + h @ self.Wh)
            right &= (_sigmoid(h @ self.W1)[:, 0] > 0.5) == sums[:, t].astype(bool)
        return float(right.mean())


def reference_samples_to_solve(seed: int, check_every: int = 100, max_samples: int = 60000) -> int | None:
    """Samples until every 7-bit sum is right (checked every 100 samples)."""
    ref = Reference(seed)
    for n in range(1, max_samples + 1):
        ref.train_sample()
        if n % check_every == 0 and ref.exact_accuracy() == 1.0:
            return n
    return None


def reference_replay(seed: int, samples: int) -> float:
    """Training time of exactly `samples` samples from the seed, with no evaluation in between."""
    ref = Reference(seed)
    t0 = time.perf_counter()
    for _ in range(samples):
        ref.train_sample()
    return time.perf_counter() - t0


def reference_throughput(samples: int = 2000) -> float:
    ref = Reference(0)
    t0 = time.perf_counter()
    for _ in range(samples):
        ref.train_sample()
    return samples / (time.perf_counter() - t0)


# ---------------------------------------------------------------------------------------------
# Our engine
# ---------------------------------------------------------------------------------------------


def engine_steps_to_solve(cfg: Config, max_steps: int = 3000) -> int | None:
    """Steps until every 7-bit sum is right (checked after every step)."""
    t = Trainer(cfg)
    while t.steps < max_steps and not t.diverged:
        t.step(1)
        if t.accuracy() == 1.0:
            return t.steps
    return None


def engine_replay(cfg: Config, steps: int) -> float:
    """Training time of exactly `steps` steps from the seed (a fresh Trainer, reset to step 0),
    with no evaluation in between."""
    t = Trainer(cfg)
    t0 = time.perf_counter()
    t.step(steps)
    elapsed = time.perf_counter() - t0
    assert t.accuracy() == 1.0  # the replay is the same run
    return elapsed


def times_to_solve(seed: int, repeats: int) -> tuple:
    """(reference samples, reference seconds, engine steps, engine seconds) for one seed. Each
    side's time is the best of `repeats` replays, interleaved so that a busy moment on a shared
    machine hits both sides alike."""
    n_ref, n_eng = reference_samples_to_solve(seed), engine_steps_to_solve(Config(seed=seed))
    ref_s = eng_s = float("inf")
    for _ in range(repeats):
        if n_ref is not None:
            ref_s = min(ref_s, reference_replay(seed, n_ref))
        if n_eng is not None:
            eng_s = min(eng_s, engine_replay(Config(seed=seed), n_eng))
    return n_ref, ref_s if n_ref else float("nan"), n_eng, eng_s if n_eng else float("nan")


def engine_throughput(cell: str, steps: int = 300) -> float:
    """Training samples per second at hidden 16, batch 32, bits 7 (one measurement)."""
    t = Trainer(Config(cell=cell, hidden=16, batch=32, bits=7))
    t.step(20)  # warm up
    t0 = time.perf_counter()
    t.step(steps)
    return steps * 32 / (time.perf_counter() - t0)


def throughputs(repeats: int, ref_samples: int) -> dict:
    """Best of `repeats` rounds; each round measures the reference and every cell back to back,
    so a busy moment on a shared machine hits both sides of a ratio alike."""
    best = {"reference": 0.0, "rnn": 0.0, "gru": 0.0, "lstm": 0.0}
    for _ in range(repeats):
        best["reference"] = max(best["reference"], reference_throughput(ref_samples))
        for cell in ("rnn", "gru", "lstm"):
            best[cell] = max(best[cell], engine_throughput(cell))
    return best


def _timeit(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def torch_throughput(cell: str, steps: int = 200) -> float | None:
    """nn.RNN/GRU/LSTM at the same sizes on the CPU with one thread, if torch is installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    torch.manual_seed(0)
    layer = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[cell](2, 16)
    head = torch.nn.Linear(16, 1)
    opt = torch.optim.Adam([*layer.parameters(), *head.parameters()], lr=0.05)
    t = Trainer(Config(bits=7))
    x, y = t.data.next(7, 32)
    x, y = torch.tensor(np.asarray(x, np.float32)), torch.tensor(np.asarray(y, np.float32))
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="sum")

    def one():
        opt.zero_grad()
        out, _ = layer(x)
        loss = loss_fn(head(out)[..., 0], y) / 32
        loss.backward()
        opt.step()

    for _ in range(20):
        one()
    t0 = time.perf_counter()
    for _ in range(steps):
        one()
    return steps * 32 / (time.perf_counter() - t0)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="3 seeds and fewer repeats")
    args = ap.parse_args(argv)
    seeds = range(3 if args.quick else 5)
    out: dict = {"config": Config().to_dict()}

    runs = [times_to_solve(s, 2 if args.quick else 3) for s in seeds]
    ref_s = statistics.median(r[1] for r in runs)
    eng_s = statistics.median(r[3] for r in runs)
    out["solve"] = {
        "reference_samples": [r[0] for r in runs],
        "reference_seconds_median": ref_s,
        "engine_steps": [r[2] for r in runs],
        "engine_seconds_median": eng_s,
        "speedup": ref_s / eng_s,
    }

    best = throughputs(3 if args.quick else 5, 500 if args.quick else 1000)
    ref_tp = best["reference"]
    out["throughput"] = {"reference_samples_per_s": ref_tp}
    for cell in ("rnn", "gru", "lstm"):
        out["throughput"][cell] = {"samples_per_s": best[cell], "ratio": best[cell] / ref_tp}
        tt = torch_throughput(cell)
        if tt is not None:
            out["throughput"][cell]["torch_samples_per_s"] = tt
            out["throughput"][cell]["ratio_vs_torch"] = best[cell] / tt

    t = Trainer(Config())
    out["eval_all_128x128_ms"] = 1e3 * _timeit(lambda: (t._evals.clear(), t.evaluate()), 5)
    out["eval_64bit_65536_ms"] = 1e3 * _timeit(lambda: (t._evals.clear(), t.evaluate(64)), 3)
    out["trace_us"] = 1e6 * _timeit(lambda: t.trace(100, 27), 50)

    _print_table(out)
    print(json.dumps(out))
    return out


def _print_table(o: dict) -> None:
    s, tp = o["solve"], o["throughput"]
    print("RNN Adder Lab engine benchmark (same run, same machine)")
    print(f"  default config: {o['config']}")
    print(f"  {'measure':46s} {'reference':>12s} {'engine':>12s} {'ratio':>8s}")
    print(
        f"  {'time to solve 7 bits, median (ms)':46s} {1e3 * s['reference_seconds_median']:12.1f} "
        f"{1e3 * s['engine_seconds_median']:12.2f} {s['speedup']:7.0f}x"
    )
    print(f"  {'  samples / steps to solve':46s} {str(s['reference_samples']):>12s} {str(s['engine_steps']):>12s}")
    for cell in ("rnn", "gru", "lstm"):
        c = tp[cell]
        print(
            f"  {'throughput ' + cell + ' H16 B32 (samples/s)':46s} {tp['reference_samples_per_s']:12.0f} "
            f"{c['samples_per_s']:12.0f} {c['ratio']:7.1f}x"
        )
        if "torch_samples_per_s" in c:
            print(f"  {'  torch nn.' + cell.upper() + ' 1 thread (samples/s)':46s} {c['torch_samples_per_s']:12.0f} "
                  f"{'':12s} {c['ratio_vs_torch']:7.2f}x")
    print(f"  {'evaluate all 128x128 pairs (ms)':46s} {'':12s} {o['eval_all_128x128_ms']:12.2f}")
    print(f"  {'evaluate 65 536 pairs at 64 bits (ms)':46s} {'':12s} {o['eval_64bit_65536_ms']:12.2f}")
    print(f"  {'one trace(100, 27) (us)':46s} {'':12s} {o['trace_us']:12.1f}")


if __name__ == "__main__":
    main()

"""What each section of the Inside page costs: `python benchmarks/inside_costs.py` prints a table.

Measured on a solved default network with hidden 16 trained at 8 bits, so the analyses run over
all 65 536 operand pairs (589 824 hidden states). "compute" is the first, uncached computation of
a section's numbers; "figure" is building its figure(s) plus plotly's JSON encoding (what a
rerun pays with the numbers cached). Each is the median of --repeats runs (timings on a shared
machine are noisy; the minimum is printed too).

    python benchmarks/inside_costs.py              # hidden 16, 8 bits
    python benchmarks/inside_costs.py --hidden 64  # a bigger network
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # tiny matrices: threads only fight (set before numpy)

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rnn import Config, Trainer  # noqa: E402
from rnn import analysis as A  # noqa: E402
from rnn.handwired import CARRY_UNIT, handwired_model, perturb  # noqa: E402
from rnn.trace import make_trace  # noqa: E402
from rnn_app.inside import figures as F  # noqa: E402


def timed(fn, repeats: int) -> tuple[float, float, object]:
    """(median ms, min ms, last result) of fn() over `repeats` calls."""
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(1000 * (time.perf_counter() - t0))
    return statistics.median(times), min(times), out


def figure_cost(build, repeats: int) -> tuple[float, float]:
    med, low, _ = timed(lambda: [f.to_json() for f in build()], repeats)
    return med, low


def sections(model, bits: int, lang: str):
    """(name, compute(), build-figures(result)) of every section, as the page does them."""
    H = model.cfg.hidden
    sa_box = {}

    def states():
        sa_box["sa"] = A.analyse_states(model, bits)
        return sa_box["sa"]

    def carry():  # the states analysis brings the full accuracy; the ablation is one more pass
        sa = states()
        top = int(sa.ranked_units()[0])
        return sa, A.accuracy(model, A.operand_set(bits), A.unit_mask(model, [top]))

    hand = handwired_model()

    def handwired():
        broken = perturb(hand, "Wh1", (CARRY_UNIT, CARRY_UNIT), 0.0)
        return [A.accuracy(broken, A.operand_set(w, None if w <= 8 else A.LENGTH_PAIRS)) for w in (8, 32, 64)]

    def gradients():
        curves = [A.gradient_through_time(model, 32)]
        return curves + [A.gradient_through_time(A.fresh_model(k, H), 32, name=k) for k in A.GRADIENT_KINDS]

    tr = make_trace(model, 200, 100, bits)
    return [
        ("1 hidden state (one trace)", lambda: make_trace(model, 200, 100, bits),
         lambda r: [F.state_heatmap(r.hidden[0], r, "h", lang)]),
        ("2 carry neurons (states + ablation)", carry,
         lambda r: [F.correlation_bars(r[0].corr[:, 0], lang, ablated=[0])]),
        ("3 automaton (shares 2's states)", lambda: sa_box.get("sa") or states(),
         lambda r: [F.state_scatter(r, lang, "pca"), F.state_scatter(r, lang, "probe")]),
        ("4 gradients, yours only (32 bits)", lambda: [A.gradient_through_time(model, 32)],
         lambda r: [F.gradient_figure(r, lang)]),
        ("4 gradients + 4 fresh networks", gradients, lambda r: [F.gradient_figure(r, lang)]),
        ("5 length generalisation 4..64", lambda: A.length_generalisation(model),
         lambda r: [F.length_figure([("current", r.widths, r.exact)], bits, lang)]),
        ("6 weights", lambda: model.params, lambda r: [F.weight_heatmaps(r, 1, (), lang)]),
        ("7 hand-wired, one weight changed", handwired,
         lambda r: [F.weight_heatmaps(hand.params, 1, (), lang), F.state_heatmap(tr.hidden[0], tr, "h", lang)]),
    ]  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hidden", type=int, default=16)
    ap.add_argument("--bits", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--compare", action="store_true", help="also time the RNN/GRU/LSTM comparison (~15 s)")
    args = ap.parse_args()

    trainer = Trainer(Config(hidden=args.hidden, bits=args.bits))
    t0 = time.perf_counter()
    solved = A.train_until_solved(trainer, 120.0)
    print(f"network: hidden {args.hidden}, {args.bits} bits, {A.operand_set(args.bits).pairs:,} pairs; "
          f"{'solved' if solved else 'NOT solved'} after {trainer.steps} steps in {time.perf_counter() - t0:.1f} s; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")  # fmt: skip
    print(f"{'section':42s} {'compute ms':>12s} {'(min)':>8s} {'figure ms':>10s} {'(min)':>8s}")
    total = 0.0
    for name, compute, build in sections(trainer.model, args.bits, "en"):
        med, low, result = timed(compute, args.repeats)
        fmed, flow = figure_cost(lambda build=build, result=result: build(result), args.repeats)
        total += med + fmed
        print(f"{name:42s} {med:12.0f} {low:8.0f} {fmed:10.0f} {flow:8.0f}")
    print(f"{'first visit, everything uncached':42s} {total:12.0f}")
    if args.compare:
        t0 = time.perf_counter()
        runs = A.compare_cells(trainer.cfg, seconds=4.0)
        print(f"RNN/GRU/LSTM comparison: {time.perf_counter() - t0:.1f} s "
              + ", ".join(f"{r.cell} {r.steps} steps solved@{r.solved_step}" for r in runs))  # fmt: skip


if __name__ == "__main__":
    main()

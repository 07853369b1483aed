"""Text alternatives of the charts: one short sentence that states what a chart shows (pure: data
in, text out, no streamlit). A screen reader reads it in place of the chart (rnn_app.ui.a11y).

    curve_alt(step, loss, accuracy, bits=7, ...)   the learning curve (Train; Digits with bits=None)
    carry_alt(trace, lang)                        the carry animation's written addition
    reading_alt(row_probs, label, lang)           a digit read row by row
    state_alt, correlation_alt, length_alt, weights_alt        the Inside page's charts
    class_curves_alt, class_scatter_alt, sweep_alt             the Class page's board
"""

from __future__ import annotations

import numpy as np

from rnn_app.ui.strings import t


def number(x: float) -> str:
    """A loss as people read it: three significant digits, no exponent above 0.001."""
    if not np.isfinite(x):
        return str(x)
    return f"{x:.3g}" if abs(x) >= 1e-3 or x == 0 else f"{x:.1e}"


def percent(x: float) -> str:
    """0.4375 -> "43.8 %" (100 % and 0 % without decimals)."""
    return f"{100 * x:.0f} %" if x in (0.0, 1.0) else f"{100 * x:.1f} %"


def curve_alt(step: int, loss: float | None, accuracy: float | None, bits: int | None = 7,
              diverged: bool = False, lang: str = "en") -> str:  # fmt: skip
    """The learning curve in one sentence: the newest loss and step, and what the accuracy means.

    bits: the operand width of the Train page's exact accuracy ("every 7-bit sum right"); None for
    the Digits page's test accuracy. accuracy: the newest evaluation (0..1) or None."""
    if diverged:
        return t("alt.curve.diverged", lang, step=f"{step:,}")
    if loss is None or step == 0:
        return t("alt.curve.empty", lang)
    head = t("alt.curve.loss", lang, loss=number(loss), step=f"{step:,}") + t("alt.curve.sep", lang)
    if accuracy is None:
        return head + t("alt.curve.no_eval", lang)
    if bits is None:
        return head + t("alt.curve.test_acc", lang, pct=percent(accuracy))
    if accuracy >= 1.0:
        return head + t("alt.curve.all_right", lang, bits=bits)
    return head + t("alt.curve.some_right", lang, bits=bits, pct=percent(accuracy))


def _columns(cols, lang: str) -> str:
    return t("list.sep", lang).join(str(int(c)) for c in cols)


def carry_alt(trace, lang: str = "en") -> str:
    """The carry animation in a sentence or two: the sum, whether the network's answer is right
    (else which columns are wrong) and where a 1 is carried. trace: rnn.Trace."""
    T = trace.steps
    fields = dict(a=trace.a, b=trace.b, net=trace.predicted_sum, true=trace.true_sum, T=T)
    if trace.correct:
        text = t("alt.carry.right", lang, **fields)
    else:
        wrong = np.flatnonzero(trace.wrong)
        text = t("alt.carry.wrong", lang, n=len(wrong), cols=_columns(wrong, lang), **fields)
    carried = np.flatnonzero(trace.carry_in)
    if len(carried):
        return text + t("alt.carry.carries", lang, cols=_columns(carried, lang))
    return text + t("alt.carry.no_carry", lang)


def reading_alt(row_probs: np.ndarray, label: int | None, lang: str = "en") -> str:
    """A digit read row by row: the final answer and its probability, whether it is right, and
    from which row on the answer no longer changes. row_probs: (rows, 10) class probabilities
    after each row."""
    probs = np.asarray(row_probs)
    guesses = probs.argmax(axis=1)
    guess = int(guesses[-1])
    fields = dict(rows=len(probs), guess=guess, p=f"{probs[-1, guess]:.0%}")
    if label is None:
        text = t("alt.reading.nolabel", lang, **fields)
    else:
        mark = t("alt.reading.right" if guess == label else "alt.reading.wrong", lang)
        text = t("alt.reading", lang, label=int(label), mark=mark, **fields)
    changed = np.flatnonzero(guesses != guess)
    settled = int(changed[-1]) + 2 if len(changed) else 1  # rows counted from 1
    if 1 < settled < len(probs):
        text += t("alt.reading.settled", lang, row=settled)
    return text


# ---- the Inside page ------------------------------------------------------------------------------
def state_alt(values: np.ndarray, trace, name: str = "h", lang: str = "en") -> str:
    """A units x timesteps heatmap of one quantity (hidden state h, cell state c, a gate) of a trace."""
    T, H = np.shape(values)
    what = t(f"alt.inside.what.{name}" if name in ("h", "c") else "alt.inside.what.gate", lang, g=name)
    mark = t("alt.reading.right" if trace.correct else "alt.reading.wrong", lang)
    return t(
        "alt.inside.state",
        lang,
        what=what,
        H=H,
        T=T,
        a=trace.a,
        b=trace.b,
        net=trace.predicted_sum,
        mark=mark,
    )


def correlation_alt(corr: np.ndarray, lang: str = "en") -> str:
    """Bars of each unit's correlation with the carry: the strongest unit and its r."""
    corr = np.nan_to_num(np.asarray(corr, dtype=np.float64))
    top = int(np.argmax(np.abs(corr)))
    return t("alt.inside.corr", lang, H=len(corr), u=top + 1, r=f"{corr[top]:.2f}")


def length_alt(lines: list[tuple[str, np.ndarray, np.ndarray]], trained_bits: int, lang: str = "en") -> str:
    """Exact accuracy against operand width, one (name, widths, exact) per line: each line's
    accuracy at the trained width and at the widest."""
    parts = []
    for name, widths, exact in lines:
        widths, exact = np.asarray(widths), np.asarray(exact, dtype=np.float64)
        at = {int(w): float(e) for w, e in zip(widths, exact)}
        wide = int(widths.max())
        trained = at.get(trained_bits, float(exact[np.argmin(np.abs(widths - trained_bits))]))
        parts.append(t("alt.inside.length.line", lang, name=name, p=percent(trained), bits=trained_bits,
                       q=percent(at[wide]), wide=wide))  # fmt: skip
    return t("alt.inside.length", lang) + t("alt.inside.sep", lang).join(parts) + t("alt.inside.end", lang)


def weights_alt(params: dict, layer: int = 1, lang: str = "en") -> str:
    """The weight heatmaps of one layer: which matrices, and the largest weight in magnitude."""
    arrays = [
        np.asarray(params[k], dtype=np.float64) for k in (f"Wx{layer}", f"Wh{layer}", f"b{layer}", "Wy")
    ]
    biggest = max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)
    return t("alt.inside.weights", lang, layer=layer, m=number(biggest))


# ---- the Class page's board ----------------------------------------------------------------------
def class_curves_alt(n_runs: int, band, solved: int, lang: str = "en") -> str:
    """The class's learning curves: how many, how many solved, and the median loss at its last step.
    band: rnn.cohort.Band (empty steps: nobody has trained yet)."""
    text = t("alt.class.curves", lang, n=n_runs, solved=solved)
    if len(band.steps):
        text += t(
            "alt.class.median", lang, loss=number(float(band.median[-1])), step=f"{int(band.steps[-1]):,}"
        )
    return text


def class_scatter_alt(points: list[dict], x_label: str, y_label: str, lang: str = "en") -> str:
    """Two settings against each other, one dot per student; the fewest steps to solve, and by whom."""
    solved = [p for p in points if p.get("solved_step") is not None]
    text = t("alt.class.scatter", lang, x=x_label, y=y_label, n=len(points), solved=len(solved))
    if solved:
        best = min(solved, key=lambda p: p["solved_step"])
        value = lambda v: f"{v:g}" if isinstance(v, float) else v  # noqa: E731
        text += t("alt.class.scatter.best", lang, step=best["solved_step"], x=x_label, xv=value(best["x"]),
                  y=y_label, yv=value(best["y"]))  # fmt: skip
    return text


def sweep_alt(summary, label: str, lang: str = "en") -> str:
    """The class experiment: the median steps to solve at each value of the swept setting.
    summary: rnn.cohort.sweep_points."""
    value = lambda v: f"{v:g}" if isinstance(v, float) else v  # noqa: E731
    parts = [t("alt.class.sweep.point", lang, v=value(s.value), m=f"{s.median:,.0f}", k=s.solved, n=s.runs) if s.solved
             else t("alt.class.sweep.none", lang, v=value(s.value), n=s.runs) for s in summary]  # fmt: skip
    return (
        t("alt.class.sweep", lang, label=label)
        + t("alt.inside.sep", lang).join(parts)
        + t("alt.inside.end", lang)
    )

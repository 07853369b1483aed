"""Text alternatives of the charts: one short sentence that states what a chart shows (pure: data
in, text out, no streamlit). A screen reader reads it in place of the chart (rnn_app.ui.a11y).

    curve_alt(step, loss, accuracy, bits=7, ...)   the learning curve (Train; Digits with bits=None)
    carry_alt(trace, lang)                        the carry animation's written addition
    reading_alt(row_probs, label, lang)           a digit read row by row
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

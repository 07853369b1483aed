"""Why a run diverged, in the viewer's language.

The engine (rnn.optim.safe_update) says why in English, for logs and tests; the pages show its
two reasons through the strings table. Anything else is shown as the engine wrote it."""

from __future__ import annotations

import re

from rnn_app.ui.strings import t

_NONFINITE = re.compile(r"the loss or a gradient became infinite or NaN at step (\d+)")
_EXPLODED = re.compile(r"the gradient exploded \(norm (\S+)\) at step (\d+)")
_WEIGHT = re.compile(r"a weight would have grown to (\S+) at step (\d+): the learning rate \((\S+)\) is too large")


def reason(text: str, lang: str | None = None) -> str:
    if m := _NONFINITE.fullmatch(text):
        return t("diverged.nonfinite", lang, step=m.group(1))
    if m := _EXPLODED.fullmatch(text):
        return t("diverged.exploded", lang, norm=m.group(1), step=m.group(2))
    if m := _WEIGHT.fullmatch(text):
        return t("diverged.weight", lang, value=m.group(1), step=m.group(2), lr=m.group(3))
    return text

"""Focusable Play / Pause / timestep controls for a plotly animation, and the width it has.

plotly's own updatemenus and slider are SVG: no Tab stop, no keys, and laid out inside the
figure, where a narrow chart let the slider cover Pause. `controls()` draws real buttons and a
range input in a wrapping row right after the chart (anim_controls.js drives the chart with
Plotly.animate, no rerun per frame) and returns the row's width in px as the browser last
reported it, so the page can build the figure for that width (`width()` reads it before).

    width = anim_controls.width("train.carry.controls")      # None until the browser has said
    st.plotly_chart(figure_for(width), ...)                   # frames named "0".."T-1"
    anim_controls.controls("train.carry.controls", frames=T, version=..., used=width)
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from rnn_app.ui.strings import t

WIDTH_STEP = 40  # px: the browser reports a new width when it leaves its 40 px bucket
WIDTH_CAP = 720  # px: every width above this lays out the same (no report when it changes)

_JS = "".join(
    line for line in (Path(__file__).parent / "anim_controls.js").read_text(encoding="utf-8").splitlines(True)
    if not line.lstrip().startswith("//")
)  # fmt: skip
_controls = st.components.v2.component("rnn_anim_controls", js=_JS, isolate_styles=False)


def width(key: str) -> int | None:
    """The controls' width in px as the browser last reported it (bucketed), or None."""
    value = (st.session_state.get(key) or {}).get("width")
    if not isinstance(value, int | float) or value <= 0:
        return None
    return int(min(value, WIDTH_CAP)) // WIDTH_STEP * WIDTH_STEP


def controls(key: str, frames: int, version: str, used: int | None, frame_ms: int = 600, rtl: bool = False,
             report: bool = True, at: str | None = None, slider: str | None = None) -> None:  # fmt: skip
    """The control row for the animation drawn just before (frames named "0".."frames-1").

    version: changes when the figure changes (the row then goes to the last frame); used: the
    width the figure was laid out for (None: the default), so the browser reports only a width
    that lays out differently (report=False: a figure that does not depend on it); rtl: the
    columns run right to left (the slider and ← / → too); at: where the animation stands, with
    {k} (frame, from 0), {last}, {n} (k + 1) and {total}; slider: the slider's accessible name."""
    at = at or t("anim.at", k="{k}", last="{last}")
    labels = {"group": t("anim.controls"), "play": t("train.fig.play"), "pause": t("train.fig.pause"),
              "slider": slider or t("anim.slider"), "at": at}  # fmt: skip
    width = {"used": used, "step": WIDTH_STEP, "cap": WIDTH_CAP} if report else None
    data = {"frames": frames, "version": version, "frame_ms": frame_ms, "rtl": rtl, "labels": labels,
            "width": width}  # fmt: skip
    # data in a list: Streamlit scans a dict's values for dataframes (see rnn_app.ui.live)
    _controls(data=[data], key=key, on_width_change=lambda: None)

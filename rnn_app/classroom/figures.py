"""Pure figure builders of the class board: data in, plotly Figure out (no streamlit).

    class_curves(curves, band, lang)              every student's loss curve, thin, with the median and middle half
    settings_scatter(points, x, y, lang)          two settings of each run, coloured by steps to solve
    sweep_chart(points, summary, field, lang)     the class experiment: steps to solve against the swept setting

A student is a dict of plain values (steps, losses, a name, settings); statistics come from
rnn.cohort. Log axes where a setting spans decades (the learning rate).
"""

from __future__ import annotations

import math
from html import escape

import plotly.graph_objects as go

from rnn.cohort import Band, SweepPoint
from rnn_app.ui.plotting import FUTURE_COLOUR, GRID, LOSS_COLOUR, RIGHT_COLOUR, base_layout, figure
from rnn_app.ui.strings import t

LOG_FIELDS = ("lr", "batch")  # settings drawn on a log axis


def _name(point: dict) -> str:
    """A student's nickname as plotly shows it: as typed, never as markup (plotly renders <b>, <a>)."""
    return escape(str(point["name"]))
SOLVE_SCALE = [[0.0, "#0072b2"], [0.5, "#f0e442"], [1.0, "#d55e00"]]  # few steps blue, many vermillion (colour-blind safe)


def _axis(field: str, lang: str, values=()) -> dict:
    axis = dict(title=dict(text=t(f"train.w.{field}", lang)), gridcolor=GRID, zeroline=False)
    if field in LOG_FIELDS:
        axis.update(type="log", dtick=1)  # a label per decade: minor labels crowd a projected chart
    elif values and all(isinstance(v, str) for v in values):
        axis["type"] = "category"
    return axis


def class_curves(curves: list[dict], band: Band, lang: str = "en", height: int = 320) -> go.Figure:
    """curves: [{"name", "steps", "losses"}]; band: rnn.cohort.curve_band of them."""
    data = [dict(type="scatter", x=c["steps"], y=c["losses"], mode="lines", name=_name(c), showlegend=False,
                 line=dict(color="rgba(139, 92, 246, 0.28)", width=1), text=[_name(c)] * len(c["steps"]),
                 hovertemplate="%{text}: %{y:.3g}<extra></extra>")
            for c in curves if len(c["steps"])]  # fmt: skip
    if len(band.steps):
        data += [
            dict(type="scatter", x=band.steps, y=band.high, mode="lines", line=dict(width=0), hoverinfo="skip",
                 showlegend=False),
            dict(type="scatter", x=band.steps, y=band.low, mode="lines", line=dict(width=0), fill="tonexty",
                 fillcolor="rgba(139, 92, 246, 0.22)", name=t("class.fig.band", lang), hoverinfo="skip"),
            dict(type="scatter", x=band.steps, y=band.median, mode="lines", line=dict(color=LOSS_COLOUR, width=3),
                 name=t("class.fig.median", lang), hovertemplate="%{y:.3g}<extra></extra>"),
        ]  # fmt: skip
    layout = base_layout(height, title=dict(text=t("class.fig.curves", lang), x=0.01),
                         xaxis=dict(title=dict(text=t("train.fig.step", lang)), gridcolor=GRID, zeroline=False),
                         yaxis=dict(title=dict(text=t("train.fig.loss", lang)), type="log", dtick=1, gridcolor=GRID),
                         legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"),
                         margin=dict(l=8, r=8, t=48, b=8))  # fmt: skip
    return figure(data, layout)


def settings_scatter(points: list[dict], x: str, y: str, lang: str = "en", height: int = 320) -> go.Figure:
    """points: [{"name", x: value, y: value, "solved_step": int or None}]: solved runs coloured by
    their steps to solve, unsolved ones as open grey circles."""
    solved = [p for p in points if p.get("solved_step") is not None]
    waiting = [p for p in points if p.get("solved_step") is None]
    hover = "%{text}<extra></extra>"
    data = [
        dict(type="scatter", x=[p[x] for p in waiting], y=[p[y] for p in waiting], mode="markers",
             text=[_name(p) for p in waiting], name=t("class.fig.unsolved", lang), hovertemplate=hover,
             marker=dict(size=12, symbol="circle-open", color=FUTURE_COLOUR, line=dict(width=2))),
        dict(type="scatter", x=[p[x] for p in solved], y=[p[y] for p in solved], mode="markers",
             text=[f"{_name(p)}: {p['solved_step']}" for p in solved], name=t("class.fig.steps_to_solve", lang),
             hovertemplate=hover, marker=dict(size=14, color=[p["solved_step"] for p in solved],
                                              colorscale=SOLVE_SCALE, showscale=bool(solved),
                                              colorbar=dict(title=dict(text=t("class.fig.steps_to_solve", lang)),
                                                            thickness=10, outlinewidth=0, y=0, yanchor="bottom",
                                                            len=0.8))),
    ]  # fmt: skip
    layout = base_layout(height, title=dict(text=t("class.fig.scatter", lang), x=0.01),
                         xaxis=_axis(x, lang, [p[x] for p in points]), yaxis=_axis(y, lang, [p[y] for p in points]),
                         legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"),
                         margin=dict(l=8, r=8, t=48, b=8))  # fmt: skip
    return figure(data, layout)


def sweep_chart(points: list[dict], summary: list[SweepPoint], field: str, lang: str = "en",
                height: int = 340) -> go.Figure:  # fmt: skip
    """points: [{"name", "value", "solved_step"}] (one dot per student, unsolved ones drawn on top
    as an x); summary: rnn.cohort.sweep_points, drawn as the median line."""
    solved = [p for p in points if p.get("solved_step") is not None]
    waiting = [p for p in points if p.get("solved_step") is None and p.get("value") is not None]
    top = max([p["solved_step"] for p in solved] or [100]) * 1.15
    med = [s for s in summary if not math.isnan(s.median)]
    data = [
        dict(type="scatter", x=[s.value for s in med], y=[s.median for s in med], mode="lines+markers",
             name=t("class.fig.sweep_median", lang), line=dict(color=LOSS_COLOUR, width=3), marker=dict(size=9)),
        dict(type="scatter", x=[p["value"] for p in solved], y=[p["solved_step"] for p in solved], mode="markers",
             text=[_name(p) for p in solved], name=t("class.fig.student", lang), hovertemplate="%{text}: %{y}<extra></extra>",
             marker=dict(size=10, color=RIGHT_COLOUR, opacity=0.75)),
        dict(type="scatter", x=[p["value"] for p in waiting], y=[top] * len(waiting), mode="markers",
             text=[_name(p) for p in waiting], name=t("class.fig.unsolved", lang), hovertemplate="%{text}<extra></extra>",
             marker=dict(size=11, symbol="x-thin-open", color=FUTURE_COLOUR, line=dict(width=2))),
    ]  # fmt: skip
    values = [s.value for s in summary]
    layout = base_layout(height, title=dict(text=t("class.fig.sweep", lang, field=t(f"train.w.{field}", lang)), x=0.01),
                         xaxis=_axis(field, lang, values),
                         yaxis=dict(title=dict(text=t("class.fig.steps_to_solve", lang)), gridcolor=GRID,
                                    rangemode="tozero"),
                         legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"),
                         margin=dict(l=8, r=8, t=48, b=8))  # fmt: skip
    return figure(data, layout)

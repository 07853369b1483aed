"""Pure figure builders for the "Inside the network" page: data in, plotly Figure out (no streamlit).

    state_heatmap(values, trace, name, lang)          hidden state (or a gate) units x timesteps, written order
    correlation_bars(corr, lang)                      every unit's correlation with the carry, sorted
    state_scatter(analysis, lang, plane)              hidden states in the PCA plane or the probe plane
    gradient_figure(curves, lang, clipped)            ||dL/dh_t|| against distance from the loss, log y
    length_figure(lines, trained_bits, lang)          exact accuracy against operand width
    weight_heatmaps(params, layer, gates, lang)       W_xh (+ bias), W_hh, W_hy on one scale centred at 0

Figures are built from plain dicts without plotly's validation (it costs tens of ms per figure);
the tests validate the same dicts. Transparent backgrounds and mid-tone colours read on light and
dark themes; text without an explicit colour takes the theme's font colour. Units are numbered
from 1 on screen (unit k is index k - 1), as on the Train page.
"""

from __future__ import annotations

import numpy as np
import plotly.colors as pc
import plotly.graph_objects as go

from rnn.analysis import GradientCurve, StateAnalysis
from rnn.trace import Trace
from rnn_app.ui.plotting import GRID, base_layout, figure, hidden_scale, symmetric_range
from rnn_app.ui.strings import t

CARRY_COLOURS = ("#0d9488", "#7c3aed")  # carry 0 teal, carry 1 purple (the app's carry colour)
AB_SYMBOLS = ("circle", "diamond", "x")  # a_t + b_t = 0, 1, 2
POSITIVE, NEGATIVE = "#7c3aed", "#ea580c"  # correlation bars
MUTED = "#9ca3af"
# Colour scales as explicit lists: figures skip plotly's validation, which is what would turn a
# Python-side name like "RdBu_r" into colours (plotly.js knows only a few names, none reversed).
DIVERGING = pc.make_colorscale(pc.diverging.RdBu_r)  # weights: blue negative, red positive, white 0
BITS_SCALE = [[0.0, "rgba(128,128,128,0.12)"], [1.0, "rgba(124,58,237,0.85)"]]
CURVE_COLOURS = {
    "current": "#7c3aed",
    "sigmoid": "#ea580c",
    "tanh": "#0d9488",
    "relu": "#2563eb",
    "lstm": "#db2777",
    "rnn": "#7c3aed",
    "gru": "#0d9488",
}
CURVE_DASH = {"current": "solid", "rnn": "solid"}
# Lines that often coincide (every cell at 100 %): wide solid under narrower dashes, all visible.
LENGTH_STYLE = {"current": dict(width=3), "rnn": dict(width=7), "gru": dict(width=4, dash="dash"),
                "lstm": dict(width=2, dash="dot")}  # fmt: skip


# ---- 1. hidden state over time -----------------------------------------------------------------
def state_heatmap(
    values: np.ndarray, trace: Trace, name: str = "h", lang: str = "en", height: int = 360
) -> go.Figure:
    """Units x timesteps heatmap of one quantity of a trace, columns in written order (t = 0 right),
    above a strip with the input bits a_t, b_t and the true carry out of each column.

    Inputs: values (T, H) (trace.hidden[l] or a gate trace.gates[l][g]); name labels the colour bar.
    Returns: trace 0 = the state heatmap (z (H, T), z[u, j] = values[T-1-j, u]), trace 1 = the bits strip."""
    values = np.asarray(values, dtype=np.float64)
    T, H = values.shape
    x = np.arange(T, dtype=np.float64)  # heatmap columns 0..T-1 = t = T-1 .. 0
    order = np.arange(T)[::-1]  # column j shows timestep T-1-j
    zmin, zmax, scale = hidden_scale(values)
    strip = np.stack([trace.inputs[order, 0], trace.inputs[order, 1], trace.carry[order]]).astype(np.float64)
    row_names = [t("inside.fig.row.a", lang), t("inside.fig.row.b", lang), t("inside.fig.row.carry", lang)]
    ticks = dict(tickvals=x, ticktext=[f"t={c}" for c in order])
    data = [
        dict(type="heatmap", z=values.T[:, ::-1], x=x, y=np.arange(1, H + 1), zmin=zmin, zmax=zmax,
             colorscale=scale, xgap=2, ygap=1 if H <= 32 else 0, xaxis="x", yaxis="y",
             customdata=np.tile(order, (H, 1)),
             colorbar=dict(title=dict(text=name), thickness=10, len=0.7, y=1.0, yanchor="top", outlinewidth=0),
             hovertemplate=t("inside.fig.state_hover", lang, name=name) + "<extra></extra>"),
        dict(type="heatmap", z=strip, x=x, y=row_names, zmin=0, zmax=1, colorscale=BITS_SCALE, showscale=False,
             xgap=2, ygap=2, text=strip.astype(int).astype(str), texttemplate="%{text}", xaxis="x2", yaxis="y2",
             hovertemplate="%{y}: %{z}<extra></extra>"),
    ]  # fmt: skip
    strip_h = min(0.3, 75 / height)
    layout = base_layout(
        height,
        xaxis=dict(showticklabels=False, anchor="y", range=[-0.5, T - 0.5], showgrid=False, zeroline=False),
        yaxis=dict(title=dict(text=t("inside.fig.units", lang)), autorange="reversed", domain=[strip_h + 0.04, 1.0],
                   showgrid=False, zeroline=False, dtick=1 if H <= 16 else None),
        xaxis2=dict(ticks, anchor="y2", matches="x", showgrid=False, zeroline=False),
        yaxis2=dict(domain=[0.0, strip_h], autorange="reversed", showgrid=False, zeroline=False),
    )  # fmt: skip
    layout["margin"] = dict(l=8, r=8, t=10, b=8)
    return figure(data, layout)


# ---- 2. carry neurons --------------------------------------------------------------------------
def correlation_bars(
    corr: np.ndarray, lang: str = "en", threshold: float = 0.9, ablated=(), height: int = 300
) -> go.Figure:
    """Correlation r of every unit with the true carry, bars sorted by |r| (largest left).

    Inputs: corr (H,); ablated: unit indices (0-based) drawn hatched (silenced in the ablation).
    The top bar is named the carry neuron when |r| >= threshold. Bars are labelled "unit k" (1-based)."""
    corr = np.asarray(corr, dtype=np.float64)
    order = np.argsort(-np.abs(corr), kind="stable")
    labels = [t("inside.fig.unit", lang, u=int(u) + 1) for u in order]
    colours = [POSITIVE if corr[u] >= 0 else NEGATIVE for u in order]
    off = set(int(u) for u in ablated)
    data = [
        dict(type="bar", x=labels, y=corr[order], marker=dict(
            color=colours, pattern=dict(shape=["/" if int(u) in off else "" for u in order])),
             hovertemplate="%{x}: r = %{y:.3f}<extra></extra>", showlegend=False),
    ]  # fmt: skip
    line = dict(color=MUTED, width=1, dash="dot")
    shapes = [
        dict(type="line", xref="paper", x0=0, x1=1, y0=v, y1=v, line=line) for v in (threshold, -threshold)
    ]
    annotations = []
    top = int(order[0]) if corr.size else None
    if top is not None and abs(corr[top]) >= threshold:
        annotations.append(dict(x=labels[0], y=corr[top], text="<b>" + t("inside.fig.carry_neuron", lang) + "</b>",
                                showarrow=True, arrowhead=2, ay=-30 if corr[top] > 0 else 30, ax=40,
                                font=dict(color=POSITIVE)))  # fmt: skip
    layout = base_layout(
        height,
        margin=dict(l=8, r=8, t=36, b=8),
        xaxis=dict(type="category", tickangle=-45 if len(labels) > 12 else 0, showgrid=False),
        yaxis=dict(title=dict(text=t("inside.fig.corr_y", lang)), range=[-1.05, 1.15], gridcolor=GRID,
                   zeroline=True, zerolinecolor=MUTED),
        shapes=shapes,
        annotations=annotations,
        bargap=0.25,
    )  # fmt: skip
    return figure(data, layout)


# ---- 3. the automaton inside -------------------------------------------------------------------
def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def state_scatter(sa: StateAnalysis, lang: str = "en", plane: str = "pca", height: int = 460) -> go.Figure:
    """Hidden states in one plane: "pca" (the first two principal components) or "probe" (the
    carry and sum-bit probes, dotted lines at 0.5). The page draws the two side by side, or one
    above the other on a narrow screen: one plane per figure, so a title always has the chart's
    whole width.

    Colour = true carry out of the column, marker = a_t + b_t; the points are sa.sample (stratified),
    the accuracies and variances in the title are over every state. One trace per (carry, a+b)."""
    s, ex, acc = sa.sample, sa.explained, sa.accuracy
    coords = s.pc if plane == "pca" else s.plane
    data = []
    for c in (0, 1):
        for ab in (0, 1, 2):
            k = (s.carry == c) & (s.ab == ab)
            data.append(dict(
                type="scatter", mode="markers", x=coords[k, 0].astype(np.float32), y=coords[k, 1].astype(np.float32),
                name=t("inside.fig.legend", lang, c=c, ab=ab),
                marker=dict(color=CARRY_COLOURS[c], symbol=AB_SYMBOLS[ab], size=6, opacity=0.55, line=dict(width=0)),
                customdata=s.t[k].astype(np.uint8), hovertemplate=t("inside.fig.point_hover", lang, c=c, ab=ab) + "<extra></extra>",
            ))  # fmt: skip
    axis = dict(gridcolor=GRID, zeroline=False)
    if plane == "pca":
        name = t("inside.fig.pca_name", lang)
        title = t("inside.fig.pca_title", lang, acc=_pct(acc["carry_pca"]))
        x_title = t("inside.fig.pc", lang, k=1, p=_pct(ex[0]))
        y_title = t("inside.fig.pc", lang, k=2, p=_pct(ex[1] if ex.size > 1 else 0.0))
        shapes = []
    else:
        name = t("inside.fig.plane_name", lang)
        title = t("inside.fig.plane_title", lang, c=_pct(acc["carry"]), s=_pct(acc["sum"]))
        x_title, y_title = t("inside.fig.plane_x", lang), t("inside.fig.plane_y", lang)
        half = dict(dash="dot", color=MUTED, width=1)
        shapes = [dict(type="line", xref="x", yref="y domain", x0=0.5, x1=0.5, y0=0, y1=1, line=half),
                  dict(type="line", xref="x domain", yref="y", x0=0, x1=1, y0=0.5, y1=0.5, line=half)]  # fmt: skip
    layout = base_layout(
        height,
        xaxis=dict(axis, title=dict(text=x_title)),
        yaxis=dict(axis, title=dict(text=y_title)),
        shapes=shapes,
        # the title on two short lines: it fits the chart from a 390 px phone up
        annotations=[dict(text=f"<b>{name}</b><br>{title}", xref="paper", yref="paper", x=0.0, y=1.0, xanchor="left",
                          yanchor="bottom", align="left", showarrow=False, yshift=4)],
        # the legend at the figure's foot, in a bottom margin that holds it and the x title (up to two
        # rows of legend: a phone's width); placed by the plot's height it ran into the title on one row
        legend=dict(orientation="h", yref="container", y=0.0, yanchor="bottom", x=0.5, xanchor="center"),
        showlegend=True,
    )  # fmt: skip
    layout["margin"] = dict(l=8, r=8, t=52, b=104)
    return figure(data, layout)


# ---- 4. gradients through time -----------------------------------------------------------------
def gradient_figure(
    curves: list[GradientCurve], lang: str = "en", clipped: bool = False, height: int = 380
) -> go.Figure:
    """||dL/dh_t|| against the number of steps between h_t and the loss, log y, one line per network.

    Inputs: GradientCurve list (the first is usually "current"); clipped: draw the global-norm-clipped
    values. Zeros (a dead ReLU path) cannot be drawn on a log axis and are left out."""
    data = []
    for c in curves:
        y = c.clipped if clipped else c.norm
        ok = np.isfinite(y) & (y > 0)
        data.append(dict(
            type="scatter", mode="lines+markers", x=c.distance[ok], y=y[ok],
            name=t(f"inside.grad.kind.{c.name}", lang), marker=dict(size=4),
            line=dict(color=CURVE_COLOURS.get(c.name, MUTED), width=3 if c.name == "current" else 2,
                      dash=CURVE_DASH.get(c.name, "solid" if c.name == "current" else "dash")),
            hovertemplate=t("inside.fig.grad_hover", lang) + "<extra>%{fullData.name}</extra>",
        ))  # fmt: skip
    ykey = "inside.fig.grad_y_clipped" if clipped else "inside.fig.grad_y"
    layout = base_layout(
        height,
        xaxis=dict(title=dict(text=t("inside.fig.grad_x", lang)), gridcolor=GRID, zeroline=False, rangemode="tozero"),
        yaxis=dict(title=dict(text=t(ykey, lang)), type="log", gridcolor=GRID, exponentformat="power"),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
    )  # fmt: skip
    layout["margin"] = dict(l=8, r=8, t=10, b=8)
    return figure(data, layout)


# ---- 5. length generalisation ------------------------------------------------------------------
def length_figure(lines: list[tuple[str, np.ndarray, np.ndarray]], trained_bits: int, lang: str = "en",
                  height: int = 340) -> go.Figure:  # fmt: skip
    """Exact accuracy (%) against operand width, one line per (key, widths, exact); a dashed vertical
    line marks the width the network(s) were trained at. key "current" or a cell name (rnn, gru, lstm)."""
    data = [
        dict(type="scatter", mode="lines+markers", x=np.asarray(w), y=100 * np.asarray(e, dtype=np.float64),
             name=t(f"inside.len.name.{key}", lang), line=dict(color=CURVE_COLOURS.get(key, MUTED),
                                                              **LENGTH_STYLE.get(key, {})),
             marker=dict(size=7), hovertemplate=t("inside.fig.len_hover", lang) + "<extra>%{fullData.name}</extra>")
        for key, w, e in lines
    ]  # fmt: skip
    at = float(np.log10(trained_bits))
    layout = base_layout(
        height,
        xaxis=dict(title=dict(text=t("inside.fig.len_x", lang)), type="log",
                   range=[np.log10(min(3.5, 0.85 * trained_bits)), np.log10(72)], gridcolor=GRID,
                   tickvals=[2, 4, 8, 16, 32, 64], ticktext=["2", "4", "8", "16", "32", "64"]),
        yaxis=dict(title=dict(text=t("inside.fig.len_y", lang)), range=[-3, 105], gridcolor=GRID, ticksuffix=" %"),
        # on a log axis a shape takes the width itself, an annotation its log10
        shapes=[dict(type="line", xref="x", yref="paper", x0=trained_bits, x1=trained_bits, y0=0, y1=1,
                     line=dict(color=MUTED, width=2, dash="dash"))],
        annotations=[dict(x=at, y=0.02, xref="x", yref="paper", text=t("inside.fig.trained_at", lang,
                          bits=trained_bits), showarrow=False, xanchor="left", yanchor="bottom", xshift=4)],
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        showlegend=True,
    )  # fmt: skip
    layout["margin"] = dict(l=8, r=8, t=10, b=8)
    return figure(data, layout)


# ---- 6. weights --------------------------------------------------------------------------------
def _gate_ticks(gates: tuple[str, ...], H: int) -> tuple[list, list]:
    """Column tick labels: unit numbers for a plain RNN, gate names at block centres otherwise."""
    if not gates:
        step = 1 if H <= 16 else max(1, H // 8)
        cols = list(range(0, H, step))
        return cols, [str(c + 1) for c in cols]
    return [k * H + (H - 1) / 2 for k in range(len(gates))], list(gates)


def weight_heatmaps(params: dict, layer: int = 1, gates: tuple[str, ...] = (), lang: str = "en",
                    height: int = 420) -> go.Figure:  # fmt: skip
    """The weights of one recurrent layer and the output on ONE colour scale centred at 0.

    Layout: top left W_xh with the bias as an extra row (inputs x to-units), bottom left W_hh
    (from-units x to-units), bottom right W_hy (units x 1), rows of W_hh and W_hy aligned by unit.
    Gate blocks (GRU r z n, LSTM i f o g) are separated by lines. Trace order: W_xh, W_hh, W_hy."""
    wx, wh, b = (np.asarray(params[f"{k}{layer}"], dtype=np.float64) for k in ("Wx", "Wh", "b"))
    wy = np.asarray(params["Wy"], dtype=np.float64)
    D, GH = wx.shape
    H = wh.shape[0]
    m = symmetric_range(wx, wh, b, wy)
    top = np.vstack([wx, b[None, :]])
    in_names = ([t("inside.fig.row.a", lang), t("inside.fig.row.b", lang)] if layer == 1
                else [str(i + 1) for i in range(D)]) + [t("inside.fig.bias", lang)]  # fmt: skip
    cols = np.arange(GH)
    rows = np.arange(1, H + 1)
    gate_of = [gates[c // H] + " " if gates else "" for c in cols]
    to_label = [f"{g}{c % H + 1}" for g, c in zip(gate_of, cols)]
    hover = t("inside.fig.w_hover", lang) + "<extra></extra>"
    heat = dict(type="heatmap", coloraxis="coloraxis", xgap=1, ygap=1, hovertemplate=hover)
    data = [
        dict(heat, z=top, x=cols, y=in_names, customdata=np.tile(to_label, (D + 1, 1)), xaxis="x", yaxis="y",
             name=t("inside.fig.w_in", lang)),
        dict(heat, z=wh, x=cols, y=rows, customdata=np.tile(to_label, (H, 1)), xaxis="x", yaxis="y2",
             name=t("inside.fig.w_rec", lang)),
        dict(heat, z=wy, x=["W_hy"], y=rows, customdata=np.full((H, 1), t("inside.fig.sum_out", lang)),
             xaxis="x2", yaxis="y2", name=t("inside.fig.w_out", lang)),
    ]  # fmt: skip
    tickvals, ticktext = _gate_ticks(gates, H)
    gap = min(0.2, 30 / max(height - 90, 100))  # ~30 px between the two blocks, for the W_hh title
    split = (1 - gap) * min(0.85, max(0.5, H / (H + D + 1)))  # share of height by rows, within limits
    sep = [dict(type="line", xref="x", yref="paper", x0=k * H - 0.5, x1=k * H - 0.5, y0=0, y1=1,
                line=dict(color=MUTED, width=2)) for k in range(1, len(gates))]  # fmt: skip
    small = dict(showgrid=False, zeroline=False)
    layout = base_layout(
        height,
        margin=dict(l=8, r=8, t=36, b=8),
        coloraxis=dict(colorscale=DIVERGING, cmin=-m, cmax=m, cmid=0,
                       colorbar=dict(thickness=10, outlinewidth=0, len=0.8)),
        xaxis=dict(small, domain=[0.0, 0.86], anchor="y2", tickvals=tickvals, ticktext=ticktext,
                   title=dict(text=t("inside.fig.to_unit", lang))),
        yaxis=dict(small, domain=[split + gap, 1.0], autorange="reversed", anchor="x",
                   title=dict(text=t("inside.fig.w_in_short", lang))),
        yaxis2=dict(small, domain=[0.0, split], autorange="reversed", anchor="x",
                    title=dict(text=t("inside.fig.from_unit", lang)), dtick=1 if H <= 16 else None),
        xaxis2=dict(small, domain=[0.89, 0.95], anchor="y2"),
        shapes=sep,
        annotations=[
            dict(text=t("inside.fig.w_in", lang), xref="paper", yref="paper", x=0.0, y=1.0, yanchor="bottom",
                 xanchor="left", showarrow=False),
            dict(text=t("inside.fig.w_rec", lang), xref="paper", yref="paper", x=0.0, y=split, yanchor="bottom",
                 xanchor="left", showarrow=False, yshift=2),
        ],
    )  # fmt: skip
    layout["margin"] = dict(l=8, r=8, t=24, b=8)
    return figure(data, layout)

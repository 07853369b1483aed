"""Pure figure builders for the Train page: data in, plotly Figure out (no streamlit).

    learning_curve(steps, losses, eval_steps, exact, solved_step, lang)  -> live loss/accuracy chart
    carry_animation(trace, lang)                                          -> column addition, frame per timestep

Both use transparent backgrounds and mid-tone colours that read on light and dark themes; text
without an explicit colour takes the theme's font colour.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnn import Trace
from rnn_app.strings import t

# Mid-tone colours, readable on white and on Streamlit's dark background.
LOSS_COLOUR = "#8b5cf6"  # violet, near the app's primary purple (lighter: reads on dark too)
ACCURACY_COLOUR = "#0d9488"  # teal
RIGHT_COLOUR = "#16a34a"  # green: a right bit
WRONG_COLOUR = "#dc2626"  # red: a wrong bit
CARRY_COLOUR = "#7c3aed"  # purple: the carry and its arrow
FUTURE_COLOUR = "#9ca3af"  # grey: inputs not read yet, true sum (answer key)
HIGHLIGHT = "rgba(124, 58, 237, 0.13)"  # the column being computed
TRANSPARENT = "rgba(0,0,0,0)"
# Hidden-state colours: blue (negative) - light grey (0) - orange (positive); red stays for wrong bits.
DIVERGING = [[0.0, "#1d4ed8"], [0.25, "#93c5fd"], [0.5, "#e5e7eb"], [0.75, "#fdba74"], [1.0, "#c2410c"]]
SEQUENTIAL = [[0.0, "#e5e7eb"], [0.5, "#fdba74"], [1.0, "#c2410c"]]
MAX_CURVE_POINTS = 250  # the live chart never sends more points than this per series (~1.5 px each)
# Live-chart axes: no automatic margins or tick-label overflow passes (costly redraws per update).
FIXED_AXIS = dict(automargin=False, ticklabeloverflow="allow")

# Rows of the column-addition table (y values), top to bottom.
ROW_CARRY, ROW_BELIEF, ROW_A, ROW_B, ROW_NET, ROW_TRUE, ROW_PROB = 6, 5, 4, 3, 1.8, 0.9, 0
N_ANIM_TRACES = 10  # traces per animation frame (see _frame_data)


def thin(x: np.ndarray, y: np.ndarray, max_points: int = MAX_CURVE_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """At most `max_points` points: consecutive points averaged in equal bins (last x of each bin)."""
    x, y = np.asarray(x), np.asarray(y, dtype=np.float64)
    n = len(x)
    if n <= max_points:
        return x, y
    edges = np.linspace(0, n, max_points + 1).astype(int)
    sums = np.add.reduceat(y, edges[:-1])
    return x[edges[1:] - 1], sums / np.diff(edges)


def log_ticks(values: np.ndarray) -> list[float]:
    """Tick values for a log axis over `values`: 1-2-5 per decade, thinned to at most ~6."""
    v = values[np.isfinite(values) & (values > 0)]
    if not len(v):
        return []
    lo, hi = np.floor(np.log10(v.min())), np.ceil(np.log10(v.max()))
    ticks = [m * 10.0**e for e in range(int(lo), int(hi) + 1) for m in (1, 2, 5)]
    ticks = [x for x in ticks if v.min() / 1.5 <= x <= v.max() * 1.5] or [float(v.min())]
    while len(ticks) > 6:
        ticks = ticks[::2]
    return ticks


def _base_layout(height: int, **kw) -> dict:
    # An empty template: st.plotly_chart styles the chart with the app's (light or dark) theme in the
    # browser anyway, and plotly's default template would be ~9/10 of every live update's bytes and
    # most of the cost of building the figure (it is deep-copied into each one).
    return dict(height=height, paper_bgcolor=TRANSPARENT, plot_bgcolor=TRANSPARENT, template={"layout": {}},
                margin=dict(l=8, r=8, t=30, b=8), **kw)  # fmt: skip


def _figure(data: list[dict], layout: dict, frames: list[dict] | None = None) -> go.Figure:
    """A Figure from plain dicts without plotly's per-property validation (which costs ~50 ms per
    figure here, more than a whole live update may take). Tests validate the same dicts."""
    spec = {"data": data, "layout": layout}
    if frames:
        spec["frames"] = frames
    return go.Figure(spec, _validate=False)


# ---- learning curve ----------------------------------------------------------------------------
def _curve_series(steps, losses, eval_steps, exact) -> dict:
    """What the live chart plots: thinned series, positive finite losses (log axis), x range, ticks."""
    steps, losses = thin(steps, losses)
    eval_steps, exact = thin(eval_steps, exact)
    ok = np.isfinite(losses) & (losses > 0)
    last = max(int(steps[-1]) if len(steps) else 0, int(eval_steps[-1]) if len(eval_steps) else 0, 1)
    lo, hi = log_range(losses[ok])
    return dict(loss_x=steps[ok], loss_y=losses[ok], acc_x=eval_steps, acc_y=exact,
                x_range=[0, nice_ceil(last)], loss_range=[lo, hi],
                loss_ticks=log_ticks(np.array([10.0**lo, 10.0**hi])))  # fmt: skip


NICE = (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def nice_ceil(x: float) -> float:
    """The smallest 'round' number >= x (1, 1.25, 1.5, 2, ... 8 times a power of ten). The live
    chart's x range only changes when the curve reaches it, ~10 times a decade: between those
    updates only the data changes, which the browser redraws far more cheaply than new axes."""
    e = 10.0 ** np.floor(np.log10(max(x, 1e-12)))
    return float(next(m * e for m in NICE if m * e >= x))


def log_range(values: np.ndarray) -> tuple[float, float]:
    """log10 axis range covering `values` in half decades (it changes rarely as the loss falls)."""
    if not len(values):
        return -1.0, 0.0
    lo = np.floor(2 * np.log10(values.min())) / 2
    hi = np.ceil(2 * np.log10(values.max())) / 2
    return float(lo), float(max(hi, lo + 0.5))


def learning_curve(
    steps: np.ndarray,
    losses: np.ndarray,
    eval_steps: np.ndarray,
    exact: np.ndarray,
    solved_step: int | None = None,
    lang: str = "en",
    height: int = 320,
) -> go.Figure:
    """Training loss (log y, left) and exact-sum accuracy (right, 0..100 %) against the step.

    Inputs: steps, losses (n,) from History.loss_series(); eval_steps, exact (m,) from
    History.eval_series(); solved_step marks the first step evaluated at 100 %.
    Returns: a Figure with trace 0 = loss, trace 1 = exact accuracy, a dashed line at solved_step.
    While training, update_learning_curve() refreshes its data ~5x cheaper than building anew."""
    c = _curve_series(steps, losses, eval_steps, exact)
    data = [
        dict(type="scatter", x=c["loss_x"], y=c["loss_y"], name=t("train.fig.loss", lang), mode="lines",
             line=dict(color=LOSS_COLOUR, width=2)),
        dict(type="scatter", x=c["acc_x"], y=c["acc_y"], name=t("train.fig.exact", lang), mode="lines",
             line=dict(color=ACCURACY_COLOUR, width=2), yaxis="y2"),
    ]  # fmt: skip
    shapes, notes = [], []
    if solved_step is not None:
        shapes.append(dict(type="line", x0=solved_step, x1=solved_step, y0=0, y1=1, yref="paper",
                           line=dict(color=RIGHT_COLOUR, width=2, dash="dash")))
        notes.append(dict(x=solved_step, y=1, yref="paper", yanchor="bottom", xanchor="right", showarrow=False,
                          text=t("train.fig.solved", lang, step=solved_step), font=dict(color=RIGHT_COLOUR)))
    if not len(c["loss_x"]):
        notes.append(dict(x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                          text=t("train.fig.empty", lang), font=dict(size=16, color=FUTURE_COLOUR)))
    layout = _base_layout(
        height,
        xaxis=dict(title=dict(text=t("train.fig.step", lang)), range=c["x_range"], showgrid=False, nticks=5,
                   **FIXED_AXIS),
        yaxis=dict(title=dict(text=t("train.fig.loss", lang), font=dict(color=LOSS_COLOUR)), type="log",
                   tickvals=c["loss_ticks"], range=c["loss_range"], tickformat="~g",
                   tickfont=dict(color=LOSS_COLOUR),
                   gridcolor="rgba(128,128,128,0.2)", **FIXED_AXIS),
        yaxis2=dict(title=dict(text=t("train.fig.exact", lang), font=dict(color=ACCURACY_COLOUR)),
                    overlaying="y", side="right", range=[0, 1.05], tickformat=".0%",
                    tickmode="array", tickvals=[0, 0.5, 1.0],
                    tickfont=dict(color=ACCURACY_COLOUR), showgrid=False, **FIXED_AXIS),
        showlegend=False,
        uirevision="learning-curve",  # keep a viewer's zoom while the curve grows
        shapes=shapes,
        annotations=notes,
    )  # fmt: skip
    # Fixed margins and no legend (the axis titles carry the trace colours): plotly's automargin
    # and legend passes were a third of the browser's work per live update. Few ticks, no markers
    # and at most MAX_CURVE_POINTS points: another ~15 % of plotly's time per update (every update
    # mounts a new chart, which plotly draws twice: once as sent, once with the app's theme).
    layout["margin"] = dict(l=64, r=64, t=24, b=46)  # t: room for the "solved" label
    return _figure(data, layout)


def update_learning_curve(fig: go.Figure, steps, losses, eval_steps, exact) -> go.Figure:
    """Put new series into a figure made by learning_curve (same solved step and language); returns it."""
    c = _curve_series(steps, losses, eval_steps, exact)
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y = c["loss_x"], c["loss_y"]
        fig.data[1].x, fig.data[1].y = c["acc_x"], c["acc_y"]
        fig.layout.xaxis.range = c["x_range"]
        fig.layout.yaxis.tickvals = c["loss_ticks"]
        fig.layout.yaxis.range = c["loss_range"]
    return fig


# ---- carry animation ---------------------------------------------------------------------------
def implied_carry(trace: Trace) -> np.ndarray:
    """(T,) probability of the carry INTO column t that the network's answer implies.

    The network has no carry wire; its sum bit must be a XOR b XOR carry, so the carry it
    assumed is p(1) where a_t = b_t and 1 - p(1) where they differ. Column 0 has no carry in (nan)."""
    agree = trace.inputs[:, 0] == trace.inputs[:, 1]
    belief = np.where(agree, trace.prob, 1.0 - trace.prob).astype(np.float64)
    belief[0] = np.nan
    return belief


def column_x(steps: int) -> np.ndarray:
    """x position of column t: least significant (t = 0) on the right, time flows right to left."""
    return (steps - 1 - np.arange(steps)).astype(np.float64)


def _hidden_range(h: np.ndarray) -> tuple[float, float, str]:
    """Colour range and scale for a hidden state: diverging around 0, or sequential if never negative."""
    hi = float(np.nanmax(np.abs(h))) if h.size else 1.0
    if h.size and float(np.nanmin(h)) >= 0:
        return 0.0, max(hi, 1.0), SEQUENTIAL
    m = 1.0 if hi <= 1.0 else hi
    return -m, m, DIVERGING


def _frame_data(trace: Trace, k: int, lang: str) -> list[dict]:
    """All traces of the animation as they look after column k has been computed."""
    T = trace.steps
    x = column_x(T)
    done = np.arange(T) <= k
    a_bits, b_bits = trace.inputs[:, 0], trace.inputs[:, 1]
    belief = implied_carry(trace)
    xs_done = x[done]
    read_x = np.concatenate([xs_done, xs_done])
    read_y = np.concatenate([np.full(done.sum(), ROW_A), np.full(done.sum(), ROW_B)])
    read_text = [str(v) for v in np.concatenate([a_bits[done], b_bits[done]])]
    todo = ~done
    todo_x = np.concatenate([x[todo], x[todo]])
    todo_y = np.concatenate([np.full(todo.sum(), ROW_A), np.full(todo.sum(), ROW_B)])
    todo_text = [str(v) for v in np.concatenate([a_bits[todo], b_bits[todo]])]

    carry_in = trace.carry_in
    cols_with_carry = [c for c in range(1, k + 1) if carry_in[c]]
    # arrows: from column c-1 (right) to the carry digit above column c (left), head at the end
    ax, ay = [], []
    for c in cols_with_carry:
        ax += [x[c - 1] - 0.2, x[c] + 0.22, None]
        ay += [ROW_CARRY, ROW_CARRY, None]
    symbols = ["circle", "triangle-left", "circle"] * len(cols_with_carry)
    sizes = [0, 10, 0] * len(cols_with_carry)

    bcols = [c for c in range(1, k + 1)]
    b_wrong = [round(belief[c]) != carry_in[c] for c in bcols]
    net_colours = [WRONG_COLOUR if w else RIGHT_COLOUR for w in trace.wrong[done]]

    return [
        # 0: the column being computed
        dict(type="scatter", x=[x[k] - 0.45, x[k] + 0.45, x[k] + 0.45, x[k] - 0.45, x[k] - 0.45],
                   y=[-0.5, -0.5, 6.5, 6.5, -0.5], fill="toself", fillcolor=HIGHLIGHT, mode="none",
                   hoverinfo="skip", showlegend=False, xaxis="x", yaxis="y"),
        # 1: input bits already read (theme font colour)
        dict(type="scatter", x=read_x, y=read_y, text=read_text, mode="text", textfont=dict(size=22),
                   hoverinfo="skip", showlegend=False, xaxis="x", yaxis="y"),
        # 2: input bits not read yet (grey)
        dict(type="scatter", x=todo_x, y=todo_y, text=todo_text, mode="text",
                   textfont=dict(size=22, color=FUTURE_COLOUR), hoverinfo="skip", showlegend=False,
                   xaxis="x", yaxis="y"),
        # 3: the true carry into each column (written small above it, only the 1s, as on paper)
        dict(type="scatter", x=[x[c] for c in cols_with_carry], y=[ROW_CARRY] * len(cols_with_carry),
                   text=["1"] * len(cols_with_carry), mode="text",
                   textfont=dict(size=17, color=CARRY_COLOUR), hoverinfo="skip", showlegend=False,
                   xaxis="x", yaxis="y"),
        # 4: the carry arrows travelling to the next column
        dict(type="scatter", x=ax, y=ay, mode="lines+markers", line=dict(color=CARRY_COLOUR, width=2),
                   marker=dict(symbol=symbols, size=sizes, color=CARRY_COLOUR),
                   hoverinfo="skip", showlegend=False, xaxis="x", yaxis="y"),
        # 5: the carry the network's answer implies (probability), red where it is wrong
        dict(type="scatter", x=[x[c] for c in bcols], y=[ROW_BELIEF] * len(bcols),
                   text=[f"{belief[c]:.2f}" for c in bcols], mode="text",
                   textfont=dict(size=13, color=[WRONG_COLOUR if w else CARRY_COLOUR for w in b_wrong]),
                   hovertext=[t("train.fig.belief_hover", lang, p=belief[c], c=int(carry_in[c])) for c in bcols],
                   hoverinfo="text", showlegend=False, xaxis="x", yaxis="y"),
        # 6: the network's bits, green if right, red if wrong
        dict(type="scatter", x=xs_done, y=[ROW_NET] * len(xs_done), text=[str(v) for v in trace.predicted_bits[done]],
                   mode="markers+text", marker=dict(symbol="square", size=30, color=net_colours, opacity=0.9),
                   textfont=dict(size=20, color="white"), hoverinfo="skip", showlegend=False,
                   xaxis="x", yaxis="y"),
        # 7: the true sum bits (answer key, grey)
        dict(type="scatter", x=xs_done, y=[ROW_TRUE] * len(xs_done), text=[str(v) for v in trace.true_bits[done]],
                   mode="text", textfont=dict(size=17, color=FUTURE_COLOUR), hoverinfo="skip",
                   showlegend=False, xaxis="x", yaxis="y"),
        # 8: the output probability p(sum bit = 1)
        dict(type="scatter", x=xs_done, y=[ROW_PROB] * len(xs_done), text=[f"{p:.2f}" for p in trace.prob[done]],
                   mode="text", textfont=dict(size=13), hoverinfo="skip", showlegend=False,
                   xaxis="x", yaxis="y"),
        # 9: the hidden state of the top layer, one heatmap column per timestep computed so far
        _hidden_heatmap(trace, k, lang),
    ]  # fmt: skip


def _hidden_heatmap(trace: Trace, k: int, lang: str) -> dict:
    h = trace.hidden[-1].astype(np.float64)  # (T, H), top layer
    T, H = h.shape
    z = np.full((H, T), np.nan)
    for c in range(k + 1):
        z[:, T - 1 - c] = h[c]
    zmin, zmax, scale = _hidden_range(h)
    return dict(
        type="heatmap", z=z, x=np.arange(T, dtype=np.float64), y=np.arange(1, H + 1), zmin=zmin, zmax=zmax, colorscale=scale,
        xgap=2, ygap=1 if H <= 32 else 0, hoverongaps=False, xaxis="x2", yaxis="y2",
        colorbar=dict(thickness=8, len=0.4, y=0.0, yanchor="bottom", outlinewidth=0),
        hovertemplate=t("train.fig.hidden_hover", lang) + "<extra></extra>",
    )  # fmt: skip


def carry_animation(trace: Trace, lang: str = "en", height: int = 400, frame_ms: int = 600) -> go.Figure:
    """Written column addition of trace.a + trace.b, animated one timestep (column) per frame.

    Inputs: a Trace from Trainer.trace(a, b) (T = bits + 1 columns, column t = bit t).
    Returns: a Figure with T frames named "0".."T-1"; frame k shows columns 0..k computed; the
    base data is the last frame (the full picture); Play/Pause buttons and a timestep slider.
    Top (x, y): the addition table; bottom (x2, y2): the top layer's hidden state as a heatmap."""
    T = trace.steps
    x = column_x(T)
    full = [_frame_data(trace, k, lang) for k in range(T)]  # fully styled; the last is the base data
    frames = [dict(data=[_changing(d) for d in data], name=str(k), traces=list(range(N_ANIM_TRACES)))
              for k, data in enumerate(full)]  # fmt: skip
    rows = [ROW_PROB, ROW_TRUE, ROW_NET, ROW_B, ROW_A, ROW_BELIEF, ROW_CARRY]
    row_names = ["prob", "truth", "net", "b", "a", "belief", "carry"]
    columns = dict(range=[-0.5, T - 0.5], showgrid=False, zeroline=False, fixedrange=True)
    layout = _base_layout(
        height,
        xaxis=dict(columns, showticklabels=False, anchor="y"),
        yaxis=dict(range=[-0.6, 6.7], tickvals=rows, ticktext=[t(f"train.fig.row.{r}", lang) for r in row_names],
                   showgrid=False, zeroline=False, fixedrange=True, domain=[0.42, 1.0]),
        xaxis2=dict(columns, tickvals=x, ticktext=[f"t={c}" for c in range(T)], anchor="y2", matches="x"),
        yaxis2=dict(title=dict(text=t("train.fig.hidden", lang)), showticklabels=False, showgrid=False,
                    zeroline=False, fixedrange=True, autorange="reversed", domain=[0.0, 0.38]),
        updatemenus=[_play_buttons(lang, frame_ms)],
        sliders=[_slider(T)],
        shapes=[dict(type="line", x0=-0.5, x1=T - 0.5, y0=2.4, y1=2.4, xref="x", yref="y",
                     line=dict(color=FUTURE_COLOUR, width=1.5))],  # the line under b, as on paper
        annotations=[dict(x=T - 0.5, y=2.55, xref="x", yref="y", text="+", showarrow=False, xanchor="left",
                          font=dict(size=22))],
    )  # fmt: skip
    layout["margin"] = dict(l=8, r=8, t=8, b=66)  # room for the buttons and the slider
    return _figure(full[-1], layout, frames)


def _changing(trace: dict) -> dict:
    """What a frame must carry of a trace: its type, data arrays and array-valued styles (per-point
    colours, symbols, sizes). plotly.js merges a frame into the trace it animates, so the fixed
    styling lives once in the base data; this halves the figure's build and serialisation cost."""
    out = {k: trace[k] for k in ("type", "x", "y", "z", "text", "hovertext") if k in trace}
    for k, v in trace.items():
        if isinstance(v, dict):
            arrays = {kk: vv for kk, vv in v.items() if isinstance(vv, (list, np.ndarray))}
            if arrays:
                out[k] = arrays
    return out


def _play_buttons(lang: str, frame_ms: int) -> dict:
    play = dict(frame=dict(duration=frame_ms, redraw=True), transition=dict(duration=0), fromcurrent=False,
                mode="immediate")  # fmt: skip
    pause = dict(frame=dict(duration=0, redraw=False), transition=dict(duration=0), mode="immediate")
    return dict(
        type="buttons", direction="left", showactive=False, x=0, y=-0.12, xanchor="left", yanchor="top",
        pad=dict(t=0, r=6), bgcolor="rgba(124,58,237,0.15)", bordercolor=CARRY_COLOUR, font=dict(size=13),
        buttons=[
            dict(label=t("train.fig.play", lang), method="animate", args=[None, play]),
            dict(label=t("train.fig.pause", lang), method="animate", args=[[None], pause]),
        ],
    )  # fmt: skip


def _slider(T: int) -> dict:
    step_args = dict(frame=dict(duration=0, redraw=True), transition=dict(duration=0), mode="immediate")
    return dict(
        active=T - 1, x=0.6, len=0.4, y=-0.12, yanchor="top", pad=dict(t=0, b=0),
        currentvalue=dict(visible=False),
        font=dict(size=1, color=TRANSPARENT), tickcolor=FUTURE_COLOUR,  # step labels hidden: time runs right to left
        bordercolor=FUTURE_COLOUR, bgcolor="rgba(128,128,128,0.25)", activebgcolor=CARRY_COLOUR,
        steps=[dict(label=str(k), method="animate", args=[[str(k)], step_args]) for k in range(T)],
    )  # fmt: skip

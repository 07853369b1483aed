"""Pure figure builders of the Train page: data in, plotly Figure out (no streamlit).

    carry_animation(trace, lang)   written column addition, one frame per timestep, with the hidden state

The live learning curve is shared with the Digits page: rnn_app.ui.plotting.learning_curve.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnn import Trace
from rnn_app.ui.plotting import (
    CARRY_COLOUR,
    FUTURE_COLOUR,
    RIGHT_COLOUR,
    TRANSPARENT,
    WRONG_COLOUR,
    base_layout,
    column_x,
    figure,
    hidden_scale,
    play_buttons,
)
from rnn_app.ui.strings import t

HIGHLIGHT = "rgba(124, 58, 237, 0.13)"  # the column being computed
# Rows of the column-addition table (y values), top to bottom.
ROW_CARRY, ROW_BELIEF, ROW_A, ROW_B, ROW_NET, ROW_TRUE, ROW_PROB = 6, 5, 4, 3, 1.8, 0.9, 0
N_ANIM_TRACES = 10  # traces per animation frame (see _frame_data)


# ---- carry animation ---------------------------------------------------------------------------
def implied_carry(trace: Trace) -> np.ndarray:
    """(T,) probability of the carry INTO column t that the network's answer implies.

    The network has no carry wire; its sum bit must be a XOR b XOR carry, so the carry it
    assumed is p(1) where a_t = b_t and 1 - p(1) where they differ. Column 0 has no carry in (nan)."""
    agree = trace.inputs[:, 0] == trace.inputs[:, 1]
    belief = np.where(agree, trace.prob, 1.0 - trace.prob).astype(np.float64)
    belief[0] = np.nan
    return belief


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
    zmin, zmax, scale = hidden_scale(h)
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
    layout = base_layout(
        height,
        xaxis=dict(columns, showticklabels=False, anchor="y"),
        yaxis=dict(range=[-0.6, 6.7], tickvals=rows, ticktext=[t(f"train.fig.row.{r}", lang) for r in row_names],
                   showgrid=False, zeroline=False, fixedrange=True, domain=[0.42, 1.0]),
        xaxis2=dict(columns, tickvals=x, ticktext=[f"t={c}" for c in range(T)], anchor="y2", matches="x"),
        yaxis2=dict(title=dict(text=t("train.fig.hidden", lang)), showticklabels=False, showgrid=False,
                    zeroline=False, fixedrange=True, autorange="reversed", domain=[0.0, 0.38]),
        margin=dict(l=8, r=8, t=8, b=66),  # room for the buttons and the slider
        updatemenus=[play_buttons(lang, frame_ms)],
        sliders=[_slider(T)],
        shapes=[dict(type="line", x0=-0.5, x1=T - 0.5, y0=2.4, y1=2.4, xref="x", yref="y",
                     line=dict(color=FUTURE_COLOUR, width=1.5))],  # the line under b, as on paper
        annotations=[dict(x=T - 0.5, y=2.55, xref="x", yref="y", text="+", showarrow=False, xanchor="left",
                          font=dict(size=22))],
    )  # fmt: skip
    return figure(full[-1], layout, frames)


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



def _slider(T: int) -> dict:
    step_args = dict(frame=dict(duration=0, redraw=True), transition=dict(duration=0), mode="immediate")
    return dict(
        active=T - 1, x=0.6, len=0.4, y=-0.12, yanchor="top", pad=dict(t=0, b=0),
        currentvalue=dict(visible=False),
        font=dict(size=1, color=TRANSPARENT), tickcolor=FUTURE_COLOUR,  # step labels hidden: time runs right to left
        bordercolor=FUTURE_COLOUR, bgcolor="rgba(128,128,128,0.25)", activebgcolor=CARRY_COLOUR,
        steps=[dict(label=str(k), method="animate", args=[[str(k)], step_args]) for k in range(T)],
    )  # fmt: skip

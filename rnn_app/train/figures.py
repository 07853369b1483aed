"""Pure figure builders of the Train page: data in, plotly Figure out (no streamlit).

    carry_animation(trace, lang, width)   written column addition, one frame per timestep, with the hidden state
    carry_sizes(steps, width, lang)       the text sizes and formats that fit `steps` columns in `width` px

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
    WRONG_COLOUR,
    base_layout,
    column_x,
    figure,
    hidden_scale,
)
from rnn_app.ui.strings import t

HIGHLIGHT = "rgba(124, 58, 237, 0.13)"  # the column being computed
# Rows of the column-addition table (y values), top to bottom.
ROW_CARRY, ROW_BELIEF, ROW_A, ROW_B, ROW_NET, ROW_TRUE, ROW_PROB = 6.3, 5.2, 4, 3, 1.8, 0.9, 0
TOP = 6.8  # the highlight's top (above the carry row)
N_ANIM_TRACES = 10  # traces per animation frame (see _frame_data)
DEFAULT_WIDTH = 400  # px: the chart's width when the browser has not said (the Train page at 1280x720)
STAGGER = 0.24  # y offset of every other number in a staggered row (two lines share the row)


# ---- sizes for a width --------------------------------------------------------------------------
def text_width(text: str, size: float) -> float:
    """About how many px `text` takes at font size `size` (digits ~0.58 em, '.' ~0.3 em, CJK 1 em)."""
    em = sum(1.0 if ord(ch) > 0x2E80 else 0.3 if ch in ".,:()" else 0.58 for ch in text)
    return em * size


def carry_sizes(steps: int, width: int | None, lang: str = "en") -> dict:
    """What fits `steps` columns in a chart `width` px wide: font and marker sizes (never above
    the wide layout's), the row names (short ones when narrow), how the probabilities are written
    ("0.99", or ".99") and whether every other one sits a little higher (stagger: twice the room),
    and the t labels. Pure arithmetic on estimated text widths (text_width), tested for overlap."""
    width = width or DEFAULT_WIDTH
    rows = ("carry", "belief", "a", "b", "net", "truth", "prob")
    long_names = [t(f"train.fig.row.{r}", lang) for r in rows]
    short_names = [t(f"train.fig.row.{r}.short", lang) if r in ("belief", "net", "truth", "prob")
                   else t(f"train.fig.row.{r}", lang) for r in rows]  # fmt: skip
    colorbar = 46  # px right of the columns: the hidden state's colour bar and its ticks

    def pitch(names):  # px per column when the row names take the left margin
        return (width - max(text_width(n, 13) for n in names) - 14 - colorbar) / steps

    names = long_names if pitch(long_names) >= 44 else short_names
    p = max(pitch(names), 6.0)
    out = dict(pitch=p, names=names, bits=min(22.0, 0.95 * p), carry=min(17.0, 0.8 * p),
               square=min(30.0, 0.9 * p), net=min(20.0, 0.6 * p), truth=min(17.0, 0.8 * p))  # fmt: skip
    for fmt, stagger in (("0.99", False), ("0.99", True), (".99", True)):
        room = (1.8 if stagger else 0.85) * p
        size = min(13.0, room / text_width(fmt, 1.0))
        if size >= 11 or fmt == ".99":
            out.update(prob_format=fmt, stagger=stagger, prob=max(size, 7.0))
            break
    tick = "t=16" if steps > 10 else "t=9"
    out["t_labels"] = "t=" if text_width(tick, 12) <= 0.9 * p else "number"
    out["t_every"] = 1 if text_width(str(steps - 1), 12) <= 0.9 * p else 2
    return {k: round(v, 1) if isinstance(v, float) else v for k, v in out.items()}


def _prob_text(p: float, fmt: str) -> str:
    text = f"{p:.2f}"
    return text[1:] if fmt == ".99" and text.startswith("0.") else text


def _row_y(row: float, xs, sizes: dict) -> list[float]:
    """y of each number of a probability row: staggered by column parity when the sizes say so."""
    if not sizes["stagger"]:
        return [row] * len(xs)
    # the belief row has room above it (up to the carry row), little below (the big digits of a)
    high, low = (0.42, 0.06) if row == ROW_BELIEF else (STAGGER, STAGGER)
    return [row + (high if int(x) % 2 else -low) for x in xs]


# ---- carry animation ---------------------------------------------------------------------------
def implied_carry(trace: Trace) -> np.ndarray:
    """(T,) probability of the carry INTO column t that the network's answer implies.

    The network has no carry wire; its sum bit must be a XOR b XOR carry, so the carry it
    assumed is p(1) where a_t = b_t and 1 - p(1) where they differ. Column 0 has no carry in (nan)."""
    agree = trace.inputs[:, 0] == trace.inputs[:, 1]
    belief = np.where(agree, trace.prob, 1.0 - trace.prob).astype(np.float64)
    belief[0] = np.nan
    return belief


def _frame_data(trace: Trace, k: int, lang: str, sz: dict) -> list[dict]:
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
    # a wrong bit also carries a mark: right and wrong are never told by colour alone
    net_text = [f"{v}<sub>✗</sub>" if w else str(v) for v, w in zip(trace.predicted_bits[done], trace.wrong[done])]

    return [
        # 0: the column being computed
        dict(type="scatter", x=[x[k] - 0.45, x[k] + 0.45, x[k] + 0.45, x[k] - 0.45, x[k] - 0.45],
                   y=[-0.5, -0.5, TOP, TOP, -0.5], fill="toself", fillcolor=HIGHLIGHT, mode="none",
                   hoverinfo="skip", showlegend=False, xaxis="x", yaxis="y"),
        # 1: input bits already read (theme font colour)
        dict(type="scatter", x=read_x, y=read_y, text=read_text, mode="text", textfont=dict(size=sz["bits"]),
                   hoverinfo="skip", showlegend=False, cliponaxis=False, xaxis="x", yaxis="y"),
        # 2: input bits not read yet (grey)
        dict(type="scatter", x=todo_x, y=todo_y, text=todo_text, mode="text",
                   textfont=dict(size=sz["bits"], color=FUTURE_COLOUR), hoverinfo="skip", showlegend=False,
                   cliponaxis=False, xaxis="x", yaxis="y"),
        # 3: the true carry into each column (written small above it, only the 1s, as on paper)
        dict(type="scatter", x=[x[c] for c in cols_with_carry], y=[ROW_CARRY] * len(cols_with_carry),
                   text=["1"] * len(cols_with_carry), mode="text",
                   textfont=dict(size=sz["carry"], color=CARRY_COLOUR), hoverinfo="skip", showlegend=False,
                   cliponaxis=False, xaxis="x", yaxis="y"),
        # 4: the carry arrows travelling to the next column
        dict(type="scatter", x=ax, y=ay, mode="lines+markers", line=dict(color=CARRY_COLOUR, width=2),
                   marker=dict(symbol=symbols, size=sizes, color=CARRY_COLOUR),
                   hoverinfo="skip", showlegend=False, xaxis="x", yaxis="y"),
        # 5: the carry the network's answer implies (probability), red where it is wrong
        dict(type="scatter", x=[x[c] for c in bcols], y=_row_y(ROW_BELIEF, [x[c] for c in bcols], sz),
                   text=[_prob_text(belief[c], sz["prob_format"]) for c in bcols], mode="text",
                   textfont=dict(size=sz["prob"], color=[WRONG_COLOUR if w else CARRY_COLOUR for w in b_wrong]),
                   hovertext=[t("train.fig.belief_hover", lang, p=belief[c], c=int(carry_in[c])) for c in bcols],
                   hoverinfo="text", showlegend=False, cliponaxis=False, xaxis="x", yaxis="y"),
        # 6: the network's bits, blue if right, vermillion with a ✗ if wrong
        dict(type="scatter", x=xs_done, y=[ROW_NET] * len(xs_done), text=net_text,
                   mode="markers+text", marker=dict(symbol="square", size=sz["square"], color=net_colours),
                   textfont=dict(size=sz["net"], color="white"), hoverinfo="skip", showlegend=False,
                   cliponaxis=False, xaxis="x", yaxis="y"),
        # 7: the true sum bits (answer key, grey)
        dict(type="scatter", x=xs_done, y=[ROW_TRUE] * len(xs_done), text=[str(v) for v in trace.true_bits[done]],
                   mode="text", textfont=dict(size=sz["truth"], color=FUTURE_COLOUR), hoverinfo="skip",
                   showlegend=False, cliponaxis=False, xaxis="x", yaxis="y"),
        # 8: the output probability p(sum bit = 1)
        dict(type="scatter", x=xs_done, y=_row_y(ROW_PROB, xs_done, sz),
                   text=[_prob_text(p, sz["prob_format"]) for p in trace.prob[done]], mode="text",
                   textfont=dict(size=sz["prob"]), hoverinfo="skip", showlegend=False, cliponaxis=False,
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


def carry_animation(trace: Trace, lang: str = "en", width: int | None = None, height: int = 430) -> go.Figure:
    """Written column addition of trace.a + trace.b, animated one timestep (column) per frame.

    Inputs: a Trace from Trainer.trace(a, b) (T = bits + 1 columns, column t = bit t); width: the
    chart's width in px (None: DEFAULT_WIDTH), which sets the text sizes (carry_sizes).
    Returns: a Figure with T frames named "0".."T-1"; frame k shows columns 0..k computed; the
    base data is the last frame (the full picture). No buttons or slider in the figure: the page
    draws focusable ones under it (rnn_app.ui.anim_controls).
    Top (x, y): the addition table; bottom (x2, y2): the top layer's hidden state as a heatmap."""
    T = trace.steps
    x = column_x(T)
    sz = carry_sizes(T, width, lang)
    full = [_frame_data(trace, k, lang, sz) for k in range(T)]  # fully styled; the last is the base data
    frames = [dict(data=[_changing(d) for d in data], name=str(k), traces=list(range(N_ANIM_TRACES)))
              for k, data in enumerate(full)]  # fmt: skip
    rows = [ROW_PROB, ROW_TRUE, ROW_NET, ROW_B, ROW_A, ROW_BELIEF, ROW_CARRY]
    ticks = [c for c in range(T) if c % sz["t_every"] == 0]
    columns = dict(range=[-0.5, T - 0.5], showgrid=False, zeroline=False, fixedrange=True)
    t_axis = dict(tickvals=x[ticks], ticktext=[f"t={c}" if sz["t_labels"] == "t=" else str(c) for c in ticks],
                  tickangle=0)  # fmt: skip
    if sz["t_labels"] != "t=":
        t_axis["title"] = dict(text=t("train.fig.t", lang), standoff=4)
    layout = base_layout(
        height,
        xaxis=dict(columns, showticklabels=False, anchor="y"),
        yaxis=dict(range=[-0.6, TOP + 0.2], tickvals=rows, ticktext=sz["names"][::-1],
                   showgrid=False, zeroline=False, fixedrange=True, domain=[0.42, 1.0]),
        xaxis2=dict(columns, anchor="y2", matches="x", **t_axis),
        yaxis2=dict(title=dict(text=t("train.fig.hidden", lang)), showticklabels=False, showgrid=False,
                    zeroline=False, fixedrange=True, autorange="reversed", domain=[0.0, 0.38]),
        margin=dict(l=8, r=8, t=8, b=8),
        shapes=[dict(type="line", x0=-0.5, x1=T - 0.5, y0=2.4, y1=2.4, xref="x", yref="y",
                     line=dict(color=FUTURE_COLOUR, width=1.5))],  # the line under b, as on paper
        annotations=[dict(x=T - 0.5, y=2.55, xref="x", yref="y", text="+", showarrow=False, xanchor="left",
                          font=dict(size=min(22, sz["bits"])))],
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



"""Pure figure builders for the Digits page: data in, plotly Figure out (no streamlit).

    digits_curve(history, solved_step, lang)                    -> live loss / test-accuracy chart
    row_reveal(image, row_probs, label, max_value, lang)       -> the image read row by row, with the
                                                                  10 class probabilities after each row
    confusion_figure(confusion, lang, selected)                 -> confusion matrix, cells clickable
    thumbnails(images, labels, predicted, max_value, lang)      -> a grid of small test digits

The colours, base layout, Play / Pause buttons and the learning curve come from the shared
plotting kit (rnn_app.ui.plotting).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnn.history import History
from rnn_app.ui.plotting import (
    ACCURACY_COLOUR,
    FUTURE_COLOUR,
    LOSS_COLOUR,
    RIGHT_COLOUR,
    WRONG_COLOUR,
    base_layout,
    figure,
    learning_curve,
)
from rnn_app.ui.strings import t

INK = [[0.0, "#f8fafc"], [1.0, "#111827"]]  # pixel grey levels: paper white to ink black
GUESS_COLOUR = LOSS_COLOUR  # purple: the class the network would answer now
BAR_COLOUR = "#9ca3af"  # grey: the other classes
N_CLASSES = 10


# ---- learning curve ----------------------------------------------------------------------------
def digits_curve(history: History, solved_step: int | None, lang: str = "en", height: int = 300) -> go.Figure:
    """The Train page's learning curve (loss, log scale; accuracy 0..100 %) relabelled for digits:
    the accuracy is on the test images, and the dashed line marks the first step at >= 97 %."""
    steps, losses = history.loss_series()
    eval_steps, acc, _ = history.eval_series()
    fig = learning_curve(steps, losses, eval_steps, acc, solved_step, lang, height)
    label = t("digits.fig.test_acc", lang)
    fig.data[1].name = label
    fig.layout.yaxis2.title.text = label
    if solved_step is not None:
        fig.layout.annotations[0].text = t("digits.fig.reached", lang, step=solved_step)
    return fig


# ---- row-by-row reading --------------------------------------------------------------------------
def _row_frame(image: np.ndarray, probs: np.ndarray, label: int | None, k: int, lang: str) -> list[dict]:
    """Traces after row k has been read: 0 image so far, 1 frame around row k, 2 probability bars."""
    R, C = image.shape
    shown = image.astype(np.float64)
    shown[k + 1 :] = np.nan  # rows not read yet: blank
    p = probs[k]
    guess = int(np.argmax(p))
    colours = [BAR_COLOUR] * N_CLASSES
    colours[guess] = GUESS_COLOUR
    if label is not None and k == R - 1:  # the final answer: right (blue) or wrong (vermillion), and a mark
        colours[guess] = RIGHT_COLOUR if guess == label else WRONG_COLOUR
    edges = ["rgba(0,0,0,0)"] * N_CLASSES
    widths = [0] * N_CLASSES
    if label is not None:  # the true class gets an outline in every frame
        edges[label], widths[label] = ACCURACY_COLOUR, 3
    text = [f"{v:.0%}" if v >= 0.05 else "" for v in p]
    if label is not None and k == R - 1:
        text[guess] = ("✓ " if guess == label else "✗ ") + (text[guess] or f"{p[guess]:.0%}")
    return [
        dict(type="heatmap", z=shown.tolist(), colorscale=INK, showscale=False, xaxis="x", yaxis="y",
             hovertemplate=t("digits.fig.pixel_hover", lang) + "<extra></extra>", xgap=1, ygap=1),
        dict(type="scatter", x=[-0.5, C - 0.5, C - 0.5, -0.5, -0.5], y=[k - 0.5, k - 0.5, k + 0.5, k + 0.5, k - 0.5],
             mode="lines", line=dict(color=GUESS_COLOUR, width=3), hoverinfo="skip", showlegend=False,
             xaxis="x", yaxis="y"),
        dict(type="bar", x=list(range(N_CLASSES)), y=p.tolist(), text=text, textposition="outside",
             marker=dict(color=colours, line=dict(color=edges, width=widths)), xaxis="x2", yaxis="y2",
             hovertemplate=t("digits.fig.bar_hover", lang) + "<extra></extra>", showlegend=False, cliponaxis=False),
    ]  # fmt: skip


def _row_title(probs: np.ndarray, label: int | None, k: int, lang: str) -> str:
    R = probs.shape[0]
    guess = int(np.argmax(probs[k]))
    text = t("digits.fig.after_row", lang, row=k + 1, rows=R, guess=guess, p=f"{probs[k, guess]:.0%}")
    if label is not None and k == R - 1:
        key = "digits.fig.final_right" if guess == label else "digits.fig.final_wrong"
        text += " · " + t(key, lang, label=label)
    return text


def row_reveal(
    image: np.ndarray,
    row_probs: np.ndarray,
    label: int | None,
    max_value: int,
    lang: str = "en",
    height: int = 360,
) -> go.Figure:
    """An image read one row per frame beside the 10 class probabilities after that row.

    Inputs: image (R, C) grey levels 0..max_value; row_probs (R, 10) from
    ClassifierTrainer.row_probabilities (row t = the answer if the image ended after row t);
    label: the true digit (None for a drawn digit).
    Returns: a Figure with R frames named "0".."R-1" (frame k: rows 0..k shown, bars after row k);
    the base data is the last frame (the whole image and the final answer). No buttons or slider
    in the figure: the page draws focusable ones under it (rnn_app.ui.anim_controls). Left (x, y): the image; right (x2, y2): the probabilities."""
    image = np.asarray(image)
    R, C = image.shape
    if row_probs.shape != (R, N_CLASSES):
        raise ValueError(f"row_probs must be ({R}, {N_CLASSES}); got {row_probs.shape}")
    frames = [
        dict(data=_row_frame(image, row_probs, label, k, lang), name=str(k), traces=[0, 1, 2],
             layout=dict(title=dict(text=_row_title(row_probs, label, k, lang))))
        for k in range(R)
    ]  # fmt: skip
    for f in frames:
        f["data"][0].update(zmin=0, zmax=max_value)
    layout = base_layout(
        height,
        title=dict(text=_row_title(row_probs, label, R - 1, lang), x=0.0, xanchor="left", font=dict(size=15)),
        xaxis=dict(domain=[0.0, 0.36], range=[-0.5, C - 0.5], showticklabels=False, showgrid=False, ticks="",
                   zeroline=False, fixedrange=True, scaleanchor="y", constrain="domain"),
        yaxis=dict(range=[R - 0.5, -0.5], showticklabels=False, showgrid=False, ticks="", zeroline=False,
                   fixedrange=True),
        xaxis2=dict(domain=[0.46, 1.0], tickvals=list(range(N_CLASSES)), ticks="", fixedrange=True, showgrid=False,
                    tickfont=dict(size=14)),
        yaxis2=dict(anchor="x2", range=[0, 1.12], tickformat=".0%", tickvals=[0, 0.5, 1.0], fixedrange=True,
                    gridcolor="rgba(128,128,128,0.2)"),
        bargap=0.25,
        shapes=[dict(type="rect", x0=-0.5, x1=C - 0.5, y0=-0.5, y1=R - 0.5, xref="x", yref="y", layer="below",
                     fillcolor="rgba(148,163,184,0.12)", line=dict(color=FUTURE_COLOUR, width=1, dash="dot"))],
    )  # fmt: skip
    layout["margin"] = dict(l=8, r=8, t=40, b=30)
    return figure(frames[-1]["data"], layout, frames)


# ---- confusion matrix --------------------------------------------------------------------------
def confusion_figure(
    confusion: np.ndarray, lang: str = "en", selected: tuple[int, int] | None = None, height: int = 380
) -> go.Figure:
    """Counts of (true digit, predicted digit) over the test images.

    Trace 0: the right answers (diagonal, green); trace 1: the mistakes (off the diagonal,
    red, stronger for more); trace 2: one clickable marker per non-empty mistake cell with
    customdata [true, predicted] (the page opens those images); a frame marks `selected`."""
    confusion = np.asarray(confusion)
    K = confusion.shape[0]
    diag = np.full((K, K), np.nan)
    np.fill_diagonal(diag, np.diag(confusion))
    off = confusion.astype(np.float64).copy()
    np.fill_diagonal(off, np.nan)
    off[off == 0] = np.nan
    max_off = float(np.nanmax(off)) if np.isfinite(off).any() else 1.0
    on_diag = np.eye(K, dtype=bool)
    diag_text = [[str(v) if d else "" for v, d in zip(row, drow)] for row, drow in zip(confusion.tolist(), on_diag)]
    off_text = [[str(v) if v and not d else "" for v, d in zip(row, drow)] for row, drow in zip(confusion.tolist(), on_diag)]
    ti, pi = np.nonzero(np.isfinite(off))
    hover = t("digits.fig.confusion_hover", lang) + "<extra></extra>"
    data = [
        dict(type="heatmap", z=diag.tolist(), x=list(range(K)), y=list(range(K)), zmin=0, zmax=1,
             colorscale=[[0, RIGHT_COLOUR], [1, RIGHT_COLOUR]], showscale=False, text=diag_text, texttemplate="%{text}",
             textfont=dict(color="white", size=13), hovertemplate=hover, xgap=2, ygap=2),
        dict(type="heatmap", z=off.tolist(), x=list(range(K)), y=list(range(K)), zmin=0, zmax=max(max_off, 1.0),
             colorscale=[[0, "#fecaca"], [1, "#ef4444"]], showscale=False, text=off_text, texttemplate="%{text}",
             textfont=dict(color="#111827", size=13), hovertemplate=hover, xgap=2, ygap=2),
        dict(type="scatter", x=pi.tolist(), y=ti.tolist(), customdata=np.stack([ti, pi], axis=1).tolist(),
             mode="markers", marker=dict(symbol="square", size=26, color="rgba(0,0,0,0.01)"),
             hovertemplate=t("digits.fig.confusion_click", lang) + "<extra></extra>", showlegend=False),
    ]  # fmt: skip
    shapes = []
    if selected is not None:
        i, j = selected
        shapes.append(dict(type="rect", x0=j - 0.5, x1=j + 0.5, y0=i - 0.5, y1=i + 0.5, line=dict(color=GUESS_COLOUR, width=3)))
    axis = dict(tickvals=list(range(K)), showgrid=False, zeroline=False, fixedrange=True, ticks="")
    layout = base_layout(
        height,
        xaxis=dict(axis, title=dict(text=t("digits.fig.predicted", lang)), side="top", constrain="domain"),
        yaxis=dict(axis, title=dict(text=t("digits.fig.true", lang)), autorange="reversed", scaleanchor="x"),
        shapes=shapes,
        clickmode="event+select",
        dragmode=False,
    )  # fmt: skip
    layout["margin"] = dict(l=8, r=8, t=50, b=8)
    return figure(data, layout)


# ---- thumbnails ----------------------------------------------------------------------------------
def thumbnails(
    images: np.ndarray,
    max_value: int,
    captions: list[str],
    wrong: np.ndarray | None = None,
    per_row: int = 8,
    height: int | None = None,
) -> go.Figure:
    """Small images side by side (one heatmap per image in a shared grid), each captioned;
    images marked `wrong` get a red caption."""
    images = np.asarray(images)
    n, R, C = images.shape
    rows = max(1, -(-n // per_row))
    gap = 2  # blank pixels between thumbnails
    row_gap = gap + max(3, R // 2)  # ... and between rows: room for the captions on a narrow chart
    H, W = rows * (R + row_gap) - row_gap, per_row * (C + gap) - gap
    canvas = np.full((H, W), np.nan)
    notes = []
    for i in range(n):
        r, c = divmod(i, per_row)
        y, x = r * (R + row_gap), c * (C + gap)
        canvas[y : y + R, x : x + C] = images[i]
        bad = wrong is not None and bool(wrong[i])
        notes.append(dict(x=x + (C - 1) / 2, y=y + R - 0.5, text=("✗ " if bad else "") + captions[i], showarrow=False, yanchor="top",
                          font=dict(size=11, color=WRONG_COLOUR if bad else None)))  # fmt: skip
    data = [dict(type="heatmap", z=canvas.tolist(), colorscale=INK, zmin=0, zmax=max_value, showscale=False,
                 hoverinfo="skip")]  # fmt: skip
    axis = dict(showticklabels=False, showgrid=False, zeroline=False, fixedrange=True, ticks="")
    layout = base_layout(
        height or 40 + rows * 90,
        xaxis=dict(axis, range=[-0.5, W - 0.5], constrain="domain"),
        yaxis=dict(axis, range=[H + 1.5, -0.5], scaleanchor="x"),
        annotations=notes,
    )  # fmt: skip
    layout["margin"] = dict(l=4, r=4, t=4, b=20)
    return figure(data, layout)

"""The plotting kit every page's figure builders share (pure: no streamlit).

Colours, the base layout, fast figure construction, the Play / Pause buttons of an animation,
the one colour scale for a hidden state, and the live learning curve (Train and Digits).

Every figure uses a transparent background and mid-tone colours that read on the light and the
dark theme; text without an explicit colour takes the theme's font colour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from rnn_app.ui.strings import t

# A colour-blind-safe palette (Okabe & Ito): every pair stays apart in the three common kinds of
# colour blindness, and right / wrong also carry a mark or a word wherever they are shown.
LOSS_COLOUR = "#cc79a7"  # reddish purple: the loss
ACCURACY_COLOUR = "#009e73"  # bluish green: accuracy
RIGHT_COLOUR = "#0072b2"  # blue: a right bit or digit (with a ✓ where it is text)
WRONG_COLOUR = "#c24e00"  # vermillion, a shade darker (white digits on it read 4.8:1): a wrong one (with a ✗)
CARRY_COLOUR = "#7c3aed"  # the app's purple: the carry and its arrow
FUTURE_COLOUR = "#8a8f98"  # grey: inputs not read yet, the answer key
TRANSPARENT = "rgba(0,0,0,0)"
GRID = "rgba(128,128,128,0.25)"
# A hidden state on every page: blue (negative), light grey (0), orange (positive). Explicit lists:
# figures skip plotly's validation, which is what would turn a scale's name into colours.
HIDDEN_DIVERGING = [[0.0, "#1d4ed8"], [0.25, "#93c5fd"], [0.5, "#e5e7eb"], [0.75, "#fdba74"], [1.0, "#c2410c"]]
HIDDEN_SEQUENTIAL = [[0.0, "#e5e7eb"], [0.5, "#fdba74"], [1.0, "#c2410c"]]  # states never below 0
MAX_CURVE_POINTS = 250  # the live chart never sends more points than this per series (~1.5 px each)
# Live-chart axes: no automatic margins or tick-label overflow passes (costly redraws per update).
FIXED_AXIS = dict(automargin=False, ticklabeloverflow="allow")


def base_layout(height: int, **kw) -> dict:
    """A transparent layout of this height. The template is empty: st.plotly_chart styles the
    chart with the app's light or dark theme anyway, and plotly's default template would be most
    of a small figure's bytes (and of a live update's)."""
    layout = dict(height=height, paper_bgcolor=TRANSPARENT, plot_bgcolor=TRANSPARENT, template={"layout": {}},
                  margin=dict(l=8, r=8, t=30, b=8), hoverlabel=dict(namelength=-1))  # fmt: skip
    layout.update(kw)
    return layout


def figure(data: list[dict], layout: dict, frames: list[dict] | None = None) -> go.Figure:
    """A Figure from plain dicts without plotly's per-property validation (it costs tens of ms per
    figure, more than a live update may take). Tests validate the same dicts."""
    spec = {"data": data, "layout": layout}
    if frames:
        spec["frames"] = frames
    return go.Figure(spec, _validate=False)


def column_x(steps: int) -> np.ndarray:
    """x of column t in written order: the least significant column (t = 0) on the right."""
    return (steps - 1 - np.arange(steps)).astype(np.float64)


def symmetric_range(*arrays: np.ndarray) -> float:
    """The largest |value| over arrays (at least 1e-6): a colour range [-m, m] centred at 0."""
    m = max((float(np.nanmax(np.abs(a))) for a in arrays if np.size(a)), default=0.0)
    return max(m, 1e-6)


def hidden_scale(values: np.ndarray) -> tuple[float, float, list]:
    """(zmin, zmax, colorscale) for hidden states or gates: diverging around 0 if anything is
    negative (tanh), else sequential from 0 (sigmoid, gates); never narrower than [-1, 1] / [0, 1],
    so a faint state looks faint."""
    m = max(symmetric_range(values), 1.0)
    if np.size(values) and float(np.nanmin(values)) >= 0:
        return 0.0, m, HIDDEN_SEQUENTIAL
    return -m, m, HIDDEN_DIVERGING


def play_buttons(lang: str, frame_ms: int) -> dict:
    """Play / Pause buttons (an updatemenu) for an animation with one frame per step."""
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


# ---- the live learning curve ---------------------------------------------------------------------
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


def learning_curve(steps: np.ndarray, losses: np.ndarray, eval_steps: np.ndarray, exact: np.ndarray,
                   solved_step: int | None = None, lang: str = "en", height: int = 320) -> go.Figure:  # fmt: skip
    """Training loss (log y, left) and accuracy (right, 0..100 %) against the step.

    Inputs: steps, losses (n,) from History.loss_series(); eval_steps, exact (m,) from
    History.eval_series(); solved_step marks the first step evaluated as solved.
    Returns: a Figure with trace 0 = loss, trace 1 = accuracy, a dashed line at solved_step.
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
    # Fixed margins, no legend (the axis titles carry the trace colours), few ticks, no markers: the
    # browser redraws this up to 4 times a second per viewer, and automargin and legend passes were a
    # third of that work. Top margin: room for the "solved" label.
    layout = base_layout(
        height,
        margin=dict(l=64, r=64, t=24, b=46),
        xaxis=dict(title=dict(text=t("train.fig.step", lang)), range=c["x_range"], showgrid=False, nticks=5,
                   **FIXED_AXIS),
        yaxis=dict(title=dict(text=t("train.fig.loss", lang), font=dict(color=LOSS_COLOUR)), type="log",
                   tickvals=c["loss_ticks"], range=c["loss_range"], tickformat="~g",
                   tickfont=dict(color=LOSS_COLOUR), gridcolor="rgba(128,128,128,0.2)", **FIXED_AXIS),
        yaxis2=dict(title=dict(text=t("train.fig.exact", lang), font=dict(color=ACCURACY_COLOUR)),
                    overlaying="y", side="right", range=[0, 1.05], tickformat=".0%",
                    tickmode="array", tickvals=[0, 0.5, 1.0],
                    tickfont=dict(color=ACCURACY_COLOUR), showgrid=False, **FIXED_AXIS),
        showlegend=False,
        uirevision="learning-curve",  # keep a viewer's zoom while the curve grows
        shapes=shapes,
        annotations=notes,
    )  # fmt: skip
    return figure(data, layout)


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


# ---- chart style: contrast, projector sizes ----------------------------------------------------------
# The app's backgrounds (Streamlit's light and dark themes): every chart is transparent over them.
BACKGROUNDS = {"light": "#ffffff", "dark": "#171614"}  # dark: Streamlit 1.67's (measured in Chromium)
TEXT = {"light": "#1f2937", "dark": "#e5e7eb"}  # chart text: 14.7:1 and 14.6:1 on those backgrounds
MIN_CONTRAST = 4.5  # WCAG AA for text
PROJECTOR_FONT = 16  # px: the smallest chart text in projector mode (body text is 20 px)
PROJECTOR_LINE = 3.5  # px: the thinnest curve in projector mode


@dataclass(frozen=True)
class ChartStyle:
    theme: str = "light"  # "light" | "dark": the background every colour is checked against
    projector: bool = False  # bigger text, thicker lines


NAMED = {"white": "#ffffff", "black": "#000000"}


def _on_markers(trace: dict) -> bool:
    """Whether a trace's text sits on its own markers (digits in squares): its background is the
    marker's colour, not the page's."""
    return "markers" in trace.get("mode", "") and trace.get("textposition", "middle center") == "middle center"


def _rgb(colour: str) -> tuple[float, float, float, float] | None:
    """(r, g, b, alpha) in 0..255 of '#rgb', '#rrggbb', 'rgb(...)' or 'rgba(...)'; None otherwise."""
    c = NAMED.get(colour.strip().lower(), colour.strip().lower())
    if c.startswith("#") and len(c) in (4, 7):
        h = c[1:] if len(c) == 7 else "".join(ch * 2 for ch in c[1:])
        try:
            return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1.0
        except ValueError:
            return None
    if c.startswith("rgb"):
        try:
            parts = [float(p) for p in c[c.index("(") + 1:c.index(")")].split(",")]
        except ValueError:
            return None
        if len(parts) in (3, 4):
            return parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else 1.0
    return None


def luminance(colour: str) -> float:
    """WCAG relative luminance of an opaque colour (0 black .. 1 white)."""
    r, g, b, _ = _rgb(colour)

    def lin(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two opaque colours (1 .. 21)."""
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(colour, bg: str, minimum: float = MIN_CONTRAST):
    """`colour` as text on `bg`: itself if it reads well enough, else the same hue mixed towards
    black (light background) or white (dark) until it does. Anything unparsable is left alone."""
    if not isinstance(colour, str) or _rgb(colour) is None:
        return colour
    r, g, b, _ = _rgb(colour)  # text is drawn opaque: a faded colour becomes its full tone
    towards = 0.0 if luminance(bg) > 0.5 else 255.0
    for k in np.linspace(0, 1, 41):
        mixed = "#{:02x}{:02x}{:02x}".format(*tuple(round(v + (towards - v) * k) for v in (r, g, b)))
        if contrast(mixed, bg) >= minimum:
            return mixed
    return "#000000" if towards == 0 else "#ffffff"


def _font(font: dict | None, style: ChartStyle, bg: str, default_size: float | None = None) -> dict:
    """A font dict with a readable colour (the theme's text colour if none) and, in projector
    mode, at least the projector size."""
    font = dict(font or {})
    colour = font.get("color")
    if colour is None:
        font["color"] = TEXT[style.theme]
    elif isinstance(colour, list | tuple):
        font["color"] = [readable(c, bg) for c in colour]
    else:
        font["color"] = readable(colour, bg)
    if style.projector:
        size = font.get("size", default_size)
        if isinstance(size, list | tuple):
            font["size"] = [max(s, PROJECTOR_FONT) for s in size]
        else:
            font["size"] = max(size or PROJECTOR_FONT, PROJECTOR_FONT)
    return font


def _colorbar(bar: dict | None, style: ChartStyle, bg: str) -> dict:
    bar = dict(bar or {})
    bar["tickfont"] = _font(bar.get("tickfont"), style, bg, 12)
    if isinstance(bar.get("title"), dict):
        bar["title"] = {**bar["title"], "font": _font(bar["title"].get("font"), style, bg, 12)}
    return bar


def _style_trace(trace: dict, style: ChartStyle, bg: str) -> None:
    kind = trace.get("type", "scatter")
    if "textfont" in trace and kind not in ("heatmap", "table") and not _on_markers(trace):  # else on cells
        trace["textfont"] = _font(trace["textfont"], style, bg, 12)
    elif style.projector and ("textfont" in trace or trace.get("texttemplate") or "text" in trace.get("mode", "")):
        font = trace.get("textfont") or {}  # text on cells or markers: plotly picks its colour per cell
        trace["textfont"] = {**font, "size": max(font.get("size") or PROJECTOR_FONT, PROJECTOR_FONT)}
    if kind == "heatmap" and trace.get("showscale", True) and "coloraxis" not in trace or "colorbar" in trace:
        trace["colorbar"] = _colorbar(trace.get("colorbar"), style, bg)
    if isinstance(trace.get("marker"), dict) and "colorbar" in trace["marker"]:
        trace["marker"] = {**trace["marker"], "colorbar": _colorbar(trace["marker"]["colorbar"], style, bg)}
    if style.projector and kind == "scatter":
        mode = trace.get("mode", "lines")
        if "lines" in mode:
            line = dict(trace.get("line") or {})
            line["width"] = max(1.75 * line.get("width", 2), PROJECTOR_LINE)
            trace["line"] = line
        if "markers" in mode and isinstance((trace.get("marker") or {}).get("size"), int | float):
            trace["marker"] = {**trace["marker"], "size": trace["marker"]["size"] * 1.3}


def style_figure(fig: go.Figure, style: ChartStyle) -> go.Figure:
    """A new figure: `fig` with every text readable on the theme's background (≥ 4.5:1) and, in
    projector mode, chart text ≥ 16 px and thicker lines. Pure: `fig` is not changed (figures are
    cached and may be shared)."""
    bg = BACKGROUNDS[style.theme]
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    layout["font"] = _font(layout.get("font"), style, bg, 13)
    for name, axis in list(layout.items()):
        if (name.startswith("xaxis") or name.startswith("yaxis")) and isinstance(axis, dict):
            axis["tickfont"] = _font(axis.get("tickfont"), style, bg, 12)
            if style.projector and axis.get("type") == "log" and "tickvals" not in axis and "dtick" not in axis:
                axis["dtick"] = 1  # decades only: plotly draws the 2s and 5s between them at 3/4 size
            title = axis.get("title")
            if isinstance(title, dict):
                title["font"] = _font(title.get("font"), style, bg, 13)
            elif isinstance(title, str):
                axis["title"] = {"text": title, "font": _font(None, style, bg, 13)}
    for name, axis in list(layout.items()):
        if name.startswith("coloraxis") and isinstance(axis, dict):
            axis["colorbar"] = _colorbar(axis.get("colorbar"), style, bg)
    if isinstance(layout.get("title"), dict):
        layout["title"]["font"] = _font(layout["title"].get("font"), style, bg, 15)
    layout["legend"] = {**(layout.get("legend") or {}), "font": _font((layout.get("legend") or {}).get("font"), style, bg, 12)}
    for note in layout.get("annotations") or []:
        note["font"] = _font(note.get("font"), style, note.get("bgcolor") if _opaque(note.get("bgcolor")) else bg, 12)
    for menu in layout.get("updatemenus") or []:
        menu["font"] = _font(menu.get("font"), style, bg, 13)
    for slider in layout.get("sliders") or []:
        slider["font"] = _font(slider.get("font"), style, bg, 12)
        if isinstance(slider.get("currentvalue"), dict):
            slider["currentvalue"]["font"] = _font(slider["currentvalue"].get("font"), style, bg, 13)
    for trace in spec.get("data", []):
        _style_trace(trace, style, bg)
    for frame in spec.get("frames", []) or []:
        for trace in frame.get("data", []):
            _style_trace(trace, style, bg)
    return go.Figure(spec, _validate=False)


def _opaque(colour) -> bool:
    return isinstance(colour, str) and _rgb(colour) is not None and _rgb(colour)[3] >= 0.99

"""Pieces the Inside page's sections share: number formats, charts, cached analyses, operands.

Every number comes from rnn.analysis; heavy results are cached per set of weights and shared by
every viewer looking at the same network (rnn_app.inside.cache).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from rnn import Config
from rnn import analysis as A
from rnn_app.inside.cache import Subject
from rnn_app.inside.state import InsideState
from rnn_app.ui import a11y
from rnn_app.ui.links import MAX_TEXT
from rnn_app.ui.operands import feedback, parse_operand
from rnn_app.ui.strings import t
from rnn_app.ui.view import styled
from rnn_app.ui.widgets import control, widget_key

CHART_CONFIG = {"displaylogo": False}
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def pct(x: float) -> str:
    """An accuracy as a percentage; 2 decimals just below 100 % so 99.99 % never reads as 100 %."""
    return f"{100 * x:.2f} %" if 0.999 <= x < 1.0 else f"{100 * x:.1f} %"


def times(x: float) -> str:
    """A factor for people: 37, 1,160, 1.2 × 10⁸ (∞ when the gradient vanished to exactly 0)."""
    if not np.isfinite(x):
        return "∞"
    if x < 1e3:
        return f"{x:.3g}"
    if x < 1e4:
        return f"{x:,.0f}"  # not 1.16e+03
    e = int(np.floor(np.log10(x)))
    return f"{x / 10**e:.1f} × 10{str(e).translate(SUPERSCRIPT)}"


def chart(fig, key: str, alt: str | None = None) -> None:
    """A chart, after its text alternative `alt` for screen readers (rnn_app.ui.alt_text)."""
    if alt:
        a11y.chart_alt(alt, key)
    st.plotly_chart(styled(fig), width="stretch", config=CHART_CONFIG, key=key)


def on_demand(state: InsideState, name: str, draw: Callable[[], None]) -> None:
    """The costly part of section `name`, in an expander that runs draw() only while it is open:
    a closed section costs the server nothing. Whether it is open is the viewer's (state.opened);
    opening it reruns just its section (a fragment)."""
    key = widget_key(f"inside.open.{name}")
    # the widget's value set from the state, its `expanded` fixed: a changed `expanded` would make it
    # a new element, and the browser would lose the keyboard focus on it at each toggle
    st.session_state[key] = state.is_open(name)
    box = st.expander(t(f"inside.open.{name}"), key=key,
                      on_change=lambda: state.show(name, bool(st.session_state[key])))  # fmt: skip
    if state.is_open(name):
        with box:
            draw()


def cell_name(cfg) -> str:
    return f"RNN ({cfg.activation})" if cfg.cell == "rnn" else cfg.cell.upper()


def compare_key(cfg: Config) -> tuple:
    """What the RNN / GRU / LSTM comparison depends on: the settings other than cell and width."""
    return tuple(sorted((k, v) for k, v in cfg.to_dict().items() if k not in ("cell", "bits")))


def units_label(units: tuple[int, ...]) -> str:
    """'unit 7' or 'units 3, 7' (numbered from 1)."""
    if len(units) == 1:
        return t("inside.fig.unit", u=units[0] + 1)
    return t("inside.s2.units", list=t("list.sep").join(str(u + 1) for u in units))


def points(d: float) -> float:
    """A change in percentage points as shown: rounded to 0.1, and never "-0.0"."""
    return round(d, 1) + 0.0


# ---- cached computations ---------------------------------------------------------------------------
def states(state: InsideState, subject: Subject, layer: int) -> A.StateAnalysis:
    return state.results.get(subject, "states", (layer,), lambda: A.analyse_states(subject.model, subject.bits, layer))


def exact(state: InsideState, subject: Subject, units: tuple[int, ...] = (), layer: int = 1,
          bits: int | None = None, max_pairs: int | None = None) -> A.Accuracy:  # fmt: skip
    """Exact accuracy at a width (default: the subject's), with some units silenced."""
    bits = subject.bits if bits is None else bits

    def compute():
        mask = A.unit_mask(subject.model, units, layer) if units else None
        return A.accuracy(subject.model, A.operand_set(bits, max_pairs), mask)

    return state.results.get(subject, "exact", (bits, max_pairs, layer, units), compute)


def length(state: InsideState, subject: Subject) -> A.LengthCurve:
    """Accuracy from 4 to 64 bits, and at the training width too (2 or 3 bits are below 4)."""
    widths = tuple(sorted(set(A.LENGTH_WIDTHS) | {subject.bits}))
    return state.results.get(subject, "length", (widths,), lambda: A.length_generalisation(subject.model, widths))


def gradient(state: InsideState, subject: Subject, layer: int, bits: int, kind: str | None,
             scale: float) -> A.GradientCurve:  # fmt: skip
    """The subject's own curve (kind None) or a fresh network's of the same size (cached alike)."""
    cfg = subject.model.cfg

    def compute():
        if kind is None:
            return A.gradient_through_time(subject.model, bits, layer=layer)
        fresh = A.fresh_model(kind, cfg.hidden, cfg.layers, cfg.seed, scale)
        return A.gradient_through_time(fresh, bits, layer=layer, name=kind)

    return state.results.get(subject, "grad", (layer, bits, kind, scale if kind else None), compute)


# ---- operands -----------------------------------------------------------------------------------------
def default_operands(bits: int) -> tuple[int, int]:
    top = (1 << bits) - 1
    return round(0.7 * top), round(0.35 * top)


def operands(state: InsideState, bits: int) -> tuple[int, int]:
    """The operands as typed, or the default pair where one does not fit (never an error)."""
    parsed = [parse_operand(x, bits) for x in (state.a, state.b)]
    return tuple(p.value if p.ok else d for p, d in zip(parsed, default_operands(bits)))


def operand_inputs(state: InsideState, bits: int) -> tuple[int, int] | None:
    """Inputs a and b with the binary form under each; returns (a, b) if both fit `bits`."""
    values = []
    for col, name in zip(st.columns(2), "ab"):
        with col:
            text = getattr(state, name)
            control(st, "text_input", t(f"inside.operand_{name}"), name=f"inside.operand.{name}", value=text,
                    version=state.operand_version, on_change=lambda v, n=name: state.set(n, v),
                    max_chars=MAX_TEXT, help=t("inside.operand_help", bits=bits))  # fmt: skip
            parsed = parse_operand(text, bits)
            (st.caption if parsed.ok else st.markdown)(feedback(parsed, bits))
            values.append(parsed.value)
    return None if None in values else (values[0], values[1])

"""Sections 1-6 of the Inside page: hidden state over time, carry neurons, the automaton inside,
gradients through time, how far it generalises, the weights. Each is a fragment: moving one of
its widgets reruns only it. Sections 1 and 2 are drawn at once; 3-6 show their title and intro,
and compute their charts only once the viewer opens them (views.on_demand). Section 7 (wire it by
hand) is rnn_app.inside.handwired.
"""

from __future__ import annotations

import streamlit as st

from rnn import Trainer
from rnn import analysis as A
from rnn.trace import make_trace
from rnn_app.inside import figures as F
from rnn_app.inside.cache import Subject
from rnn_app.inside.state import InsideState
from rnn_app.inside.views import (
    chart,
    compare_key,
    exact,
    gradient,
    length,
    on_demand,
    operand_inputs,
    pct,
    points,
    states,
    times,
    units_label,
)
from rnn_app.ui import alt_text
from rnn_app.ui.guard import section
from rnn_app.ui.strings import t
from rnn_app.ui.widgets import control

COMPARE_SECONDS = 4.0  # training budget per cell in the RNN / GRU / LSTM comparison


# ---- 1. hidden state over time ---------------------------------------------------------------------
def trace_tabs(trace, layer: int, gates: tuple[str, ...], lang: str, key: str) -> None:
    """The hidden state heatmap; for GRU / LSTM one tab per gate and the cell state as well."""
    hidden = trace.hidden[layer - 1]
    if not gates:
        chart(F.state_heatmap(hidden, trace, "h", lang), key, alt_text.state_alt(hidden, trace, "h", lang))
        return
    g = trace.gates[layer - 1]
    names = ["h", *gates, *(["c"] if "c" in g else [])]
    labels = [t("inside.s1.tab.h") if n == "h" else t("inside.s1.tab.c") if n == "c" else
              t("inside.s1.tab.gate", g=n) for n in names]  # fmt: skip
    for tab, n in zip(st.tabs(labels), names):
        with tab:
            values = hidden if n == "h" else g[n]
            chart(F.state_heatmap(values, trace, n, lang), f"{key}.{n}", alt_text.state_alt(values, trace, n, lang))
    st.caption(t("inside.s1.gates_note"))


def result_line(tr) -> str:
    mark = ":green[✓]" if tr.correct else ":red[✗]"
    return t("inside.s1.result", a=tr.a, b=tr.b, true=tr.true_sum, pred=tr.predicted_sum, mark=mark)


@st.fragment
@section("inside.hidden")
def section_hidden(state: InsideState, subject: Subject, layer: int, lang: str) -> None:
    st.subheader(t("inside.s1.title"), anchor="hidden")
    st.markdown(t("inside.s1.intro"))
    ab = operand_inputs(state, subject.bits)
    if ab is None:
        return
    tr = make_trace(subject.model, ab[0], ab[1], subject.bits)
    st.markdown(result_line(tr))
    trace_tabs(tr, layer, subject.gates, lang, "inside.chart.hidden")


# ---- 2. carry neurons -------------------------------------------------------------------------------
def ablation_units(state: InsideState, sa: A.StateAnalysis, H: int, lang: str, tag: str) -> tuple[int, ...]:
    """The widgets choosing which units to silence; returns their indices. `tag` names the model:
    a new model's unit picker starts at its own top unit."""
    ranked = [int(u) for u in sa.ranked_units()]
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    control(left, "segmented_control", t("inside.s2.mode"), name="inside.ablate.mode", value=state.ablate_mode,
            on_change=lambda m: state.set("ablate_mode", m or "one"), options=["one", "top"], required=True,
            format_func=lambda m: t(f"inside.s2.mode.{m}", lang=lang))  # fmt: skip
    if state.ablate_mode == "top":
        k = min(state.ablate_k, H)
        control(right, "slider", t("inside.s2.k"), name="inside.ablate.k", value=k, min_value=1, max_value=H,
                on_change=lambda v: state.set("ablate_k", v))  # fmt: skip
        return tuple(sorted(ranked[:k]))
    unit = state.ablate_unit[1] if state.ablate_unit and state.ablate_unit[0] == tag else ranked[0]
    control(right, "selectbox", t("inside.s2.unit"), name=f"inside.ablate.unit.{tag}", value=unit, options=ranked,
            on_change=lambda u: state.set("ablate_unit", (tag, u)),
            format_func=lambda u: t("inside.s2.unit_option", lang=lang, u=u + 1, r=sa.corr[u, 0]))  # fmt: skip
    return (int(unit),)


@st.fragment
@section("inside.carry")
def section_carry(state: InsideState, subject: Subject, layer: int, lang: str) -> None:
    sa = states(state, subject, layer)
    st.subheader(t("inside.s2.title"), anchor="carry")
    st.markdown(t("inside.s2.intro", rows=f"{sa.rows:,}", pairs=f"{sa.pairs:,}"))
    top = int(sa.ranked_units()[0])
    neuron = sa.carry_neuron()
    if neuron is not None:
        st.markdown(":violet[**" + t("inside.s2.neuron", u=neuron + 1, r=sa.corr[neuron, 0]) + "**]")
    else:
        st.markdown(t("inside.s2.no_neuron", u=top + 1, r=sa.corr[top, 0]))
    st.markdown(t("inside.s2.ablate_intro"))
    units = ablation_units(state, sa, subject.model.cfg.hidden, lang, subject.fingerprint[-1][:12])
    chart(F.correlation_bars(sa.corr[:, 0], lang, ablated=units), "inside.chart.corr",
          alt_text.correlation_alt(sa.corr[:, 0], lang))
    off = exact(state, subject, units, layer) if units else None  # the full accuracy came with the states
    a, b = st.columns(2)
    a.metric(t("inside.s2.with"), pct(sa.exact), help=t("inside.s2.acc_help", pairs=f"{sa.pairs:,}", bits=sa.bits))
    if off is not None:
        b.metric(t("inside.s2.without", units=units_label(units)), pct(off.exact),
                 delta=t("inside.s2.delta", d=points(100 * (off.exact - sa.exact))), delta_color="normal")  # fmt: skip


# ---- 3. the automaton inside ------------------------------------------------------------------------
def automaton_body(state: InsideState, subject: Subject, layer: int, lang: str) -> None:
    sa = states(state, subject, layer)
    acc = sa.accuracy
    pca, probe = st.container(key="chart-pair").columns(2, gap="medium")  # stacked when narrow (rnn_app.ui.layout)
    with pca:
        chart(F.state_scatter(sa, lang, "pca"), "inside.chart.scatter",
              t("alt.inside.scatter", carry=pct(acc["carry"]), pca=pct(acc["carry_pca"])))
    with probe:
        chart(F.state_scatter(sa, lang, "probe"), "inside.chart.probe",
              t("alt.inside.probe", carry=pct(acc["carry"]), sum=pct(acc["sum"])))  # fmt: skip
    st.caption(t("inside.s3.caption", carry=pct(acc["carry"]), pca=pct(acc["carry_pca"]),
                 shown=f"{len(sa.sample.t):,}", rows=f"{sa.rows:,}"))  # fmt: skip
    st.caption(t("inside.s3.margin", margin=sa.carry_margin))


@st.fragment
@section("inside.automaton")
def section_automaton(state: InsideState, subject: Subject, layer: int, lang: str) -> None:
    st.subheader(t("inside.s3.title"), anchor="automaton")
    st.markdown(t("inside.s3.intro"))
    on_demand(state, "automaton", lambda: automaton_body(state, subject, layer, lang))


# ---- 4. gradients through time -----------------------------------------------------------------------
BPTT = r"""
\begin{aligned}
a_t &= x_t W_{xh} + h_{t-1}\,\textcolor{#7c3aed}{W_{hh}} + b\\
h_t &= f(a_t), \qquad p_t = \sigma(h_t W_{hy} + b_y)\\[4pt]
\frac{\partial L}{\partial h_{t-1}} &= \frac{\partial L_{t-1}}{\partial h_{t-1}}
  + \Big(\frac{\partial L}{\partial h_t} \odot f'(a_t)\Big)\,\textcolor{#7c3aed}{W_{hh}^{\top}}\\[4pt]
\frac{\partial L_T}{\partial h_{T-k}} &= \frac{\partial L_T}{\partial h_T}\,
  \prod_{j=0}^{k-1} \operatorname{diag}\!\big(f'(a_{T-j})\big)\,\textcolor{#7c3aed}{W_{hh}^{\top}}\\
\Big\|\frac{\partial L_T}{\partial h_{T-k}}\Big\| &\le \Big\|\frac{\partial L_T}{\partial h_T}\Big\|
  \big(\gamma\,\|\textcolor{#7c3aed}{W_{hh}}\|\big)^{k},\qquad \gamma = \max|f'|\\[4pt]
\frac{\partial L}{\partial \textcolor{#7c3aed}{W_{hh}}} &= \sum_{t} h_{t-1}^{\top}\Big(\frac{\partial L}{\partial h_t} \odot f'(a_t)\Big)
\end{aligned}
"""


def gradient_controls(state: InsideState) -> None:
    a, b, c = st.columns(3)
    setter = lambda name: lambda v: state.set(name, v)  # noqa: E731
    control(a, "slider", t("inside.s4.bits"), name="inside.grad.bits", value=state.grad_bits, min_value=2,
            max_value=64, on_change=setter("grad_bits"))  # fmt: skip
    control(b, "toggle", t("inside.s4.compare"), name="inside.grad.compare", value=state.grad_compare,
            on_change=setter("grad_compare"), help=t("inside.s4.compare_help"))  # fmt: skip
    control(b, "slider", t("inside.s4.scale"), name="inside.grad.scale", value=state.grad_scale, min_value=0.5,
            max_value=3.0, step=0.25, disabled=not state.grad_compare, on_change=setter("grad_scale"),
            help=t("inside.s4.scale_help"))  # fmt: skip
    control(c, "toggle", t("inside.s4.clip"), name="inside.grad.clip_on", value=state.grad_clip_on,
            on_change=setter("grad_clip_on"))  # fmt: skip
    control(c, "number_input", t("inside.s4.clip_value"), name="inside.grad.clip", value=state.grad_clip,
            min_value=0.01, max_value=1000.0, disabled=not state.grad_clip_on, on_change=setter("grad_clip"))  # fmt: skip


def gradients_body(state: InsideState, subject: Subject, layer: int, lang: str) -> None:
    gradient_controls(state)
    bits, clip = state.grad_bits, (state.grad_clip if state.grad_clip_on else 0.0)
    curves = [gradient(state, subject, layer, bits, None, 1.0)]
    if state.grad_compare:
        curves += [gradient(state, subject, layer, bits, kind, state.grad_scale) for kind in A.GRADIENT_KINDS]
    curves = [A.with_clip(c, clip) for c in curves]
    fall, k = curves[0].fall, int(curves[0].distance[0])
    message = t("inside.s4.shrinks" if fall >= 1 else "inside.s4.grows", k=k, x=times(fall if fall >= 1 else 1 / fall))
    chart(F.gradient_figure(curves, lang, clipped=clip > 0), "inside.chart.grad", t("alt.inside.grad") + message)
    st.caption(message)
    if clip > 0:
        st.info(t("inside.s4.clip_note"))
    st.markdown(f"**{t('inside.s4.eq_title')}**")  # not an expander: expanders do not nest
    st.latex(BPTT)
    st.caption(t("inside.s4.eq_note"))


@st.fragment
@section("inside.gradients")
def section_gradients(state: InsideState, subject: Subject, layer: int, lang: str) -> None:
    st.subheader(t("inside.s4.title"), anchor="gradients")
    st.markdown(t("inside.s4.intro"))
    on_demand(state, "gradients", lambda: gradients_body(state, subject, layer, lang))


# ---- 5. length generalisation -----------------------------------------------------------------------
def run_comparison(state: InsideState, cfg) -> None:
    bar = st.progress(0.0)

    def progress(cell: str, frac: float) -> None:
        bar.progress(frac, text=t("inside.s5.training", cell=cell.upper()))

    runs = A.compare_cells(cfg, seconds=COMPARE_SECONDS, progress=progress)
    bar.empty()
    state.compare = (compare_key(cfg), runs)


def length_body(state: InsideState, subject: Subject, trainer: Trainer, lang: str) -> None:
    curve = length(state, subject)
    chart(F.length_figure([("current", curve.widths, curve.exact)], subject.bits, lang), "inside.chart.length",
          alt_text.length_alt([(t("inside.len.name.current"), curve.widths, curve.exact)], subject.bits, lang))
    st.caption(t("inside.s5.note", pairs=f"{A.LENGTH_PAIRS:,}") + " " + t("inside.s5.tip"))
    # the heaviest thing on the page (three trainings): only on this button, never on opening
    if st.button(t("inside.s5.compare"), key="inside.compare_button",
                 help=t("inside.s5.compare_help", seconds=COMPARE_SECONDS)):  # fmt: skip
        run_comparison(state, trainer.cfg)
    if state.compare and state.compare[0] == compare_key(trainer.cfg):
        runs = state.compare[1]
        chart(F.length_figure([(r.cell, r.curve.widths, r.curve.exact) for r in runs], 8, lang), "inside.chart.compare",
              alt_text.length_alt([(r.cell.upper(), r.curve.widths, r.curve.exact) for r in runs], 8, lang))
        for r in runs:
            solved = t("inside.s5.solved_at", step=r.solved_step) if r.solved_step else t("inside.s5.not_solved")
            st.caption(t("inside.s5.run", cell=r.cell.upper(), steps=r.steps, seconds=r.seconds, solved=solved))


@st.fragment
@section("inside.length")
def section_length(state: InsideState, subject: Subject, trainer: Trainer, lang: str) -> None:
    st.subheader(t("inside.s5.title"), anchor="length")
    st.markdown(t("inside.s5.intro", bits=subject.bits))
    on_demand(state, "length", lambda: length_body(state, subject, trainer, lang))


# ---- 6. weights ---------------------------------------------------------------------------------------
def weights_body(subject: Subject, layer: int, lang: str) -> None:
    height = 260 + 14 * min(subject.model.cfg.hidden, 32)
    chart(F.weight_heatmaps(subject.model.params, layer, subject.gates, lang, height), "inside.chart.weights",
          alt_text.weights_alt(subject.model.params, layer, lang))


@st.fragment
@section("inside.weights")
def section_weights(state: InsideState, subject: Subject, layer: int, lang: str) -> None:
    st.subheader(t("inside.s6.title"), anchor="weights")
    st.markdown(t("inside.s6.intro"))
    on_demand(state, "weights", lambda: weights_body(subject, layer, lang))

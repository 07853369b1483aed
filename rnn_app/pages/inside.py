"""Inside the network: what the viewer's RNN carries, why gradients vanish, how far it generalises.

Works on the per-viewer trainer (rnn_app.state). Every number comes from rnn.analysis, every
chart from rnn_app.figures_inside; heavy results are cached per viewer and per set of weights
(rnn_app.inside_cache). Each section is a fragment: moving one of its widgets reruns only it.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnn import Config, Trainer
from rnn import analysis as A
from rnn.handwired import perturb, weight_names
from rnn.trace import make_trace
from rnn_app import figures_inside as F
from rnn_app.inside_cache import Subject, cached, fingerprint, hand_model, hand_subject, trained_subject
from rnn_app.operands import feedback, parse_operand
from rnn_app.state import get_trainer, set_trainer
from rnn_app.strings import current_language, t

SOLVE_SECONDS = 4.0  # budget of the "train until it adds" button
COMPARE_SECONDS = 4.0  # training budget per cell in the RNN / GRU / LSTM comparison
GRAD_BITS = 32  # default width of the gradients-through-time view
CHART_CONFIG = {"displaylogo": False}
OPERAND_SOURCES = ("train.operand.{}", "operand_{}_text")  # the Train page's operand widgets


def pct(x: float) -> str:
    """An accuracy as a percentage; 2 decimals just below 100 % so 99.99 % never reads as 100 %."""
    return f"{100 * x:.2f} %" if 0.999 <= x < 1.0 else f"{100 * x:.1f} %"


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def times(x: float) -> str:
    """A factor for people: 37, 1.2 × 10⁸ (inf when the gradient vanished to exactly 0)."""
    if not np.isfinite(x):
        return "∞"
    if x < 1e4:
        return f"{x:.3g}"
    e = int(np.floor(np.log10(x)))
    return f"{x / 10**e:.1f} × 10{str(e).translate(SUPERSCRIPT)}"


def chart(fig, key: str) -> None:
    st.plotly_chart(fig, width="stretch", config=CHART_CONFIG, key=key)


# ---- the network to look at ----------------------------------------------------------------------
def solve_panel(trainer: Trainer) -> None:
    """Status of the viewer's network; if it cannot add yet, a button that trains it until it does."""
    notice = st.session_state.pop("inside.notice", None)
    if notice:
        st.success(notice)
    solved = trainer.solved or (not trainer.diverged and trainer.accuracy() == 1.0)
    if solved:
        return
    st.info(t("inside.untrained"))
    if st.button(t("inside.button.solve"), type="primary", key="inside.solve"):
        fresh = trainer.diverged is not None
        if fresh:  # a diverged run cannot continue: start the default network instead
            trainer = Trainer(Config())
        with st.spinner(t("inside.solve.spinner")):
            done = A.train_until_solved(trainer, SOLVE_SECONDS)
        set_trainer(trainer)
        msg = t("inside.solve.done" if done else "inside.solve.not_yet", steps=trainer.steps)
        st.session_state["inside.notice"] = (t("inside.solve.fresh") + " " if fresh else "") + msg
        st.rerun()


def cell_name(cfg) -> str:
    return f"RNN ({cfg.activation})" if cfg.cell == "rnn" else cfg.cell.upper()


def choose_subject(trainer: Trainer, lang: str) -> tuple[Subject, int]:
    """Which network the sections look at (the viewer's or the hand-wired one) and which layer."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    kind = left.segmented_control(
        t("inside.subject"), ["trained", "hand"], format_func=lambda k: t(f"inside.subject.{k}", lang=lang),
        default="trained", key="inside.subject",
    )  # fmt: skip
    subject = hand_subject(trainer.cfg.bits) if kind == "hand" else trained_subject(trainer)
    layers = subject.model.cfg.layers
    layer = layers
    if layers > 1:
        layer = right.selectbox(
            t("inside.layer"), list(range(1, layers + 1)), index=layers - 1, key="inside.layer"
        )
    cfg = trainer.cfg
    if subject.kind == "trained":
        solved = (
            t("inside.status.solved", step=trainer.solved_step)
            if trainer.solved
            else t("inside.status.unsolved")
        )
        st.caption(t("inside.status", cell=cell_name(cfg), hidden=cfg.hidden, layers=cfg.layers,
                     steps=trainer.steps, bits=cfg.bits, solved=solved))  # fmt: skip
    else:
        st.caption(t("inside.status.hand", bits=subject.bits))
    return subject, layer


# ---- cached computations ---------------------------------------------------------------------------
def states(subject: Subject, layer: int) -> A.StateAnalysis:
    return cached(subject, "states", (layer,), lambda: A.analyse_states(subject.model, subject.bits, layer))


def exact(subject: Subject, units: tuple[int, ...] = (), layer: int = 1, bits: int | None = None,
          max_pairs: int | None = None) -> A.Accuracy:  # fmt: skip
    """Exact accuracy at a width (default: the subject's), with some units silenced."""
    bits = subject.bits if bits is None else bits

    def compute():
        mask = A.unit_mask(subject.model, units, layer) if units else None
        return A.accuracy(subject.model, A.operand_set(bits, max_pairs), mask)

    return cached(subject, "exact", (bits, max_pairs, layer, units), compute)


def length(subject: Subject) -> A.LengthCurve:
    """Accuracy from 4 to 64 bits, and at the training width too (2 or 3 bits are below 4)."""
    widths = tuple(sorted(set(A.LENGTH_WIDTHS) | {subject.bits}))
    return cached(subject, "length", (widths,), lambda: A.length_generalisation(subject.model, widths))


def gradient(subject: Subject, layer: int, bits: int, kind: str | None, scale: float) -> A.GradientCurve:
    """The subject's own curve (kind None) or a fresh network's of the same size (cached alike)."""
    cfg = subject.model.cfg

    def compute():
        if kind is None:
            return A.gradient_through_time(subject.model, bits, layer=layer)
        fresh = A.fresh_model(kind, cfg.hidden, cfg.layers, cfg.seed, scale)
        return A.gradient_through_time(fresh, bits, layer=layer, name=kind)

    return cached(subject, "grad", (layer, bits, kind, scale if kind else None), compute)


# ---- 1. hidden state over time ---------------------------------------------------------------------
def default_operands(bits: int) -> tuple[int, int]:
    top = (1 << bits) - 1
    return round(0.7 * top), round(0.35 * top)


def sync_operands(bits: int) -> None:
    """Our operand inputs start from (and follow) what was typed on the Train page."""
    for name, default in zip("ab", default_operands(bits)):
        mine, seen = f"inside.operand.{name}", f"inside.operand_seen.{name}"
        source = next((st.session_state[k.format(name)] for k in OPERAND_SOURCES
                       if isinstance(st.session_state.get(k.format(name)), str)), None)  # fmt: skip
        if source is not None and source != st.session_state.get(seen):
            st.session_state[mine] = st.session_state[seen] = source
        elif mine not in st.session_state:
            st.session_state[mine] = str(default)


def operand_inputs(bits: int) -> tuple[int, int] | None:
    sync_operands(bits)
    values = []
    for col, name in zip(st.columns(2), "ab"):
        with col:
            text = st.text_input(t(f"inside.operand_{name}"), key=f"inside.operand.{name}",
                                 help=t("inside.operand_help", bits=bits))  # fmt: skip
            parsed = parse_operand(text, bits)
            (st.caption if parsed.ok else st.markdown)(feedback(parsed, bits))
            values.append(parsed.value)
    return None if None in values else (values[0], values[1])


def trace_tabs(trace, layer: int, gates: tuple[str, ...], lang: str, key: str) -> None:
    """The hidden state heatmap; for GRU / LSTM one tab per gate and the cell state as well."""
    hidden = trace.hidden[layer - 1]
    if not gates:
        chart(F.state_heatmap(hidden, trace, "h", lang), key)
        return
    g = trace.gates[layer - 1]
    names = ["h", *gates, *(["c"] if "c" in g else [])]
    labels = [t("inside.s1.tab.h") if n == "h" else t("inside.s1.tab.c") if n == "c" else
              t("inside.s1.tab.gate", g=n) for n in names]  # fmt: skip
    for tab, n in zip(st.tabs(labels), names):
        with tab:
            chart(F.state_heatmap(hidden if n == "h" else g[n], trace, n, lang), f"{key}.{n}")
    st.caption(t("inside.s1.gates_note"))


def result_line(tr) -> str:
    mark = ":green[✓]" if tr.correct else ":red[✗]"
    return t("inside.s1.result", a=tr.a, b=tr.b, true=tr.true_sum, pred=tr.predicted_sum, mark=mark)


@st.fragment
def section_hidden(subject: Subject, layer: int, lang: str) -> None:
    st.subheader(t("inside.s1.title"), anchor="hidden")
    st.markdown(t("inside.s1.intro"))
    ab = operand_inputs(subject.bits)
    if ab is None:
        return
    tr = make_trace(subject.model, ab[0], ab[1], subject.bits)
    st.markdown(result_line(tr))
    trace_tabs(tr, layer, subject.gates, lang, "inside.chart.hidden")


# ---- 2. carry neurons -------------------------------------------------------------------------------
def ablation_units(sa: A.StateAnalysis, H: int, lang: str, tag: str) -> tuple[int, ...]:
    """The widgets choosing which units to silence; returns their indices. `tag` names the model:
    a new model gets a new unit picker, which starts at its own top unit."""
    ranked = [int(u) for u in sa.ranked_units()]
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    mode = left.segmented_control(t("inside.s2.mode"), ["one", "top"], default="one", key="inside.ablate.mode",
                                  format_func=lambda m: t(f"inside.s2.mode.{m}", lang=lang))  # fmt: skip
    if mode == "top":
        k = right.slider(t("inside.s2.k"), 1, H, 1, key="inside.ablate.k")
        return tuple(sorted(ranked[:k]))
    unit = right.selectbox(t("inside.s2.unit"), ranked, key=f"inside.ablate.unit.{tag}",
                           format_func=lambda u: t("inside.s2.unit_option", lang=lang, u=u + 1, r=sa.corr[u, 0]))  # fmt: skip
    return (int(unit),) if unit is not None else ()


@st.fragment
def section_carry(subject: Subject, layer: int, lang: str) -> None:
    sa = states(subject, layer)
    st.subheader(t("inside.s2.title"), anchor="carry")
    st.markdown(t("inside.s2.intro", rows=f"{sa.rows:,}", pairs=f"{sa.pairs:,}"))
    top = int(sa.ranked_units()[0])
    neuron = sa.carry_neuron()
    if neuron is not None:
        st.markdown(":violet[**" + t("inside.s2.neuron", u=neuron + 1, r=sa.corr[neuron, 0]) + "**]")
    else:
        st.markdown(t("inside.s2.no_neuron", u=top + 1, r=sa.corr[top, 0]))
    st.markdown(t("inside.s2.ablate_intro"))
    units = ablation_units(sa, subject.model.cfg.hidden, lang, subject.fingerprint[-1][:12])
    chart(F.correlation_bars(sa.corr[:, 0], lang, ablated=units), "inside.chart.corr")
    off = exact(subject, units, layer) if units else None  # the full accuracy came with the states
    a, b = st.columns(2)
    a.metric(
        t("inside.s2.with"), pct(sa.exact), help=t("inside.s2.acc_help", pairs=f"{sa.pairs:,}", bits=sa.bits)
    )
    if off is not None:
        b.metric(t("inside.s2.without", units=units_label(units)), pct(off.exact),
                 delta=t("inside.s2.delta", d=100 * (off.exact - sa.exact)), delta_color="normal")  # fmt: skip


def units_label(units: tuple[int, ...]) -> str:
    """'unit 7' or 'units 3, 7' (numbered from 1)."""
    if len(units) == 1:
        return t("inside.fig.unit", u=units[0] + 1)
    return t("inside.s2.units", list=", ".join(str(u + 1) for u in units))


# ---- 3. the automaton inside ------------------------------------------------------------------------
@st.fragment
def section_automaton(subject: Subject, layer: int, lang: str) -> None:
    sa = states(subject, layer)
    st.subheader(t("inside.s3.title"), anchor="automaton")
    st.markdown(t("inside.s3.intro"))
    chart(F.state_scatter(sa, lang), "inside.chart.scatter")
    st.caption(t("inside.s3.caption", carry=pct(sa.accuracy["carry"]), pca=pct(sa.accuracy["carry_pca"]),
                 shown=f"{len(sa.sample.t):,}", rows=f"{sa.rows:,}"))  # fmt: skip
    st.caption(t("inside.s3.margin", margin=sa.carry_margin))


# ---- 4. gradients through time -----------------------------------------------------------------------
BPTT = r"""
\begin{aligned}
a_t &= x_t W_{xh} + h_{t-1}\,\textcolor{#7c3aed}{W_{hh}} + b, \qquad h_t = f(a_t), \qquad p_t = \sigma(h_t W_{hy} + b_y)\\[4pt]
\frac{\partial L}{\partial h_{t-1}} &= \frac{\partial L_{t-1}}{\partial h_{t-1}}
  + \Big(\frac{\partial L}{\partial h_t} \odot f'(a_t)\Big)\,\textcolor{#7c3aed}{W_{hh}^{\top}}\\[4pt]
\frac{\partial L_T}{\partial h_{T-k}} &= \frac{\partial L_T}{\partial h_T}\,
  \prod_{j=0}^{k-1} \operatorname{diag}\!\big(f'(a_{T-j})\big)\,\textcolor{#7c3aed}{W_{hh}^{\top}}
  \quad\Longrightarrow\quad
  \Big\|\frac{\partial L_T}{\partial h_{T-k}}\Big\| \le \Big\|\frac{\partial L_T}{\partial h_T}\Big\|
  \big(\gamma\,\|\textcolor{#7c3aed}{W_{hh}}\|\big)^{k},\quad \gamma = \max|f'|\\[4pt]
\frac{\partial L}{\partial \textcolor{#7c3aed}{W_{hh}}} &= \sum_{t} h_{t-1}^{\top}\Big(\frac{\partial L}{\partial h_t} \odot f'(a_t)\Big)
\end{aligned}
"""


def gradient_controls() -> tuple[int, bool, float, float]:
    a, b, c = st.columns(3)
    bits = a.slider(t("inside.s4.bits"), 2, 64, GRAD_BITS, key="inside.grad.bits")
    compare = b.toggle(t("inside.s4.compare"), key="inside.grad.compare", help=t("inside.s4.compare_help"))
    scale = b.slider(t("inside.s4.scale"), 0.5, 3.0, 1.0, 0.25, key="inside.grad.scale",
                     disabled=not compare, help=t("inside.s4.scale_help"))  # fmt: skip
    clip_on = c.toggle(t("inside.s4.clip"), key="inside.grad.clip_on")
    clip = c.number_input(
        t("inside.s4.clip_value"), 0.01, 1000.0, 1.0, key="inside.grad.clip", disabled=not clip_on
    )
    return bits, compare, scale, (clip if clip_on else 0.0)


@st.fragment
def section_gradients(subject: Subject, layer: int, lang: str) -> None:
    st.subheader(t("inside.s4.title"), anchor="gradients")
    st.markdown(t("inside.s4.intro"))
    bits, compare, scale, clip = gradient_controls()
    curves = [gradient(subject, layer, bits, None, 1.0)]
    if compare:
        curves += [gradient(subject, layer, bits, kind, scale) for kind in A.GRADIENT_KINDS]
    curves = [A.with_clip(c, clip) for c in curves]
    chart(F.gradient_figure(curves, lang, clipped=clip > 0), "inside.chart.grad")
    fall, k = curves[0].fall, int(curves[0].distance[0])
    st.caption(
        t(
            "inside.s4.shrinks" if fall >= 1 else "inside.s4.grows",
            k=k,
            x=times(fall if fall >= 1 else 1 / fall),
        )
    )
    if clip > 0:
        st.info(t("inside.s4.clip_note"))
    with st.expander(t("inside.s4.eq_title"), expanded=True):
        st.latex(BPTT)
        st.caption(t("inside.s4.eq_note"))


# ---- 5. length generalisation -----------------------------------------------------------------------
def compare_key(cfg: Config) -> tuple:
    """What the RNN / GRU / LSTM comparison depends on: the settings other than cell and width."""
    return tuple(sorted((k, v) for k, v in cfg.to_dict().items() if k not in ("cell", "bits")))


def run_comparison(cfg: Config) -> None:
    bar = st.progress(0.0)

    def progress(cell: str, frac: float) -> None:
        bar.progress(frac, text=t("inside.s5.training", cell=cell.upper()))

    runs = A.compare_cells(cfg, seconds=COMPARE_SECONDS, progress=progress)
    bar.empty()
    st.session_state["inside.compare"] = (compare_key(cfg), runs)


@st.fragment
def section_length(subject: Subject, trainer: Trainer, lang: str) -> None:
    st.subheader(t("inside.s5.title"), anchor="length")
    st.markdown(t("inside.s5.intro", bits=subject.bits))
    curve = length(subject)
    chart(
        F.length_figure([("current", curve.widths, curve.exact)], subject.bits, lang), "inside.chart.length"
    )
    st.caption(t("inside.s5.note", pairs=f"{A.LENGTH_PAIRS:,}") + " " + t("inside.s5.tip"))
    if st.button(t("inside.s5.compare"), key="inside.compare_button",
                 help=t("inside.s5.compare_help", seconds=COMPARE_SECONDS)):  # fmt: skip
        run_comparison(trainer.cfg)
    stored = st.session_state.get("inside.compare")
    if stored and stored[0] == compare_key(trainer.cfg):
        runs = stored[1]
        lines = [(r.cell, r.curve.widths, r.curve.exact) for r in runs]
        chart(F.length_figure(lines, 8, lang), "inside.chart.compare")
        for r in runs:
            solved = (
                t("inside.s5.solved_at", step=r.solved_step) if r.solved_step else t("inside.s5.not_solved")
            )
            st.caption(
                t("inside.s5.run", cell=r.cell.upper(), steps=r.steps, seconds=r.seconds, solved=solved)
            )


# ---- 6. weights ---------------------------------------------------------------------------------------
@st.fragment
def section_weights(subject: Subject, layer: int, lang: str) -> None:
    st.subheader(t("inside.s6.title"), anchor="weights")
    st.markdown(t("inside.s6.intro"))
    H = subject.model.cfg.hidden
    height = 260 + 14 * min(H, 32)
    chart(F.weight_heatmaps(subject.model.params, layer, subject.gates, lang, height), "inside.chart.weights")


# ---- 7. wire it by hand -------------------------------------------------------------------------------
def weight_label(name: str, idx: tuple[int, ...], lang: str) -> str:
    """'W_hh[1, 0]: unit 2 → unit 1 (next step)' style label of one hand-wired weight."""
    i = idx[0] + 1 if idx else 0
    j = idx[-1] + 1 if idx else 0
    inputs = "ab"
    what = t(f"inside.s7.wname.{name}", lang=lang, i=inputs[idx[0]] if name == "Wx1" else i, j=j)
    return f"{name}{list(idx) if idx else ''} · {what}"


def perturb_controls(hand, lang: str) -> tuple[str, tuple[int, ...], float, float]:
    """Pick one weight and a new value for it; returns (name, index, value, original value)."""
    names = weight_names(hand)
    default = names.index(("Wh1", (1, 1)))  # the carry's own feedback
    left, mid, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    choice = left.selectbox(t("inside.s7.weight"), range(len(names)), index=default, key="inside.hand.weight",
                            format_func=lambda k: weight_label(*names[k], lang=lang))  # fmt: skip
    name, idx = names[choice]
    original = float(hand.params[name][idx])
    key = f"inside.hand.value.{name}.{'_'.join(map(str, idx))}"  # one slider per weight
    if key not in st.session_state or right.button(t("inside.s7.reset"), key="inside.hand.reset"):
        st.session_state[key] = original  # set before the slider exists, so no default is passed
    value = mid.slider(t("inside.s7.value"), -40.0, 40.0, step=0.5, key=key)
    return name, idx, float(value), original


def toggle_hand() -> None:
    """Button callback: runs before the rerun, so the button's label already matches the new state."""
    st.session_state["inside.hand.shown"] = not st.session_state.get("inside.hand.shown", False)


@st.fragment
def section_handwired(trainer: Trainer, lang: str) -> None:
    st.subheader(t("inside.s7.title"), anchor="handwired")
    st.markdown(t("inside.s7.intro"))
    shown = st.session_state.get("inside.hand.shown", False)
    st.button(
        t("inside.s7.hide" if shown else "inside.s7.load"), key="inside.hand.toggle", on_click=toggle_hand
    )
    if not shown:
        return
    hand = hand_model()
    st.markdown("**" + t("inside.s7.perturb") + "**")
    name, idx, value, original = perturb_controls(hand, lang)
    model = hand if value == original else perturb(hand, name, idx, value)
    subject = Subject("hand", model, trainer.cfg.bits, ("hand", *fingerprint(model)))
    if value != original:
        st.markdown(t("inside.s7.perturbed", w=f"{name}{list(idx)}", v=value, old=original))
    cols = st.columns(3)
    for col, bits in zip(cols, (8, 32, 64)):
        acc = exact(subject, bits=bits, max_pairs=None if bits <= 8 else A.LENGTH_PAIRS)
        col.metric(t("inside.s7.acc", bits=bits), pct(acc.exact))
    left, right = st.columns([1, 1])
    with left:
        chart(F.weight_heatmaps(model.params, 1, (), lang, 300), "inside.chart.hand_weights")
    with right:
        a, b = (st.session_state.get(f"inside.operand.{n}") for n in "ab")
        parsed = [parse_operand(a, subject.bits), parse_operand(b, subject.bits)]
        x, y = (p.value if p.ok else d for p, d in zip(parsed, default_operands(subject.bits)))
        tr = make_trace(model, x, y, subject.bits)
        st.markdown(result_line(tr))
        chart(F.state_heatmap(tr.hidden[0], tr, "h", lang, height=260), "inside.chart.hand_hidden")
    trained = length(trained_subject(trainer))
    st.caption(t("inside.s7.compare", acc=pct(float(trained.exact[np.argmax(trained.widths)]))))


# ---- the page -----------------------------------------------------------------------------------------
def main() -> None:
    lang = current_language()
    st.title(t("nav.inside"))
    st.markdown(t("inside.intro"))
    trainer = get_trainer()
    solve_panel(trainer)
    trainer = get_trainer()
    subject, layer = choose_subject(trainer, lang)
    section_hidden(subject, layer, lang)
    section_carry(subject, layer, lang)
    section_automaton(subject, layer, lang)
    section_gradients(subject, layer, lang)
    section_length(subject, trainer, lang)
    section_weights(subject, layer, lang)
    section_handwired(trainer, lang)


main()

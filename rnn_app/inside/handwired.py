"""Section 7 of the Inside page: a 3-unit RNN wired by hand that adds at any width, and what
happens when one of its weights is changed."""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnn import Trainer
from rnn import analysis as A
from rnn.handwired import perturb, weight_names
from rnn.trace import make_trace
from rnn_app.inside import figures as F
from rnn_app.inside.cache import subject
from rnn_app.inside.sections import result_line
from rnn_app.inside.state import InsideState
from rnn_app.inside.views import chart, exact, length, operands, pct
from rnn_app.ui import alt_text
from rnn_app.ui.guard import section
from rnn_app.ui.strings import t
from rnn_app.ui.widgets import control

CARRY_FEEDBACK = ("Wh1", (1, 1))  # the weight chosen first: the carry unit's feedback to itself


def weight_label(name: str, idx: tuple[int, ...], lang: str) -> str:
    """'W_hh[1, 0]: unit 2 → unit 1 (next step)' style label of one hand-wired weight."""
    i = idx[0] + 1 if idx else 0
    j = idx[-1] + 1 if idx else 0
    what = t(f"inside.s7.wname.{name}", lang=lang, i="ab"[idx[0]] if name == "Wx1" else i, j=j)
    return f"{name}{list(idx) if idx else ''} · {what}"


def reset_value(state: InsideState, choice: int) -> None:
    state.hand_values.pop(choice, None)
    state.hand_version += 1  # the slider shows the original value again


def perturb_controls(state: InsideState, hand, lang: str) -> tuple[str, tuple[int, ...], float, float]:
    """Pick one weight and a new value for it; returns (name, index, value, original value)."""
    names = weight_names(hand)
    choice = names.index(CARRY_FEEDBACK) if state.hand_weight is None else state.hand_weight
    left, mid, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    control(left, "selectbox", t("inside.s7.weight"), name="inside.hand.weight", value=choice,
            options=range(len(names)), on_change=lambda k: state.set("hand_weight", k),
            format_func=lambda k: weight_label(*names[k], lang=lang))  # fmt: skip
    name, idx = names[choice]
    original = float(hand.params[name][idx])
    value = state.hand_values.get(choice, original)
    right.button(t("inside.s7.reset"), key="inside.hand.reset", on_click=reset_value, args=(state, choice))
    control(mid, "slider", t("inside.s7.value"), name=f"inside.hand.value.{name}.{'_'.join(map(str, idx))}",
            value=value, version=state.hand_version, min_value=-40.0, max_value=40.0, step=0.5,
            on_change=lambda v: state.hand_values.__setitem__(choice, float(v)))  # fmt: skip
    return name, idx, float(value), original


@st.fragment
@section("inside.handwired")
def section_handwired(state: InsideState, trainer: Trainer, lang: str) -> None:
    st.subheader(t("inside.s7.title"), anchor="handwired")
    st.markdown(t("inside.s7.intro"))
    st.button(t("inside.s7.hide" if state.hand_shown else "inside.s7.load"), key="inside.hand.toggle",
              on_click=lambda: state.set("hand_shown", not state.hand_shown))  # fmt: skip
    if not state.hand_shown:
        return
    hand = state.hand()
    st.markdown("**" + t("inside.s7.perturb") + "**")
    name, idx, value, original = perturb_controls(state, hand, lang)
    model = hand if value == original else perturb(hand, name, idx, value)
    subj = subject("hand", model, trainer.cfg.bits)
    if value != original:
        st.markdown(t("inside.s7.perturbed", w=f"{name}{list(idx)}", v=value, old=original))
    for col, bits in zip(st.columns(3), (8, 32, 64)):
        acc = exact(state, subj, bits=bits, max_pairs=None if bits <= 8 else A.LENGTH_PAIRS)
        col.metric(t("inside.s7.acc", bits=bits), pct(acc.exact))
    left, right = st.columns([1, 1])
    with left:
        chart(F.weight_heatmaps(model.params, 1, (), lang, 300), "inside.chart.hand_weights",
              alt_text.weights_alt(model.params, 1, lang))
    with right:
        tr = make_trace(model, *operands(state, subj.bits), subj.bits)
        st.markdown(result_line(tr))
        chart(F.state_heatmap(tr.hidden[0], tr, "h", lang, height=260), "inside.chart.hand_hidden",
              alt_text.state_alt(tr.hidden[0], tr, "h", lang))
    trained = length(state, subject("trained", trainer.model, trainer.cfg.bits))
    st.caption(t("inside.s7.compare", acc=pct(float(trained.exact[np.argmax(trained.widths)]))))

"""Inside the network: what the viewer's RNN carries, why gradients vanish, how far it generalises.

Looks at the Train page's run (rnn_app.train.state), or at a hand-wired network. Every number
comes from rnn.analysis, every chart from rnn_app.inside.figures; heavy results are cached per
set of weights, shared by every viewer looking at the same network (rnn_app.inside.cache). Each section is a
fragment: moving one of its widgets reruns only it. The first two sections are drawn at once; the
others are computed only when the viewer opens them, so a class opening the page pays for little.
"""

from __future__ import annotations

import streamlit as st

from rnn import Config
from rnn import analysis as A
from rnn_app.inside import sections
from rnn_app.inside.cache import Subject, subject
from rnn_app.inside.handwired import section_handwired
from rnn_app.inside.state import InsideState, inside_state
from rnn_app.inside.views import cell_name, states
from rnn_app.train.state import TrainState, train_state
from rnn_app.ui.back import back_to_lesson
from rnn_app.ui.guard import section
from rnn_app.ui.links import sync_url
from rnn_app.ui.strings import current_language, t
from rnn_app.ui.widgets import control

SOLVE_SECONDS = 4.0  # budget of the "train until it adds" button


def train_until_it_adds(state: InsideState, train: TrainState) -> None:
    """Train the viewer's network until it adds (a diverged one starts afresh)."""
    run = train.run
    run.pause()
    fresh = run.trainer.diverged is not None
    if fresh:  # a diverged run cannot continue: the default network instead
        run.apply(Config())
        if run.trainer.diverged:
            run.reset()
        train.version += 1  # the Train page's widgets show the new settings
    done = A.train_until_solved(run.trainer, SOLVE_SECONDS)
    msg = t("inside.solve.done" if done else "inside.solve.not_yet", steps=run.trainer.steps)
    state.notice = (t("inside.solve.fresh") + " " if fresh else "") + msg


def solve_panel(state: InsideState, train: TrainState) -> None:
    """Status of the viewer's network; if it cannot add yet, a button that trains it until it does."""
    if state.notice:
        st.success(state.notice)
        state.notice = None
    trainer = train.run.trainer
    # the shared states analysis first (section 2 needs it too; a class opening the page computes it
    # once), then the trainer's own evaluation, which marks the run solved, only when that says it adds
    if trainer.solved or (not trainer.diverged and states(state, subject("trained", trainer.model, trainer.cfg.bits),
                                                          trainer.cfg.layers).exact == 1.0
                          and trainer.accuracy() == 1.0):  # fmt: skip
        return
    st.info(t("inside.untrained"))
    if st.button(t("inside.button.solve"), type="primary", key="inside.solve"):
        with st.spinner(t("inside.solve.spinner")):
            train_until_it_adds(state, train)
        st.rerun()


def choose_subject(state: InsideState, train: TrainState, lang: str) -> tuple[Subject, int]:
    """Which network the sections look at (the viewer's or the hand-wired one) and which layer."""
    trainer = train.run.trainer
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    control(left, "segmented_control", t("inside.subject"), name="inside.subject", value=state.subject,
            options=["trained", "hand"], required=True, on_change=lambda k: state.set("subject", k),
            format_func=lambda k: t(f"inside.subject.{k}", lang=lang))  # fmt: skip
    if state.subject == "hand":
        subj = subject("hand", state.hand(), trainer.cfg.bits)
    else:
        subj = subject("trained", trainer.model, trainer.cfg.bits)
    layers = subj.model.cfg.layers
    layer = layers if state.layer is None or state.layer > layers else state.layer
    if layers > 1:
        control(right, "selectbox", t("inside.layer"), name=f"inside.layer.{layers}", value=layer,
                options=list(range(1, layers + 1)), on_change=lambda v: state.set("layer", v))  # fmt: skip
    cfg = trainer.cfg
    if subj.kind == "trained":
        solved = t("inside.status.solved", step=trainer.solved_step) if trainer.solved else t("inside.status.unsolved")
        st.caption(t("inside.status", cell=cell_name(cfg), hidden=cfg.hidden, layers=cfg.layers,
                     steps=trainer.steps, bits=cfg.bits, solved=solved))  # fmt: skip
    else:
        st.caption(t("inside.status.hand", bits=subj.bits))
    return subj, layer


lang = current_language()
state, train = inside_state(), train_state()
back_to_lesson()  # a lesson step brought the viewer here: the way back
st.title(t("nav.inside"))
st.markdown(t("inside.intro"))
st.caption(t("inside.open.note"))
solve_slot = st.container()  # the network's status, drawn after the first sections: they come sooner
state.follow(train.operand_texts())  # the operands typed on the Train page, until typed here
subj, layer = subject("trained", train.run.trainer.model, train.run.trainer.cfg.bits), train.run.cfg.layers
with section("inside.subject"):  # if it fails, the sections look at the viewer's network, top layer
    subj, layer = choose_subject(state, train, lang)
sections.section_hidden(state, subj, layer, lang)
sections.section_carry(state, subj, layer, lang)
with solve_slot, section("inside.solve"):
    solve_panel(state, train)
sections.section_automaton(state, subj, layer, lang)
sections.section_gradients(state, subj, layer, lang)
sections.section_length(state, subj, train.run.trainer, lang)
sections.section_weights(state, subj, layer, lang)
section_handwired(state, train.run.trainer, lang)
sync_url({})  # this page's link: the page and the language

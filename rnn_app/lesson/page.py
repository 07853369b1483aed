"""Lesson page: a guided path through the app in eight steps, each with a text, one button that
sets up the page it talks about (and opens it), and a question to answer before the answer shows.
Step 3 holds the predict-then-reveal exercise on the student's own numbers.

Progress survives a reload (rnn_app.lesson.state: the run store); the step is in the URL too,
e.g. /lesson?step=4, so a teacher can send everyone to one step.
"""

import streamlit as st

from rnn_app.lesson import views
from rnn_app.lesson.state import lesson_state, restore, save
from rnn_app.lesson.steps import STEPS
from rnn_app.train.saved import KIND as TRAIN_KIND
from rnn_app.train.state import train_state
from rnn_app.ui import links, persist
from rnn_app.ui.guard import section
from rnn_app.ui.links import Param, landing_query, read
from rnn_app.ui.strings import current_language, t

PARAMS = (Param("step", "lesson.steps", "int", 1, len(STEPS)),)


def link_step(state) -> list[str]:
    """The step of the link the session was opened with (/lesson?step=4), if any."""
    values, errors = read(PARAMS, landing_query("lesson"), current_language())
    if "step" in values:
        state.go(values["step"] - 1)
    return errors


state = lesson_state()
train = train_state()
persist.restore(train, TRAIN_KIND)  # the quiz uses the student's own network
if not state.link_read:
    state.link_read = True
    state.link_errors = link_step(state)
restore(state, on_restored=link_step)  # stored progress (the link's step still wins)
state.away = None  # back on the lesson: no banner on the other pages

st.title(t("lesson.title"))
st.caption(t("lesson.intro"))
links.notice(state.link_errors, on_dismiss=state.link_errors.clear)
with st.sidebar, section("lesson.steps"):
    views.step_picker(state)

step = STEPS[state.step]
with section("lesson.step"):
    views.step_text(state, step)
if step.quiz:  # the exercise first, then the button that shows its numbers on the Train page
    with st.container(border=True):
        views.exercise(state, train)  # its parts are sections of their own
with section("lesson.button"):
    views.step_button(state, step, train)
with section("lesson.question"):
    views.question(state, step)
with section("lesson.nav"):
    views.nav_buttons(state)

links.sync_url({"step": state.step + 1})
save(state)

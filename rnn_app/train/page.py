"""Train page: an RNN learns binary addition live; the carry is animated column by column.

The page draws once per script run from its state (rnn_app.train.state); the live loop at the END
(rnn_app.ui.live.run) advances the run a wall-clock slice at a time and updates the live panel,
while the run is running. The carry animation is drawn once per run, so training never re-sends
(and resets) it.

The URL is the setup (rnn_app.train.link): the address bar follows the settings, the speed, the
operands and the language, and a link is read once when a session starts, e.g.
http://host/?preset=classic&speed=max
"""

import streamlit as st

from rnn_app.classroom import student
from rnn_app.classroom.state import class_state
from rnn_app.train import settings, views
from rnn_app.train.figures import DEFAULT_WIDTH
from rnn_app.train.link import link_params, read_link
from rnn_app.train.saved import KIND
from rnn_app.train.state import train_state
from rnn_app.ui import a11y, alt_text, anim_controls, links, live, persist, transfer
from rnn_app.ui.back import back_to_lesson
from rnn_app.ui.guard import section
from rnn_app.ui.links import landing_query
from rnn_app.ui.strings import current_language, t
from rnn_app.ui.widgets import show_toast

# Projector layout (1280x720): less empty space above the title, compact title.
st.html(
    "<style>[data-testid='stMainBlockContainer']{padding-top:1.6rem;padding-bottom:1rem}"
    "[data-testid='stMainBlockContainer'] h1{font-size:2.1rem;padding-top:0.2rem}</style>"
)

state = train_state()
read_link(state)
persist.restore(state, KIND)  # this tab's run from the store, once the browser has said which
cs = class_state()
cs.sync()  # a class this browser teaches or sits in
if (code := landing_query("train").get("join")) and cs.synced and cs.role is None and not cs.message:
    cs.join(code)  # /?join=ABC234: join from the Train page's own link
student.poll(cs, state)  # the teacher's new setup, before the widgets show the run's
news = None
with section("train.class"):
    news = student.banner(cs, state)  # in a class: the class, the teacher's setup, the experiment (drawn first)
with section("train.settings"):
    settings.sidebar(state)
with section("train.transfer"):
    transfer.sidebar(state, "train", "rnn-adder", ("loss", "exact_accuracy", "bit_accuracy"))
show_toast(state)

spec = live.LiveSpec(
    name="train",
    state=state,
    metrics=views.metrics,
    figure=lambda: views.curve(state),
    status=lambda snap: views.status(state, snap),
    celebrate=lambda snap: t("train.celebrate", step=snap.solved_step),
    alt=lambda snap: views.curve_alt(state, snap),
    budget=0.05,  # seconds of training per update at most (4 updates per second)
    max_steps=state.speed or None,
    metrics_per_row=3,
    on_update=lambda snap: (persist.save(state, KIND), student.live(cs, state, news)),  # now and then while training
)

back_to_lesson()  # a lesson step brought the viewer here: the way back
st.title(t("train.title"))
st.caption(t("train.intro"))
links.notice(state.link_errors, on_dismiss=state.link_errors.clear)

left, right = st.columns([0.47, 0.53], gap="medium")
panel = live.column(spec, left)
with left, section("train.in_use"):
    st.html(views.in_use(state))

with right, section("train.carry"):
    if (operands := views.operand_inputs(state)) is None:
        st.info(t("train.anim.none"))
    else:
        width = anim_controls.width("train.carry.controls")  # the chart's width, once the browser has said
        trace, figure, version = views.carry_view(state, *operands, width)
        a11y.chart_alt(alt_text.carry_alt(trace, current_language()), "train.carry")
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False}, key="train.carry")
        anim_controls.controls("train.carry.controls", trace.steps, version, width or DEFAULT_WIDTH, rtl=True)
        st.markdown(views.result_line(trace))
        if state.run.running:
            st.caption(t("train.anim.stale"))
        st.caption(t("train.anim.caption"))

links.sync_url(link_params(state))  # the address bar follows the setup
persist.save(state, KIND, force=True)  # whatever this run changed (a click, a setting), off the page
persist.notice(state)
with section("train.loop", on_error=state.run.pause, where=panel and panel.status):
    live.run(spec, panel)  # last: loops while the run is running
persist.save(state, KIND, force=True)  # the loop ended (paused, or the viewer left): what it trained
student.idle(cs, state)  # in a class and not training: wait for the teacher's next setup

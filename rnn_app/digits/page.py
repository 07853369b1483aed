"""Digits page: an LSTM reads handwritten digits one row per timestep, trained live; the decision
is shown forming row by row.

The page draws once per script run from its state (rnn_app.digits.state); the live loop at the
END (rnn_app.ui.live.run, shared with the Train page) advances the run and updates the metrics and
the loss / test-accuracy chart while it runs. The row animation, mistakes and drawing are drawn
once per run, so training never re-sends (and resets) a playing animation.
"""

import streamlit as st

from rnn_app.digits import settings, views
from rnn_app.digits.link import link_params, read_link
from rnn_app.digits.saved import KIND
from rnn_app.digits.state import digits_state
from rnn_app.ui import a11y, anim_controls, links, live, persist, transfer
from rnn_app.ui.back import back_to_lesson
from rnn_app.ui.guard import section
from rnn_app.ui.strings import t
from rnn_app.ui.view import styled
from rnn_app.ui.widgets import show_toast

st.html(  # projector layout (1280x720): less space above the title, compact metrics
    "<style>[data-testid='stMainBlockContainer']{padding-top:1.6rem;padding-bottom:1rem}"
    "[data-testid='stMainBlockContainer'] h1{font-size:2.1rem;padding-top:0.2rem}"
    "[data-testid='stMetricValue']{font-size:1.55rem}</style>"
)

state = digits_state()
read_link(state)
persist.restore(state, KIND)  # this tab's run from the store, once the browser has said which
with section("digits.data"):
    settings.data_sidebar(state)
with section("digits.settings"):
    settings.settings_sidebar(state)
with section("digits.transfer"):
    transfer.sidebar(state, "digits", "rnn-digits", ("loss", "test_accuracy", "balanced_accuracy"))
show_toast(state)

spec = live.LiveSpec(
    name="digits",
    state=state,
    metrics=lambda snap: views.metrics(state, snap),
    figure=lambda: views.curve(state),
    status=views.status,
    celebrate=views.celebrate,
    alt=views.curve_alt,
    budget=0.1,  # seconds of training per update (4 updates per second)
    metrics_per_row=3,
    on_update=lambda snap: persist.save(state, KIND),  # every few seconds while training
)

back_to_lesson()  # a lesson step brought the viewer here: the way back
st.title(t("digits.title"))
st.caption(t("digits.intro"))
links.notice(state.link_errors, on_dismiss=state.link_errors.clear)

left, right = st.columns([0.45, 0.55], gap="medium")
panel = live.column(spec, left)

with right, section("digits.reading"):
    index = views.pick_index(state)
    data = state.data
    label = int(data.test_labels[index])
    fig, probs, alt = views.reading_figure(state.run.trainer, data.test_images[index], label)
    a11y.chart_alt(alt, "digits.reading")
    st.plotly_chart(styled(fig), key="digits.anim", width="stretch", config={"displayModeBar": False})
    rows = data.test_images[index].shape[0]
    anim_controls.controls("digits.anim.controls", rows, f"{hash((index, probs.tobytes())):x}", None,
                           frame_ms=600 if rows <= 10 else 220, report=False, at=t("digits.anim.at"),
                           slider=t("digits.anim.slider"))  # fmt: skip
    st.markdown(views.result_line(index, probs, label))
    if state.run.running:
        st.caption(t("digits.anim.stale"))
    st.caption(t("digits.anim.caption") + " " + views.attribution(data))

with section("digits.pick"):
    views.section_picker(state)
if state.section == "draw":  # only the chosen section is drawn (the canvas mounts visible)
    with section("digits.draw"):
        views.draw_section(state)
else:
    with section("digits.mistakes"):
        views.mistakes_section(state)

links.sync_url(link_params(state))  # the address bar follows the setup
persist.save(state, KIND, force=True)  # whatever this run changed (a click, a setting), off the page
persist.notice(state)
with section("digits.loop", on_error=state.run.pause, where=panel and panel.status):
    live.run(spec, panel)  # last: loops while the run is running
persist.save(state, KIND, force=True)  # the loop ended (paused, or the viewer left): what it trained

"""Digits page: an LSTM reads handwritten digits one row per timestep, trained live; the decision
is shown forming row by row.

Update pattern (see /work/shared/streamlit-facts.md): the page draws once per script run; the live
loop at the END (rnn_app.live.run, shared with the Train page) trains a wall-clock slice, updates
the metrics and the loss / test-accuracy chart, and sleeps to the next tick while
st.session_state["digits.running"]. The row animation, mistakes and drawing are drawn once per run,
so training never re-sends (and resets) a playing animation.
"""

import streamlit as st

from rnn_app import live
from rnn_app import views_digits as views
from rnn_app.strings import t

st.html(  # projector layout (1280x720): less space above the title, compact metrics
    "<style>[data-testid='stMainBlockContainer']{padding-top:1.6rem;padding-bottom:1rem}"
    "[data-testid='stMainBlockContainer'] h1{font-size:2.1rem;padding-top:0.2rem}"
    "[data-testid='stMetricValue']{font-size:1.55rem}</style>"
)

data = views.current_data()
views.data_sidebar(data)
trainer = views.get_trainer()
cfg, error = views.settings_sidebar(trainer.cfg)
if cfg is None:
    st.sidebar.error(error)
else:
    trainer, rebuilt = views.apply_config(trainer, cfg)
    if rebuilt:
        st.toast(t("digits.rebuilt", fields=", ".join(t(f"digits.w.{f}") for f in rebuilt)), icon=":material/restart_alt:")
    views.set_trainer(trainer)

spec = live.LiveSpec(
    prefix=views.PREFIX,
    get_trainer=views.get_trainer,
    metrics=views.metrics,
    figure=views.curve,
    status=views.status,
    labels=live.button_labels(),
    budget=views.BUDGET,
    metrics_per_row=3,
    celebrate=views.celebrate,
)

st.title(t("digits.title"))
st.caption(t("digits.intro"))

left, right = st.columns([0.45, 0.55], gap="medium")
with left:
    live.buttons(spec)
    metrics_box = st.container()
panel = live.panel(spec, metrics_box)

with right:
    index = views.pick_index(trainer.data.test_labels.size)
    label = int(trainer.data.test_labels[index])
    fig, probs = views.reading_figure(trainer, trainer.data.test_images[index], label)
    st.plotly_chart(fig, key="digits.anim", width="stretch", config={"displayModeBar": False})
    st.markdown(views.result_line(index, probs, label))
    if live.is_running(spec):
        st.caption(t("digits.anim.stale"))
    st.caption(t("digits.anim.caption") + " " + views.attribution(trainer.data))

if views.section_picker() == "draw":  # only the chosen section is drawn (the canvas mounts visible)
    views.draw_section(trainer)
else:
    views.mistakes_section(trainer)

live.run(spec, panel)  # last: loops while training runs

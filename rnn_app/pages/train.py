"""Train page: an RNN learns binary addition live; the carry is animated column by column.

Update pattern (measured, see /work/shared/streamlit-facts.md): the page draws once per script
run; the live loop at the END (rnn_app.live.run) trains a wall-clock slice, updates the metric and
chart placeholders, sleeps to the next tick, while st.session_state["train.running"]. The carry
animation is drawn once per run, so training never re-sends (and resets) it.

URL parameters (read once, when a session starts): ?preset=fast|classic|tf-lstm, any Config field
that has a widget (?hidden=32&lr=0.01&bits=8) and ?speed=1..250|max, e.g. a link a teacher shares:
    http://host/?preset=classic&speed=max
"""

import streamlit as st

from rnn_app import first_load, live
from rnn_app import views_train as views
from rnn_app.state import get_trainer, set_trainer
from rnn_app.strings import t

# Projector layout (1280x720): less empty space above the title, compact title and metric values.
st.html(
    "<style>[data-testid='stMainBlockContainer']{padding-top:1.6rem;padding-bottom:1rem}"
    "[data-testid='stMainBlockContainer'] h1{font-size:2.1rem;padding-top:0.2rem}</style>"
)

trainer = views.apply_query(get_trainer())
essentials_only = first_load.essentials_only()  # a browser's first load: the chart first, the rest next
settings = views.settings_loading(trainer.cfg) if essentials_only else views.settings_sidebar(trainer.cfg)
if settings.cfg is None:
    st.sidebar.error(settings.error)
else:
    trainer, rebuilt = views.apply_config(trainer, settings.cfg)
    if rebuilt:
        notice = views.rebuilt_notice(rebuilt)
        st.session_state["train.notice"] = (id(trainer), notice)
        st.toast(notice, icon=":material/restart_alt:")
    set_trainer(trainer)

spec = live.LiveSpec(
    prefix=views.PREFIX,
    get_trainer=get_trainer,
    metrics=views.metrics,
    figure=views.curve,
    status=views.status,
    labels=live.button_labels(),
    budget=views.BUDGET,
    max_steps=settings.speed or 10**9,
    metrics_per_row=3,
    celebrate=lambda tr: t("train.celebrate", step=tr.solved_step),
)

st.title(t("train.title"))
st.caption(t("train.intro"))

left, right = st.columns([0.47, 0.53], gap="medium")
with left:
    live.buttons(spec)
    metrics_box = st.container()
panel = live.panel(spec, metrics_box)

with right:
    if essentials_only:
        st.caption(t("train.anim.loading"))
        first_load.ask_for_the_rest()
    elif (operands := views.operand_inputs(trainer.cfg.bits)) is None:
        st.info(t("train.anim.none"))
    else:
        trace, figure = views.carry_view(trainer, *operands)
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False}, key="train.carry")
        st.markdown(views.result_line(trace))
        if live.is_running(spec):
            st.caption(t("train.anim.stale"))
        st.caption(t("train.anim.caption"))

live.run(spec, panel)  # last: loops while training runs

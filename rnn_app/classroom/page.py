"""Class page: a teacher starts a class and watches every student's run on a live board; a student
joins with the code or the link (/class?join=ABC234) and trains on the Train page as usual.

The board is redrawn once a second by a loop at the end of the page (rnn_app.classroom.board);
the teacher's Follow me and sweep controls are drawn once per script run above it.
"""

import streamlit as st

from rnn_app.classroom import board
from rnn_app.classroom.state import class_state
from rnn_app.train.state import train_state
from rnn_app.ui.guard import section
from rnn_app.ui.links import landing_query, sync_url
from rnn_app.ui.strings import plain, t
from rnn_app.ui.widgets import control

cs = class_state()
cs.sync()
joining = landing_query("class").get("join")
if joining and cs.role != "teacher" and not (cs.role == "student" and cs.code == joining.upper()) and cs.synced:
    cs.join(joining)

st.title(t("class.title"))
if cs.message:
    kind, text = cs.message
    getattr(st, kind)(text)
    cs.message = None

if cs.role == "teacher":
    with section("class.header"):
        board.header(cs)
    places = board.places()
    st.divider()
    with section("class.controls"):
        board.controls(cs, train_state())
    sync_url({})
    with section("class.board", where=places.counts):
        board.loop(cs, places)  # last: redraws the board until the teacher clicks something
elif cs.role == "student":
    with section("class.student"):
        st.markdown(t("class.banner", code=cs.code, name=plain(cs.nickname)))
        control(st, "text_input", t("class.nickname"), name="class.nickname", value=cs.nickname, max_chars=24,
                on_change=cs.rename, help=t("class.nickname.help"))  # fmt: skip
        st.caption(t("class.student.intro"))
        left, right = st.columns(2)
        left.page_link("rnn_app/train/page.py", label=t("class.go_train"), icon=":material/school:")
        right.button(t("class.leave"), key="class.leave.page", on_click=cs.leave, width="stretch")
    sync_url({})
else:
    st.caption(t("class.intro"))
    left, right = st.columns(2, gap="large")
    with left, section("class.join"):
        st.subheader(t("class.join"))
        code = st.text_input(t("class.join.code"), value=joining or "", max_chars=12, key="class.join.code",
                             help=t("class.join.code.help"))  # fmt: skip
        if st.button(t("class.join.button"), key="class.join", type="primary") and code:
            cs.join(code)
            st.rerun()
    with right, section("class.start"):
        st.subheader(t("class.start"))
        st.caption(t("class.start.help"))
        st.button(t("class.start"), key="class.start", on_click=cs.start)
    sync_url({"join": joining} if joining else {})

"""The "Back to the lesson": a slim banner at the top of a page the lesson's step opened (one line in
each page: back_to_lesson()). It names the step and its question, and returns to that step."""

from __future__ import annotations

import streamlit as st

from rnn_app.ui.strings import DEFAULT_LANGUAGE, current_language, t

LESSON_PAGE = "rnn_app/lesson/page.py"


def back_to_lesson() -> None:
    """The banner, if a lesson step's button brought the viewer here (kept across a reload)."""
    from rnn_app.lesson.state import lesson_state, restore, save
    from rnn_app.lesson.steps import STEPS, step_index

    state = lesson_state()
    restore(state)  # after a reload: the lesson's stored progress says which step sent us here
    index = step_index(state.away) if state.away else None
    if index is None:
        return
    step = STEPS[index]
    text = t(
        "lesson.back.banner",
        n=index + 1,
        title=t(f"lesson.{step.id}.title"),
        question=t(f"lesson.{step.id}.question"),
    )
    if step.setup.anchor:
        text += f" [{t('lesson.back.section')}](#{step.setup.anchor})"
    box, button = st.columns([0.8, 0.2], vertical_alignment="center")
    box.info(text, icon=":material/menu_book:")
    if button.button(
        t("lesson.back"), key="lesson.back", type="primary", width="stretch", icon=":material/arrow_back:"
    ):
        state.go(index)
        state.away = None
        save(state)
        switch_page(LESSON_PAGE)


def switch_page(path: str) -> None:
    """st.switch_page, keeping the viewer's language: a switch drops every widget's value, the
    language toggle's too, and a new page run reads the language from the URL when it has none."""
    lang = current_language()
    st.switch_page(path, query_params={"lang": lang} if lang != DEFAULT_LANGUAGE else None)

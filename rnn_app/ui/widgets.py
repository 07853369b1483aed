"""Controlled widgets: a widget always shows a value of the page's state, and a change goes
through one callback into that state. Per-viewer page state lives in one object per page.

    control(st.sidebar, "slider", t("train.w.hidden"), name="train.hidden", value=run.cfg.hidden,
            on_change=lambda v: state.set_field("hidden", v), version=state.version, min_value=1, max_value=128)

Why not plain keyed widgets: Streamlit keeps a widget's value in the browser, and for option
widgets that value is the *formatted label*. Switch the language and the browser sends back
"Cross-entropy" where the options now read "交叉熵", which fails validation on the next action.
And a widget whose value was set through st.session_state can show its defaults (the minimum,
the first option) in the browser while the session holds the real value, and send the defaults
back. So here each widget's key carries the viewer's language and a version of the value it
shows: a new language, or a value changed from elsewhere (a preset, a link, a refused entry), is
a new widget, drawn with `value` as its default. Its value is never written through
st.session_state; the page's state object is the only owner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from rnn_app.ui.strings import current_language

T = TypeVar("T")

# The argument through which each kind of widget takes the value it starts with.
DEFAULT_ARG = {"slider": "value", "select_slider": "value", "number_input": "value", "text_input": "value",
               "toggle": "value", "checkbox": "value", "selectbox": "index", "radio": "index",
               "segmented_control": "default", "multiselect": "default"}  # fmt: skip


def page_state(key: str, factory: Callable[[], T]) -> T:
    """This viewer's state object of one page, under one session key (created on first use).
    Never a module global or st.cache_resource: those are shared by every viewer."""
    if key not in st.session_state:
        st.session_state[key] = factory()
    return st.session_state[key]


def show_toast(state) -> None:
    """The one-line message a page state keeps for its next run (state.toast), once."""
    if state.toast:
        st.toast(state.toast, icon=":material/restart_alt:")
        state.toast = None


def widget_key(name: str, version: int | str = 0) -> str:
    """The key of widget `name` for this viewer's language and this version of its value."""
    return f"{name}@{current_language()}#{version}"


def control(where, kind: str, label: str, *, name: str, value: Any, on_change: Callable[[Any], None],
            version: int | str = 0, options=None, **kwargs) -> Any:  # fmt: skip
    """Draw a `kind` widget ("slider", "selectbox", ...) in `where` (st, st.sidebar, a column)
    showing `value`. When the viewer changes it, on_change(new value) runs before the page is
    drawn again. Returns the value shown. Options are stable identifiers; their labels come from
    format_func."""
    key = widget_key(name, version)
    if options is not None:
        options = list(options)
        kwargs["options"] = options
    if DEFAULT_ARG[kind] == "index":
        kwargs["index"] = options.index(value) if value in options else None
    else:
        kwargs[DEFAULT_ARG[kind]] = value
    getattr(where, kind)(label, key=key, on_change=lambda: on_change(st.session_state[key]), **kwargs)
    return value

"""Failures stay in their section: one chart or panel that raises shows a short message in its
place (in the viewer's language), its traceback goes to the server's log, and the rest of the page
and the viewer's run live on.

    with section("train.carry"):           # around a part of a page
        ...
    @st.fragment
    @section("inside.carry")                # or as a decorator, under @st.fragment
    def section_carry(...): ...

Streamlit's own control flow (st.rerun, st.stop, st.switch_page, a rerun interrupting the live
loop) raises exceptions that must reach Streamlit: they pass through untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager

import streamlit as st
from streamlit.errors import FragmentHandledException
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from rnn_app.ui.strings import t

log = logging.getLogger(__name__)
PASS_THROUGH = (ScriptControlException, FragmentHandledException)  # Streamlit's control flow


@contextmanager
def section(name: str, on_error: Callable[[], None] | None = None, where=None):
    """Run a part of a page; if it raises, say so there (or in `where`: the placeholder the part
    draws into), log it, call on_error (e.g. pause the run whose loop failed) and carry on with
    the rest of the page."""
    try:
        yield
    except PASS_THROUGH:
        raise
    except Exception:
        log.exception("page section %r failed to draw", name)
        if on_error is not None:
            try:
                on_error()
            except Exception:
                log.exception("page section %r: on_error failed too", name)
        (where or st).warning(t("harden.section_failed"), icon=":material/broken_image:")

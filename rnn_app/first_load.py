"""A browser's first load of the Train page, in two steps: the chart first, the rest right after.

Why: a student's first load is bound by one browser thread, which evaluates Streamlit's and
plotly's scripts and then draws the whole page in one go. Measured (benchmarks/load.py, 2 cores):
the full page drew its first chart ~0.6-0.9 s after a one-chart Streamlit page did, and drawing
the sidebar settings (~20 widgets) and the carry animation was most of that difference.

How: the first script run of a browser's session draws what the class looks at first (title,
Train / Pause / Step / Reset, the metrics and the learning curve) and mounts a tiny component
that waits until the page's first chart is drawn and then asks for a rerun; that rerun, like
every later run, draws the whole page (sidebar settings, operands, the carry animation). The
elements of the first step keep their place, so nothing redraws. Any click during the first step
(Train, the language) reruns too and gets the whole page at once.

The price: the whole page completes ~0.5-0.8 s later than in one go (the second step's widgets
and animation no longer overlap with loading plotly). To draw the page in one go again, make
essentials_only() return False.

Clients that run no JavaScript (AppTest, the load benchmark's simulated viewers) would never ask,
so they always get the whole page: the two steps apply only to a web browser ("Mozilla/" in the
User-Agent, as every browser sends).
"""

from __future__ import annotations

import streamlit as st

FIRST_RUN = "first_load.first_run"  # session-state key: this run is the session's first
WAIT_MS = 4000  # the component asks for the rest after this long even if no chart was drawn

# The component: as soon as the page's first plotly chart is drawn, ask Python for the rest (a
# trigger value makes Streamlit rerun the page). The rerun's messages come back after the browser
# has painted the chart (the whole page's run takes ~0.1 s, a frame 16 ms).
_JS = """
export default function ({ setTriggerValue, data: [waitMs] }) {
  let asked = false;
  const ask = () => { if (!asked) { asked = true; setTriggerValue("painted", true); } };
  const drawn = () => document.querySelector('[data-testid="stPlotlyChart"] .main-svg');
  if (drawn()) { setTimeout(ask, 0); return; }
  const observer = new MutationObserver(() => { if (drawn()) { observer.disconnect(); setTimeout(ask, 0); } });
  observer.observe(document.body, { childList: true, subtree: true });
  const timer = setTimeout(() => { observer.disconnect(); ask(); }, waitMs);
  return () => { observer.disconnect(); clearTimeout(timer); };
}
"""
_signal = st.components.v2.component("rnn_first_paint", js=_JS, isolate_styles=False)


def start_session() -> None:
    """Call once per script run, first thing (app.py): records whether this run is the first of
    the viewer's session."""
    st.session_state[FIRST_RUN] = FIRST_RUN not in st.session_state


def is_browser(headers) -> bool:
    """Whether the session's websocket was opened by a web browser (its User-Agent)."""
    return "Mozilla/" in (headers.get("User-Agent") or "")


def essentials_only() -> bool:
    """Whether this run should draw the essentials only: the first run of a browser's session."""
    return bool(st.session_state.get(FIRST_RUN)) and is_browser(st.context.headers)


def ask_for_the_rest() -> None:
    """Mount the component that reruns the page once its first chart is drawn (see above)."""
    _signal(data=[WAIT_MS], key="first_load.signal", on_painted_change=lambda: None)

"""How this viewer's pages look: projector mode and the settings a teacher's link hides.

    ?projector=1               text >= 20 px, chart text >= 16 px, thicker lines
    ?hide=lr,optimizer,more    those settings are not shown (a teacher's view for a class)

One View per session (st.session_state["view"]), read from the link the session was opened with
and kept in the address bar by links.sync_url, so a reload or a copied link keeps it. A hidden
setting keeps the value of the link or preset; the page's "In use" line still shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from rnn_app.ui.plotting import ChartStyle, style_figure
from rnn_app.ui.strings import t
from rnn_app.ui.widgets import control

KEY = "view"
# Settings a teacher can hide: the Train page's and the Digits page's sidebar fields, "more" for
# their "More settings" expander, "speed" for the Train speed.
HIDEABLE = ("preset", "cell", "activation", "hidden", "layers", "lr", "optimizer", "batch", "bits", "speed", "more")

PROJECTOR_CSS = """<style>
/* Text at 20 px or more (captions, the sidebar's navigation, help, labels and buttons included);
   spacing stays as it is, so the page keeps its room. Headings are bigger already. */
:is(p, li, label, small, button, input, textarea, [data-testid="stCaptionContainer"],
    [data-testid="stSidebarNav"] span, .setup-in-use) { font-size: max(20px, 1em) !important; }
.live-metric-label { font-size: 20px !important; opacity: 1 !important; }
.live-metric-value { font-size: 2rem !important; }
[data-testid="stMainBlockContainer"] { padding-left: 2rem; padding-right: 2rem; max-width: none; }
</style>"""

WATCHER_CSS = "<style>.st-key-view-theme { display: none; }</style>"
THEME = "view.theme"  # the theme watcher's key: st.session_state[THEME]["type"] once it has spoken

# Reports the theme the page really shows (from the app's background), whenever it differs from
# the one the server drew the charts for: at once, and when the viewer switches theme (the app
# menu, or the system's setting), which Streamlit does not tell a running session.
_THEME_JS = """
export default function ({ data: [drawn], setStateValue, parentElement }) {
  const detect = () => {
    const app = document.querySelector('[data-testid="stApp"]') || document.body;
    const [r, g, b] = (getComputedStyle(app).backgroundColor.match(/[\\d.]+/g) || [255, 255, 255]).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? "dark" : "light";
  };
  const check = () => {
    const shown = detect();
    if (shown !== drawn && parentElement.dataset.sent !== shown) {
      parentElement.dataset.sent = shown;
      setStateValue("type", shown);
    } else if (shown === drawn) {
      parentElement.dataset.sent = "";
    }
  };
  clearInterval(parentElement.rnnThemeTimer);
  check();
  parentElement.rnnThemeTimer = setInterval(check, 1000);
  return () => clearInterval(parentElement.rnnThemeTimer);
}
"""
_theme_watch = st.components.v2.component("rnn_theme_watch", js=_THEME_JS, isolate_styles=False)


@dataclass
class View:
    projector: bool = False  # big text and thick lines, for the back of the room
    hide: frozenset[str] = field(default_factory=frozenset)  # settings not shown (HIDEABLE names)
    locked: bool = False  # opened from a link that hides settings: no way to show them here

    def params(self) -> dict:
        """The view as link parameters (none for the default view)."""
        out = {}
        if self.projector:
            out["projector"] = 1
        if self.hide:
            out["hide"] = ",".join(n for n in HIDEABLE if n in self.hide)
        return out


def parse_hide(text: str) -> frozenset[str]:
    """The known setting names of a comma-separated list (unknown ones are ignored)."""
    return frozenset(n.strip() for n in str(text).split(",") if n.strip() in HIDEABLE)


def current() -> View:
    """This session's view, made from the address bar on its first run."""
    if KEY not in st.session_state:
        q = st.query_params
        hide = parse_hide(q.get("hide", ""))
        st.session_state[KEY] = View(projector=q.get("projector", "0") in ("1", "true", "on"), hide=hide,
                                     locked=bool(hide))  # fmt: skip
    return st.session_state[KEY]


def hidden(name: str) -> bool:
    """Whether the setting `name` is hidden in this view."""
    return name in current().hide


def chart_style() -> ChartStyle:
    """The style of this viewer's charts: its theme's background and projector mode."""
    return ChartStyle(theme=theme(), projector=current().projector)


def theme() -> str:
    """ "light" or "dark": what the browser shows (the watcher), else what Streamlit says."""
    watched = (st.session_state.get(THEME) or {}).get("type")
    if watched in ("light", "dark"):
        return watched
    try:
        return "dark" if st.context.theme.type == "dark" else "light"
    except Exception:  # no browser (AppTest)
        return "light"


def styled(fig):
    """`fig` as this viewer's charts look (a new figure; `fig` may be cached and shared)."""
    return style_figure(fig, chart_style())


def apply_css() -> None:
    """Projector mode's page styles, and the theme watcher (called once per run by app.py): charts
    are drawn for the theme the page shows, even after the viewer switches it (Streamlit does not
    rerun a session for that)."""
    if current().projector:
        st.html(PROJECTOR_CSS)
    st.html(WATCHER_CSS)
    with st.sidebar:
        _theme_watch(data=[theme()], key=THEME, on_type_change=lambda: None)


def sidebar() -> None:
    """The projector toggle and, unless a link locked it, the teacher's view: which settings to hide."""
    view = current()
    sb = st.sidebar
    # the toggle's own value, not a flip: a change event sent twice (fast clicks, a language switch
    # mid-rerun) must not turn projector mode on or off by itself
    control(sb, "toggle", t("view.projector"), name="view.projector", value=view.projector, version=int(view.projector),
            on_change=_set_projector, help=t("view.projector.help"))  # fmt: skip
    if view.locked:
        sb.caption(t("view.locked"))
        return
    with sb.expander(t("view.teacher")):
        st.caption(t("view.teacher.help"))
        control(st, "multiselect", t("view.hide"), name="view.hide", value=[n for n in HIDEABLE if n in view.hide],
                version=",".join(sorted(view.hide)), options=HIDEABLE, on_change=_set_hide,
                format_func=lambda n: t(f"view.field.{n}"))  # fmt: skip
        if view.hide:
            st.caption(t("view.hide.link"))


def _set_projector(on: bool) -> None:
    current().projector = bool(on)


def _set_hide(chosen: list[str]) -> None:
    current().hide = frozenset(chosen)

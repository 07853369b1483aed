"""Helpers for the AppTest page tests: open a page, find a controlled widget, read the page's text.

Controlled widgets (rnn_app.ui.widgets) have keys "<name>@<language>#<version>"; `widget` finds
one by its name, whatever the language and version.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = {"train": "rnn_app/train/page.py", "inside": "rnn_app/inside/page.py", "digits": "rnn_app/digits/page.py",
         "class": "rnn_app/classroom/page.py", "lesson": "rnn_app/lesson/page.py"}
KINDS = ("slider", "select_slider", "selectbox", "number_input", "text_input", "toggle", "button_group", "radio")


def open_app(page: str = "train", timeout: float = 60, query: dict | None = None, **state) -> AppTest:
    """Run the app (its first page is Train), then switch to `page`. `state`: session-state
    values set before the first run (e.g. lang="zh", train=TrainState(...))."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in state.items():
        at.session_state[k] = v
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page != "train":  # AppTest finds a page with its own url_path only after a first run
        at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def widget(at: AppTest, name: str):
    """The controlled widget called `name` (its key without language and version; a pattern such
    as "train.preset.*" for a widget whose name carries the value it shows)."""
    found = [w for kind in KINDS for w in at.get(kind) if fnmatchcase((w.key or "").split("@")[0], name)]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


def has_widget(at: AppTest, name: str) -> bool:
    return any((w.key or "").split("@")[0] == name for kind in KINDS for w in at.get(kind))


def texts(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.info] + [e.value for e in at.success]
    parts += [e.value for e in at.error] + [e.value for e in at.toast] + [e.value for e in at.caption]
    parts += [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)

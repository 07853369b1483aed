"""Keyboard and screen-reader support shared by every page.

mount(page) (app.py, once per script run) installs a tiny browser component on the page's
document (a11y.js): a skip link as the first Tab stop to the page's Train button, the shortcuts
Space = Train / Pause, S = Step, R = Reset and ? = their help (in the viewer's language; Esc
closes it), focus given back to a pressed button after the rerun, and one polite live region.
The shortcuts click the page's real buttons (rnn_app.ui.live.buttons, keys "<page>.button.<name>"),
so a key does exactly what a click does.

Pages draw, just before each chart, chart_alt(text, name): a visually hidden sentence that states
the chart's message (rnn_app.ui.alt_text). The live loop (rnn_app.ui.live) emits announce_html(...)
once per solve or divergence; the component says it through the live region.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import streamlit as st

from rnn_app.ui.strings import current_language, t

CONTROL_PAGES = ("train", "digits")  # pages with the Train / Pause / Step / Reset row (live.buttons)

# Visually hidden but read by screen readers; the skip link shows when focused; the shortcuts'
# help. Caption text: Streamlit's grey (#828180 on white, 3.9:1) is below WCAG's 4.5:1, so
# captions take the text colour at 80 % (about 6:1 on white, 11:1 on the dark theme). The dark
# theme's light purple (#a78bfa, which its slider values need as text) takes dark text on primary
# buttons: white on it is 2.7:1, #1c1130 is 6.6:1 (a11y.js marks the theme on <html>).
CSS = """<style>
.rnn-sr-only{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;
  clip:rect(0,0,0,0);clip-path:inset(50%);white-space:nowrap;border:0}
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] .rnn-chart-alt),
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] .rnn-announce){position:absolute!important;
  width:1px;height:1px;overflow:hidden;clip-path:inset(50%);margin:0;padding:0}
.rnn-skip{position:fixed;left:0.75rem;top:-5rem;z-index:1000200;padding:0.6rem 1rem;border-radius:0.5rem;
  background:#6d28d9;color:#fff;font-weight:600;text-decoration:none;box-shadow:0 2px 8px rgba(0,0,0,.3)}
.rnn-skip:focus{top:0.75rem;outline:3px solid #fbbf24;outline-offset:2px}
.rnn-help{position:fixed;inset:0;z-index:1000300;background:rgba(0,0,0,.45);display:flex;align-items:center;
  justify-content:center}
.rnn-help[hidden]{display:none}
.rnn-help-dialog{max-width:32rem;width:calc(100% - 2rem);border-radius:0.75rem;padding:1.25rem 1.5rem;
  box-shadow:0 8px 32px rgba(0,0,0,.35);font-size:1.05rem;line-height:1.5}
.rnn-help-dialog h2{font-size:1.4rem;margin:0 0 0.75rem 0;padding:0}
.rnn-help-dialog dl{margin:0}
.rnn-help-dialog dl>div{display:grid;grid-template-columns:8.5rem 1fr;gap:0.75rem;padding:0.3rem 0}
.rnn-help-dialog dt{font-weight:600}
.rnn-help-dialog dd{margin:0}
.rnn-help-dialog kbd{display:inline-block;min-width:1.6rem;padding:0.05rem 0.45rem;border:1px solid currentColor;
  border-radius:0.3rem;font-family:inherit;text-align:center}
.rnn-help-dialog p{margin:0.75rem 0 1rem 0;font-size:0.95rem}
.rnn-help-dialog button{padding:0.4rem 1.2rem;border-radius:0.5rem;border:0;background:#6d28d9;color:#fff;
  font:inherit;cursor:pointer}
.rnn-help-dialog button:focus-visible{outline:3px solid #fbbf24;outline-offset:2px}
[data-testid="stCaptionContainer"],[data-testid="stCaptionContainer"] p{color:inherit}
[data-testid="stCaptionContainer"]{opacity:0.8}
[data-testid="stCaptionContainer"] code{color:inherit}
html[data-rnn-theme="dark"] [data-testid="stBaseButton-primary"]{color:#1c1130}
</style>"""

_JS = (Path(__file__).parent / "a11y.js").read_text(encoding="utf-8")
_a11y = st.components.v2.component("rnn_a11y", js=_JS, isolate_styles=False)


def help_text(lang: str) -> dict:
    """What the component writes: the skip link, the help's title, rows (keys, what), note, Close."""
    row = lambda keys, what: [keys, t(f"a11y.help.{what}", lang)]  # noqa: E731
    return {
        "skip": t("a11y.skip", lang),
        "title": t("a11y.help.title", lang),
        "close": t("a11y.help.close", lang),
        "note": t("a11y.help.note", lang),
        "rows": [
            row([t("a11y.help.key.space", lang)], "space"),
            row(["S"], "step"),
            row(["R"], "reset"),
            row(["?"], "help"),
            row(["Esc"], "esc"),
        ],  # fmt: skip
    }


def mount(page: str) -> None:
    """Once per script run (app.py), out of sight in the sidebar. page: the page's name ("train",
    "inside", "digits", "class"), whose buttons the shortcuts and the skip link use."""
    lang = current_language()
    with st.sidebar:
        st.html(CSS)
        _a11y(data=[{"page": page, "controls": page in CONTROL_PAGES, "text": help_text(lang)}], key="a11y")


def alt_html(text: str, name: str) -> str:
    """A visually hidden sentence for the chart `name` (read by screen readers before the chart)."""
    return f'<p class="rnn-sr-only rnn-chart-alt" data-chart="{escape(name)}">{escape(text)}</p>'


def chart_alt(text: str, name: str, container=None) -> None:
    """Draw the text alternative of chart `name` here (call it just before the chart)."""
    (container or st).html(alt_html(text, name))


def announce_html(text: str, ident: str) -> str:
    """A hidden element whose words the live region says once per ident (a11y.js)."""
    return f'<div class="rnn-announce" data-id="{escape(ident)}" hidden>{escape(text)}</div>'


def announce_once(name: str, loop, box, status, snapshot) -> None:
    """Say a solve or a divergence (status: rnn_app.ui.live.Status, kind "success" / "error") once
    through the page's live region: only in the first page run that shows it, and again only after
    it went away (a reset). loop: the page's rnn_app.ui.live.Loop (remembers what was said)."""
    said = (status.kind, snapshot.solved_step, snapshot.diverged) if status and status.kind in ("success", "error") else None
    if said is not None and said != loop.announced:
        loop.announcements += 1
        box.html(announce_html(status.text, f"{name}-{id(loop)}-{loop.announcements}"))
    loop.announced = said

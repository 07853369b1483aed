"""The URL is the setup: what a page's link carries, read with the ranges its widgets allow.

A page describes its link parameters as Params; `read`
turns a query into values and one message per refused value, in the viewer's language, naming
the value and what the widget allows. `sync_url` keeps the address bar equal to the page's setup,
so reloading or copying it reproduces the setup (never the viewer's run: that has its own id).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from rnn_app.ui import view  # the view (projector, hidden settings) goes with every page's link
from rnn_app.ui.strings import DEFAULT_LANGUAGE, current_language, t

MAX_TEXT = 80  # characters of a text parameter (an operand as typed)


@dataclass(frozen=True)
class Param:
    name: str  # in the URL, e.g. "hidden"; a Config field keeps its name
    label: str  # strings-table key of the widget's label, for messages (unused by "text")
    kind: str  # "int" | "float" | "choice" | "text"
    low: float = 0  # int / float: the range the widget allows
    high: float = 0
    options: tuple = ()  # choice: the allowed values (stable identifiers, as the link writes them)

    def parse(self, text: str, lang: str):
        """(value, None) or (None, why not in the viewer's language)."""
        if self.kind == "text":
            if len(text) > MAX_TEXT:
                return None, t("link.bad_text", lang, name=self.name, max=MAX_TEXT)
            return text, None
        label = t(self.label, lang)
        if self.kind == "choice":
            value = next((o for o in self.options if str(o) == text), None)
            if value is None:
                names = ", ".join(fmt(o) for o in self.options)
                return None, t("link.bad_choice", lang, name=self.name, value=text, label=label, options=names)
            return value, None
        bounds = dict(name=self.name, value=text, label=label, low=f"{self.low:g}", high=f"{self.high:g}")
        try:
            number = float(text)
        except ValueError:
            return None, t("link.bad_number", lang, **bounds)
        if not (math.isfinite(number) and self.low <= number <= self.high) or (self.kind == "int" and number != int(number)):
            return None, t("link.bad_range", lang, **bounds)
        return (int(number) if self.kind == "int" else number), None


def read(params: tuple[Param, ...], query: dict[str, str], lang: str) -> tuple[dict, list[str]]:
    """The values of a query's known parameters, and one message per refused value."""
    values, errors = {}, []
    for p in params:
        if p.name in query:
            value, error = p.parse(str(query[p.name]).strip(), lang)
            if error is None:
                values[p.name] = value
            else:
                errors.append(error)
    return values, errors


LANDING = "link.landing"  # session key: (the page the session was opened on, the URL's parameters)


def remember_landing(page: str) -> None:
    """On a session's first script run (app.py): keep the page and the parameters it was opened
    with. Only that page reads them, once; a later page switch carries no link."""
    if LANDING not in st.session_state:
        st.session_state[LANDING] = (page, {k: st.query_params[k] for k in st.query_params if k != "lang"})


def landing_query(page: str) -> dict:
    """The parameters the session was opened with, if it was opened on `page` (else none)."""
    landed, query = st.session_state.get(LANDING, ("", {}))
    return dict(query) if landed == page else {}


def setup_params(cfg, presets: dict, fields: tuple[str, ...]) -> dict:
    """A config as link parameters: the preset nearest it (presets: id -> make(), the first is the
    page's default, left out of the link) and every field that differs from that preset."""
    def differences(base) -> dict:
        return {f: getattr(cfg, f) for f in fields if getattr(cfg, f) != getattr(base, f)}

    nearest = min(presets, key=lambda pid: len(differences(presets[pid]())))
    params = {} if nearest == next(iter(presets)) else {"preset": nearest}
    params.update(differences(presets[nearest]()))
    return params


def read_once(state, apply) -> None:
    """Once per session, before anything is trained: apply(state) gives the page the setup of the
    link its session was opened with and returns the refused values' messages (kept in
    state.link_errors until dismissed)."""
    if state.link_read:
        return
    state.link_read = True
    if not state.run.trainer.steps:
        state.link_errors = apply(state)


def fmt(value) -> str:
    """A value as a link writes it: 0.08 not 0.08000000000000002, 12 not 12.0."""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def sync_url(params: dict) -> None:
    """Make the address bar show exactly these parameters (and the view and the language, if not default)
    when it does not already: no message is sent while nothing changes."""
    wanted = {k: fmt(v) for k, v in {**params, **view.current().params()}.items()}
    if current_language() != DEFAULT_LANGUAGE:
        wanted["lang"] = current_language()
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


# A button that copies the address bar (the setup: sync_url keeps it current) to the clipboard.
# Where the clipboard is not allowed (a plain-http host), the browser shows the link to copy.
_COPY_JS = """
export default function ({ data: [label, done, help], parentElement }) {
  let button = parentElement.querySelector("button");
  if (!button) {
    button = document.createElement("button");
    button.className = "copy-link";
    parentElement.replaceChildren(button);
    button.addEventListener("click", async () => {
      try { await navigator.clipboard.writeText(location.href); }
      catch (e) { window.prompt(button.dataset.label, location.href); return; }
      button.textContent = "✓ " + button.dataset.done;
      setTimeout(() => { button.textContent = button.dataset.label; }, 2000);
    });
  }
  Object.assign(button.dataset, { label, done });
  button.textContent = label;
  button.title = help;
}
"""
_COPY_CSS = """
.copy-link { font: inherit; font-size: 0.875rem; padding: 0.25rem 0.75rem; border-radius: 0.5rem; cursor: pointer;
  color: inherit; background: transparent; border: 1px solid rgba(128, 128, 128, 0.4); }
.copy-link:hover, .copy-link:focus-visible { border-color: #7c3aed; color: #7c3aed; }
"""
_copy_link = st.components.v2.component("rnn_copy_link", js=_COPY_JS, css=_COPY_CSS, isolate_styles=False)


def copy_button(where=None) -> None:
    """The "Copy link" button (in `where`, default here)."""
    with where or st.container():
        _copy_link(data=[t("link.copy"), t("link.copied"), t("link.copy.help")], key="copy_link")


def notice(errors: list[str], on_dismiss) -> None:
    """The values of a link that were refused, until the viewer dismisses the notice."""
    if errors:
        box, button = st.columns([0.85, 0.15], vertical_alignment="center")
        box.warning(t("link.notice") + "\n\n" + "\n".join(f"- {e}" for e in errors))
        button.button(t("link.dismiss"), key="link.dismiss", on_click=on_dismiss)

"""Which browser tab this session serves, and which stored runs are its own.

A tiny component keeps, in the browser, a tab id (sessionStorage: a reload keeps it, another tab
has its own) and one run id per page kind ("train", "digits": 128 random bits each, made by the
browser the first time; sessionStorage for this tab, localStorage for the browser's next tab or
restart). It reports them to the session as soon as it is mounted (one rerun of a new session's
first page), so a reload, a reconnection (Streamlit starts a new session) or a server restart finds
the viewer's runs again (rnn_app.ui.persist). The server tells it a new run id only when this tab
must work on a copy. Ids never go into the URL: a link carries a setup, not a run.
"""

from __future__ import annotations

import hashlib
import os

import streamlit as st

from rnn_app.ui.strings import current_language

KEY = "identity"  # the component's key: st.session_state[KEY]["ids"] once the browser has answered
KINDS = ("train", "digits", "lesson")  # lesson: the progress of rnn_app.lesson
# What else the browser keeps for its tabs (localStorage, never made up by the browser): the class
# it joined as a student ("class": the code) and the classes it teaches ("teacher": JSON code -> key).
EXTRAS = ("class", "teacher")

_JS = """
export default function ({ data: [assign, lang], setStateValue, parentElement }) {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en"; // screen readers read the page's language
  const random = () => [...crypto.getRandomValues(new Uint8Array(16))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  const keep = (key, value) => {
    try { sessionStorage.setItem(key, value); localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  };
  let tab = sessionStorage.getItem("rnn-lab-tab");
  if (!tab) { tab = random(); try { sessionStorage.setItem("rnn-lab-tab", tab); } catch (e) { /* private mode */ } }
  const local = (key, value) => {
    try { if (value) localStorage.setItem(key, value); else localStorage.removeItem(key); } catch (e) { /* private mode */ }
  };
  for (const [name, value] of Object.entries(assign || {})) {
    if (KINDS.includes(name)) keep("rnn-lab-run-" + name, value); else local("rnn-lab-" + name, value);
  }
  const ids = { tab };
  for (const name of EXTRAS) { try { ids[name] = localStorage.getItem("rnn-lab-" + name); } catch (e) { ids[name] = null; } }
  for (const kind of KINDS) {  // this tab's run, else the browser's last one, else a new one
    const key = "rnn-lab-run-" + kind;
    ids[kind] = sessionStorage.getItem(key) || localStorage.getItem(key) || random();
    keep(key, ids[kind]);
  }
  // report on the first mount and when a run id changed; extras change only when the server asks
  // (assign), and it already knows them: no rerun for those
  const text = JSON.stringify([ids.tab, ...KINDS.map((kind) => ids[kind])]);
  if (parentElement.dataset.sent !== text) { parentElement.dataset.sent = text; setStateValue("ids", ids); }
}
""".replace("KINDS", str(list(KINDS))).replace("EXTRAS", str(list(EXTRAS)))
_identity = st.components.v2.component("rnn_identity", js=_JS, isolate_styles=False)

KNOWN = "identity.known"  # session key: the ids the browser last reported, kept when widget values are dropped
ASSIGN = "identity.assign"  # session key: what the browser must keep (run ids, extras), sent with the next mount
# benchmarks/load.py --persist: simulated viewers run no JavaScript, so with this set a session that
# is no web browser's uses ids made from its own id (its runs are stored like a browser's)
IDS_FROM_SESSION = "RNN_LAB_IDS_FROM_SESSION"


def mount() -> None:
    """Once per script run (app.py), out of sight in the sidebar. It also sets the page's <html lang>."""
    assign = st.session_state.get(ASSIGN) or {}
    with st.sidebar:
        _identity(data=[assign, current_language()], key=KEY, on_ids_change=lambda: None)


def ids() -> dict | None:
    """{"tab": ..., "train": run id, "digits": ..., "class": code or None, "teacher": JSON or None}
    as the browser keeps them, or None until it has answered (the session's first script run)."""
    value = (st.session_state.get(KEY) or {}).get("ids")
    if isinstance(value, dict):
        st.session_state[KNOWN] = value
        return value
    if isinstance(known := st.session_state.get(KNOWN), dict):
        return known  # st.switch_page drops every widget's value, this component's too (the lesson uses it)
    if os.environ.get(IDS_FROM_SESSION) and "Mozilla/" not in (st.context.headers.get("User-Agent") or ""):
        made = hashlib.blake2b(session_id().encode(), digest_size=16).hexdigest()
        return st.session_state.setdefault(f"{KEY}.made", {"tab": made, **dict.fromkeys(KINDS, made),
                                                                **dict.fromkeys(EXTRAS)})  # fmt: skip
    return None


def session_id() -> str:
    """This Streamlit session's id (a new one for every websocket connection)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "no-session"


def assign(name: str, value: str) -> None:
    """Make the browser keep `value` as this tab's run id of kind `name`, or as the extra `name`
    ("" forgets it); sent with the next mount, and known to this session at once."""
    st.session_state.setdefault(ASSIGN, {})[name] = value
    known = ids()
    if known is not None and name in EXTRAS:
        known[name] = value or None

"""A page's run, kept outside the session: found again after a reload, a dropped connection or a
server restart (rnn_app.store keeps the bytes; rnn_app.ui.identity keeps the ids in the browser).

A page state that persists has `run`, `binding` (None until bound), `notice` and the page's own
Kind (how its run and page settings become bytes and a small dict, and back). Each script run:

    persist.restore(state, KIND)     # early: bind this tab's stored run (once the browser has said which)
    ... the page ...
    persist.save(state, KIND)        # late: if anything changed, save it (on the store's writer thread)

and the live loop saves at most every SAVE_EVERY seconds while training. A save only copies the
trainer on the calling thread (under a millisecond); making the bytes and writing them happen on
the store's writer thread, never in the live loop's update.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from rnn.saveload import to_bytes
from rnn_app.store import RunStore, new_id, writer
from rnn_app.ui import identity
from rnn_app.ui.strings import t

SAVE_EVERY = 3.0  # seconds between saves while training (at most the work lost to a server crash)


@dataclass(frozen=True)
class Kind:
    name: str  # "train" | "digits": the store's kind and the browser's run slot
    meta: Callable[[object], dict]  # state -> the page's settings kept beside the run (small, JSON)
    decode: Callable[[object, bytes, dict], None]  # restore into the state; ValueError if unusable
    persists: Callable[[object], bool] = lambda state: True  # e.g. not a run on the viewer's own MNIST files


@dataclass
class Binding:
    run_id: str  # the stored run this page's run is saved as
    tab: str  # the browser tab it serves
    saved_at: float = 0.0  # when a save was last submitted
    saved: tuple | None = None  # what was saved then (step, samples, setup): nothing new, no save
    lost: bool = False  # another session took the run over (a duplicated tab): copy it to a new id


def store() -> RunStore:
    return RunStore.from_env()


def frozen(trainer):
    """A copy of a trainer to save from another thread: its data set is shared, not copied, and
    the cache of its last step (large, not saved) is left out."""
    cache, trainer.last_cache = trainer.last_cache, None
    try:
        data = getattr(trainer, "data", None)
        return copy.deepcopy(trainer, memo={id(data): data} if data is not None else {})
    finally:
        trainer.last_cache = cache


def restore(state, kind: Kind) -> None:
    """Bind the page's run to this tab's stored run: load it ("owned"), copy it to a new id when
    another tab is using it ("busy"), or start storing the run in use ("new", "unreadable")."""
    binding = state.binding
    if binding is not None:
        if binding.lost:  # another session took this run over: go on as a copy of our own
            binding.run_id, binding.lost, binding.saved = new_id(), False, None
            identity.assign(kind.name, binding.run_id)
        return
    ids = identity.ids()
    if ids is None:  # the browser has not said yet (the session's first script run)
        return
    claim = store().claim(ids.get(kind.name), kind.name, ids.get("tab"), identity.session_id())
    if claim.status in ("owned", "busy") and kind.persists(state):
        try:
            running = state.run.running  # Train pressed before the browser answered: train the restored run
            kind.decode(state, claim.data, claim.meta or {})
            if running:
                state.run.start()
            steps = state.run.trainer.steps
            if claim.status != "owned":
                state.notice = t("persist.copied", step=f"{steps:,}")
            else:  # ours again; at step 0 nothing was trained yet, so what came back is the setup
                state.notice = t("persist.restored" if steps else "persist.restored_setup", step=f"{steps:,}")
        except ValueError:
            state.notice = t("persist.unreadable")
    elif claim.status == "unreadable":
        state.notice = t("persist.unreadable")
    if claim.run_id != ids.get(kind.name):
        identity.assign(kind.name, claim.run_id)
    state.binding = Binding(claim.run_id, ids.get("tab"))


def save(state, kind: Kind, force: bool = False) -> None:
    """Submit a save of the page's run if anything changed since the last one (and, unless
    `force`, at most every SAVE_EVERY seconds)."""
    binding = state.binding
    if binding is None or not kind.persists(state):
        return
    trainer, meta = state.run.trainer, kind.meta(state)
    what = (id(trainer), trainer.steps, trainer.samples, repr(trainer.cfg), repr(meta))
    now = time.monotonic()
    if what == binding.saved or (not force and now - binding.saved_at < SAVE_EVERY):
        return
    binding.saved, binding.saved_at = what, now
    copy_ = frozen(trainer)

    def lost() -> None:  # on the writer thread: only a flag, read by the next script run
        binding.lost = True

    writer.submit(store(), binding.run_id, kind.name, binding.tab, identity.session_id(),
                  lambda: (to_bytes(copy_, compress=False), meta), on_lost=lost)  # fmt: skip


def notice(state) -> None:
    """The one-line outcome of a restore, once."""
    if state.notice:
        st.toast(state.notice, icon=":material/history:")
        state.notice = None

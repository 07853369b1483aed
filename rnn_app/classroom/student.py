"""A student in a class, on the Train page: the banner, the teacher's setup (Apply / Keep mine, or
followed at once), the value a class experiment gives them, and reports of their run to the board.

The page calls `banner` near its top, `live` after every live update while training and `idle`
at its very end when it does not train: idle keeps looking (every POLL_EVERY seconds) for a new
setup from the teacher and redraws the page when one comes, the way the live loop does (a loop,
not a timer: st.fragment(run_every) did not hold up for a class on one server).
"""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from rnn import Config
from rnn_app.classroom.state import POLL_EVERY, REPORT_EVERY, ClassState, store
from rnn_app.train.settings import FIELDS
from rnn_app.train.state import TrainState
from rnn_app.ui.live import sleep_until
from rnn_app.ui.plotting import thin
from rnn_app.ui.strings import plain, t

CURVE_POINTS = 150  # points of a student's curve sent to the board


# ---- a setup as the teacher sends it -------------------------------------------------------------
def setup_of(state: TrainState) -> dict:
    cfg = state.run.cfg
    return {"cfg": {f: getattr(cfg, f) for f in FIELDS}, "speed": state.speed, "a": state.a, "b": state.b}


def summary(cfg: dict) -> str:
    """A setup in a few words: "LSTM, 20 × 2 · Adam 0.01 · 64 · 8 bits" (missing fields: the defaults)."""
    full = {**Config().to_dict(), **{k: v for k, v in cfg.items() if k in FIELDS}}
    cell = t(f"train.opt.{full['cell']}")
    if full["cell"] == "rnn":
        cell += f" ({t('train.opt.' + str(full['activation']))})"
    layers = f" × {full['layers']}" if full["layers"] != 1 else ""
    return (f"{cell}, {full['hidden']}{layers} · {t('train.opt.' + str(full['optimizer']))} {float(full['lr']):g} "
            f"· {full['batch']} · {full['bits']} bits")  # fmt: skip


def use(state: TrainState, setup: dict) -> None:
    """Take the teacher's setup: the run keeps what it can (rnn.run.Run.apply)."""
    try:
        cfg = state.run.cfg.replace(**{k: v for k, v in setup.get("cfg", {}).items() if k in FIELDS})
    except (TypeError, ValueError):
        return  # a setup this version cannot use: keep the student's own
    state.use_setup(cfg, setup.get("speed"), setup.get("a"), setup.get("b"))


# ---- the banner ------------------------------------------------------------------------------------
def banner(cs: ClassState, state: TrainState):
    """The class line (code, nickname, Leave) and, below it, what the teacher sent. Returns the
    place of the latter, which the live loop fills when a setup comes while the run trains."""
    if cs.role != "student":
        return None
    left, right = st.columns([0.85, 0.15], vertical_alignment="center")
    left.markdown(t("class.banner", code=cs.code, name=plain(cs.nickname)))
    right.button(t("class.leave"), key="class.leave", on_click=cs.leave, width="stretch")
    slot = st.empty()
    news(cs, state, slot)
    return slot


def news(cs: ClassState, state: TrainState, slot) -> None:
    """The teacher's setup waiting for Apply / Keep mine, and this student's experiment value."""
    with slot.container():
        if cs.pending is not None:
            version, setup = cs.pending.version, cs.pending.setup
            box, yes, no = st.columns([0.64, 0.18, 0.18], vertical_alignment="center")
            box.info(t("class.pushed", setup=summary(setup.get("cfg", {}))), icon=":material/school:")
            # keys carry the version: the live loop may draw a newer setup in the same script run
            yes.button(t("class.pushed.apply"), key=f"class.apply.{version}", type="primary", width="stretch",
                       on_click=lambda: answer(cs, state, True))  # fmt: skip
            no.button(t("class.pushed.keep"), key=f"class.keep.{version}", width="stretch",
                      on_click=lambda: answer(cs, state, False))  # fmt: skip
        if cs.assigned is not None:
            st.info(t("class.assigned", field=t(f"train.w.{cs.assigned.field}"), value=cs.assigned.value),
                    icon=":material/science:")  # fmt: skip


def answer(cs: ClassState, state: TrainState, apply: bool) -> None:
    if cs.pending is not None:
        if apply:
            use(state, cs.pending.setup)
        cs.seen_push, cs.pending = cs.pending.version, None


def poll(cs: ClassState, state: TrainState) -> str | None:
    """Look for a new setup or experiment value from the teacher (before the page draws its
    widgets: a setup taken at once changes what they show). Returns "setup" when the run's setup
    changed (the page must be drawn again), "news" when there is only something new to show."""
    if cs.role != "student":
        return None
    changed = None
    pushed = store().pushed(cs.code)
    if pushed is not None and pushed.version > cs.seen_push and (cs.pending is None or cs.pending.version < pushed.version):
        if pushed.mode == "follow":
            use(state, pushed.setup)
            cs.seen_push, cs.pending, changed = pushed.version, None, "setup"
            st.toast(t("class.pushed.applied", setup=summary(pushed.setup.get("cfg", {}))), icon=":material/school:")
        else:
            cs.pending, changed = pushed, "news"
    assigned = store().assignment(cs.code, cs.member)
    if assigned is not None and assigned.version > cs.seen_sweep:
        cs.seen_sweep, cs.assigned, changed = assigned.version, assigned, "setup"
        if assigned.field in FIELDS:
            try:
                state.use_setup(state.run.cfg.replace(**{assigned.field: assigned.value}))
            except (TypeError, ValueError):
                pass  # a value this run cannot take: shown, not applied
    elif assigned is None and cs.assigned is not None:
        cs.assigned, changed = None, "setup"  # the experiment ended: drawn again (news only ever adds a setup)
    return changed


# ---- reports to the board ---------------------------------------------------------------------------
def report(cs: ClassState, state: TrainState, force: bool = False) -> None:
    """The student's run, to the board: at most every REPORT_EVERY seconds (unless `force`)."""
    now = time.monotonic()
    if cs.role != "student" or (not force and now - cs.reported_at < REPORT_EVERY):
        return
    trainer, cfg = state.run.trainer, state.run.cfg
    steps, losses = trainer.history.loss_series()
    eval_steps, exact, _ = trainer.history.eval_series()
    steps, losses = thin(steps, losses, CURVE_POINTS)
    accuracy = np.interp(steps, eval_steps, exact) if len(eval_steps) else np.full(len(steps), np.nan)
    curve = [[int(s), float(v), None if np.isnan(a) else float(a)] for s, v, a in zip(steps, losses, accuracy)]
    body = {f: getattr(cfg, f) for f in FIELDS}
    body.update(step=trainer.steps, samples=trainer.samples, loss_value=float(losses[-1]) if len(losses) else None,
                exact=float(exact[-1]) if len(exact) else None, solved_step=trainer.solved_step,
                train_seconds=round(trainer.train_seconds, 2), running=state.run.running,
                diverged=bool(trainer.diverged),
                sweep_value=cs.assigned.value if cs.assigned is not None else None)  # fmt: skip
    result = store().report(cs.code, cs.member, body, curve)
    cs.unsent = result.status == "too_soon"  # the idle loop sends it again: the board gets the final state
    cs.reported_at = now - REPORT_EVERY + (result.retry_after or 0.0) if cs.unsent else now


def live(cs: ClassState, state: TrainState, slot) -> None:
    """After a live update: report now and then, and look for the teacher (one indexed read). A
    setup to apply redraws the page; one to show goes into the banner's place: a class of thirty
    gets it at once, not after thirty page runs queued on one core."""
    if cs.role != "student":
        return
    report(cs, state)
    changed = poll(cs, state)
    if changed == "setup" or (changed == "news" and slot is None):
        st.rerun()
    if changed == "news":
        news(cs, state, slot)


def idle(cs: ClassState, state: TrainState) -> None:
    """The end of a student's page that does not train: wait for the teacher's next setup."""
    if cs.role != "student" or state.run.running:
        return
    report(cs, state, force=True)
    rounds = 0
    while cs.max_loops is None or rounds < cs.max_loops:
        rounds += 1
        if sleep_until(time.perf_counter() + POLL_EVERY):
            return  # a click or a widget: Streamlit reruns the page now
        if cs.unsent:
            report(cs, state)  # once the board takes it (report: at most every REPORT_EVERY seconds)
        if poll(cs, state):
            st.rerun()  # idle: drawing the page again costs nothing a class would notice

"""The teacher's board: the class code large, the join link and its QR code, and every student's
run, redrawn once a second (a loop at the end of the page, as the live training loop); below it
"Follow me" and the class-wide sweep."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import segno
import streamlit as st

from rnn.cohort import curve_band, fastest, first_to_solve, sweep_grid, sweep_points
from rnn_app.classroom import figures as F
from rnn_app.classroom.state import ClassState, store
from rnn_app.classroom.student import setup_of, summary
from rnn_app.train.state import TrainState
from rnn_app.ui import a11y, alt_text
from rnn_app.ui.live import sleep_until
from rnn_app.ui.strings import current_language, plain, t
from rnn_app.ui.view import styled
from rnn_app.ui.widgets import control

REFRESH = 1.0  # seconds between two drawings of the board
AXES = ("hidden", "lr", "batch", "layers", "bits", "seed", "cell", "optimizer")  # settings the scatter can show
SWEEPS = {  # setting -> (default from, to, number of values, log scale, whole numbers, bounds)
    "lr": (0.001, 1.0, 7, True, False, (0.0001, 1.0)),
    "hidden": (1, 32, 6, True, True, (1, 128)),
    "batch": (1, 256, 6, True, True, (1, 256)),
    "bits": (4, 12, 5, False, True, (2, 16)),
}
CELL_SWEEP = ("rnn", "gru", "lstm")


def join_link(code: str) -> str:
    """The link students open: this app's Class page with the code."""
    url = (st.context.url or "").split("?")[0].rstrip("/")
    base = url[: -len("/class")] if url.endswith("/class") else url
    return f"{base}/class?join={code}"


def qr_png(text: str) -> bytes:
    """A QR code of `text` as a PNG (segno, drawn here: no network service), dark on white so a
    phone reads it from a projector in either theme."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=2, dark="#111111", light="#ffffff")
    return buffer.getvalue()


def header(cs: ClassState) -> None:
    """The code, large enough to read at the back of a room, the link and its QR code."""
    code, link = cs.code, join_link(cs.code)
    left, right = st.columns([0.62, 0.38], vertical_alignment="center")
    with left:
        st.caption(t("class.code"))
        st.html(f'<div class="class-code" aria-label="{t("class.code")}: {" ".join(code)}">{code}</div>'
                "<style>.class-code{font-size:5.2rem;font-weight:800;letter-spacing:0.5rem;line-height:1.1;"
                "font-family:ui-monospace,monospace}</style>")  # fmt: skip
        st.caption(t("class.link"))
        st.code(link, language=None)
    right.image(qr_png(link), width=240, caption=t("class.qr"), alt=f"{t('class.qr')}: {link}")


# ---- the rows of the board ------------------------------------------------------------------------
def rows_of(board) -> list[dict]:
    """One plain dict per student: nickname, the reported settings and progress, the sweep value."""
    out = []
    for r in board.rows:
        report = dict(r.report or {})
        curve = np.array([[p[0], p[1]] for p in r.curve if p[1] is not None], dtype=float).reshape(-1, 2)
        out.append({**report, "name": r.nickname, "seat": r.seat, "value": r.sweep_value, "reported": r.reported,
                    "steps": curve[:, 0], "losses": curve[:, 1], "has_run": r.report is not None})  # fmt: skip
    return out


def status(row: dict) -> str:
    if not row["has_run"]:
        return "waiting"
    if row.get("diverged"):
        return "diverged"
    if row.get("solved_step") is not None:
        return "solved"
    return "training" if row.get("running") else "idle"


def table(rows: list[dict], lang: str, sweep: bool) -> list[dict]:
    out = []
    for r in rows:
        line = {t("class.col.name", lang): r["name"],
                t("class.col.setup", lang): summary(r) if r["has_run"] else "",
                t("class.col.step", lang): r.get("step"),
                t("class.col.loss", lang): None if r.get("loss_value") is None else round(r["loss_value"], 4),
                t("class.col.exact", lang): None if r.get("exact") is None else round(100 * r["exact"], 1),
                t("class.col.solved", lang): r.get("solved_step"),
                t("class.col.status", lang): t(f"class.status.{status(r)}", lang)}  # fmt: skip
        if sweep:
            line[t("class.col.value", lang)] = r.get("value")
        out.append(line)
    return out


def results_csv(rows: list[dict]) -> str:
    """The class's results: one line per student."""
    columns = ["name", "cell", "activation", "hidden", "layers", "optimizer", "lr", "batch", "bits", "loss",
               "step", "samples", "loss_value", "exact", "solved_step", "train_seconds", "value"]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return out.getvalue()


# ---- drawing it --------------------------------------------------------------------------------------
@dataclass
class Places:
    counts: Any
    best: Any
    table: Any
    curves: Any
    scatter: Any
    sweep: Any


def places() -> Places:
    counts, best, tab = st.empty(), st.empty(), st.empty()
    left, right = st.columns(2, gap="medium")
    return Places(counts, best, tab, left.empty(), right.empty(), st.empty())


def draw(cs: ClassState, p: Places, n: int = 0, shown=None):
    """One drawing of the board, unless nothing changed since the drawing `shown`; returns what it
    drew. n: the drawing's number in this script run (its charts' keys: a chart drawn again with
    the same figure in one run would otherwise have the same id)."""
    lang = current_language()
    board = store().board(cs.code, cs.key)
    what = (board.status, board.info, tuple((r.seat, r.nickname, r.reported) for r in board.rows), cs.axes, lang)
    if what == shown:
        return shown
    if board.status != "ok":
        p.counts.error(t("class.forbidden", lang) if board.status == "forbidden" else t("class.closed", lang))
        return what
    rows = rows_of(board)
    states = [status(r) for r in rows]
    with p.counts.container():
        a, b, c = st.columns(3)
        a.metric(t("class.joined_n", lang), len(rows))
        b.metric(t("class.training_n", lang), states.count("training"))
        c.metric(t("class.solved_n", lang), states.count("solved"))
    if not rows:
        p.best.info(t("class.empty", lang))
        return what
    solvers = [{**r, "solved_at": r["reported"]} for r in rows if r.get("solved_step") is not None]
    lines = []
    if (first := first_to_solve(solvers)) is not None:
        lines.append(t("class.first", lang, name=plain(first["name"]), setup=summary(first), step=first["solved_step"]))
    if (best := fastest(solvers)) is not None:
        lines.append(t("class.fastest", lang, name=plain(best["name"]), setup=summary(best), step=best["solved_step"]))
    p.best.markdown("  \n".join(lines) if lines else " ")
    sweep = board.info.sweep
    p.table.dataframe(table(rows, lang, sweep is not None), hide_index=True, width="stretch", key=f"class.table.{n}")
    curves = [{"name": r["name"], "steps": r["steps"], "losses": r["losses"]} for r in rows]
    band = curve_band([(c["steps"], c["losses"]) for c in curves])
    chart = dict(width="stretch", config={"displayModeBar": False})
    with p.curves.container():  # each chart after its sentence for screen readers
        a11y.chart_alt(alt_text.class_curves_alt(len(curves), band, states.count("solved"), lang), "class.curves")
        st.plotly_chart(styled(F.class_curves(curves, band, lang)), key=f"class.curves.{n}", **chart)
    x, y = cs.axes
    points = [r for r in rows if r["has_run"] and r.get(x) is not None and r.get(y) is not None]
    with p.scatter.container():
        named = [{"x": r[x], "y": r[y], "solved_step": r.get("solved_step")} for r in points]
        a11y.chart_alt(alt_text.class_scatter_alt(named, t(f"train.w.{x}", lang), t(f"train.w.{y}", lang), lang),
                       "class.scatter")  # fmt: skip
        st.plotly_chart(styled(F.settings_scatter(points, x, y, lang)), key=f"class.scatter.{n}", **chart)
    if sweep is not None:
        swept = [{"name": r["name"], "value": r["value"], "solved_step": r.get("solved_step")}
                 for r in rows if r["has_run"] and r["value"] is not None]  # fmt: skip
        summary_ = sweep_points([s["value"] for s in swept], [s["solved_step"] for s in swept])
        with p.sweep.container():
            a11y.chart_alt(alt_text.sweep_alt(summary_, t(f"train.w.{sweep.field}", lang), lang), "class.sweep")
            st.plotly_chart(styled(F.sweep_chart(swept, summary_, sweep.field, lang)), key=f"class.sweep.{n}", **chart)
    else:
        p.sweep.empty()
    return what


def loop(cs: ClassState, p: Places) -> None:
    """Draw the board now and then once a second, until the teacher clicks something."""
    rounds, shown = 0, None
    while cs.max_loops is None or rounds < cs.max_loops:
        start = time.perf_counter()
        shown = draw(cs, p, rounds, shown)
        rounds += 1
        if sleep_until(start + REFRESH):
            return


# ---- the teacher's controls ----------------------------------------------------------------------------
def controls(cs: ClassState, train: TrainState) -> None:
    lang = current_language()
    c1, c2 = st.columns(2)
    control(c1, "selectbox", t("class.axis.x", lang), name="class.axis.x", value=cs.axes[0], options=AXES,
            on_change=lambda v: setattr(cs, "axes", (v, cs.axes[1])), format_func=lambda f: t(f"train.w.{f}", lang))  # fmt: skip
    control(c2, "selectbox", t("class.axis.y", lang), name="class.axis.y", value=cs.axes[1], options=AXES,
            on_change=lambda v: setattr(cs, "axes", (cs.axes[0], v)), format_func=lambda f: t(f"train.w.{f}", lang))  # fmt: skip
    with st.expander(t("class.push.title", lang), expanded=True):
        st.caption(t("class.push.intro", lang))
        setup = setup_of(train)
        st.markdown(f"`{summary(setup['cfg'])}`")
        left, right = st.columns([0.5, 0.5], vertical_alignment="bottom")
        control(left, "segmented_control", t("class.push.mode", lang), name="class.push.mode", value=cs.push_mode,
                options=["suggest", "follow"], required=True, on_change=lambda m: setattr(cs, "push_mode", m),
                format_func=lambda m: t(f"class.push.mode.{m}", lang))  # fmt: skip
        if right.button(t("class.push.button", lang), key="class.push", type="primary", width="stretch"):
            store().push(cs.code, cs.key, setup, cs.push_mode)
            st.toast(t("class.push.sent", lang, setup=summary(setup["cfg"])), icon=":material/send:")
    with st.expander(t("class.sweep.title", lang)):
        sweep_controls(cs, lang)
    left, mid, right = st.columns(3)
    board = store().board(cs.code, cs.key, curves=False)
    rows = rows_of(board) if board.status == "ok" else []
    left.download_button(t("class.download", lang), data=lambda: results_csv(rows), file_name=f"class-{cs.code}.csv",
                         mime="text/csv", key="class.download", width="stretch", on_click="ignore")  # fmt: skip
    mid.button(t("class.clear", lang), key="class.clear", width="stretch", on_click=lambda: store().clear(cs.code, cs.key))
    right.button(t("class.close", lang), key="class.close", width="stretch", on_click=cs.close)


def sweep_controls(cs: ClassState, lang: str) -> None:
    st.caption(t("class.sweep.intro", lang))
    fields = [*SWEEPS, "cell"]
    control(st, "segmented_control", t("class.sweep.field", lang), name="class.sweep.field", value=cs.sweep_field,
            options=fields, required=True, on_change=lambda f: setattr(cs, "sweep_field", f),
            format_func=lambda f: t(f"train.w.{f}", lang))  # fmt: skip
    field = cs.sweep_field
    if field == "cell":
        values = list(CELL_SWEEP)
    else:
        low, high, n, log, whole, (lo, hi) = SWEEPS[field]
        a, b, c = st.columns(3)
        kind = dict(min_value=lo, max_value=hi) if whole else dict(min_value=float(lo), max_value=float(hi), format="%g")
        low = a.number_input(t("class.sweep.from", lang), value=low, key=f"class.sweep.from.{field}", **kind)
        high = b.number_input(t("class.sweep.to", lang), value=high, key=f"class.sweep.to.{field}", **kind)
        n = c.number_input(t("class.sweep.points", lang), value=n, min_value=2, max_value=12, key=f"class.sweep.n.{field}")
        values = sweep_grid(min(low, high), max(low, high), n, log=log, whole=whole)
    st.caption(", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values))
    left, right = st.columns(2)
    if left.button(t("class.sweep.button", lang), key="class.sweep", type="primary", width="stretch"):
        store().sweep(cs.code, cs.key, field, values)
    right.button(t("class.sweep.stop", lang), key="class.sweep.stop", width="stretch",
                 on_click=lambda: store().clear_sweep(cs.code, cs.key))  # fmt: skip

"""What the Digits page shows of its state: live metrics, status and curve, the digit picker and
its row-by-row reading, the mistakes (confusion matrix -> images) and a digit to draw.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnn.classifier import TARGET_ACCURACY, ClassifierTrainer
from rnn.digits import DigitData, drawing_to_grid, ink_from_rgba
from rnn.run import Snapshot
from rnn_app.digits.figures import confusion_figure, digits_curve, row_reveal, thumbnails
from rnn_app.digits.state import DigitsState
from rnn_app.ui import a11y, alt_text, diverged
from rnn_app.ui.live import Metric, Status
from rnn_app.ui.plotting import update_learning_curve
from rnn_app.ui.strings import current_language, t
from rnn_app.ui.view import chart_style, styled
from rnn_app.ui.widgets import control

MAX_THUMBS = 16  # thumbnails shown for one mistakes cell


# ---- live metrics, status, chart ----------------------------------------------------------------------
def metrics(state: DigitsState, snap: Snapshot) -> list[Metric]:
    ev = snap.evaluation
    trainer = state.run.trainer
    n_train = trainer.data.train_labels.size
    speed = f" · {t('digits.metric.rate')}: {snap.rate:,.0f}" if snap.rate else ""
    return [
        Metric(t("digits.metric.step"), f"{snap.step:,}",
               t("digits.help.epochs", n=f"{n_train:,}") + f" {t('digits.metric.epochs')}: {trainer.epochs}{speed}"),
        Metric(t("digits.metric.loss"), "–" if snap.loss is None else f"{snap.loss:.3f}", t("digits.help.loss")),
        Metric(t("digits.metric.test_acc"), f"{100 * ev.accuracy:.1f} %" if ev else "–",
               t("digits.help.test_acc", n=ev.n) if ev else None),
    ]  # fmt: skip


def status(snap: Snapshot) -> Status | None:
    if snap.diverged:
        return Status("error", t("digits.status.diverged", reason=diverged.reason(snap.diverged)))
    if snap.solved_step is not None:
        return Status("success", t("digits.status.reached", target=f"{TARGET_ACCURACY:.0%}", step=snap.solved_step))
    return None


def curve_alt(snap: Snapshot) -> str:
    """The loss / test-accuracy chart in one sentence for screen readers (rnn_app.ui.alt_text)."""
    ev = snap.evaluation
    return alt_text.curve_alt(snap.step, snap.loss, ev.accuracy if ev else None, None,
                              diverged=bool(snap.diverged), lang=current_language())  # fmt: skip


def curve(state: DigitsState):
    """The live learning curve, built (and styled) once per model, language, solved step and chart
    style and kept in the page state; later updates only replace its data."""
    trainer = state.run.trainer
    steps, losses = trainer.history.loss_series()
    key = (id(trainer), current_language(), trainer.solved_step, len(steps) > 0, chart_style())
    if state.curve is not None and state.curve[0] == key:
        eval_steps, acc, _ = trainer.history.eval_series()
        return update_learning_curve(state.curve[1], steps, losses, eval_steps, acc)
    fig = styled(digits_curve(trainer.history, trainer.solved_step, current_language()))
    state.curve = (key, fig)
    return fig


def celebrate(snap: Snapshot) -> str:
    return t("digits.celebrate", target=f"{TARGET_ACCURACY:.0%}", step=snap.solved_step)


# ---- the digit shown ----------------------------------------------------------------------------------
def pick_index(state: DigitsState) -> int:
    """Number input (test image no.) with Random and Next-mistake buttons; returns the index."""
    n_test = state.data.test_labels.size
    if state.index >= n_test:
        state.index = 0
        state.index_version += 1
    c1, c2, c3 = st.columns([0.4, 0.3, 0.3], vertical_alignment="bottom")
    control(c1, "number_input", t("digits.pick.index"), name="digits.index", value=state.index,
            version=state.index_version, on_change=state.set_index, min_value=0, max_value=n_test - 1, step=1,
            help=t("digits.pick.help", last=n_test - 1))  # fmt: skip
    c2.button(t("digits.pick.random"), on_click=state.random_index, width="stretch", key="digits.random")
    c3.button(t("digits.pick.next_wrong"), on_click=state.next_mistake, width="stretch", key="digits.next_wrong")
    return state.index


def result_line(index: int, probs: np.ndarray, label: int) -> str:
    guess = int(np.argmax(probs))
    mark = t("digits.result.right") if guess == label else t("digits.result.wrong")
    return t("digits.result", index=index, guess=guess, p=f"{probs[guess]:.0%}", label=label, mark=mark)


def reading_figure(trainer: ClassifierTrainer, image: np.ndarray, label: int | None):
    """(row-reveal figure, final probabilities, the figure's sentence for screen readers) for one
    image: one forward pass, rows from its cache."""
    probs = trainer.row_probabilities(image)[:, 0]  # (T, 10)
    lang = current_language()
    return row_reveal(image, probs, label, trainer.data.max_value, lang), probs[-1], alt_text.reading_alt(probs, label, lang)


def attribution(data: DigitData) -> str:
    if data.name == "mnist":
        return t("digits.attribution_mnist")
    return t("digits.attribution", train=f"{data.train_labels.size:,}", test=f"{data.test_labels.size:,}")


# ---- mistakes: confusion matrix -> images ---------------------------------------------------------------
def mistake_cells(confusion: np.ndarray) -> list[str]:
    """Non-empty off-diagonal cells as "true,pred", most frequent first."""
    off = confusion.copy()
    np.fill_diagonal(off, 0)
    ti, pi = np.nonzero(off)
    order = np.argsort(-off[ti, pi], kind="stable")
    return [f"{ti[k]},{pi[k]}" for k in order]


def _on_confusion_click(state: DigitsState, key: str) -> None:
    event = st.session_state.get(key)
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if points and points[0].get("customdata") is not None:
        i, j = (int(v) for v in points[0]["customdata"])
        state.show_cell(f"{i},{j}")


def mistakes_section(state: DigitsState) -> None:
    """Confusion matrix (click a red cell) and the test images of the chosen cell."""
    lang = current_language()
    trainer = state.run.trainer
    ev = trainer.evaluate()
    cells = mistake_cells(ev.confusion)
    if state.cell not in cells:  # training moved on: the most frequent mistake
        state.cell = cells[0] if cells else None
        state.cell_version += 1
    selected = tuple(int(v) for v in state.cell.split(",")) if state.cell else None
    left, right = st.columns([0.45, 0.55], gap="medium")
    with left:
        st.caption(t("digits.mistakes.caption"))
        key = "digits.confusion"
        st.plotly_chart(styled(confusion_figure(ev.confusion, lang, selected)), key=key, selection_mode="points",
                        on_select=lambda: _on_confusion_click(state, key), width="stretch",
                        config={"displayModeBar": False})  # fmt: skip
    with right:
        if not cells:
            st.success(t("digits.mistakes.none"))
            return
        counts = {c: int(ev.confusion[int(c.split(",")[0]), int(c.split(",")[1])]) for c in cells}
        control(st, "selectbox", t("digits.mistakes.pick"), name="digits.mistake", value=state.cell,
                version=state.cell_version, on_change=lambda c: state.show_cell(c, picked=True), options=cells,
                format_func=lambda c: t("digits.mistakes.option", lang, true=c.split(",")[0], pred=c.split(",")[1],
                                        n=counts[c]))  # fmt: skip
        idx = state.cell_images(state.cell)[:MAX_THUMBS]
        i, j = selected
        st.caption(t("digits.mistakes.images", true=i, pred=j, index=state.index))
        captions = [t("digits.mistakes.thumb", index=int(k)) for k in idx]
        st.plotly_chart(styled(thumbnails(trainer.data.test_images[idx], trainer.data.max_value, captions, per_row=8)),
                        width="stretch", config={"displayModeBar": False, "staticPlot": True})  # fmt: skip


def section_picker(state: DigitsState) -> str:
    """Mistakes | Draw a digit (a segmented control: only the chosen section is drawn)."""
    lang = current_language()
    control(st, "segmented_control", t("digits.section"), name="digits.section", value=state.section,
            on_change=state.set_section, options=["mistakes", "draw"], format_func=lambda s: t(f"digits.tab.{s}", lang),
            required=True, label_visibility="collapsed")  # fmt: skip
    return state.section


# ---- drawing ----------------------------------------------------------------------------------------------
def draw_section(state: DigitsState) -> None:
    """A canvas (streamlit-drawable-canvas) whose drawing is shrunk to the model's grid and read."""
    trainer = state.run.trainer
    data = trainer.data
    try:
        from streamlit_drawable_canvas import st_canvas
    except ImportError:
        st.info(t("digits.draw.unavailable"))
        return
    left, right = st.columns([0.32, 0.68], gap="medium")
    right.caption(t("digits.draw.caption", rows=data.rows, cols=data.cols))
    with left:
        st.write("")  # room for the canvas's floating toolbar
        result = st_canvas(stroke_width=22 if data.name != "mnist" else 16, stroke_color="#ffffff",
                           background_color="#000000", height=224, width=224, drawing_mode="freedraw",
                           return_image_data=True, key="digits.canvas")  # fmt: skip
    rgba = result.image_data if result is not None else None
    style = "mnist" if data.name == "mnist" else "uci"
    image = (
        drawing_to_grid(ink_from_rgba(rgba), data.rows, data.cols, data.max_value, style)
        if rgba is not None
        else np.zeros((data.rows, data.cols), np.uint8)
    )
    with right:
        if not image.any():
            st.info(t("digits.draw.empty"))
            return
        fig, probs, alt = reading_figure(trainer, image, None)
        a11y.chart_alt(alt, "digits.drawn")
        st.plotly_chart(styled(fig), key="digits.draw_anim", width="stretch", config={"displayModeBar": False})
        guess = int(np.argmax(probs))
        st.markdown(t("digits.draw.result", guess=guess, p=f"{probs[guess]:.0%}"))

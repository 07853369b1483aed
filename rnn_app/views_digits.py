"""View functions of the Digits page: settings, data source, live metrics, digit picker, mistakes,
drawing. Widgets return plain values; what a changed config does to the trainer is `apply_config`
(no streamlit, unit-testable).

Session state (per viewer):
    digits.trainer   the viewer's ClassifierTrainer        digits.data     MNIST DigitData, if loaded
    digits.w.<field> settings widgets                       digits.index    the test image shown
    digits.cell      "true,pred" mistakes cell shown        digits.running  (rnn_app.live) ...
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import streamlit as st

from rnn.classifier import (
    CLASSIFIER_CELLS,
    TARGET_ACCURACY,
    ClassifierConfig,
    ClassifierTrainer,
    tensorflow_preset,
)
from rnn.digits import (
    DigitData,
    drawing_to_grid,
    ink_from_rgba,
    load_digits8x8,
    load_mnist_folder,
    mnist_from_files,
    mnist_role,
)
from rnn_app import live
from rnn_app.figures_digits import confusion_figure, digits_curve, row_reveal, thumbnails
from rnn_app.strings import current_language, t

PREFIX = "digits"  # session-state namespace (live loop keys: digits.running, ...)
FIELDS = ("cell", "hidden", "layers", "lr", "batch", "clip", "seed")  # config fields with a widget
HIDDEN = (8, 16, 32, 64, 128, 256)
LR_GRID = (0.0003, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.3, 1.0)
BATCHES = (8, 16, 32, 64, 128, 256, 512)
PRESETS = {"default": ClassifierConfig, "tensorflow": tensorflow_preset}
BUDGET = 0.1  # seconds of training per live update (4 updates/s)
MNIST_TEST = 1000  # test images evaluated live on MNIST (of 10 000)
MAX_THUMBS = 16  # thumbnails shown for one mistakes cell
DEFAULT_INDEX = 7  # a 3 whose top half looks like a 9: a trained model changes its mind at row 7
CELL_NAMES = {"lstm": "LSTM", "gru": "GRU", "rnn": "RNN"}


def key(name: str) -> str:
    return f"{PREFIX}.{name}"


def wkey(field: str) -> str:
    return f"{PREFIX}.w.{field}"


# ---- the viewer's trainer and data ----------------------------------------------------------------
def current_data() -> DigitData:
    return st.session_state.get(key("data")) or load_digits8x8()


def get_trainer() -> ClassifierTrainer:
    """This viewer's digits trainer, created with the default config on first use."""
    if key("trainer") not in st.session_state:
        st.session_state[key("trainer")] = ClassifierTrainer(ClassifierConfig(), current_data())
    return st.session_state[key("trainer")]


def set_trainer(trainer: ClassifierTrainer) -> None:
    st.session_state[key("trainer")] = trainer


def apply_config(trainer: ClassifierTrainer, cfg: ClassifierConfig) -> tuple[ClassifierTrainer, list[str]]:
    """The Digits page's rules for a changed config: see live.apply_config (a new trainer keeps
    the loaded data)."""
    return live.apply_config(trainer, cfg, lambda c: ClassifierTrainer(c, trainer.data))

def config_from_state(state, base: ClassifierConfig) -> ClassifierConfig:
    return base.replace(**{f: state[wkey(f)] for f in FIELDS if wkey(f) in state})


def matching_preset(cfg: ClassifierConfig) -> str | None:
    return next((pid for pid, make in PRESETS.items() if make() == cfg.replace(dtype=make().dtype)), None)


# ---- sidebar: settings ------------------------------------------------------------------------------
def sync_widgets(cfg: ClassifierConfig, force: bool = False) -> None:
    """Give every settings widget the trainer's value if it has none (first run, or back from
    another page: Streamlit forgets widgets that were not drawn)."""
    for f in FIELDS:
        if force or wkey(f) not in st.session_state:
            st.session_state[wkey(f)] = getattr(cfg, f)
    if not force:
        st.session_state[wkey("preset")] = matching_preset(config_from_state(st.session_state, cfg))


def _on_preset() -> None:
    pid = st.session_state.get(wkey("preset"))
    if pid in PRESETS:
        sync_widgets(PRESETS[pid](), force=True)


def settings_sidebar(cfg: ClassifierConfig) -> tuple[ClassifierConfig | None, str | None]:
    """The model settings in the sidebar. Returns (config the widgets describe, None) or (None, error)."""
    sync_widgets(cfg)
    lang = current_language()
    sb = st.sidebar
    sb.subheader(t("digits.settings"))
    sb.selectbox(t("digits.w.preset"), list(PRESETS), key=wkey("preset"), on_change=_on_preset, index=None,
                 format_func=lambda p: t(f"digits.preset.{p}", lang), placeholder=t("digits.preset.custom"),
                 help=t("digits.help.preset"))  # fmt: skip
    rebuild = t("digits.help.rebuild")
    c1, c2 = sb.columns(2)
    c1.selectbox(t("digits.w.cell"), CLASSIFIER_CELLS, key=wkey("cell"), format_func=CELL_NAMES.get, help=rebuild)
    c2.selectbox(t("digits.w.layers"), (1, 2, 3), key=wkey("layers"), help=rebuild)
    hidden = sorted(set(HIDDEN) | {int(st.session_state[wkey("hidden")])})
    sb.select_slider(t("digits.w.hidden"), hidden, key=wkey("hidden"), help=rebuild)
    lrs = sorted(set(LR_GRID) | {float(st.session_state[wkey("lr")])})
    sb.select_slider(t("digits.w.lr"), lrs, key=wkey("lr"), format_func=lambda v: f"{v:g}")
    batches = sorted(set(BATCHES) | {int(st.session_state[wkey("batch")])})
    sb.select_slider(t("digits.w.batch"), batches, key=wkey("batch"))
    c1, c2 = sb.columns(2)
    c1.number_input(t("digits.w.clip"), min_value=0.0, max_value=1e6, step=1.0, key=wkey("clip"))
    c2.number_input(t("digits.w.seed"), min_value=0, max_value=2**31 - 1, step=1, key=wkey("seed"), help=rebuild)
    try:
        return config_from_state(st.session_state, cfg), None
    except ValueError as e:
        return None, str(e)


# ---- sidebar: data source ---------------------------------------------------------------------------
def _use_data(data: DigitData) -> None:
    """Switch this viewer to `data` with a new model of the current config (MNIST: the live test
    accuracy uses the first MNIST_TEST test images)."""
    if data.name == "mnist":
        data = dataclasses.replace(data, test_images=data.test_images[:MNIST_TEST], test_labels=data.test_labels[:MNIST_TEST])
        st.session_state[key("data")] = data
    else:
        st.session_state.pop(key("data"), None)
    st.session_state[key("running")] = False  # rnn_app.live's running flag of this page
    set_trainer(ClassifierTrainer(get_trainer().cfg, data))
    st.session_state[key("index")] = 0
    st.session_state.pop(key("cell"), None)
    st.session_state.pop(key("data_error"), None)


def _on_folder() -> None:
    try:
        _use_data(load_mnist_folder(st.session_state.get(key("folder"), "").strip()))
    except ValueError as e:
        st.session_state[key("data_error")] = str(e)


def _on_upload() -> None:
    files = st.session_state.get(key("upload")) or []
    by_role = {mnist_role(f.name): f for f in files if mnist_role(f.name)}
    if len(by_role) < 4 and len(files) < 4:
        return  # wait for all four files
    try:
        _use_data(mnist_from_files(by_role))
    except ValueError as e:
        st.session_state[key("data_error")] = str(e)


def data_sidebar(data: DigitData) -> None:
    """Which images: the built-in 8x8 digits, or MNIST from a folder / four uploaded IDX files."""
    with st.sidebar.expander(t("digits.data.title"), expanded=data.name == "mnist"):
        if data.name == "mnist":
            st.success(t("digits.data.loaded", train=f"{data.train_labels.size:,}", test=f"{data.test_labels.size:,}"))
            st.button(t("digits.data.use_bundled"), on_click=_use_data, args=(load_digits8x8(),))
        else:
            st.caption(t("digits.data.bundled"))
        st.text_input(t("digits.data.folder"), key=key("folder"), help=t("digits.data.folder_help"))
        st.button(t("digits.data.load_folder"), on_click=_on_folder)
        st.file_uploader(t("digits.data.upload"), accept_multiple_files=True, key=key("upload"), on_change=_on_upload)
        if st.session_state.get(key("data_error")):
            st.error(t("digits.data.error", reason=st.session_state[key("data_error")]))


# ---- live metrics, status, chart ----------------------------------------------------------------------
def evaluate_paced(trainer: ClassifierTrainer):
    """trainer.evaluate(), paced while training runs: if the last real evaluation took c seconds,
    the next waits 3c (at most ~25 % of the time goes to evaluating; the 8x8 test set takes
    milliseconds, MNIST_TEST images with 256 units about half a second). Paused: always."""
    running = bool(st.session_state.get(key("running")))
    last = st.session_state.get(key("last_eval"))
    cost = st.session_state.get(key("eval_cost"), 0.0)
    now = time.perf_counter()
    fresh = last is None or last[0] != id(trainer) or last[1].step > trainer.steps  # new or reset model
    if not running or fresh or now - st.session_state.get(key("eval_at"), 0.0) >= 3 * cost:
        ev = trainer.evaluate()
        took = time.perf_counter() - now
        if took > 1e-3:  # a real evaluation, not the cached one
            st.session_state[key("eval_cost")], st.session_state[key("eval_at")] = took, time.perf_counter()
        st.session_state[key("last_eval")] = (id(trainer), ev)
        return ev
    return last[1]


def metrics(trainer: ClassifierTrainer, rate: float | None) -> list[live.Metric]:
    ev = evaluate_paced(trainer)
    _, losses = trainer.history.loss_series()
    loss = f"{losses[-1]:.3f}" if len(losses) and np.isfinite(losses[-1]) else "–"
    n_train = trainer.data.train_labels.size
    speed = f" · {t('digits.metric.rate')}: {rate:,.0f}" if rate else ""
    return [
        live.Metric(t("digits.metric.step"), f"{trainer.steps:,}",
                    t("digits.help.epochs", n=f"{n_train:,}") + f" {t('digits.metric.epochs')}: {trainer.epochs}{speed}"),
        live.Metric(t("digits.metric.loss"), loss, t("digits.help.loss")),
        live.Metric(t("digits.metric.test_acc"), f"{100 * ev.accuracy:.1f} %", t("digits.help.test_acc", n=ev.n)),
    ]  # fmt: skip


def status(trainer: ClassifierTrainer) -> live.Status | None:
    if trainer.diverged:
        return live.Status("error", t("digits.status.diverged", reason=trainer.diverged))
    if trainer.solved:
        return live.Status("success", t("digits.status.reached", target=f"{TARGET_ACCURACY:.0%}", step=trainer.solved_step))
    return None


def curve(trainer: ClassifierTrainer):
    return digits_curve(trainer.history, trainer.solved_step, current_language())


def celebrate(trainer: ClassifierTrainer) -> str:
    return t("digits.celebrate", target=f"{TARGET_ACCURACY:.0%}", step=trainer.solved_step)


# ---- the digit shown ----------------------------------------------------------------------------------
def _on_random(n: int) -> None:
    st.session_state[key("index")] = int(np.random.default_rng().integers(n))


def _on_next_wrong() -> None:
    trainer = get_trainer()
    wrong = np.flatnonzero(trainer.evaluate().predicted != trainer.data.test_labels)
    if wrong.size:
        current = int(st.session_state.get(key("index"), 0))
        later = wrong[wrong > current]
        st.session_state[key("index")] = int(later[0] if later.size else wrong[0])


def pick_index(n_test: int) -> int:
    """Number input (test image no.) with Random and Next-mistake buttons; returns the index."""
    if key("index") not in st.session_state or st.session_state[key("index")] >= n_test:
        st.session_state[key("index")] = DEFAULT_INDEX if n_test > DEFAULT_INDEX else 0
    c1, c2, c3 = st.columns([0.4, 0.3, 0.3], vertical_alignment="bottom")
    c1.number_input(t("digits.pick.index"), 0, n_test - 1, step=1, key=key("index"),
                    help=t("digits.pick.help", last=n_test - 1))  # fmt: skip
    c2.button(t("digits.pick.random"), on_click=_on_random, args=(n_test,), width="stretch")
    c3.button(t("digits.pick.next_wrong"), on_click=_on_next_wrong, width="stretch")
    return int(st.session_state[key("index")])


def result_line(index: int, probs: np.ndarray, label: int) -> str:
    guess = int(np.argmax(probs))
    mark = t("digits.result.right") if guess == label else t("digits.result.wrong")
    return t("digits.result", index=index, guess=guess, p=f"{probs[guess]:.0%}", label=label, mark=mark)


def reading_figure(trainer: ClassifierTrainer, image: np.ndarray, label: int | None):
    """(row-reveal figure, final probabilities) for one image: one forward pass, rows from its cache."""
    probs = trainer.row_probabilities(image)[:, 0]  # (T, 10)
    return row_reveal(image, probs, label, trainer.data.max_value, current_language()), probs[-1]


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


def _cell_images(trainer: ClassifierTrainer, cell: str) -> np.ndarray:
    i, j = (int(v) for v in cell.split(","))
    ev = trainer.evaluate()
    return np.flatnonzero((trainer.data.test_labels == i) & (ev.predicted == j))


def _show_cell(cell: str | None) -> None:
    if cell:
        idx = _cell_images(get_trainer(), cell)
        if idx.size:
            st.session_state[key("index")] = int(idx[0])


def _on_confusion_click() -> None:
    event = st.session_state.get(key("confusion"))
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if points and points[0].get("customdata") is not None:
        i, j = (int(v) for v in points[0]["customdata"])
        st.session_state[key("cell")] = f"{i},{j}"
        _show_cell(st.session_state[key("cell")])


def _on_cell_pick() -> None:
    _show_cell(st.session_state.get(key("cell")))


def mistakes_section(trainer: ClassifierTrainer) -> None:
    """Confusion matrix (click a red cell) and the test images of the chosen cell."""
    lang = current_language()
    ev = trainer.evaluate()
    cells = mistake_cells(ev.confusion)
    if st.session_state.get(key("cell")) not in cells:
        st.session_state[key("cell")] = cells[0] if cells else None
    cell = st.session_state[key("cell")]
    selected = tuple(int(v) for v in cell.split(",")) if cell else None
    left, right = st.columns([0.45, 0.55], gap="medium")
    with left:
        st.caption(t("digits.mistakes.caption"))
        st.plotly_chart(confusion_figure(ev.confusion, lang, selected), key=key("confusion"), on_select=_on_confusion_click,
                        selection_mode="points", width="stretch", config={"displayModeBar": False})  # fmt: skip
    with right:
        if not cells:
            st.success(t("digits.mistakes.none"))
            return
        counts = {c: int(ev.confusion[int(c.split(",")[0]), int(c.split(",")[1])]) for c in cells}
        st.selectbox(t("digits.mistakes.pick"), cells, key=key("cell"), on_change=_on_cell_pick,
                     format_func=lambda c: t("digits.mistakes.option", lang, true=c.split(",")[0], pred=c.split(",")[1],
                                             n=counts[c]))  # fmt: skip
        idx = _cell_images(trainer, cell)[:MAX_THUMBS]
        i, j = selected
        st.caption(t("digits.mistakes.images", true=i, pred=j, index=st.session_state.get(key("index"), 0)))
        captions = [t("digits.mistakes.thumb", index=int(k)) for k in idx]
        st.plotly_chart(thumbnails(trainer.data.test_images[idx], trainer.data.max_value, captions, per_row=8),
                        width="stretch", config={"displayModeBar": False, "staticPlot": True})  # fmt: skip


def section_picker() -> str:
    """Mistakes | Draw a digit (a segmented control: only the chosen section is drawn)."""
    if not st.session_state.get(key("section")):
        st.session_state[key("section")] = "mistakes"
    lang = current_language()
    st.segmented_control(t("digits.section"), ["mistakes", "draw"], key=key("section"),
                         format_func=lambda s: t(f"digits.tab.{s}", lang), label_visibility="collapsed")  # fmt: skip
    return st.session_state[key("section")] or "mistakes"


# ---- drawing ----------------------------------------------------------------------------------------------
def draw_section(trainer: ClassifierTrainer) -> None:
    """A canvas (streamlit-drawable-canvas) whose drawing is shrunk to the model's grid and read."""
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
                           return_image_data=True, key=key("canvas"))  # fmt: skip
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
        fig, probs = reading_figure(trainer, image, None)
        st.plotly_chart(fig, key=key("draw_anim"), width="stretch", config={"displayModeBar": False})
        guess = int(np.argmax(probs))
        st.markdown(t("digits.draw.result", guess=guess, p=f"{probs[guess]:.0%}"))

"""The Digits page's sidebar: the model settings and the data source (bundled 8x8 digits or MNIST).

Every widget shows the page state's value and changes it through DigitsState's methods.
"""

from __future__ import annotations

import streamlit as st

from rnn.classifier import CLASSIFIER_CELLS
from rnn.digits import load_digits8x8, load_mnist_folder, mnist_from_files, mnist_role
from rnn_app.digits.state import PRESETS, DigitsState, matching_preset
from rnn_app.ui import view
from rnn_app.ui.strings import current_language, t
from rnn_app.ui.widgets import control, widget_key

HIDDEN = (8, 16, 32, 64, 128, 256)
LR_GRID = (0.0003, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.3, 1.0)
BATCHES = (8, 16, 32, 64, 128, 256, 512)
CELL_NAMES = {"lstm": "LSTM", "gru": "GRU", "rnn": "RNN"}


def settings_sidebar(state: DigitsState) -> None:
    """The model settings. A change is applied before the page is drawn (rnn.run.Run.apply)."""
    lang = current_language()
    cfg, v = state.run.cfg, state.version

    def setting(where, kind, name, **kw):
        if view.hidden(name):  # a teacher's link hides it
            return
        control(where, kind, t(f"digits.w.{name}"), name=f"digits.w.{name}", value=getattr(cfg, name), version=v,
                on_change=lambda value: state.set_setting(name, value), **kw)  # fmt: skip

    sb = st.sidebar
    sb.subheader(t("digits.settings"))
    preset = matching_preset(cfg)
    if not view.hidden("preset"):
        control(sb, "selectbox", t("digits.w.preset"), name=f"digits.preset.{preset}", value=preset, version=v,
                on_change=state.set_preset, options=list(PRESETS), format_func=lambda p: t(f"digits.preset.{p}", lang),
                placeholder=t("digits.preset.custom"), help=t("digits.help.preset"))  # fmt: skip
    rebuild = t("digits.help.rebuild")
    c1, c2 = sb.columns(2)
    setting(c1, "selectbox", "cell", options=CLASSIFIER_CELLS, format_func=CELL_NAMES.get, help=rebuild)
    setting(c2, "selectbox", "layers", options=(1, 2, 3), help=rebuild)
    setting(sb, "select_slider", "hidden", options=sorted(set(HIDDEN) | {cfg.hidden}), help=rebuild)
    setting(sb, "select_slider", "lr", options=sorted(set(LR_GRID) | {cfg.lr}), format_func=lambda x: f"{x:g}")
    setting(sb, "select_slider", "batch", options=sorted(set(BATCHES) | {cfg.batch}))
    c1, c2 = sb.columns(2)
    setting(c1, "number_input", "clip", min_value=0.0, max_value=1e6, step=1.0)
    setting(c2, "number_input", "seed", min_value=0, max_value=2**31 - 1, step=1, help=rebuild)


# ---- the data source --------------------------------------------------------------------------------
def _load_folder(state: DigitsState, folder: str) -> None:
    state.folder = folder
    try:
        state.use_data(load_mnist_folder(folder.strip()))
    except ValueError as e:
        state.data_error = str(e)


def _upload(state: DigitsState, files) -> None:
    by_role = {mnist_role(f.name): f for f in files or [] if mnist_role(f.name)}
    if len(by_role) < 4 and len(files or []) < 4:
        return  # wait for all four files
    try:
        state.use_data(mnist_from_files(by_role))
    except ValueError as e:
        state.data_error = str(e)


def data_sidebar(state: DigitsState) -> None:
    """Which images: the built-in 8x8 digits, or MNIST from a folder / four uploaded IDX files."""
    data = state.data
    with st.sidebar.expander(t("digits.data.title"), expanded=data.name == "mnist"):
        if data.name == "mnist":
            st.success(t("digits.data.loaded", train=f"{data.train_labels.size:,}", test=f"{data.test_labels.size:,}"))
            st.button(t("digits.data.use_bundled"), on_click=lambda: state.use_data(load_digits8x8()))
        else:
            st.caption(t("digits.data.bundled"))
        control(st, "text_input", t("digits.data.folder"), name="digits.folder", value=state.folder,
                on_change=lambda text: setattr(state, "folder", text), help=t("digits.data.folder_help"))  # fmt: skip
        # the box's text as it is now: typing then clicking Load sends both in one rerun
        typed = lambda: st.session_state.get(widget_key("digits.folder"), state.folder)  # noqa: E731
        st.button(t("digits.data.load_folder"), on_click=lambda: _load_folder(state, typed()))
        key = "digits.upload"
        st.file_uploader(t("digits.data.upload"), accept_multiple_files=True, key=key,
                         on_change=lambda: _upload(state, st.session_state.get(key)))  # fmt: skip
        if state.data_error:
            st.error(t("digits.data.error", reason=state.data_error))

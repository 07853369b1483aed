"""Export and import: download the model (.npz) and the learning curve (.csv), upload a model to
train it on. Used by the Train and Digits pages (each says how to write and read its run).

An upload is read by the engine's loader (rnn.saveload: size and zip-bomb limits, no pickles, the
keys, shapes and dtypes its config implies) before anything changes: a refused file gets its
reason next to the uploader and the run in use stays as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import streamlit as st

from rnn.history import History
from rnn_app.ui.strings import t

MAX_UPLOAD_MB = 16  # the uploader refuses bigger files itself; the loader checks again


def curve_csv(history: History, columns: tuple[str, str, str]) -> str:
    """The learning curve as CSV: step, then the loss and the two accuracies (blank where a step
    was not evaluated), under the page's own column names."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["step", *columns])
    for r in history.records():
        writer.writerow([r.step, *("" if v is None else f"{v:.6g}" for v in (r.loss, r.exact, r.bit))])
    return out.getvalue()


def sidebar(state, name: str, stem: str, columns: tuple[str, str, str]) -> None:
    """The save / load expander of a page whose state has run, model_bytes(), load_model(data)
    and upload (error, done); columns: the curve's column names."""
    section(st.sidebar, name=name, stem=f"{stem}-step{state.run.trainer.steps}", model=state.model_bytes,
            curve=lambda: curve_csv(state.run.trainer.history, columns), load=state.load_model,
            error=state.upload[0], done=state.upload[1])  # fmt: skip


def section(where, *, name: str, stem: str, model: Callable[[], bytes], curve: Callable[[], str],
            load: Callable[[bytes], None], error: str | None, done: str | None) -> None:  # fmt: skip
    """The save / load expander in `where` (the sidebar). name: the page ("train", "digits") for
    keys; stem: the downloaded files' name; model(), curve(): the files' contents, made only when
    downloaded; load(data): called with an uploaded file's bytes (it reports through error/done)."""
    # on_click="ignore": a download changes nothing, and a rerun would replace the other button's
    # deferred file while a quick second click asks for it (no download then)
    with where.expander(t("transfer.title")):
        st.download_button(t("transfer.model"), data=model, file_name=f"{stem}.npz", mime="application/octet-stream",
                           key=f"{name}.download_model", help=t("transfer.model.help"), width="stretch",
                           on_click="ignore")  # fmt: skip
        st.download_button(t("transfer.curve"), data=curve, file_name=f"{stem}-curve.csv", mime="text/csv",
                           key=f"{name}.download_curve", width="stretch", on_click="ignore")  # fmt: skip
        key = f"{name}.upload_model"

        def uploaded() -> None:
            file = st.session_state.get(key)
            if file is not None:
                load(file.getvalue())

        st.file_uploader(t("transfer.upload"), type=["npz"], key=key, on_change=uploaded, max_upload_size=MAX_UPLOAD_MB,
                         help=t("transfer.upload.help", mb=MAX_UPLOAD_MB))  # fmt: skip
        if error:
            st.error(t("transfer.refused", reason=error))
        elif done:
            st.success(done)

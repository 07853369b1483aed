"""The Digits page's per-viewer state: one typed object under one session key ("digits").

The run (an LSTM reading digits row by row) is an rnn.run.Run like the Train page's; its data
(the bundled 8x8 digits or MNIST the viewer loaded) is the run's trainer's. Every widget of the
page shows a value of this object and changes it only through its methods.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass, field

import numpy as np

from rnn.classifier import ClassifierConfig, ClassifierTrainer, tensorflow_preset
from rnn.digits import DigitData, load_digits8x8
from rnn.run import Pacing, Run
from rnn.saveload import to_bytes
from rnn_app.ui.live import Loop
from rnn_app.ui.strings import t
from rnn_app.ui.widgets import page_state

KEY = "digits"  # the session key of this object
PRESETS = {"default": ClassifierConfig, "tensorflow": tensorflow_preset}
MNIST_TEST = 1000  # test images evaluated live on MNIST (of 10 000)
DEFAULT_INDEX = 7  # a 3 whose top half looks like a 9: a trained model changes its mind at row 7
# A full evaluation at most every 3x its own cost (the 8x8 test set takes milliseconds, MNIST_TEST
# images with 256 units about half a second); an untrained model too (chance level, ~10 %).
PACING = Pacing(share=0.25, max_cost=float("inf"), busy_gap=0.0, untrained=True)


def run_of(trainer: ClassifierTrainer) -> Run:
    """The page's Run of a trainer: a new model keeps the trainer's images."""
    return Run(trainer, rebuild=lambda cfg: ClassifierTrainer(cfg, trainer.data), pacing=PACING)


def new_run(cfg: ClassifierConfig | None = None, data: DigitData | None = None) -> Run:
    return run_of(ClassifierTrainer(cfg or ClassifierConfig(), data if data is not None else load_digits8x8()))


def matching_preset(cfg: ClassifierConfig) -> str | None:
    return next((pid for pid, make in PRESETS.items() if make() == cfg.replace(dtype=make().dtype)), None)


@dataclass
class DigitsState:
    run: Run = field(default_factory=new_run)  # the viewer's digits run (and its data)
    loop: Loop = field(default_factory=Loop)  # the live loop's bookkeeping
    version: int = 0  # of the settings widgets: bumped when the run's config changes under them
    index: int = DEFAULT_INDEX  # the test image shown
    index_version: int = 0  # of the image number box: bumped when something else picks the image
    cell_version: int = 0  # of the mistakes picker: bumped when something else picks the cell
    cell: str | None = None  # the mistakes cell shown, "true,pred"
    section: str = "mistakes"  # "mistakes" | "draw"
    folder: str = ""  # the MNIST folder typed
    data_error: str | None = None  # why MNIST could not be loaded
    toast: str | None = None  # a one-line message to pop up on the next page run
    upload: tuple[str | None, str | None] = (None, None)  # (why an upload was refused, what it loaded)
    link_read: bool = False  # the setup in the URL has been applied (once per session)
    binding: object = None  # the stored run this one is saved as (rnn_app.ui.persist.Binding)
    notice: str | None = None  # the outcome of finding the stored run again, shown once
    link_errors: list[str] = field(default_factory=list)  # values of the URL refused, until dismissed
    curve: tuple | None = None  # (key, the live chart): built once per model, language and style (views.curve)

    @property
    def data(self) -> DigitData:
        return self.run.trainer.data

    # ---- settings -------------------------------------------------------------------------
    def set_setting(self, name: str, value) -> None:
        try:
            cfg = self.run.cfg.replace(**{name: value})
        except ValueError:
            self.version += 1  # widgets are bounded: nothing to say, show the run's value again
            return
        self._applied(self.run.apply(cfg))

    def set_preset(self, preset_id: str | None) -> None:
        if preset_id in PRESETS:
            self._applied(self.run.apply(PRESETS[preset_id]()))
            self.version += 1

    def _applied(self, change) -> None:
        if change.new_model:
            self.toast = t("digits.rebuilt", fields=t("list.sep").join(t(f"digits.w.{f}") for f in change.rebuilt))

    # ---- data -----------------------------------------------------------------------------
    def use_data(self, data: DigitData) -> None:
        """Train on `data` from now on, with a new model of the current config (MNIST: the live
        test accuracy uses its first MNIST_TEST test images)."""
        if data.name == "mnist":
            data = dataclasses.replace(data, test_images=data.test_images[:MNIST_TEST],
                                       test_labels=data.test_labels[:MNIST_TEST])  # fmt: skip
        self.run = new_run(self.run.cfg, data)
        self.index, self.cell, self.data_error = 0, None, None
        self.index_version += 1
        self.cell_version += 1

    # ---- export and import ----------------------------------------------------------------
    def model_bytes(self) -> bytes:
        return to_bytes(self.run.trainer)

    def load_model(self, data: bytes) -> None:
        """An uploaded model replaces the run in use (on the images in use), unless refused."""
        try:
            trainer = ClassifierTrainer.load(io.BytesIO(data), data=self.data)
        except ValueError as e:
            self.upload = (str(e), None)
            return
        self.run = run_of(trainer)
        self.upload = (None, t("transfer.loaded", step=trainer.steps))
        self.version += 1

    # ---- the digit shown ------------------------------------------------------------------
    def set_index(self, index: int) -> None:
        self.index = int(index)

    def random_index(self) -> None:
        self.index = int(np.random.default_rng().integers(self.data.test_labels.size))
        self.index_version += 1

    def next_mistake(self) -> None:
        wrong = np.flatnonzero(self.run.trainer.evaluate().predicted != self.data.test_labels)
        if wrong.size:
            later = wrong[wrong > self.index]
            self.index = int(later[0] if later.size else wrong[0])
            self.index_version += 1

    def cell_images(self, cell: str) -> np.ndarray:
        """Indices of the test images of a mistakes cell "true,pred"."""
        i, j = (int(v) for v in cell.split(","))
        return np.flatnonzero((self.data.test_labels == i) & (self.run.trainer.evaluate().predicted == j))

    def show_cell(self, cell: str | None, picked: bool = False) -> None:
        """Show a mistakes cell and its first image (picked: chosen in the mistakes picker itself)."""
        self.cell = cell
        if cell and (images := self.cell_images(cell)).size:
            self.index = int(images[0])
            self.index_version += 1
        if not picked:
            self.cell_version += 1

    def set_section(self, section: str | None) -> None:
        self.section = section or "mistakes"


def digits_state() -> DigitsState:
    return page_state(KEY, DigitsState)

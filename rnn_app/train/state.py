"""The Train page's per-viewer state: one typed object under one session key ("train").

The run (model, optimiser, history, running or not) is an rnn.run.Run; every widget of the page
shows a value of this object and changes it only through its methods, so what the page shows is
what the model uses. The Inside page reads the same run through train_state().
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from rnn import Config, Trainer
from rnn.run import Pacing, Run
from rnn.saveload import to_bytes
from rnn_app.train.presets import preset_by_id
from rnn_app.ui.live import Loop
from rnn_app.ui.strings import t
from rnn_app.ui.widgets import page_state

KEY = "train"  # the session key of this object
DEFAULT_SPEED = 25  # steps per update (~100 steps/s): the default config solves in seconds a class can watch
SPEEDS = (1, 2, 5, 10, 25, 50, 100, 250, 0)  # training steps per update; 0 = as many as fit in the budget
# Live evaluation on one shared server core: a cheap estimate every update (every 0.5 s while the
# server is busy); every pair only when the estimate is perfect, with at most 10 % of the time.
PACING = Pacing(share=0.1, max_cost=1.5, busy_gap=10.0, estimate_gap=0.5)


def run_of(trainer: Trainer) -> Run:
    return Run(trainer, rebuild=Trainer, pacing=PACING)


def new_run(cfg: Config | None = None) -> Run:
    return run_of(Trainer(cfg or Config()))


def default_operands(bits: int) -> tuple[int, int]:
    """Two operands with a long carry chain, e.g. 89 + 44 at 7 bits."""
    top = (1 << bits) - 1
    return round(0.7 * top), round(0.35 * top)


@dataclass
class TrainState:
    run: Run = field(default_factory=new_run)  # the viewer's adder run
    loop: Loop = field(default_factory=Loop)  # the live loop's bookkeeping
    speed: int = DEFAULT_SPEED  # training steps per update, 0 = as many as fit
    a: str | None = None  # operand a as typed (None: the default for the width)
    b: str | None = None  # operand b as typed
    version: int = 0  # of the settings widgets: bumped when the run's config changes under them
    operand_version: int = 0  # of the operand boxes: bumped when a default operand follows a new width
    link_read: bool = False  # the setup in the URL has been applied (once per session)
    binding: object = None  # the stored run this one is saved as (rnn_app.ui.persist.Binding)
    notice: str | None = None  # the outcome of finding the stored run again, shown once
    link_errors: list[str] = field(default_factory=list)  # values of the URL refused, until dismissed
    error: tuple[str, str] | None = None  # (setting, message) of a refused setting
    toast: str | None = None  # a one-line message to pop up on the next page run
    upload: tuple[str | None, str | None] = (None, None)  # (why an upload was refused, what it loaded)
    curve: tuple | None = None  # (key, figure) of the learning curve, reused while the key holds
    carry: tuple | None = None  # (key, trace, figure) of the carry animation

    # ---- settings -------------------------------------------------------------------------
    def set_setting(self, name: str, value) -> None:
        """A settings widget changed: apply it to the run (or refuse it with a reason)."""
        try:
            cfg = self.run.cfg.replace(**{name: value})
        except ValueError as e:
            self.error = (name, t("train.bad_config", reason=e))
            self.version += 1  # the widget shows the run's value again
            return
        self.error = None
        self._applied(self.run.apply(cfg))

    def set_preset(self, preset_id: str | None) -> None:
        preset = preset_by_id(preset_id)
        if preset is not None:
            self.use_setup(preset.make())

    def use_setup(self, cfg: Config, speed: int | None = None, a: str | None = None, b: str | None = None) -> None:
        """A whole setup from elsewhere (a preset, the teacher): the run applies what it can keep."""
        self.error = None
        self._applied(self.run.apply(cfg))
        self.speed = speed if speed in SPEEDS else self.speed
        self.a, self.b = (a if a is not None else self.a), (b if b is not None else self.b)
        self.version += 1  # every settings widget shows the new value
        self.operand_version += 1

    def _applied(self, change) -> None:
        if change.new_model:
            self.toast = rebuilt_notice(change.rebuilt)
        if "bits" in change.changed and None in (self.a, self.b):
            self.operand_version += 1  # the default operands of the new width

    def set_speed(self, speed: int) -> None:
        self.speed = int(speed)

    # ---- export and import ----------------------------------------------------------------
    def model_bytes(self) -> bytes:
        return to_bytes(self.run.trainer)

    def load_model(self, data: bytes) -> None:
        """An uploaded model replaces the run in use, unless the engine refuses the file."""
        try:
            trainer = Trainer.load(io.BytesIO(data))
        except ValueError as e:
            self.upload = (str(e), None)
            return
        self.run = run_of(trainer)
        self.upload = (None, t("transfer.loaded", step=trainer.steps))
        self.version += 1  # the widgets show the uploaded model's settings
        self.operand_version += 1

    # ---- operands -------------------------------------------------------------------------
    def operand_texts(self) -> tuple[str, str]:
        """What the operand boxes show: as typed, or the default pair for the width."""
        da, db = default_operands(self.run.cfg.bits)
        return (str(da) if self.a is None else self.a), (str(db) if self.b is None else self.b)

    def set_operand(self, name: str, text: str) -> None:
        setattr(self, name, text)


def rebuilt_notice(fields) -> str:
    return t("train.rebuilt", fields=t("list.sep").join(t(f"train.field.{f}") for f in fields))


def train_state() -> TrainState:
    """This viewer's Train page state (created with the default config on first use)."""
    return page_state(KEY, TrainState)

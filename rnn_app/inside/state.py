"""The Inside page's per-viewer state: one typed object under one session key ("inside").

The network it looks at is the Train page's run (rnn_app.train.state.train_state().run), or the
hand-wired one. Every widget of the page shows a value of this object and changes it through a
callback; sections are fragments, so a change reruns only its section. Sections 3-6 are computed
only while open (`opened`), so a class opening the page pays for the first two alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rnn import Model
from rnn.handwired import handwired_model
from rnn_app.inside.cache import Results
from rnn_app.ui.widgets import page_state

KEY = "inside"  # the session key of this object
GRAD_BITS = 32  # default width of the gradients-through-time view
ON_DEMAND = ("automaton", "gradients", "length", "weights")  # sections drawn only when opened


@dataclass
class InsideState:
    results: Results = field(default_factory=Results)  # the analyses' cache (per weights, shared)
    notice: str | None = None  # the outcome of "train until it adds", shown once
    subject: str = "trained"  # "trained" (the Train page's network) or "hand" (the hand-wired one)
    layer: int | None = None  # the layer looked at (None: the top layer)
    opened: set[str] = field(default_factory=set)  # on-demand sections the viewer opened (ON_DEMAND)
    # 1. hidden state over time: the operands, following the Train page's until typed here
    a: str = ""
    b: str = ""
    followed: tuple[str, str] | None = None  # the Train page's operands when last followed
    operand_version: int = 0  # bumped when the operands follow the Train page's
    # 2. carry neurons: which units to silence
    ablate_mode: str = "one"  # "one" unit or the "top" k
    ablate_k: int = 1
    ablate_unit: tuple[str, int] | None = None  # (model tag, unit): a new model starts at its top unit
    # 4. gradients through time
    grad_bits: int = GRAD_BITS
    grad_compare: bool = False
    grad_scale: float = 1.0
    grad_clip_on: bool = False
    grad_clip: float = 1.0
    # 5. the RNN / GRU / LSTM comparison: (settings it was run with, results)
    compare: tuple | None = None
    # 7. the hand-wired network
    hand_model: Model | None = None  # built on first use
    hand_shown: bool = False
    hand_weight: int | None = None  # index into rnn.handwired.weight_names (None: the carry's feedback)
    hand_values: dict = field(default_factory=dict)  # weight index -> the value set for it
    hand_version: int = 0  # bumped when a value is reset

    def set(self, name: str, value) -> None:
        """A widget changed one of the view's settings."""
        setattr(self, name, value)

    def is_open(self, name: str) -> bool:
        return name in self.opened

    def show(self, name: str, open_: bool = True) -> None:
        """Open (or close) an on-demand section; other names (always drawn sections) are ignored."""
        if name in ON_DEMAND:
            (self.opened.add if open_ else self.opened.discard)(name)

    def hand(self) -> Model:
        """The viewer's (unperturbed) hand-wired model."""
        if self.hand_model is None:
            self.hand_model = handwired_model()
        return self.hand_model

    def follow(self, texts: tuple[str, str]) -> None:
        """Show the Train page's operands when they differ from those last followed."""
        if texts != self.followed:
            self.a, self.b = texts
            self.followed = texts
            self.operand_version += 1


def inside_state() -> InsideState:
    return page_state(KEY, InsideState)

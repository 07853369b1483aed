"""The rule, as a property: after ANY sequence of actions, every widget shows what the run uses.

A stateful hypothesis test through AppTest: random sequences of language switches, presets, every
settings widget, Train / Pause / Step / Reset, operands, page switches and new sessions (a reload),
on the Train and Digits pages. After each action: no exception, and every settings widget's value
equals the run's config (the Train page's also the speed and the operands; the Digits page's the
image shown).
"""

from __future__ import annotations

from apptest import has_widget, open_app, widget
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from rnn.classifier import CLASSIFIER_CELLS
from rnn.config import ACTIVATIONS, CELLS, INITS, LOSSES, OPTIMIZERS
from rnn_app.digits import settings as digits_settings
from rnn_app.digits.state import PRESETS as DIGITS_PRESETS
from rnn_app.digits.state import matching_preset as digits_preset
from rnn_app.train import settings as train_settings
from rnn_app.train.presets import PRESETS
from rnn_app.train.state import SPEEDS

MAX_UPDATES = 2  # the live loop pauses after this many updates (AppTest never leaves it on its own)

TRAIN_VALUES = {
    "cell": st.sampled_from(CELLS),
    "activation": st.sampled_from(ACTIVATIONS),
    "hidden": st.integers(1, 128),
    "layers": st.sampled_from((1, 2, 3)),
    "lr": st.sampled_from(train_settings.LR_GRID),
    "optimizer": st.sampled_from(OPTIMIZERS),
    "batch": st.sampled_from(train_settings.BATCHES),
    "bits": st.integers(2, 16),
    "loss": st.sampled_from(LOSSES),
    "clip": st.sampled_from((0.0, 0.5, 1.0, 5.0)),
    "dropout": st.sampled_from((0.0, 0.25, 0.5)),
    "init": st.sampled_from(INITS),
    "seed": st.integers(0, 2**31 - 1),
}
DIGITS_VALUES = {
    "cell": st.sampled_from(CLASSIFIER_CELLS),
    "layers": st.sampled_from((1, 2)),
    "hidden": st.sampled_from((8, 16, 32)),  # small: each new model is built in the test's time
    "lr": st.sampled_from(digits_settings.LR_GRID),
    "batch": st.sampled_from(digits_settings.BATCHES),
    "clip": st.sampled_from((0.0, 1.0, 5.0)),
    "seed": st.integers(0, 1000),
}
OPERANDS = st.sampled_from(["0", "5", "89", "127", "0b101", "300", "-3", "12abc", "", " 7 "])


class Sequences(RuleBasedStateMachine):
    @initialize()
    def open(self):
        self.at = open_app()
        self.at.session_state["train"].loop.max_updates = MAX_UPDATES
        self.page = "train"

    def act(self, widget_or_button) -> None:
        widget_or_button.run()
        assert not self.at.exception, [e.value for e in self.at.exception]
        for name in ("train", "digits"):
            if name in self.at.session_state:
                self.at.session_state[name].loop.max_updates = MAX_UPDATES

    # ---- anywhere ----------------------------------------------------------------------------------
    @rule()
    def switch_language(self):
        lang = self.at.session_state["lang"]
        self.act(self.at.button_group(key="lang").set_value("zh" if lang == "en" else "en"))

    @rule(page=st.sampled_from(["train", "inside", "digits"]))
    def switch_page(self, page):
        from apptest import PAGES

        self.at.switch_page(PAGES[page])
        self.act(self.at)
        self.page = page

    @rule()
    def new_session(self):  # a reload, or a websocket that reconnects: Streamlit starts afresh
        self.open()

    @precondition(lambda self: self.page in ("train", "digits"))
    @rule(name=st.sampled_from(["train", "pause", "step", "reset"]))
    def press(self, name):
        button = self.at.button(key=f"{self.page}.button.{name}")
        if not button.disabled:
            self.act(button.click())

    # ---- the Train page ------------------------------------------------------------------------------
    @precondition(lambda self: self.page == "train")
    @rule(data=st.data())
    def set_train_setting(self, data):
        name = data.draw(st.sampled_from(sorted(TRAIN_VALUES)))
        w = widget(self.at, f"train.w.{name}")
        if not w.disabled:
            self.act(w.set_value(data.draw(TRAIN_VALUES[name])))

    @precondition(lambda self: self.page == "train")
    @rule(preset=st.sampled_from([p.id for p in PRESETS]), speed=st.sampled_from(SPEEDS))
    def set_preset_and_speed(self, preset, speed):
        self.act(widget(self.at, "train.preset.*").set_value(preset))
        self.act(widget(self.at, "train.speed").set_value(speed))

    @precondition(lambda self: self.page == "train")
    @rule(name=st.sampled_from("ab"), text=OPERANDS)
    def type_operand(self, name, text):
        self.act(widget(self.at, f"train.operand.{name}").input(text))

    # ---- the Digits page -----------------------------------------------------------------------------
    @precondition(lambda self: self.page == "digits")
    @rule(data=st.data())
    def set_digits_setting(self, data):
        name = data.draw(st.sampled_from(sorted(DIGITS_VALUES)))
        self.act(widget(self.at, f"digits.w.{name}").set_value(data.draw(DIGITS_VALUES[name])))

    @precondition(lambda self: self.page == "digits")
    @rule(preset=st.sampled_from(list(DIGITS_PRESETS)))
    def set_digits_preset(self, preset):
        self.act(widget(self.at, "digits.preset.*").set_value(preset))

    @precondition(lambda self: self.page == "digits")
    @rule(which=st.sampled_from(["digits.random", "digits.next_wrong"]))
    def pick_image(self, which):
        self.act(self.at.button(key=which).click())

    # ---- the rule ----------------------------------------------------------------------------------
    @invariant()
    def widgets_show_what_the_run_uses(self):
        if not hasattr(self, "at"):
            return
        if self.page == "train" and has_widget(self.at, "train.w.hidden"):
            state = self.at.session_state["train"]
            cfg = state.run.cfg
            for name in TRAIN_VALUES:
                assert widget(self.at, f"train.w.{name}").value == getattr(cfg, name), name
            assert widget(self.at, "train.speed").value == state.speed
            assert widget(self.at, "train.preset.*").value == train_settings.matching_preset(cfg)
            assert (widget(self.at, "train.operand.a").value, widget(self.at, "train.operand.b").value) == (
                state.operand_texts())  # fmt: skip
        if self.page == "digits" and has_widget(self.at, "digits.w.hidden"):
            state = self.at.session_state["digits"]
            for name in DIGITS_VALUES:
                assert widget(self.at, f"digits.w.{name}").value == getattr(state.run.cfg, name), name
            assert widget(self.at, "digits.preset.*").value == digits_preset(state.run.cfg)
            assert widget(self.at, "digits.index").value == state.index


TestSequences = Sequences.TestCase
TestSequences.settings = settings(max_examples=12, stateful_step_count=15, deadline=None,
                                  suppress_health_check=[HealthCheck.too_slow])  # fmt: skip

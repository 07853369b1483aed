"""Runs that outlive their session (AppTest): a reload, another tab, a bad row, a link on top of a
stored run. The browser's part (the ids it keeps) is played by setting the identity component's
state; each AppTest plays one Streamlit session (its id is patched: AppTest uses one id for all)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from apptest import PAGES, open_app, texts, widget

from rnn import Trainer
from rnn_app.store import RunStore, writer
from rnn_app.ui import identity

TAB, OTHER_TAB = "a" * 32, "b" * 32
RUN = "c" * 32


@pytest.fixture(autouse=True)
def fresh_store(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_LAB_DATA", str(tmp_path))
    sessions = iter(range(1000))
    monkeypatch.setattr(identity, "session_id", lambda: f"session-{next(sessions) // 1000}")
    yield RunStore.from_env()
    writer.flush(10)


def as_session(monkeypatch, name: str) -> None:
    monkeypatch.setattr(identity, "session_id", lambda: name)


def browser(tab=TAB, train=RUN, digits=None, **kw):
    """A session of a browser tab that keeps these ids (what the identity component reports)."""
    return open_app(identity={"ids": {"tab": tab, "train": train, "digits": digits}}, **kw)


def train_a_little(at, steps=3):
    for _ in range(steps):
        at.button(key="train.button.step").click().run()
    assert writer.flush(10)


def test_a_reload_gives_the_run_back(monkeypatch):
    as_session(monkeypatch, "first")
    at = browser()
    widget(at, "train.w.hidden").set_value(14).run()
    widget(at, "train.operand.a").input("100").run()
    widget(at, "train.speed").set_value(5).run()
    train_a_little(at)
    before = at.session_state["train"].run.trainer

    as_session(monkeypatch, "after the reload")  # the same tab, a new session
    again = browser()
    state = again.session_state["train"]
    trainer = state.run.trainer
    assert trainer.steps == 3 and trainer.cfg == before.cfg and trainer.history == before.history
    assert np.array_equal(trainer.model.flat, before.model.flat)
    assert (state.a, state.speed, widget(again, "train.operand.a").value) == ("100", 5, "100")
    assert widget(again, "train.w.hidden").value == 14
    assert "Welcome back" in texts(again) and state.binding.run_id == RUN
    assert trainer.step(2) == pytest.approx(before.step(2))  # it trains on exactly as before


def test_a_reload_before_training_gives_the_setup_back(monkeypatch):
    as_session(monkeypatch, "first")
    at = browser()
    widget(at, "train.w.hidden").set_value(14).run()
    assert writer.flush(10)

    as_session(monkeypatch, "after the reload")
    again = browser()
    assert again.session_state["train"].run.trainer.steps == 0
    assert widget(again, "train.w.hidden").value == 14
    assert "your setup is here again (not trained yet)" in texts(again)
    assert "at step 0" not in texts(again)


def test_another_tab_works_on_its_own_copy(monkeypatch, fresh_store):
    as_session(monkeypatch, "first tab")
    at = browser()
    train_a_little(at, 2)
    as_session(monkeypatch, "second tab")
    other = browser(tab=OTHER_TAB)  # the first tab's session still holds the run
    state = other.session_state["train"]
    assert state.run.trainer.steps == 2 and "another tab" in texts(other)
    assert state.binding.run_id != RUN
    train_a_little(other, 3)
    assert RunStore.from_env().load(RUN, "train").meta is not None
    as_session(monkeypatch, "first tab")
    train_a_little(at, 1)
    mine = Trainer.load(io.BytesIO(fresh_store.load(RUN, "train").data))
    theirs = Trainer.load(io.BytesIO(fresh_store.load(state.binding.run_id, "train").data))
    assert (mine.steps, theirs.steps) == (3, 5)  # neither tab wrote the other's run


def test_a_lost_run_goes_on_under_a_new_id(monkeypatch):
    as_session(monkeypatch, "original")
    at = browser()
    train_a_little(at, 1)
    as_session(monkeypatch, "duplicate")  # a duplicated tab: same tab id, so it takes the run over
    browser()
    as_session(monkeypatch, "original")
    train_a_little(at, 1)  # this save is refused: the run is the duplicate's now
    at.run()
    binding = at.session_state["train"].binding
    assert binding.run_id != RUN and at.session_state[identity.ASSIGN]["train"] == binding.run_id
    train_a_little(at, 1)
    assert RunStore.from_env().load(binding.run_id, "train").status == "found"


def test_an_unreadable_run_gives_a_fresh_one_and_says_so(monkeypatch, fresh_store):
    assert fresh_store.save(RUN, "train", TAB, "someone", b"not a model", {})
    at = browser()
    assert at.session_state["train"].run.trainer.steps == 0 and not at.exception
    assert "could not be read" in texts(at)


def test_a_link_on_top_of_a_stored_run_applies_its_setup(monkeypatch):
    as_session(monkeypatch, "first")
    at = browser()
    train_a_little(at, 3)
    as_session(monkeypatch, "link")
    linked = browser(query={"lr": "0.01"})  # the same browser opens a link that changes the rate
    trainer = linked.session_state["train"].run.trainer
    assert trainer.steps == 3 and trainer.cfg.lr == 0.01  # the run kept, the link's setting applied


def test_the_digits_run_comes_back_too(monkeypatch):
    as_session(monkeypatch, "first")
    at = browser(digits=RUN)
    at.switch_page(PAGES["digits"]).run()
    for _ in range(2):
        at.button(key="digits.button.step").click().run()
    at.button(key="digits.next_wrong").click().run()
    index = at.session_state["digits"].index
    assert writer.flush(10)
    as_session(monkeypatch, "after the reload")
    again = browser(digits=RUN)
    again.switch_page(PAGES["digits"]).run()
    state = again.session_state["digits"]
    assert state.run.trainer.steps == 2 and state.index == index and widget(again, "digits.index").value == index

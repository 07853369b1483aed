"""The Lesson page: its steps' content and setups, predict-then-reveal scored on known inputs
(pure, and through AppTest), each step's button setting up its page, and the way back."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from apptest import APP, open_app, texts, widget
from streamlit.testing.v1 import AppTest

from rnn import Config, Trainer
from rnn.handwired import handwired_model
from rnn.trace import make_trace
from rnn_app.digits.link import PARAMS as DIGITS_PARAMS
from rnn_app.digits.state import PRESETS as DIGITS_PRESETS
from rnn_app.inside.state import InsideState
from rnn_app.lesson import quiz
from rnn_app.lesson.setups import PAGES, train_config
from rnn_app.lesson.state import LessonState
from rnn_app.lesson.steps import STEPS
from rnn_app.train.link import PARAMS as TRAIN_PARAMS
from rnn_app.train.presets import preset_by_id
from rnn_app.train.state import SPEEDS
from rnn_app.ui.links import MAX_TEXT, fmt
from rnn_app.ui.strings import LANGUAGES, STRINGS

LESSON = "rnn_app/lesson/page.py"


# ---- the content ---------------------------------------------------------------------------------
def test_six_to_eight_steps_each_with_every_string_in_both_languages():
    assert 6 <= len(STEPS) <= 8
    assert len({s.id for s in STEPS}) == len(STEPS)
    for step in STEPS:
        keys = [
            "title",
            "text",
            "button",
            "question",
            "explain",
            *(f"option.{k}" for k in range(step.options)),
        ]
        for key in keys:
            entry = STRINGS[f"lesson.{step.id}.{key}"]
            assert set(entry) == set(LANGUAGES) and all(v.strip() for v in entry.values()), (step.id, key)
        assert 0 <= step.answer < step.options
    assert sum(s.quiz for s in STEPS) == 1


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.id)
def test_each_steps_setup_is_one_its_page_accepts(step):
    """Every value a step sets is one the page's own widgets (and links) allow."""
    setup = step.setup
    assert setup.page in PAGES
    if setup.page in ("train", "inside"):
        assert setup.preset is None or preset_by_id(setup.preset) is not None
        cfg = train_config(setup, Config())  # validates every field
        params = {p.name: p for p in TRAIN_PARAMS}
        for name, value in setup.changes.items():
            assert params[name].parse(fmt(value), "en") == (value, None), name
        assert setup.speed is None or setup.speed in SPEEDS
        if isinstance(setup.operands, tuple):
            for text in setup.operands:
                assert text is None or 0 <= int(text) < 2**cfg.bits
        else:
            assert setup.operands in (None, "quiz")
    if setup.page == "inside":
        fields = {f.name for f in dataclasses.fields(InsideState)}
        assert set(setup.inside) <= fields
        assert setup.inside.get("grad_bits", 16) <= 64 and setup.inside.get("subject", "trained") in (
            "trained",
            "hand",
        )
    if setup.page == "digits":
        assert setup.preset in DIGITS_PRESETS
        index = {p.name: p for p in DIGITS_PARAMS}["index"]
        assert index.parse(str(setup.index), "en") == (setup.index, None)


def test_the_break_it_steps_break_it():
    """What the steps say happens: a learning rate of 1.0 sends the loss up, 2 hidden units never solve."""
    lr = Trainer(train_config(next(s for s in STEPS if s.id == "lr").setup, Config()))
    lr.step(100)
    _, losses = lr.history.loss_series()
    assert (
        np.median(losses[25:]) > 10 * losses[0] and losses[25:].min() > 1.5 * losses[0]
    )  # up, and not back down
    assert lr.accuracy() < 0.01
    hidden = Trainer(train_config(next(s for s in STEPS if s.id == "hidden").setup, Config()))
    hidden.step(2000)
    assert hidden.cfg.hidden == 2 and hidden.accuracy() < 0.7


# ---- predict then reveal, pure -----------------------------------------------------------------------
def test_columns_of_11_plus_7_and_a_perfect_round():
    trace = make_trace(handwired_model(), 11, 7, 7)  # the hand-wired adder is exact
    rnd = quiz.Round.of(trace)
    cols = rnd.columns
    assert len(cols) == 8 and rnd.current == 0
    # 0001011 + 0000111 = 0010010, right to left
    assert [c.sum_bit for c in cols] == [0, 1, 0, 0, 1, 0, 0, 0]
    assert [c.carry_out for c in cols] == [1, 1, 1, 1, 0, 0, 0, 0]
    assert [c.kind for c in cols[:6]] == ["out", "both", "both", "both", "in", "none"]
    assert all(c.net_right for c in cols)
    tally = quiz.Tally()
    for c in cols:
        tally.add(c, rnd.answer(c.sum_bit, c.carry_out))
    assert rnd.done and rnd.points == rnd.possible == 16
    assert tally.points == 16 and tally.asked == {"none": 3, "in": 1, "out": 1, "both": 3}
    with pytest.raises(ValueError):
        rnd.answer(0, 0)


def test_a_student_who_never_carries_loses_the_carry_columns():
    """Guessing a XOR b and never a carry: the sum bit is wrong exactly where a carry comes in, the
    carry wherever one goes out; the tally says the columns a carry touches were the hardest."""
    rnd = quiz.Round.of(make_trace(handwired_model(), 11, 7, 7))
    tally = quiz.Tally()
    for c in rnd.columns:
        tally.add(c, rnd.answer(c.a ^ c.b, 0))
    marks = rnd.marks
    assert [m.sum_ok for m in marks] == [True, False, False, False, False, True, True, True]
    assert [m.carry_ok for m in marks] == [False, False, False, False, True, True, True, True]
    assert rnd.points == 4 + 4 and rnd.possible == 16
    hardest = tally.hardest()
    assert [k for k, _, _ in hardest] == ["in", "out", "both", "none"]
    assert hardest[0][1] == 1.0 and hardest[-1] == ("none", 0.0, 3)


def test_the_harder_round_scores_whether_the_network_is_right():
    trainer = Trainer(Config(seed=3))  # untrained: it makes mistakes
    trace = trainer.trace(200, 100, 11)
    rnd = quiz.Round.of(trace, hard=True)
    assert rnd.net_mistakes == int(trace.wrong.sum()) > 0
    with pytest.raises(ValueError):
        rnd.answer(0, 0)  # the harder round also asks about the network
    for c in rnd.columns:
        rnd.answer(c.sum_bit, c.carry_out, c.net_right)
    assert rnd.points == rnd.possible == 3 * len(rnd.columns)
    wrong = quiz.Round.of(trace, hard=True)
    for c in wrong.columns:
        wrong.answer(c.sum_bit, c.carry_out, not c.net_right)
    assert wrong.points == 2 * len(wrong.columns) and wrong.possible == 3 * len(wrong.columns)


def test_the_harder_round_finds_a_network_that_errs():
    """A solved network adds wider numbers too: the harder round then uses a halfway network."""
    trainer = Trainer(Config())
    while trainer.accuracy() < 1.0:
        trainer.step(25)
    rnd = quiz.hard_round(trainer, Trainer, seed=0)
    assert rnd.hard and rnd.bits == Config().bits + quiz.HARD_EXTRA
    assert rnd.net_mistakes > 0
    assert rnd.net_step is not None and rnd.net_step < trainer.steps + 10_000
    assert rnd.a < 2**rnd.bits and rnd.b < 2**rnd.bits


def test_progress_round_trips_through_json_and_refuses_junk():
    state = LessonState()
    state.go(2)
    state.choose("carry", 0)
    state.start(quiz.Round.of(make_trace(handwired_model(), 11, 7, 7)))
    state.guess(0, 1)
    state.guess(0, 0)
    again = LessonState()
    again.load(json.loads(json.dumps(state.to_dict())))
    assert again.step == 2 and again.answers == {"carry": 0}
    assert again.round == state.round and again.tally == state.tally and again.tally.points == 2
    for junk in ({}, {"step": "x"}, {"step": 1, "answers": [], "tally": {}}):
        with pytest.raises(ValueError):
            LessonState().load(junk)


# ---- the page (AppTest) ----------------------------------------------------------------------------
def open_lesson(**state):
    at = open_app("train", **state)
    at.switch_page(LESSON).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def go_to(at, step_id: str):
    index = next(i for i, s in enumerate(STEPS) if s.id == step_id)
    lesson = at.session_state["lesson"]
    lesson.go(index)
    at.run()
    return at


def test_predict_then_reveal_is_scored_right_in_the_page():
    at = go_to(open_lesson(), "predict")
    trained = Trainer(Config())
    while trained.accuracy() < 1.0:
        trained.step(25)
    at.session_state["train"].run.trainer = trained
    [a, b] = [w for w in at.text_input if (w.key or "").startswith("lesson.quiz.")]
    a.set_value("11").run()
    b.set_value("7").run()
    at.button(key="lesson.quiz.start").click().run()
    rnd = at.session_state["lesson"].round
    assert (rnd.a, rnd.b, rnd.bits) == (11, 7, 7)
    truth = [(c.sum_bit, c.carry_out) for c in rnd.columns]
    assert truth[:5] == [(0, 1), (1, 1), (0, 1), (0, 1), (1, 0)]
    guesses = [(0, 1), (0, 1), (0, 1), (0, 1), (1, 0), (0, 0), (0, 0), (0, 0)]  # column 2: the sum bit wrong
    for k, (s, c) in enumerate(guesses):
        tag = f"11.7.7.{k}"
        at.button_group(key=f"lesson.quiz.sum.{tag}").set_value(s)
        at.button_group(key=f"lesson.quiz.carry.{tag}").set_value(c)
        at.button(key=f"lesson.quiz.check.{tag}").click().run()
        assert not at.exception, [e.value for e in at.exception]
    rnd = at.session_state["lesson"].round
    assert rnd.done and rnd.points == 15 and rnd.possible == 16
    shown = texts(at)
    assert "Round over: 15 of 16 points. The network got 8 of 8 columns right." in shown
    assert "Predict then reveal: 15 of 16 points" in shown
    assert "a carry comes in and one goes out: 33% wrong, of 3" in shown


def test_a_column_is_not_checked_before_both_guesses():
    at = go_to(open_lesson(), "predict")
    at.button(key="lesson.quiz.start").click().run()
    rnd = at.session_state["lesson"].round
    tag = f"{rnd.a}.{rnd.b}.{rnd.bits}.0"
    at.button_group(key=f"lesson.quiz.sum.{tag}").set_value(1)
    at.button(key=f"lesson.quiz.check.{tag}").click().run()
    assert at.session_state["lesson"].round.current == 0
    assert "Choose a sum bit and a carry first." in texts(at)


def test_the_harder_round_in_the_page_asks_about_the_network():
    at = go_to(open_lesson(), "predict")
    at.button(key="lesson.quiz.hard").click().run()
    rnd = at.session_state["lesson"].round
    assert rnd.hard and rnd.bits == 11 and rnd.net_mistakes > 0
    tag = f"{rnd.a}.{rnd.b}.{rnd.bits}.0"
    c = rnd.columns[0]
    at.button_group(key=f"lesson.quiz.sum.{tag}").set_value(c.sum_bit)
    at.button_group(key=f"lesson.quiz.carry.{tag}").set_value(c.carry_out)
    at.button_group(key=f"lesson.quiz.net.{tag}.en").set_value(c.net_right)
    at.button(key=f"lesson.quiz.check.{tag}").click().run()
    assert at.session_state["lesson"].tally.points == 3 and at.session_state["lesson"].tally.net_right == 1


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.id)
def test_each_steps_button_sets_its_page_up_and_the_banner_leads_back(step):
    at = go_to(open_lesson(lang="zh"), step.id)
    train = at.session_state["train"]
    train.run.trainer.step(3)  # something trained: a fresh step starts anew, another keeps what it can
    at.button(key=f"lesson.go.{step.id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    setup = step.setup
    train = at.session_state["train"]
    if setup.page in ("train", "inside"):
        cfg = train_config(setup, Config())
        if setup.preset or setup.changes:
            assert train.run.cfg == cfg
        if setup.fresh:
            assert train.run.trainer.steps == 0
        if setup.speed is not None:
            assert train.speed == setup.speed
        if setup.operands == "quiz":
            assert (train.a, train.b) == tuple(train.operand_texts())
        elif setup.operands is not None:
            assert (train.a, train.b) == setup.operands
        if setup.solve:
            assert train.run.trainer.accuracy() == 1.0
    if setup.page == "train":
        html = next(h.proto.body for h in at.get("html") if "setup-in-use" in h.proto.body)
        shown = json.loads(html.split('data-setup="')[1].split('"')[0].replace("&quot;", '"'))
        assert shown["lr"] == train.run.cfg.lr and shown["hidden"] == train.run.cfg.hidden
        assert at.title[0].value == "教 RNN 学会加法"
    if setup.page == "inside":
        inside = at.session_state["inside"]
        for name, value in setup.inside.items():
            assert getattr(inside, name) == value, name
        assert at.title[0].value == "网络内部"
    if setup.page == "digits":
        digits = at.session_state["digits"]
        assert digits.run.cfg == DIGITS_PRESETS[setup.preset]() and digits.index == setup.index
    index = STEPS.index(step)
    banner = texts(at)
    assert f"课程第 {index + 1} 步" in banner and STRINGS[f"lesson.{step.id}.title"]["zh"] in banner
    at.switch_page(PAGES[setup.page]).run()  # AppTest reruns the page it last opened itself
    at.session_state["lesson"].go(0)  # wandered off in the lesson's state: the banner still knows its step
    at.button(key="lesson.back").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["lesson"].step == index and at.session_state["lesson"].away is None
    assert f"第 {index + 1} 步，共 {len(STEPS)} 步" in [h.value for h in at.subheader][0]


def test_the_answers_labels_keep_the_viewers_language():
    """Found by the page fuzz: the question's and the harder round's labels were formatted in the
    language of whoever called format_func (AppTest calls it outside the page's run: English), so
    a viewer's answer in 中文 matched none of the options shown."""
    at = go_to(open_lesson(lang="zh"), "predict")
    widget(at, "lesson.q.predict").set_value(2).run()
    assert at.session_state["lesson"].answers == {"predict": 2} and not at.exception
    at.button(key="lesson.quiz.hard").click().run()
    rnd = at.session_state["lesson"].round
    net = at.button_group(key=f"lesson.quiz.net.{rnd.a}.{rnd.b}.{rnd.bits}.0.zh")
    net.set_value(False).run()
    assert not at.exception
    assert at.button_group(key=f"lesson.quiz.net.{rnd.a}.{rnd.b}.{rnd.bits}.0.zh").value is False


def test_the_quizs_numbers_are_no_longer_than_the_stored_progress_keeps():
    """Found by the page fuzz: a number typed longer than the stored progress keeps (MAX_TEXT)
    was gone after a reload. The boxes now take MAX_TEXT characters, and that much is kept."""
    at = go_to(open_lesson(), "predict")
    boxes = [w for w in at.text_input if (w.key or "").startswith("lesson.quiz.")]
    assert len(boxes) == 2 and all(w.proto.max_chars == MAX_TEXT for w in boxes)
    boxes[0].set_value("1" * MAX_TEXT).run()
    again = LessonState()
    again.load(json.loads(json.dumps(at.session_state["lesson"].to_dict())))
    assert again.a == "1" * MAX_TEXT


def test_the_link_opens_a_step_and_a_bad_one_is_named():
    """/lesson?step=4 opens step 4; step=12 is named in a notice and the lesson starts at step 1.
    (AppTest opens the app's default page: the session's landing is set as app.py would.)"""
    for step, index in (("4", 3), ("12", 0)):
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["link.landing"] = ("lesson", {"step": step})
        at.run()
        at.switch_page(LESSON).run()
        assert at.session_state["lesson"].step == index
        assert any(f"step={step}" in w.value for w in at.warning) == (step == "12")


def test_every_column_kind_has_a_label():
    assert all(f"lesson.quiz.kind.{k}" in STRINGS for k in quiz.KINDS)
    assert np.isclose(quiz.Mark(True, False, True).points / quiz.Mark(True, False, True).possible, 2 / 3)


@pytest.mark.parametrize("name", ["quiz.py", "steps.py"])
def test_the_scoring_and_the_content_never_import_streamlit(name):
    import ast
    from pathlib import Path

    tree = ast.parse((Path(quiz.__file__).parent / name).read_text(encoding="utf-8"))
    modules = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert modules and not [m for m in modules if m and m.split(".")[0] == "streamlit"]

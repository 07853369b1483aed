"""Screen readers without a browser: the charts' sentences (pure), and what the pages emit for them
through AppTest (a chart's sentence, "Solved" / divergence said once, the live panel's sentence at
most every few seconds). The keyboard itself is tested in tests/test_browser_a11y.py."""

import html
import json
import re

import numpy as np
import pytest
from apptest import open_app, widget

from rnn import Config, Trainer
from rnn_app.inside.state import ON_DEMAND, InsideState
from rnn_app.train.state import TrainState
from rnn_app.ui import a11y, live
from rnn_app.ui.alt_text import (
    carry_alt,
    class_curves_alt,
    class_scatter_alt,
    correlation_alt,
    curve_alt,
    length_alt,
    number,
    percent,
    reading_alt,
    state_alt,
    sweep_alt,
    weights_alt,
)
from rnn_app.ui.strings import STRINGS


# ---- the sentences (pure) ------------------------------------------------------------------------
def test_curve_sentence_states_loss_step_and_accuracy():
    assert curve_alt(0, None, None) == "Learning curve: no training yet."
    assert curve_alt(75, 0.0512, 1.0, 7) == "Learning curve: loss 0.0512 at step 75, every 7-bit sum right."
    assert (
        curve_alt(1200, 1.234567, 0.4375, 8)
        == "Learning curve: loss 1.23 at step 1,200, 43.8 % of 8-bit sums right."
    )
    assert curve_alt(3, 5.9, None, 7) == "Learning curve: loss 5.9 at step 3, accuracy not measured yet."
    assert (
        curve_alt(400, 0.31, 0.925, None)
        == "Learning curve: loss 0.31 at step 400, 92.5 % of the test digits right."
    )
    assert curve_alt(12, None, 0.1, 7, diverged=True) == "Learning curve: training blew up at step 12."
    assert (
        curve_alt(75, 0.0512, 1.0, 7, lang="zh")
        == "学习曲线：第 75 步时损失为 0.0512，所有 7 位加法全部算对。"
    )
    assert curve_alt(75, 0.05, 0.5, 7, lang="zh") == "学习曲线：第 75 步时损失为 0.05，7 位加法算对 50.0 %。"


def test_numbers_for_people():
    assert number(0.000123) == "1.2e-04" and number(73.4) == "73.4" and number(0.05) == "0.05"
    assert percent(1.0) == "100 %" and percent(0.0) == "0 %" and percent(0.999) == "99.9 %"


def test_carry_sentence_says_the_answer_the_wrong_columns_and_the_carries():
    trainer = Trainer(Config(bits=7, seed=0))
    fresh = trainer.trace(89, 44)  # untrained: wrong somewhere
    wrong = [int(c) for c in np.flatnonzero(fresh.wrong)]
    text = carry_alt(fresh)
    assert text.startswith(f"Column addition 89 + 44: the network answers {fresh.predicted_sum} instead of 133, "
                           f"wrong in {len(wrong)} of 8 columns (t = {', '.join(map(str, wrong))}).")  # fmt: skip
    assert text.endswith(" A 1 is carried into t = 4, 5, 6, 7.")  # 1011001 + 0101100: carries out of t = 3..6
    trainer.step(400)
    solved = trainer.trace(89, 44)
    assert solved.correct
    assert carry_alt(solved).startswith(
        "Column addition 89 + 44: the network answers 133, right in all 8 columns."
    )
    assert carry_alt(trainer.trace(1, 2)).endswith(" Nothing is carried.")
    zh = carry_alt(fresh, "zh")
    assert zh.startswith("竖式加法 89 + 44：网络的答案是") and "、".join(map(str, wrong)) in zh


def test_reading_sentence_says_the_answer_and_when_it_settled():
    probs = np.full((8, 10), 0.01)
    for row, digit in enumerate([1, 1, 7, 3, 3, 3, 3, 3]):
        probs[row, digit] = 0.91
    assert reading_alt(probs, 3) == ("Digit read row by row: after all 8 rows the network answers 3 (91%); the true "
                                     "digit is 3, right. Its answer holds from row 4 on.")  # fmt: skip
    assert reading_alt(probs, 8).split("; ")[1].startswith("the true digit is 8, wrong.")
    assert reading_alt(probs, None).startswith(
        "Digit read row by row: after all 8 rows the network answers 3 (91%)."
    )
    steady = np.tile(probs[-1], (8, 1))
    assert "holds" not in reading_alt(steady, 3)  # the same answer from the first row: nothing to add
    assert reading_alt(probs, 3, "zh").endswith("从第 4 行起答案不再改变。")


def test_inside_sentences():
    trainer = Trainer(Config(bits=7, seed=0))
    trace = trainer.trace(89, 44)
    hidden = trace.hidden[0]
    assert state_alt(hidden, trace) == (f"Heatmap of the hidden state of 12 units at 8 timesteps for 89 + 44: the "
                                        f"network answers {trace.predicted_sum}, wrong.")  # fmt: skip
    assert state_alt(hidden, trace, "f", "zh").startswith("热图：89 + 44 时 12 个单元在 8 个时间步的门 f")
    corr = np.array([0.1, -0.95, 0.4])
    assert (
        correlation_alt(corr)
        == "Bars: how closely each of the 3 units follows the carry; the closest is unit 2, r = -0.95."
    )
    widths, exact = np.array([4, 7, 16, 64]), np.array([1.0, 1.0, 0.5, 0.0])
    assert length_alt([("this network", widths, exact)], 7) == (
        "Exact accuracy by operand width: this network 100 % at 7 bits, 0 % at 64 bits."
    )
    two = length_alt([("RNN", widths, exact), ("LSTM", widths, np.ones(4))], 7, "zh")
    assert (
        two == "不同位数下的整题正确率：RNN：7 位时 100 %，64 位时 0 %；LSTM：7 位时 100 %，64 位时 100 %。"
    )
    params = {
        "Wx1": np.array([[0.5, -2.5]]),
        "Wh1": np.zeros((2, 2)),
        "b1": np.zeros(2),
        "Wy": np.ones((2, 1)),
    }
    assert weights_alt(params).endswith("the largest weight in size is 2.5.")


def test_class_board_sentences():
    from rnn.cohort import Band, sweep_points

    empty = Band(*(np.array([]) for _ in range(5)))
    assert class_curves_alt(0, empty, 0) == "Learning curves of 0 students, 0 solved."
    band = Band(np.array([0, 50, 100]), np.array([5.0, 1.0, 0.125]), np.zeros(3), np.zeros(3), np.ones(3))
    assert (
        class_curves_alt(3, band, 1)
        == "Learning curves of 3 students, 1 solved. Median loss 0.125 at step 100."
    )
    points = [{"x": 0.1, "y": 12, "solved_step": 300}, {"x": 0.01, "y": 16, "solved_step": 90},
              {"x": 1.0, "y": 8, "solved_step": None}]  # fmt: skip
    assert class_scatter_alt(points, "Learning rate", "Hidden size") == (
        "Scatter plot of Learning rate against Hidden size, one dot per student: 3 students, 2 solved. "
        "Fewest steps to solve: 90, with Learning rate 0.01 and Hidden size 16."
    )
    summary = sweep_points([0.01, 0.01, 0.1], [100, 300, None])
    assert sweep_alt(summary, "Learning rate") == (
        "Steps to solve against Learning rate: 0.01: median 200 steps (2 of 2 solved); 0.1: none of 1 solved yet."
    )


def test_every_new_string_has_both_languages():
    for key, entry in STRINGS.items():
        if key.startswith(("a11y.", "alt.")):
            assert set(entry) == {"en", "zh"} and all(entry.values()), key


def test_the_help_lists_every_shortcut_in_both_languages():
    for lang, space in (("en", "Space"), ("zh", "空格")):
        text = a11y.help_text(lang)
        assert [keys for keys, _ in text["rows"]] == [[space], ["S"], ["R"], ["?"], ["Esc"]]
        assert all(what for _, what in text["rows"])
    assert a11y.help_text("zh")["skip"] == "跳到训练按钮"


# ---- what the pages emit (AppTest) ---------------------------------------------------------------
def _html(at) -> list[str]:
    return [el.proto.body for el in at.get("html")]


def _chart_alt(at, name: str) -> str:
    found = [m for body in _html(at) for m in re.findall(rf'data-chart="{re.escape(name)}">(.*?)</p>', body)]
    assert len(found) == 1, found
    return html.unescape(found[0])


def _announcements(at) -> list[str]:
    return [
        html.unescape(m)
        for body in _html(at)
        for m in re.findall(r'class="rnn-announce"[^>]*>(.*?)</div>', body)
    ]


def _open(trainer=None, max_updates=None, **kw):
    state = TrainState()
    if trainer is not None:
        state.run.trainer = trainer
    state.loop.max_updates = max_updates
    return open_app(train=state, **kw)


def test_train_page_says_its_charts_and_solved_once():
    at = _open(max_updates=300, query={"a": "89", "b": "44"})
    assert _chart_alt(at, "train") == "Learning curve: no training yet."
    assert _chart_alt(at, "train.carry").startswith("Column addition 89 + 44: the network answers")
    assert _announcements(at) == []
    widget(at, "train.speed").set_value(0).run()
    at.button(key="train.button.train").click().run()
    trainer = at.session_state["train"].run.trainer
    assert trainer.solved
    said = _announcements(at)
    assert said == [f"Solved at step {trainer.solved_step}: every 7-bit sum is right."]
    assert _chart_alt(at, "train").endswith(", every 7-bit sum right.")
    assert _chart_alt(at, "train.carry").startswith("Column addition 89 + 44: the network answers 133, right")
    # more reruns show "Solved" but do not say it again
    at.button(key="train.button.step").click().run()
    widget(at, "train.operand.a").set_value("12").run()
    assert _announcements(at) == []
    # a reset takes it away; solving again says it again
    at.button(key="train.button.reset").click().run()
    assert _announcements(at) == []
    at.button(key="train.button.train").click().run()
    again = _announcements(at)  # (the step it is noticed at depends on the time slices)
    assert len(again) == 1 and again[0].startswith("Solved at step"), again


def test_divergence_is_said_once_in_the_viewers_language():
    blowup = Trainer(Config(optimizer="sgd", lr=1e6, loss="mse"))
    at = _open(trainer=blowup, max_updates=20, lang="zh")
    at.button(key="train.button.train").click().run()
    assert blowup.diverged
    said = _announcements(at)
    assert len(said) == 1 and "训练发散" in said[0]
    assert _chart_alt(at, "train").startswith("学习曲线：训练在第")
    at.button(key="train.button.step").click().run()
    assert _announcements(at) == []


def test_digits_page_says_its_charts():
    at = open_app("digits")
    assert _chart_alt(at, "digits") == "Learning curve: no training yet."
    assert _chart_alt(at, "digits.reading").startswith(
        "Digit read row by row: after all 8 rows the network answers"
    )


def test_live_updates_carry_the_sentence_at_most_every_few_seconds(monkeypatch):
    """draw(): the sentence goes with the first update, then only once ALT_EVERY has passed."""
    now = [100.0]
    monkeypatch.setattr(live.time, "perf_counter", lambda: now[0])
    sent = []

    class Box:
        def html(self, body):
            sent.append(json.loads(html.unescape(re.search(r'data-update="([^"]*)"', body).group(1))))

        def empty(self):  # the status line
            pass

    state = TrainState()
    spec = live.LiveSpec(name="train", state=state, metrics=lambda s: [], figure=lambda: {"data": [], "layout": {}},
                         status=lambda s: None, alt=lambda s: f"step {s.step}")  # fmt: skip
    p = live.Panel(status=Box(), updates=Box())
    for _ in range(13):  # 13 updates a quarter second apart: 3 s
        live.draw(spec, p, state.run.snapshot())
        now[0] += 0.25
    with_alt = [k for k, d in enumerate(sent) if "alt" in d]
    assert with_alt == [0, 12]
    assert len(sent) == 13


@pytest.mark.parametrize("page", ["train", "digits"])
def test_the_shortcuts_find_the_buttons_by_their_keys(page):
    """a11y.js clicks .st-key-<page>-button-<name>: the live row's keys must stay "<page>.button.<name>"."""
    at = open_app(page)
    keys = {b.key for b in at.button}
    assert {f"{page}.button.{n}" for n in ("train", "pause", "step", "reset")} <= keys
    assert page in a11y.CONTROL_PAGES


def test_inside_page_says_every_chart():
    at = open_app("inside", lang="zh", inside=InsideState(opened=set(ON_DEMAND)))  # sections 3-6 open
    for name, start in (("inside.chart.hidden", "热图：89 + 44"), ("inside.chart.corr", "柱状图："),
                        ("inside.chart.scatter", "散点图："), ("inside.chart.probe", "散点图：隐藏状态在探针平面"),
                        ("inside.chart.grad", "折线图："),
                        ("inside.chart.length", "不同位数下的整题正确率："), ("inside.chart.weights", "热图：第 1 层")):  # fmt: skip
        assert _chart_alt(at, name).startswith(start), name

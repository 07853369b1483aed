"""The Lesson page's part of the page fuzz (test_fuzz_pages.py): its sessions and what is checked
after each generated script run. (A module of its own: test_fuzz_pages.py is long enough.)

After every run on the Lesson page: the step shown (heading, step list, question) is the state's,
every answer and score is one the lesson can hold, the score changed only through "Check", the
viewer's network never changed (the harder round trains a network of its own), the quiz's numbers
each have their message in the viewer's language, and "Check" without both guesses says so. A
step's button opens its page, set up, with the banner back to the lesson. Sessions share their
lesson id in pairs: the second is a reload, and finds the first one's progress where it was.
"""

from __future__ import annotations

import copy
import json
import re

import numpy as np
from apptest import widget
from streamlit.testing.v1 import AppTest

from rnn_app.lesson.steps import STEPS
from rnn_app.lesson.views import quiz_operands
from rnn_app.store import writer
from rnn_app.ui import identity
from rnn_app.ui.operands import feedback, parse_operand
from rnn_app.ui.strings import t

BAD_LINKS = ("12", "x", "-1", "2.5", "")  # ?step=... a session now and then opens with
QUIZ = next(i for i, s in enumerate(STEPS) if s.quiz)
CHECKED = FINISHED = 0  # columns checked and rounds finished by the fuzz (it prints them)
TITLES = {"train": "train.title", "inside": "nav.inside", "digits": "digits.title"}  # the pages a step opens


def before(at: AppTest):
    """What a run must not change unless clicked: the network, the round and the score."""
    run, lesson = at.session_state["train"].run, at.session_state["lesson"]
    rnd = lesson.round
    return (run.trainer, run.trainer.model.flat.copy(), run.trainer.steps, rnd, rnd and rnd.current,
            json.dumps(lesson.tally.to_dict()), lesson.step)  # fmt: skip


def consistent(lesson) -> None:
    """Progress the lesson can hold."""
    ids = {s.id: s for s in STEPS}
    assert 0 <= lesson.step < len(STEPS)
    assert all(k in ids and 0 <= v < ids[k].options for k, v in lesson.answers.items()), lesson.answers
    tally, rnd = lesson.tally, lesson.round
    assert 0 <= tally.points <= tally.possible and 0 <= tally.net_right <= tally.net_asked
    assert all(0 <= tally.right[k] <= tally.asked[k] for k in tally.asked)
    assert sum(tally.asked.values()) * 2 + tally.net_asked == tally.possible
    if rnd is not None:
        assert len(rnd.marks) <= len(rnd.columns) == rnd.bits + 1 and 0 <= rnd.a < 2**rnd.bits > rnd.b >= 0
        assert all((m.net_ok is not None) == rnd.hard for m in rnd.marks)


def check(at: AppTest, was, key: str | None, lang: str) -> None:
    """After a run; `key`: the button clicked, if any."""
    button = key and re.sub(r"^(lesson\.go|lesson\.quiz\.check)\..*", r"\1.*", key)  # its Widget pattern
    lesson, train = at.session_state["lesson"], at.session_state["train"]
    consistent(lesson)
    trainer, weights, steps, rnd, current, tally, step_before = was
    if button == "lesson.go.*" and lesson.away is None:  # the step moved in the same run: not drawn, not clicked
        assert lesson.step != step_before
    elif button == "lesson.go.*":  # the step's page, set up, with the way back
        step = next(s for s in STEPS if s.id == lesson.away)
        assert at.title[0].value == t(TITLES[step.setup.page], lang)
        banner = t("lesson.back.banner", lang, n=STEPS.index(step) + 1, title=t(f"lesson.{step.id}.title", lang),
                   question=t(f"lesson.{step.id}.question", lang))  # fmt: skip
        assert any(i.value.startswith(banner) for i in at.info), banner
        return
    assert at.title[0].value == t("lesson.title", lang) and lesson.away is None
    step = STEPS[lesson.step]
    heading = t("lesson.progress", lang, n=lesson.step + 1, total=len(STEPS)) + " · " + t(f"lesson.{step.id}.title", lang)
    assert [h.value for h in at.subheader] == [heading]
    assert widget(at, "lesson.step").value == lesson.step
    assert widget(at, f"lesson.q.{step.id}").value == lesson.answers.get(step.id)
    if step.id in lesson.answers:  # revealed, with why
        explained = [m.value for m in (*at.success, *at.warning)]
        assert any(m.endswith(t(f"lesson.{step.id}.explain", lang)) for m in explained)
    # the viewer's network: never changed here
    run = train.run
    assert run.trainer is trainer and run.trainer.steps == steps and np.array_equal(run.trainer.model.flat, weights)
    # the score: only through Check, one column at a time
    if button != "lesson.quiz.check.*":
        assert json.dumps(lesson.tally.to_dict()) == tally, "the score changed without a Check"
    elif lesson.round is rnd and step.quiz and rnd is not None:
        checked = rnd.current == current + 1
        assert checked or t("lesson.quiz.pick", lang) in [w.value for w in at.warning]
        assert (json.dumps(lesson.tally.to_dict()) != tally) == checked
        global CHECKED, FINISHED
        CHECKED, FINISHED = CHECKED + checked, FINISHED + (checked and rnd.done)
    if button not in ("lesson.quiz.start", "lesson.quiz.hard", "lesson.quiz.check.*"):
        assert lesson.round is rnd and (rnd is None or rnd.current == current), "the round changed without a click"
    if step.quiz and (lesson.round is None or lesson.round.done):  # the numbers, each with its message
        bits, shown = run.cfg.bits, {m.value for m in at.markdown}
        for text in quiz_operands(lesson, train):
            assert feedback(parse_operand(text, bits), bits, lang) in shown, text


class Sessions:
    """new_session(n) for the fuzz, in pairs on one lesson: 2k opens it afresh, with a link to the
    quiz's step (a bad link one time in two: named, the lesson at its first step); 2k + 1 is its
    reload (the same tab), which must find the progress just as it was."""

    def __init__(self, open_app, lang_of):
        self.open_app, self.lang_of = open_app, lang_of
        self.last: AppTest | None = None

    def __call__(self, n: int) -> AppTest:
        ids = {"tab": f"{n // 2:032x}", "train": f"{n + 100:032x}", "digits": f"{n + 200:032x}",
               "lesson": f"{n // 2 + 300:032x}", "class": None, "teacher": None}  # fmt: skip
        link = str(QUIZ + 1) if n % 4 == 0 else BAD_LINKS[n // 4 % len(BAD_LINKS)]
        landing = {"link.landing": ("lesson", {"step": link})} if n % 2 == 0 else {}
        reload = n % 2 == 1 and self.last is not None
        if reload:  # what the last run stored, under the ids its browser keeps now (a copy's, if it made one)
            assert writer.flush(), "the lesson's progress was not stored"
            kept = copy.deepcopy(self.last.session_state["lesson"].to_dict())
            assigned = self.last.session_state[identity.ASSIGN] if identity.ASSIGN in self.last.session_state else {}
            ids.update({k: v for k, v in assigned.items() if k in identity.KINDS})
        at = self.open_app("lesson", identity={"ids": ids}, lang=self.lang_of(n), **landing)
        if reload:
            again = at.session_state["lesson"].to_dict()
            lost = {k: (v, again[k]) for k, v in kept.items() if k != "away" and again[k] != v}
            assert not lost, f"a reload lost the lesson's progress: {lost}"
        self.last = at
        return at

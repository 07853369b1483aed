"""Failures stay in their section: a failure injected into each section of each page shows the
short message there (in the viewer's language), is logged with its traceback, the other sections
are drawn, and the viewer's run is untouched and goes on.

Each case patches a function the section calls (its figure or view), as a bug there would fail.
test_every_section_has_a_case checks that every section(...) in the pages has one.
"""

from __future__ import annotations

import json
import logging
import re
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
import streamlit
from apptest import has_widget, open_app
from streamlit.testing.v1 import AppTest

from rnn_app.classroom.state import ClassState
from rnn_app.inside.state import ON_DEMAND
from rnn_app.lesson.steps import STEPS
from rnn_app.ui import identity
from rnn_app.ui.strings import t

ROOT = Path(__file__).resolve().parent.parent
CLASS_PAGE = "rnn_app/classroom/page.py"


class Injected(RuntimeError):
    pass


def boom(*args, **kwargs):
    raise Injected("a failure injected by the test")


def only_when(original, text: str):
    """`original`, failing when called with `text` as its first argument."""
    def patched(*args, **kwargs):
        if args and args[0] == text:
            raise Injected("a failure injected by the test")
        return original(*args, **kwargs)
    return patched


class Wrap:
    """A replacement made from the original: Wrap(lambda original: patched)."""

    def __init__(self, make):
        self.make = make


def unless_hand_wired(original):
    """Weight heatmaps failing for the trained network's section 6, not for section 7's (height 300)."""
    return lambda *args, **kwargs: original(*args, **kwargs) if args[-1] == 300 else boom()


def uploader(at: AppTest, prefix: str) -> bool:
    return any((u.key or "").startswith(prefix) for u in at.file_uploader)


def subheaders(at: AppTest) -> set[str]:
    return {s.value for s in at.subheader}


def html(at: AppTest) -> str:
    return "\n".join(h.value for h in at.get("html"))


def chart(key: str):
    return lambda at: key in [c.key for c in at.get("plotly_chart")]


# section -> (what to patch, replacement, how to see the section is drawn (None: nothing fixed to see))
TRAIN = {
    "train.class": ("rnn_app.classroom.student.banner", boom, None),
    "train.settings": ("rnn_app.train.settings.sidebar", boom, lambda at: has_widget(at, "train.w.hidden")),
    "train.transfer": ("rnn_app.ui.transfer.section", boom, lambda at: uploader(at, "train.upload_model")),
    "train.live": ("rnn_app.train.views.curve", boom, chart("train.chart")),
    "train.in_use": ("rnn_app.train.views.in_use", boom, lambda at: "setup-in-use" in html(at)),
    "train.carry": ("rnn_app.train.views.carry_view", boom, chart("train.carry")),
    "train.loop": ("rnn_app.ui.live.draw", boom, None),
}
DIGITS = {
    "digits.data": ("rnn_app.digits.settings.data_sidebar", boom, lambda at: uploader(at, "digits.upload#")),
    "digits.settings": ("rnn_app.digits.settings.settings_sidebar", boom, lambda at: has_widget(at, "digits.w.hidden")),
    "digits.transfer": ("rnn_app.ui.transfer.section", boom, lambda at: uploader(at, "digits.upload_model")),
    "digits.live": ("rnn_app.digits.views.curve", boom, chart("digits.chart")),  # the live chart (cached per model)
    "digits.reading": ("rnn_app.digits.views.row_reveal", boom, lambda at: has_widget(at, "digits.index")),
    "digits.pick": ("rnn_app.digits.views.section_picker", boom, lambda at: has_widget(at, "digits.section")),
    "digits.mistakes": ("rnn_app.digits.views.confusion_figure", boom, chart("digits.confusion")),
    "digits.draw": ("streamlit_drawable_canvas.st_canvas", boom, None),
    "digits.loop": ("rnn_app.ui.live.draw", boom, None),
}
INSIDE = {
    "inside.solve": ("streamlit.info", "inside.untrained", lambda at: t("inside.untrained", "en") in
                     [i.value for i in at.info]),
    "inside.subject": ("rnn_app.inside.views.cell_name", boom, lambda at: has_widget(at, "inside.subject")),
    **{f"inside.{name}": (*(target if isinstance(target, tuple) else (target, boom)),
                          lambda at, n=n: t(f"inside.s{n}.title", "en") in subheaders(at))
       for n, name, target in [(1, "hidden", "rnn_app.inside.sections.trace_tabs"),
                               (2, "carry", "rnn_app.inside.sections.ablation_units"),
                               (3, "automaton", "rnn_app.inside.figures.state_scatter"),
                               (4, "gradients", "rnn_app.inside.sections.gradient_controls"),
                               (5, "length", "rnn_app.inside.figures.length_figure"),
                               (6, "weights", ("rnn_app.inside.figures.weight_heatmaps", Wrap(unless_hand_wired))),
                               (7, "handwired", "rnn_app.inside.handwired.perturb_controls")]},
}
CLASS_VISITOR = {
    "class.join": ("streamlit.text_input", boom, lambda at: any(b.key == "class.join" for b in at.button)),
    "class.start": ("streamlit.caption", "class.start.help", lambda at: any(b.key == "class.start" for b in at.button)),
}
CLASS_TEACHER = {
    "class.header": ("rnn_app.classroom.board.qr_png", boom, lambda at: "class-code" in html(at)),
    "class.controls": ("rnn_app.classroom.board.sweep_controls", boom, lambda at: has_widget(at, "class.axis.x")),
    "class.board": ("rnn_app.classroom.board.draw", boom, lambda at: bool(at.metric)),
}
CLASS_STUDENT = {"class.student": ("streamlit.caption", "class.student.intro", None)}
LESSON = {
    "lesson.steps": ("rnn_app.lesson.views.step_picker", boom, lambda at: has_widget(at, "lesson.step")),
    "lesson.step": ("rnn_app.lesson.views.score_line", boom, lambda at: len(at.subheader) == 1),
    "lesson.quiz": ("rnn_app.lesson.views.grid_html", boom, lambda at: "lesson-grid" in html(at)),
    "lesson.numbers": ("rnn_app.lesson.views.feedback", boom, lambda at: has_widget(at, "lesson.quiz.a")),
    "lesson.hard": ("rnn_app.lesson.quiz.hard_round", boom, lambda at: any(b.key == "lesson.quiz.hard" for b in at.button)),
    "lesson.hardest": ("rnn_app.lesson.quiz.Tally.hardest", boom,
                       lambda at: f"**{t('lesson.quiz.hardest', 'en')}**" in [m.value for m in at.markdown]),
    "lesson.button": ("rnn_app.lesson.setups.apply", boom, lambda at: any(b.key == "lesson.go.predict" for b in at.button)),
    "lesson.question": ("rnn_app.lesson.views.question", boom, lambda at: has_widget(at, "lesson.q.predict")),
    "lesson.nav": ("rnn_app.lesson.views.nav_buttons", boom, lambda at: any(b.key == "lesson.next" for b in at.button)),
}  # fmt: skip
CASES = {**TRAIN, **DIGITS, **INSIDE, **CLASS_VISITOR, **CLASS_TEACHER, **CLASS_STUDENT, **LESSON}


def failed(at: AppTest, lang: str = "en") -> int:
    """How many sections say they failed, in `lang`."""
    assert not at.exception, [e.value for e in at.exception]
    return sum(w.value == t("harden.section_failed", lang) for w in at.warning)


@contextmanager
def injected(monkeypatch, target: str, replacement):
    module, _, attr = target.rpartition(".")
    try:
        owner = __import__(module, fromlist=["_"])
    except ImportError:  # a class attribute: rnn.trainer.Trainer.accuracy
        module, _, cls = module.rpartition(".")
        owner = getattr(__import__(module, fromlist=["_"]), cls)
    if isinstance(replacement, str):  # fail only for this string (a shared Streamlit call)
        replacement = only_when(getattr(owner, attr), t(replacement, "en"))
    elif isinstance(replacement, Wrap):
        replacement = replacement.make(getattr(owner, attr))
    with monkeypatch.context() as m:
        m.setattr(owner, attr, replacement)
        yield


def weights(at: AppTest, page: str) -> np.ndarray:
    return at.session_state[page].run.trainer.model.flat.copy()


def check_section(at: AppTest, monkeypatch, caplog, name: str, page_key: str | None, others: dict,
                  act=lambda at: at.run()) -> None:  # fmt: skip
    """Inject the failure of `name`, run, and check the message, the log, the other sections and
    the run (page_key: the page state holding a run); then without the failure the page is whole."""
    target, replacement, _ = CASES[name]
    before = (weights(at, page_key), at.session_state[page_key].run.trainer.steps) if page_key else None
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="rnn_app.ui.guard"), injected(monkeypatch, target, replacement):
        act(at)
        assert failed(at) == 1, name
        for other, (_, _, drawn) in others.items():
            if other != name and drawn is not None:
                assert drawn(at), f"{other} not drawn when {name} failed"
    records = [r for r in caplog.records if name in r.getMessage()]
    assert records and records[0].exc_info and records[0].exc_info[0] is Injected, name  # with its traceback
    if page_key:
        run = at.session_state[page_key].run
        if name.endswith(".loop"):  # the loop trained, then failed to draw: paused, nothing lost
            assert run.trainer.steps > before[1] and not run.running
        else:
            assert run.trainer.steps == before[1] and np.array_equal(weights(at, page_key), before[0]), name
    at.run()
    assert failed(at) == 0 and all(drawn(at) for _, _, drawn in others.values() if drawn is not None)
    if page_key:
        steps = at.session_state[page_key].run.trainer.steps
        at.button(key=f"{page_key}.button.step").click().run()
        assert failed(at) == 0 and at.session_state[page_key].run.trainer.steps == steps + 1  # it lives on


def train_then_fail(page_key: str):
    def act(at):
        at.session_state[page_key].loop.max_updates = 2
        at.button(key=f"{page_key}.button.train").click().run()
    return act


def test_every_section_has_a_case():
    names = set()
    for path in (ROOT / "rnn_app").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"""\bsection\(\s*["']([\w.]+)["']""", text))
        # a page's live column (rnn_app.ui.live.column) is the section "<spec's name>.live"
        names |= {f"{n}.live" for n in re.findall(r"""\bLiveSpec\(\s*name=["'](\w+)["']""", text)}
    assert names == set(CASES), (names ^ set(CASES))


def test_each_train_section_fails_alone(monkeypatch, caplog):
    at = open_app("train")
    at.button(key="train.button.step").click().run()
    for name in TRAIN:
        if name == "train.class":
            continue  # a student's banner: test_the_class_sections_fail_alone
        act = train_then_fail("train") if name == "train.loop" else (lambda at: at.run())
        check_section(at, monkeypatch, caplog, name, "train", TRAIN, act)


def test_each_digits_section_fails_alone(monkeypatch, caplog):
    at = open_app("digits", timeout=120)
    at.button(key="digits.button.step").click().run()
    for name in DIGITS:
        if name == "digits.draw":
            at.session_state["digits"].section = "draw"
            at.run()  # the page imports the canvas (importing it outside a script run fails)
        act = train_then_fail("digits") if name == "digits.loop" else (lambda at: at.run())
        others = {k: v for k, v in DIGITS.items() if k != ("digits.mistakes" if name == "digits.draw" else "")}
        check_section(at, monkeypatch, caplog, name, "digits", others, act)
        at.session_state["digits"].section = "mistakes"


def test_each_inside_section_fails_alone(monkeypatch, caplog):
    at = open_app("inside", timeout=120)
    at.session_state["inside"].hand_shown = True  # section 7 drawn in full
    at.session_state["inside"].opened.update(ON_DEMAND)  # sections 3-6 too: they are drawn only when open
    at.run()
    for name in INSIDE:
        check_section(at, monkeypatch, caplog, name, None, INSIDE)
    assert at.session_state["train"].run.trainer.steps == 0  # looking inside trained nothing


LESSON_PAGE = "rnn_app/lesson/page.py"
LESSON_CLICKS = {"lesson.hard": "lesson.quiz.hard", "lesson.button": "lesson.go.predict"}  # fail on the click


def progress(at: AppTest) -> tuple[str, np.ndarray, int]:
    """The lesson's progress as stored, and the viewer's network (the quiz's)."""
    run = at.session_state["train"].run
    return json.dumps(at.session_state["lesson"].to_dict()), run.trainer.model.flat.copy(), run.trainer.steps


def test_each_lesson_section_fails_alone(monkeypatch, caplog):
    at = open_app("train")
    at.switch_page(LESSON_PAGE).run()
    lesson = at.session_state["lesson"]
    lesson.go(next(i for i, s in enumerate(STEPS) if s.quiz))  # the step with every section
    lesson.choose("predict", 2)
    at.run()
    at.button(key="lesson.quiz.start").click().run()
    for c in lesson.round.columns:  # a finished round: its grid, a new round's numbers and the scores all shown
        lesson.guess(c.sum_bit, 1 - c.carry_out)
    at.run()
    for name in LESSON:
        before = progress(at)
        act = (lambda at, key=LESSON_CLICKS[name]: at.button(key=key).click().run()) if name in LESSON_CLICKS else None
        check_section(at, monkeypatch, caplog, name, None, LESSON, act or (lambda at: at.run()))
        after = progress(at)
        assert after[0] == before[0] and after[2] == before[2] and np.array_equal(after[1], before[1]), name
    assert at.title[0].value == t("lesson.title", "en")  # still on the lesson: the failed setup opened nothing
    at.button(key="lesson.quiz.start").click().run()  # the viewer's lesson lives on
    at.button(key="lesson.next").click().run()
    assert failed(at) == 0 and lesson.round.current == 0 and lesson.step == 3 and lesson.tally.rounds == 1


def test_a_failed_check_leaves_the_round_as_it_was(monkeypatch, caplog):
    at = open_app("train")
    at.switch_page(LESSON_PAGE).run()
    at.session_state["lesson"].go(next(i for i, s in enumerate(STEPS) if s.quiz))
    at.run()
    at.button(key="lesson.quiz.start").click().run()
    rnd = at.session_state["lesson"].round
    tag = f"{rnd.a}.{rnd.b}.{rnd.bits}.0"
    at.button_group(key=f"lesson.quiz.sum.{tag}").set_value(1)
    at.button_group(key=f"lesson.quiz.carry.{tag}").set_value(0)
    before = progress(at)
    with caplog.at_level(logging.ERROR, logger="rnn_app.ui.guard"), injected(monkeypatch, "rnn_app.lesson.quiz.Round.answer", boom):
        at.button(key=f"lesson.quiz.check.{tag}").click().run()
        assert failed(at) == 1 and progress(at)[0] == before[0]
    assert any("lesson.quiz" in r.getMessage() and r.exc_info for r in caplog.records)
    at.button(key=f"lesson.quiz.check.{tag}").click().run()  # without the failure: checked
    assert failed(at) == 0 and at.session_state["lesson"].round.current == 1


def test_a_failed_section_speaks_chinese(monkeypatch, caplog):
    at = open_app("train", lang="zh")
    with injected(monkeypatch, "rnn_app.train.views.carry_view", boom):
        at.run()
        assert failed(at, "zh") == 1 and failed(at, "en") == 0


@pytest.fixture
def class_store(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_LAB_DATA", str(tmp_path))
    monkeypatch.setattr(identity, "session_id", lambda: "session")


def browser(n: int, page: str = "class", **kw) -> AppTest:
    ids = {"tab": f"{n:032x}", "train": f"{n + 100:032x}", "digits": f"{n + 200:032x}", "class": None, "teacher": None}
    at = open_app(identity={"ids": ids}, classroom=ClassState(max_loops=1), **kw)
    if page == "class":
        at.switch_page(CLASS_PAGE).run()
    return at


def test_the_class_sections_fail_alone(class_store, monkeypatch, caplog):
    visitor = browser(1)
    for name in CLASS_VISITOR:
        check_section(visitor, monkeypatch, caplog, name, None, CLASS_VISITOR)
    teacher = browser(0)
    teacher.button(key="class.start").click().run()
    code = teacher.session_state["classroom"].code
    for name in CLASS_TEACHER:
        check_section(teacher, monkeypatch, caplog, name, None, CLASS_TEACHER)
    # a student: their part of the Class page, and their banner on the Train page
    student = browser(2, "train", query={"join": code})
    assert student.session_state["classroom"].role == "student"
    student.button(key="train.button.step").click().run()
    student.switch_page(CLASS_PAGE)
    check_section(student, monkeypatch, caplog, "class.student", None, {})
    assert student.session_state["train"].run.trainer.steps == 1
    student.switch_page("rnn_app/train/page.py")
    check_section(student, monkeypatch, caplog, "train.class", "train", TRAIN)


def test_control_flow_passes_through(monkeypatch):
    """st.rerun / st.stop inside a section are Streamlit's, not failures."""
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

    from rnn_app.ui.guard import section

    for exc in (StopException(), RerunException(None)):
        with pytest.raises(type(exc)), section("test"):
            raise exc
    assert streamlit  # the module the cases patch

"""Class mode through AppTest: a teacher and students, each an AppTest session whose browser ids are
played by the identity component's state. The board, follow me, a sweep, a forged teacher key."""

from __future__ import annotations

import json

import pytest
from apptest import open_app, texts, widget

from rnn_app.classroom.state import ClassState
from rnn_app.store import ClassStore
from rnn_app.ui import identity

CLASS_PAGE = "rnn_app/classroom/page.py"


@pytest.fixture(autouse=True)
def fresh_store(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_LAB_DATA", str(tmp_path))
    monkeypatch.setattr(identity, "session_id", lambda: "session")
    store = ClassStore.from_env()
    store.min_interval = 0.0  # every report is taken: the tests look at the board right after a click
    return store


def browser(n: int, page: str = "train", teacher: str | None = None, code: str | None = None, **kw):
    """Browser number n (its own ids); `teacher` / `code`: what it remembers of a class."""
    ids = {"tab": f"{n:032x}", "train": f"{n + 100:032x}", "digits": f"{n + 200:032x}", "class": code, "teacher": teacher}
    at = open_app(identity={"ids": ids}, classroom=ClassState(max_loops=1), **kw)
    if page == "class":
        at.switch_page(CLASS_PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def start_class():
    teacher = browser(0, "class")
    teacher.button(key="class.start").click().run()
    cs = teacher.session_state["classroom"]
    assert cs.role == "teacher" and len(cs.code) == 6
    return teacher, cs


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_students_join_by_link_and_by_code_and_appear_on_the_board():
    teacher, cs = start_class()
    assert cs.code in texts(teacher) or any(cs.code in h.value for h in teacher.get("html"))
    by_link = browser(1, query={"join": cs.code})  # /?join=CODE on the Train page
    student = by_link.session_state["classroom"]
    assert student.role == "student" and "In class" in texts(by_link) and student.nickname in texts(by_link)
    by_code = browser(2, "class")
    by_code.text_input(key="class.join.code").input(cs.code.lower()).run()
    by_code.button(key="class.join").click().run()
    assert by_code.session_state["classroom"].role == "student"
    assert "You joined" in texts(by_code)
    by_link.button(key="train.button.step").click().run()
    teacher.run()
    assert metrics(teacher)["Joined"] == "2"
    rows = {r.nickname: r for r in ClassStore.from_env().board(cs.code, cs.key).rows}
    assert rows[student.nickname].report["step"] == 1  # a step, reported

    wrong = browser(3, "class")
    wrong.text_input(key="class.join.code").input("ZZZZZZ").run()
    wrong.button(key="class.join").click().run()
    assert "No class has the code ZZZZZZ" in texts(wrong) and wrong.session_state["classroom"].role is None


def test_a_reload_keeps_the_teacher_and_the_students_in_class():
    teacher, cs = start_class()
    memory = json.dumps({"code": cs.code, "key": cs.key})
    again = browser(0, "class", teacher=memory)
    assert again.session_state["classroom"].role == "teacher"
    student = browser(1, query={"join": cs.code})
    name = student.session_state["classroom"].nickname
    back = browser(1, code=cs.code)  # the student's reload: the browser remembers the class
    assert back.session_state["classroom"].role == "student" and back.session_state["classroom"].nickname == name


def test_a_forged_teacher_key_is_not_a_teacher():
    teacher, cs = start_class()
    forged = browser(5, "class", teacher=json.dumps({"code": cs.code, "key": "0" * 64}))
    assert forged.session_state["classroom"].role is None
    assert not any(b.key == "class.push" for b in forged.button)
    assert ClassStore.from_env().push(cs.code, "0" * 64, {"cfg": {}}).status == "forbidden"


@pytest.mark.parametrize("mode", ["suggest", "follow"])
def test_follow_me_reaches_the_students(mode):
    teacher, cs = start_class()
    student = browser(1, query={"join": cs.code})
    # the teacher sets up a classic run on their own Train page, then pushes it
    from apptest import PAGES

    teacher.switch_page(PAGES["train"]).run()
    widget(teacher, "train.preset.*").set_value("classic").run()
    widget(teacher, "train.w.hidden").set_value(24).run()
    teacher.switch_page(CLASS_PAGE).run()
    widget(teacher, "class.push.mode").set_value(mode).run()
    teacher.button(key="class.push").click().run()
    student.run()
    cfg = student.session_state["train"].run.cfg
    if mode == "suggest":
        assert "Your teacher set up" in texts(student) and cfg.hidden == 12
        next(b for b in student.button if (b.key or "").startswith("class.apply.")).click().run()
        cfg = student.session_state["train"].run.cfg
    assert (cfg.hidden, cfg.activation, cfg.optimizer, cfg.batch) == (24, "sigmoid", "sgd", 1)
    assert widget(student, "train.w.hidden").value == 24  # the widgets show it too
    student.run()
    assert "Your teacher set up" not in texts(student)  # answered once, not asked again


def test_a_sweep_gives_each_student_a_value_and_the_board_draws_it():
    teacher, cs = start_class()
    students = [browser(k, query={"join": cs.code}) for k in (1, 2, 3)]
    assert ClassStore.from_env().sweep(cs.code, cs.key, "lr", [0.01, 0.1, 0.5]).status == "swept"
    lrs = []
    for s in students:
        s.run()
        lrs.append(s.session_state["train"].run.cfg.lr)
        assert "Your part of the class experiment" in texts(s)
        s.button(key="train.button.step").click().run()
    assert sorted(lrs) == [0.01, 0.1, 0.5]
    teacher.run()
    figures = [json.loads(c.proto.spec) for c in teacher.get("plotly_chart")]
    sweep = next(f for f in figures if "experiment" in json.dumps(f))
    assert sweep["layout"]["xaxis"]["type"] == "log"


def test_a_nickname_shows_as_typed_never_as_markup(fresh_store):
    from rnn.cohort import curve_band
    from rnn_app.classroom import figures as F
    from rnn_app.ui.strings import plain

    teacher, cs = start_class()
    student = browser(1, query={"join": cs.code})
    name = '<a href="http://x">hi</a> [x](http://y) %{y}'
    student.session_state["classroom"].rename(name)
    student.run()
    banner = next(m.value for m in student.markdown if "In class" in m.value)
    assert plain(name[:24].strip()) in banner and "](http" not in banner
    stored = student.session_state["classroom"].nickname
    curves = [{"name": stored, "steps": [1, 2], "losses": [1.0, 0.5]}] * 2
    fig = F.class_curves(curves, curve_band([(c["steps"], c["losses"]) for c in curves]), "en").to_dict()
    assert "<a href" not in json.dumps(fig) and "&lt;a href" in json.dumps(fig)
    scatter = F.settings_scatter([{"name": stored, "hidden": 12, "lr": 0.1, "solved_step": None}], "hidden", "lr")
    assert "<a href" not in json.dumps(scatter.to_dict())

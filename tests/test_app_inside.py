"""The Inside page through Streamlit's AppTest (no browser): both languages, with and without a
trained model, the solve button, ablation, the hand-wired network, GRU tabs, operands, and
sections 3-6 computed only once opened."""

import json

import pytest
from apptest import open_app, widget
from streamlit.testing.v1 import AppTest

from rnn import Config, Trainer
from rnn import analysis as A
from rnn.analysis import train_until_solved
from rnn_app.inside import cache
from rnn_app.inside.state import ON_DEMAND, InsideState
from rnn_app.train.state import TrainState
from rnn_app.ui.strings import t

SECTIONS = [f"inside.s{k}.title" for k in range(1, 8)]


@pytest.fixture(scope="module")
def solved_trainer():
    tr = Trainer(Config())
    assert train_until_solved(tr, 60.0)
    return tr


def open_page(lang="en", trainer=None, opened=ON_DEMAND, **state) -> AppTest:
    """The Inside page, with the on-demand sections `opened` (default: all of them)."""
    train = state.pop("train", None) or TrainState()
    if trainer is not None:
        train.run.trainer = trainer
    state.setdefault("inside", InsideState())
    state["inside"].opened.update(opened)
    return open_app("inside", timeout=120, lang=lang, train=train, **state)


def trainer_of(at: AppTest) -> Trainer:
    return at.session_state["train"].run.trainer


def texts(at) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.info]
    parts += [e.value for e in at.success] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


def charts(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_untrained_page_renders_every_section(lang):
    at = open_page(lang=lang)
    assert at.title[0].value == t("nav.inside", lang)
    assert [h.value for h in at.subheader] == [t(k, lang) for k in SECTIONS]
    assert at.button(key="inside.solve").label == t("inside.button.solve", lang)
    assert t("inside.untrained", lang) in texts(at)
    assert len(charts(at)) >= 6  # hidden, correlations, scatter, gradients, length, weights
    assert [e.label for e in at.expander][:4] == [t(f"inside.open.{n}", lang) for n in ON_DEMAND]
    assert all(e.proto.expanded for e in at.expander[:4])
    assert trainer_of(at).steps == 0  # looking never trains


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_fresh_page_draws_the_first_two_sections_and_closes_the_rest(lang):
    at = open_page(lang=lang, opened=())
    assert [h.value for h in at.subheader] == [t(k, lang) for k in SECTIONS]  # every title and intro: a lesson
    assert t("inside.s3.intro", lang) in texts(at) and t("inside.open.note", lang) in texts(at)
    assert [c.key for c in at.get("plotly_chart")] == ["inside.chart.hidden", "inside.chart.corr"]
    closed = at.expander[:4]
    assert [e.label for e in closed] == [t(f"inside.open.{n}", lang) for n in ON_DEMAND]
    assert not any(e.proto.expanded or e.children for e in closed)
    assert not at.latex and not any(b.key == "inside.compare_button" for b in at.button)


def test_a_closed_section_costs_nothing_until_opened(monkeypatch):
    """Opening the page never computes the length curve (the costliest analysis of a section);
    opening section 5 computes it once, and only its section's fragment is needed for that."""
    calls = []
    real = A.length_generalisation
    monkeypatch.setattr(A, "length_generalisation", lambda *a, **k: calls.append(1) or real(*a, **k))
    cache.SHARED.clear()  # another test may have computed it for the same (default) network
    at = open_page(opened=())
    assert calls == [] and "inside.chart.length" not in [c.key for c in at.get("plotly_chart")]
    at.session_state["inside"].show("length")  # what the expander's callback does when it is opened
    at.run()
    assert calls == [1] and "inside.chart.length" in [c.key for c in at.get("plotly_chart")]
    at.session_state["inside"].show("length", False)
    at.run()
    assert "inside.chart.length" not in [c.key for c in at.get("plotly_chart")]
    assert at.session_state["inside"].opened == set()


def test_the_lesson_lands_with_the_section_it_talks_about_open():
    """The lesson's "gates" step opens the Inside page at its gradients, drawn (not a closed section)."""
    from rnn_app.lesson.steps import STEPS, step_index

    gates = STEPS[step_index("gates")]
    assert gates.setup.page == "inside" and gates.setup.anchor == "gradients"
    at = open_app("train", timeout=120)
    at.switch_page("rnn_app/lesson/page.py").run()
    at.session_state["lesson"].go(step_index("gates"))
    at.run()
    at.button(key="lesson.go.gates").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["inside"].opened == {"gradients"}
    assert "inside.chart.grad" in [c.key for c in at.get("plotly_chart")] and len(at.latex) == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trained_page_renders_without_solve_button(lang, solved_trainer):
    at = open_page(lang=lang, trainer=solved_trainer)
    assert not any(b.key == "inside.solve" for b in at.button)
    assert t("inside.status.solved", lang, step=solved_trainer.solved_step) in texts(at)
    assert len(at.latex) == 1 and "W_{hh}" in at.latex[0].value
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("inside.s2.with", lang)] == "100.0 %"
    title = t("inside.fig.plane_title", lang, c="100.0 %", s="100.0 %")
    assert any(title in json.dumps(c["layout"].get("annotations"), ensure_ascii=False) for c in charts(at))


def test_solve_button_trains_and_keeps_the_trainer():
    at = open_page()
    before = trainer_of(at)
    at.button(key="inside.solve").click().run()
    assert not at.exception
    after = trainer_of(at)
    assert after is before and after.solved  # the viewer's own trainer, trained in place
    assert t("inside.solve.done", "en", steps=after.steps) in texts(at)
    assert not any(b.key == "inside.solve" for b in at.button)


def test_ablating_units_changes_the_accuracy(solved_trainer):
    at = open_page(trainer=solved_trainer)
    widget(at, "inside.ablate.mode").set_value("top").run()
    widget(at, "inside.ablate.k").set_value(solved_trainer.cfg.hidden).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    silenced = next(v for k, v in metrics.items() if k.startswith("with units "))
    assert silenced != "100.0 %"  # with every unit silent nothing can be added
    assert solved_trainer.accuracy() == 1.0  # and the model itself is untouched


def test_hand_wired_subject_has_a_carry_neuron():
    at = open_page(inside=InsideState(subject="hand"))
    body = texts(at)
    assert t("inside.status.hand", "en", bits=Config().bits) in body
    assert "Unit 2 is a carry neuron" in body


def test_hand_wired_section_and_perturbation():
    at = open_page(lang="zh")
    at.button(key="inside.hand.toggle").click().run()
    assert not at.exception
    acc = {m.label: m.value for m in at.metric}
    assert acc[t("inside.s7.acc", "zh", bits=64)] == "100.0 %"
    name = "inside.hand.value.Wh1.1_1"  # the carry's feedback into the carry unit (default choice)
    widget(at, name).set_value(0.0).run()
    assert not at.exception
    acc = {m.label: m.value for m in at.metric}
    assert acc[t("inside.s7.acc", "zh", bits=64)] != "100.0 %"
    at.button(key="inside.hand.reset").click().run()
    acc = {m.label: m.value for m in at.metric}
    assert acc[t("inside.s7.acc", "zh", bits=64)] == "100.0 %"


def test_gru_shows_gate_tabs_and_layer_choice():
    tr = Trainer(Config(cell="gru", hidden=6, layers=2))
    tr.step(3)
    at = open_page(trainer=tr)
    labels = [tab.label for tab in at.tabs]
    assert labels[:4] == ["hidden state h", "gate r", "gate z", "gate n"]
    assert widget(at, "inside.layer.2").value == 2
    widget(at, "inside.layer.2").set_value(1).run()
    assert not at.exception


def test_operands_follow_the_train_page_and_bad_input_is_explained():
    at = open_page(train=TrainState(a="5", b="0b11"))
    assert widget(at, "inside.operand.a").value == "5"
    assert "5 + 3 = 8" in texts(at)
    widget(at, "inside.operand.a").input("abc").run()
    assert not at.exception
    assert t("operand.not_a_number", "en") in texts(at)

"""Generated inputs through AppTest, for every widget of every page: RNN_LAB_FUZZ inputs per page
(default 1000; `RNN_LAB_FUZZ=10000 make test` for a nightly-size run).

Each hypothesis example is one script run: it picks some of the widgets on the page now (at most
one button, as a browser sends one click), gives each a value a browser could send (sliders and
number boxes in their range, options, any text, generated files), and runs the page once. After
every run: no exception element, no section that failed to draw (rnn_app.ui.guard would hide a
bug as a warning), a page with its title, a model that changed only through a click or an accepted
upload (a new architecture is a new model; any other setting keeps the weights), and every
rejected input with its message next to it in the viewer's language. The session goes on from
run to run (and starts afresh every SESSION_RUNS runs, in a random language), as a student's does.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

import lesson_fuzz
import numpy as np
import pytest
from apptest import KINDS, PAGES, open_app
from fuzzing import PER_PAGE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from test_generated_inputs import idx_files, model_files, operand_text

from rnn.classifier import CLASSIFIER_CELLS
from rnn.config import ACTIVATIONS, CELLS, INITS, LOSSES, OPTIMIZERS, Config
from rnn.digits import MNIST_ROLES
from rnn.handwired import handwired_model, weight_names
from rnn_app.classroom.board import AXES, SWEEPS
from rnn_app.classroom.state import ClassState, store
from rnn_app.digits import settings as digits_settings
from rnn_app.digits.state import PRESETS as DIGITS_PRESETS
from rnn_app.inside.state import ON_DEMAND, InsideState
from rnn_app.lesson.steps import STEPS
from rnn_app.train import settings as train_settings
from rnn_app.train.presets import PRESETS
from rnn_app.train.state import SPEEDS, TrainState, new_run
from rnn_app.ui import identity
from rnn_app.ui.operands import feedback, parse_operand
from rnn_app.ui.strings import STRINGS, t

pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name")  # generated zips hold a member twice, on purpose

SESSION_RUNS = 25  # script runs before the fuzzer starts a new session (a reload)
MIN_PER_RUN, MAX_PER_RUN = 10, 24  # widgets picked for one run (those on the page now are set)


# ---- what a browser can send ------------------------------------------------------------------------
# Hypothesis draws the same way whatever the page shows (a raw number or text per chosen widget);
# the raw value is then mapped onto what the widget allows now (its range, its options). Draws that
# depended on the page would make hypothesis see "flaky" data generation.
UNIT = st.one_of(st.sampled_from([0.0, 1.0, 0.5]), st.floats(0, 1))
INDEX = st.integers(0, 2**16)


def on_range(el, u: float):
    """The value a fraction u of the way along a slider's grid or a number box's range."""
    if el.type == "slider":
        lo, hi, step = el.proto.min, el.proto.max, el.proto.step or 1
        if isinstance(el.value, int):
            return int(round(lo + u * (hi - lo)))
        return round(lo + round(u * (hi - lo) / step) * step, 6)
    lo = el.min if el.min is not None else -1e9
    hi = el.max if el.max is not None else 1e9
    if isinstance(el.value, int):
        return int(min(hi, lo + int(u * (hi - lo + 1))))
    return min(max(round(lo + u * (hi - lo), 2), lo), hi)  # the box shows 2 decimals


def mnist_upload() -> st.SearchStrategy:
    """Four files under MNIST's names (each generated: valid, cut, flipped, noise), or other names."""
    names = st.sampled_from([*MNIST_ROLES.values(), "train-images-idx3-ubyte.gz", "notes.txt", "t10k-labels.idx1-ubyte"])
    return st.lists(st.tuples(names, idx_files()), min_size=1, max_size=5).map(
        lambda files: [(n, b, "application/octet-stream") for n, b in files])


@dataclass
class Widget:
    pattern: str  # the widget's name (apptest.widget), or a button / uploader key pattern
    choices: Callable[[AppTest], list] | None = None  # option widgets: the values it offers now
    kind: str = "widget"  # "widget" | "button" | "upload"
    files: st.SearchStrategy | None = None  # uploads: what is uploaded
    rare: bool = False  # on the page only now and then (Pause: right after Train): not required to be hit
    weight: int = 1  # picked this many times as often (a widget that is on the page only in one state)
    covers: tuple[str, ...] = ()  # a pattern for several buttons: the keys it must click at least once

    def raw(self) -> st.SearchStrategy:
        if self.kind == "upload":
            return self.files
        return st.tuples(INDEX, UNIT, operand_text)

    def value(self, at: AppTest, el, raw):
        index, u, typed = raw
        if self.choices is not None:
            values = list(self.choices(at))
            return values[index % len(values)]
        if el.type in ("slider", "number_input"):
            return on_range(el, u)
        if el.type == "toggle":
            return bool(index % 2)
        if el.type == "text_input":
            return typed[: el.proto.max_chars] if el.proto.max_chars else typed
        raise AssertionError(f"no values for {self.pattern} ({el.type})")


def options(values) -> Callable[[AppTest], list]:
    values = list(values)
    return lambda at: values


@dataclass
class Page:
    name: str
    widgets: list[Widget]
    state: str | None = None  # the session key of the page's state with a run (Train, Digits)
    inputs: int = 0
    runs: int = 0
    seen: set = field(default_factory=set)  # widget patterns given a value at least once
    per_run: tuple[int, int] = (MIN_PER_RUN, MAX_PER_RUN)  # widgets picked for one run
    clicks: int = 3  # a click in one run of this many
    aim: set = field(default_factory=set)  # widgets (indices) the runs aim at: those not yet given a value

    def unmet(self) -> dict[int, set[str]]:
        """The widgets still owed a value: index -> its pattern (unless rare) and the keys of its
        `covers` not clicked yet."""
        unmet = {}
        for i, w in enumerate(self.widgets):
            names = set() if w.rare or w.pattern in self.seen else {w.pattern}
            names |= {c for c in w.covers if not any(fnmatchcase(k, c) for k in self.seen)}
            if names:
                unmet[i] = names
        return unmet


def present(at: AppTest, w: Widget):
    """The enabled widget(s) matching w on the page now."""
    if w.kind == "button":
        return [b for b in at.button if fnmatchcase(b.key or "", w.pattern) and not b.disabled]
    if w.kind == "upload":
        return [u for u in at.file_uploader if fnmatchcase(u.key or "", w.pattern)]
    found = [x for kind in KINDS for x in at.get(kind) if fnmatchcase((x.key or "").split("@")[0], w.pattern)]
    return [x for x in found if not getattr(x, "disabled", False)]


# ---- the pages' widgets -----------------------------------------------------------------------------
LANG = Widget("lang", options(["en", "zh"]))
TRAIN = [
    LANG,
    Widget("train.preset.*", options(p.id for p in PRESETS)),
    Widget("train.w.cell", options(CELLS)), Widget("train.w.activation", options(ACTIVATIONS)),
    Widget("train.w.hidden"), Widget("train.w.lr", options(train_settings.LR_GRID)),
    Widget("train.w.optimizer", options(OPTIMIZERS)), Widget("train.w.layers", options((1, 2, 3))),
    Widget("train.w.batch", options(train_settings.BATCHES)), Widget("train.w.bits"),
    Widget("train.speed", options(SPEEDS)), Widget("train.w.loss", options(LOSSES)),
    Widget("train.w.init", options(INITS)), Widget("train.w.clip"), Widget("train.w.dropout"), Widget("train.w.seed"),
    Widget("train.operand.a"), Widget("train.operand.b"),
    Widget("train.upload_model", kind="upload",
           files=model_files("train").map(lambda b: ("model.npz", b, "application/zip"))),
    *(Widget(f"train.button.{b}", kind="button", rare=b == "pause") for b in ("train", "pause", "step", "reset")),
]  # fmt: skip
DIGITS = [
    LANG,
    Widget("digits.preset.*", options(DIGITS_PRESETS)), Widget("digits.w.cell", options(CLASSIFIER_CELLS)),
    Widget("digits.w.layers", options((1, 2, 3))), Widget("digits.w.hidden", options(digits_settings.HIDDEN)),
    Widget("digits.w.lr", options(digits_settings.LR_GRID)), Widget("digits.w.batch", options(digits_settings.BATCHES)),
    Widget("digits.w.clip"), Widget("digits.w.seed"), Widget("digits.index"),
    Widget("digits.section", options(["mistakes", "draw"])),
    Widget("digits.mistake", lambda at: mistake_cells(at)),
    Widget("digits.upload_model", kind="upload", files=model_files("digits").map(lambda b: ("m.npz", b, "application/zip"))),
    Widget("digits.upload#*", kind="upload", files=mnist_upload()),
    *(Widget(f"digits.button.{b}", kind="button", rare=b == "pause") for b in ("train", "pause", "step", "reset")),
    Widget("digits.random", kind="button"), Widget("digits.next_wrong", kind="button"),
]  # fmt: skip
HAND_WEIGHTS = len(weight_names(handwired_model()))
INSIDE = [
    LANG,
    Widget("inside.subject", options(["trained", "hand"])),
    Widget("inside.layer.*", lambda at: range(1, at.session_state["train"].run.cfg.layers + 1)),
    Widget("inside.operand.a"), Widget("inside.operand.b"),
    Widget("inside.ablate.mode", options(["one", "top"])), Widget("inside.ablate.k"),
    Widget("inside.ablate.unit.*", lambda at: range(subject_hidden(at))),
    Widget("inside.grad.bits"), Widget("inside.grad.compare"), Widget("inside.grad.scale"),
    Widget("inside.grad.clip_on"), Widget("inside.grad.clip"),
    Widget("inside.hand.weight", options(range(HAND_WEIGHTS))), Widget("inside.hand.value.*"),
    Widget("inside.hand.toggle", kind="button"), Widget("inside.hand.reset", kind="button"),
    Widget("inside.compare_button", kind="button"), Widget("inside.solve", kind="button"),
]  # fmt: skip
CLASS = [
    LANG,
    Widget("class.join.code"),  # any text; a class's real code now and then (class_page's sessions)
    Widget("class.join", kind="button"), Widget("class.start", kind="button"),
    Widget("class.nickname"),
    Widget("class.leave.page", kind="button"),
    Widget("class.axis.x", options(AXES)), Widget("class.axis.y", options(AXES)),
    Widget("class.push.mode", options(["suggest", "follow"])), Widget("class.push", kind="button"),
    Widget("class.sweep.field", options([*SWEEPS, "cell"])),
    Widget("class.sweep.from.*"), Widget("class.sweep.to.*"), Widget("class.sweep.n.*"),
    Widget("class.sweep", kind="button"), Widget("class.sweep.stop", kind="button"),
    Widget("class.clear", kind="button"), Widget("class.close", kind="button"),
]  # fmt: skip

# A few widgets a run, the quiz's most often: a round takes a Check per column, on the step that
# holds it. "lesson.quiz.*" is whichever of Start, Harder round and Check is on the page now.
LESSON = [
    LANG,
    Widget("lesson.step", options([*[lesson_fuzz.QUIZ] * 3 * len(STEPS), *range(len(STEPS))]), weight=2),  # the quiz's most
    Widget("lesson.q.*", lambda at: range(STEPS[at.session_state["lesson"].step].options)),
    Widget("lesson.quiz.a"), Widget("lesson.quiz.b"),  # any text, and now and then a number that fits
    *(Widget(f"lesson.quiz.{n}", options(["11", "7", "0", "127", "0b1011", "0x7f"])) for n in "ab"),
    Widget("lesson.quiz.sum.*", options([0, 1]), weight=6), Widget("lesson.quiz.carry.*", options([0, 1]), weight=6),
    Widget("lesson.quiz.net.*", options([True, False]), weight=6),
    Widget("link.dismiss", kind="button", rare=True),  # a session opened with a bad link
    *(Widget(f"lesson.{b}", kind="button") for b in ("prev", "next", "go.*")),
    Widget("lesson.quiz.hard", kind="button"), Widget("lesson.quiz.*", kind="button", weight=12,
                                                           covers=("lesson.quiz.start", "lesson.quiz.check.*")),
]  # fmt: skip


def mistake_cells(at: AppTest) -> list[str]:
    """The cells the mistakes picker offers as drawn (the live loop may have trained since)."""
    el = next(x for x in at.selectbox if (x.key or "").startswith("digits.mistake@"))

    def label(cell):
        try:
            return el.format_func(cell)
        except KeyError:  # not a cell of the drawn picker
            return None

    cells = [f"{i},{j}" for i in range(10) for j in range(10) if i != j]
    return [c for c in cells if label(c) in el.options]


def subject_hidden(at: AppTest) -> int:
    return 3 if at.session_state["inside"].subject == "hand" else at.session_state["train"].run.cfg.hidden


# ---- the checks ----------------------------------------------------------------------------------------
def failed_sections(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if w.value in (t("harden.section_failed", "en"), t("harden.section_failed", "zh"))]


def template(key: str, lang: str) -> re.Pattern:
    """A message of the strings table with any value in its fields."""
    parts = re.split(r"\{[a-z_]+\}", STRINGS[key][lang])
    return re.compile(".*".join(re.escape(p) for p in parts), re.S)


def model(at: AppTest, key: str):
    run = at.session_state[key].run
    return run.trainer, run.cfg.architecture(), run.trainer.model.flat.copy(), run.trainer.steps


JOIN_REFUSALS = ("class.join.unknown", "class.join.expired", "class.join.closed", "class.join.full",
                 "class.join.unavailable")  # fmt: skip


def check(page: Page, at: AppTest, before, clicked: bool, uploaded: str | None, button: str | None = None) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not failed_sections(at), "a section failed to draw (its traceback is in the log)"
    assert at.title and at.title[0].value, "a blank page"
    lang = at.session_state["lang"]
    if page.state:
        state = at.session_state[page.state]
        state.loop.max_updates = 1  # AppTest never leaves the live loop on its own
        trainer, arch, weights, steps = model(at, page.state)
        if uploaded == page.state and state.upload[0] is not None:  # a refused model: named, nothing changed
            assert any(template("transfer.refused", lang).fullmatch(e.value) for e in at.error)
            assert state.run.trainer is before[0] and np.array_equal(weights, before[2])
        elif not clicked and uploaded != page.state and not (uploaded == "mnist" and state.data_error is None):
            if arch == before[1]:  # the same model: nothing trained, the weights as they were
                assert steps == before[3], "a widget trained the model"
                assert np.array_equal(weights, before[2]), "a setting that keeps the architecture changed the weights"
            else:  # a new architecture: a new, untrained model
                assert trainer is not before[0] and steps == 0
        if uploaded == "mnist" and state.data_error is not None:
            assert any(template("digits.data.error", lang).fullmatch(e.value) for e in at.error)
    if page.name == "train":
        state = at.session_state["train"]
        shown = {m.value for m in at.markdown}
        for text_ in state.operand_texts():
            assert feedback(parse_operand(text_, state.run.cfg.bits), state.run.cfg.bits, lang) in shown, text_
    if page.name == "inside":
        inside, bits = at.session_state["inside"], at.session_state["train"].run.cfg.bits
        shown = {m.value for m in at.markdown} | {c.value for c in at.caption}
        for text_ in (inside.a, inside.b):
            assert feedback(parse_operand(text_, bits), bits, lang) in shown, text_
        if not clicked:
            assert at.session_state["train"].run.trainer.steps == before[3]
    if page.name == "lesson":
        lesson_fuzz.check(at, before, button, lang)
    if button == "class.join" and at.session_state["classroom"].role != "student":
        typed = at.session_state["class.join.code"] if "class.join.code" in at.session_state else ""
        if typed:  # a code that joins nothing: said under the title, in the viewer's language
            assert any(template(k, lang).fullmatch(e.value) for k in JOIN_REFUSALS for e in at.error), typed


# ---- the engine ------------------------------------------------------------------------------------------
def one_run(page: Page, at: AppTest, data) -> None:
    uploaders = [i for i, w in enumerate(page.widgets) if w.kind == "upload"]
    if uploaders and data.draw(st.integers(0, 5), label="a file?") == 0:  # a file comes on its own
        picks = [data.draw(st.sampled_from(uploaders), label="uploader")]
    else:  # settings; a click in one run of page.clicks (three: it trains, which costs most)
        click = data.draw(st.integers(1, page.clicks), label="a click?") == 1
        click |= any(page.widgets[i].kind == "button" for i in page.aim)
        others = [i for i, w in enumerate(page.widgets) if w.kind == "widget" or (click and w.kind == "button")
                  for _ in range(w.weight)]  # fmt: skip
        if page.aim:  # aimed: only the widgets still owed a value
            others = [i for i in others if i in page.aim]
        others = others or [i for i, w in enumerate(page.widgets) if w.kind == "widget"]
        low, high = (min(k, len(set(others))) for k in page.per_run)
        picks = data.draw(st.lists(st.sampled_from(others), min_size=low, max_size=high, unique=True))
    raws = [data.draw(page.widgets[i].raw(), label=page.widgets[i].pattern) for i in picks]
    if page.state:
        before = model(at, page.state)
    elif page.name == "inside":
        before = (None, None, None, at.session_state["train"].run.trainer.steps)
    elif page.name == "lesson":
        before = lesson_fuzz.before(at)
    else:
        before = None
    button = uploaded = clicked = None
    for i, raw in zip(picks, raws):
        w = page.widgets[i]
        found = present(at, w)
        if not found:
            continue
        el = found[0]
        if w.kind == "button":
            if button is None:  # one click per run, as a browser sends it
                button, clicked = el.click(), el.key  # the button's own key (a pattern may match several)
            else:
                continue
        elif w.kind == "upload":
            el.set_value(raw)
            uploaded = "mnist" if w.pattern == "digits.upload#*" else page.state
        else:
            value = w.value(at, el, raw)
            el.set_value(value)
        page.inputs += 1
        page.seen |= {w.pattern, el.key} if w.kind == "button" else {w.pattern}
    at.run()
    page.runs += 1
    check(page, at, before, button is not None, uploaded, clicked)


def fuzz(page: Page, new_session: Callable[[int], AppTest]) -> None:
    session = {"at": None, "runs": 0, "n": 0}

    # derandomize=False: under CI=true hypothesis derandomizes by default, and each call would
    # then replay the same ten examples (the same widgets every time)
    @settings(max_examples=10, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):  # ten script runs; called until the page has had its inputs
        if session["at"] is None or session["runs"] >= SESSION_RUNS:
            session["at"] = new_session(session["n"])
            session["runs"], session["n"] = 0, session["n"] + 1
            if page.state:
                session["at"].session_state[page.state].loop.max_updates = 1
        one_run(page, session["at"], data)
        session["runs"] += 1

    while page.inputs < PER_PAGE:
        run()
    # a random run now and then misses a widget (Digits' Step, once in ~10 runs): more runs, aimed
    # at the widgets not given a value yet, at most PER_PAGE // 2 more inputs, before the check
    budget, aimed = page.inputs + PER_PAGE // 2, page.runs
    for _ in range(20):  # (ten script runs each) a widget that never shows stops it too
        page.aim = set(page.unmet())
        if not page.aim or page.inputs >= budget:
            break
        run()
    page.aim, aimed = set(), page.runs - aimed
    never = set().union(*page.unmet().values())
    assert PER_PAGE < 1000 or not never, f"widgets never given a value: {sorted(never)}"  # a short run may miss some
    print(f"\n{page.name}: {page.inputs} generated inputs in {page.runs} script runs, {session['n']} sessions"
          + (f" ({aimed} runs aimed at widgets the others missed)" if aimed else ""))


def lang_of(n: int) -> str:
    return ("en", "zh")[n % 2]


@pytest.fixture(autouse=True)
def quick(tmp_path, monkeypatch):
    """Its own run store, and no waiting: the adder evaluated on fewer pairs, the board's and a
    student's idle loops do not sleep, the Inside page's "train until it adds" and the cell
    comparison train for a moment. What is checked does not depend on these sizes."""
    from rnn import analysis, data
    from rnn.digits import load_digits8x8
    from rnn_app.classroom import board, student
    from rnn_app.digits import state as digits_state
    from rnn_app.inside import sections
    from rnn_app.lesson import quiz

    monkeypatch.setenv("RNN_LAB_DATA", str(tmp_path))
    # a paused run is evaluated in full: 65 536 pairs take an LSTM of 3 x 128 units ~20 s here
    monkeypatch.setattr(data, "SAMPLE_PAIRS", 2048)
    monkeypatch.setattr(data, "ALL_PAIRS_MAX_BITS", 5)
    bundled = load_digits8x8()  # the digits page evaluated on a fifth of the 8x8 test images
    small = dataclasses.replace(bundled, test_images=bundled.test_images[::5], test_labels=bundled.test_labels[::5])
    monkeypatch.setattr(digits_state, "load_digits8x8", lambda: small)
    monkeypatch.setattr(digits_settings, "load_digits8x8", lambda: small)
    monkeypatch.setattr(board, "REFRESH", 0.0)
    monkeypatch.setattr(student, "POLL_EVERY", 0.0)
    monkeypatch.setattr(sections, "COMPARE_SECONDS", 0.05)
    halfway = quiz.halfway  # the harder round's network stopped halfway: trained for a moment
    monkeypatch.setattr(quiz, "halfway", lambda *a, **k: halfway(*a, **{**k, "seconds": 0.05}))
    solve = analysis.train_until_solved
    monkeypatch.setattr(analysis, "train_until_solved", lambda trainer, seconds, *a, **k: solve(trainer, 0.2, *a, **k))


def test_train_page_takes_any_input():
    page = Page("train", TRAIN, state="train")
    fuzz(page, lambda n: open_app("train", lang=lang_of(n)))


def test_digits_page_takes_any_input():
    page = Page("digits", DIGITS, state="digits")
    fuzz(page, lambda n: open_app("digits", timeout=120, lang=lang_of(n)))


INSIDE_SETUPS = [Config(), Config(cell="lstm", hidden=8, layers=2), Config(cell="gru", hidden=6, bits=4, seed=3)]


def test_inside_page_takes_any_input():
    page = Page("inside", INSIDE)

    def session(n):
        opened = set(ON_DEMAND) if n % 4 else set()  # sections 3-6 open (their widgets drawn), or closed
        return open_app("inside", timeout=120, lang=lang_of(n), train=TrainState(run=new_run(INSIDE_SETUPS[n % 3])),
                        inside=InsideState(opened=opened))  # fmt: skip

    fuzz(page, session)


def test_class_page_takes_any_input(monkeypatch):
    from rnn_app.store import ClassStore

    monkeypatch.setattr(identity, "session_id", lambda: "session")
    ClassStore.from_env().min_interval = 0.0
    page = Page("class", CLASS)

    def session(n):
        ids = {"tab": f"{n:032x}", "train": f"{n + 100:032x}", "digits": f"{n + 200:032x}", "class": None,
               "teacher": None}  # fmt: skip
        at = open_app(identity={"ids": ids}, classroom=ClassState(max_loops=1), lang=lang_of(n))
        at.switch_page(PAGES["class"]).run()
        if n % 3 == 1:  # a teacher from the start
            at.button(key="class.start").click().run()
        elif n % 3 == 2:  # a student of a class a teacher just started
            at.text_input(key="class.join.code").input(store().create_class().code).run()
            at.button(key="class.join").click().run()
            assert at.session_state["classroom"].role == "student"
        return at

    fuzz(page, session)


def test_lesson_page_takes_any_input(monkeypatch):
    monkeypatch.setattr(identity, "session_id", lambda: "session")
    page = Page("lesson", LESSON, per_run=(2, 5), clicks=2)
    fuzz(page, lesson_fuzz.Sessions(open_app, lang_of))
    print(f"lesson: {lesson_fuzz.CHECKED} columns checked, {lesson_fuzz.FINISHED} rounds finished")

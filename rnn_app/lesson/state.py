"""The Lesson page's per-viewer state: one typed object under one session key ("lesson").

Progress (the step, the answers, the exercise in progress and the scores) is kept like a run
(rnn_app.store, kind "lesson", under this browser tab's own lesson id from rnn_app.ui.identity):
a reload, a dropped connection or a server restart finds it again. The step is also in the URL
(/lesson?step=4): a link opens that step, for anybody; the scores are the student's own and never
go into a link.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from rnn_app.lesson.quiz import Round, Tally
from rnn_app.lesson.steps import STEPS
from rnn_app.store import RunStore, new_id, writer
from rnn_app.ui import identity
from rnn_app.ui.links import MAX_TEXT
from rnn_app.ui.persist import Binding
from rnn_app.ui.widgets import page_state

KEY = "lesson"  # the session key of this object, and the store's kind


@dataclass
class LessonState:
    step: int = 0  # index into STEPS
    answers: dict = field(default_factory=dict)  # step id -> the option chosen (revealed once chosen)
    round: Round | None = None  # the predict-then-reveal exercise in progress (or just finished)
    tally: Tally = field(default_factory=Tally)  # every round's score, per kind of column
    a: str | None = None  # the quiz's numbers as typed (None: the Train page's)
    b: str | None = None
    hard_seed: int = 0  # which harder round comes next
    away: str | None = None  # the id of the step whose button opened another page (its banner)
    version: int = 0  # of the lesson's widgets: bumped when a value changes from elsewhere
    link_read: bool = False
    link_errors: list = field(default_factory=list)  # values of the URL refused, until dismissed
    binding: Binding | None = None

    # ---- moving around --------------------------------------------------------------------
    def go(self, index: int) -> None:
        self.step = max(0, min(int(index), len(STEPS) - 1))
        self.version += 1

    def choose(self, step_id: str, option: int | None) -> None:
        """The question's answer (predict), revealed at once; a second choice replaces it."""
        if option is not None:
            self.answers[step_id] = int(option)
            self.version += 1  # the step list's labels change (a tick): new widgets, not stale labels

    @property
    def questions_right(self) -> int:
        return sum(self.answers.get(s.id) == s.answer for s in STEPS)

    # ---- predict then reveal --------------------------------------------------------------
    def start(self, rnd: Round) -> None:
        self.round = rnd
        self.version += 1

    def guess(self, sum_bit: int, carry: int, net_right: bool | None = None) -> None:
        rnd = self.round
        if rnd is None or rnd.done:
            return
        column = rnd.columns[rnd.current]
        self.tally.add(column, rnd.answer(sum_bit, carry, net_right))
        if rnd.done:
            self.tally.rounds += 1
        self.version += 1

    # ---- stored as JSON -------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"step": self.step, "answers": self.answers, "tally": self.tally.to_dict(), "a": self.a, "b": self.b,
                "round": None if self.round is None else self.round.to_dict(), "hard_seed": self.hard_seed,
                "away": self.away}  # fmt: skip

    def load(self, d: dict) -> None:
        """Progress as stored; ValueError (nothing changed) if it is not usable."""
        try:
            step = int(d["step"])
            answers = {str(k): int(v) for k, v in d["answers"].items() if any(s.id == k for s in STEPS)}
            tally = Tally.from_dict(d["tally"])
            rnd = None if d.get("round") is None else Round.from_dict(d["round"])
            texts = [v if isinstance(v, str) and len(v) <= MAX_TEXT else None for v in (d.get("a"), d.get("b"))]
            away = d.get("away") if any(s.id == d.get("away") for s in STEPS) else None
            seed = int(d.get("hard_seed", 0))
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise ValueError(f"unusable lesson progress: {e}") from e
        self.step = max(0, min(step, len(STEPS) - 1))
        self.answers, self.tally, self.round, (self.a, self.b), self.away = answers, tally, rnd, texts, away
        self.hard_seed = seed
        self.version += 1


def lesson_state() -> LessonState:
    return page_state(KEY, LessonState)


# ---- kept outside the session (rnn_app.store), like a page's run ---------------------------------
def store() -> RunStore:
    return RunStore.from_env()


def restore(state: LessonState, on_restored=None) -> None:
    """Once the browser has said which lesson is this tab's: take its stored progress back.
    on_restored(state) runs after a restore (the page re-applies its link's step)."""
    if state.binding is not None:
        if state.binding.lost:  # another tab took the row over: go on as a copy
            state.binding.run_id, state.binding.lost, state.binding.saved = new_id(), False, None
            identity.assign(KEY, state.binding.run_id)
        return
    ids = identity.ids()
    if ids is None:
        return
    claim = store().claim(ids.get(KEY), KEY, ids.get("tab"), identity.session_id())
    if claim.status in ("owned", "busy") and claim.data:
        try:
            state.load(json.loads(claim.data.decode()))
            if on_restored is not None:
                on_restored(state)
        except (ValueError, UnicodeDecodeError):
            pass  # unusable progress: start the lesson afresh
    if claim.run_id != ids.get(KEY):
        identity.assign(KEY, claim.run_id)
    state.binding = Binding(claim.run_id, ids.get("tab"))


def save(state: LessonState) -> None:
    """Store the progress if it changed (on the store's writer thread; a few hundred bytes)."""
    binding = state.binding
    if binding is None:
        return
    data = json.dumps(state.to_dict()).encode()
    if data == binding.saved:
        return
    binding.saved, binding.saved_at = data, time.monotonic()

    def lost() -> None:
        binding.lost = True

    writer.submit(
        store(), binding.run_id, KEY, binding.tab, identity.session_id(), lambda: (data, {}), on_lost=lost
    )


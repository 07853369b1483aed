"""The lesson's content as data: each step's page, the setup its button gives that page, and its
question. Texts live in the strings table (rnn_app/ui/strings/lesson.py) under lesson.<id>.*.

No streamlit here: tests check every step's setup against the pages' own ranges and presets.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Setup:
    """What a step's button does before it opens `page`."""

    page: str  # "train" | "inside" | "digits"
    preset: str | None = None  # Train: a preset id (rnn_app.train.presets); Digits: a PRESETS key
    changes: dict = field(default_factory=dict)  # Config fields that differ from the preset
    fresh: bool = False  # a new, untrained network (else the run keeps what it can, as for a preset)
    speed: int | None = None  # Train: steps per update (0: as fast as it goes); None: unchanged
    operands: tuple[str, str] | None = None  # Train: (a, b) as typed; "quiz": the quiz's own numbers
    solve: bool = False  # train the network until it adds first (the Inside page needs one that does)
    inside: dict = field(default_factory=dict)  # Inside: InsideState fields (grad_bits, subject, ...)
    index: int | None = None  # Digits: the test image shown
    anchor: str | None = None  # the section of the page the step talks about


@dataclass(frozen=True)
class Step:
    id: str  # strings: lesson.<id>.title, .text, .button, .question, .option.<k>, .explain
    setup: Setup
    options: int  # number of answers to the question
    answer: int  # the right one (0-based)
    quiz: bool = False  # the step holds the predict-then-reveal exercise


STEPS: tuple[Step, ...] = (
    Step("carry", Setup("train", preset="fast", operands=("11", "7")), options=3, answer=0),
    Step(
        "train",
        Setup("train", preset="classic", fresh=True, speed=0, operands=(None, None)),
        options=3,
        answer=1,
    ),
    Step("predict", Setup("train", operands="quiz"), options=3, answer=2, quiz=True),
    Step(
        "lr",
        Setup(
            "train",
            preset="fast",
            changes={"optimizer": "momentum", "lr": 1.0},
            fresh=True,
            speed=25,
            operands=(None, None),
        ),
        options=3,
        answer=1,
    ),  # fmt: skip
    Step(
        "hidden",
        Setup("train", preset="fast", changes={"hidden": 2}, fresh=True, speed=0, operands=(None, None)),
        options=3,
        answer=0,
    ),  # fmt: skip
    Step(
        "gates",
        Setup(
            "inside",
            preset="fast",
            inside={
                "subject": "trained",
                "grad_bits": 16,
                "grad_compare": True,
                "grad_scale": 1.0,
                "grad_clip_on": False,
            },
            anchor="gradients",
        ),
        options=3,
        answer=2,
    ),  # fmt: skip
    Step(
        "inside",
        Setup(
            "inside",
            preset="fast",
            solve=True,
            inside={"subject": "trained", "hand_shown": True},
            anchor="carry",
        ),
        options=3,
        answer=1,
    ),  # fmt: skip
    Step("digits", Setup("digits", preset="default", index=7), options=3, answer=0),
)


def step_index(step_id: str) -> int | None:
    return next((i for i, s in enumerate(STEPS) if s.id == step_id), None)

"""A step's button: give the page it talks about the step's setup, then open that page.

The setup goes straight into that page's own state object (as the teacher's "Follow me" does,
rnn_app.classroom.student.use): the page draws its widgets from it, so what it shows is what the
step said. Before anything changes, the page's stored run is found again (rnn_app.ui.persist), so
that the page, opened next, does not bring an older run back over the step's setup.
"""

from __future__ import annotations

from rnn import Config, Trainer
from rnn import analysis as A
from rnn_app.lesson.steps import Setup
from rnn_app.train.presets import preset_by_id

SOLVE_SECONDS = 4.0  # at most, to train the network until it adds (as the Inside page's button)


def train_config(setup: Setup, current: Config) -> Config:
    """The Train page's config a setup asks for: its preset and changes (none: the one in use)."""
    base = preset_by_id(setup.preset).make() if setup.preset else current
    return base.replace(**setup.changes) if setup.changes else base


def apply_train(setup: Setup, operands: tuple[str | None, str | None] | None = None) -> None:
    """The Train page's run, settings, speed and operands as the setup says."""
    from rnn_app.train.saved import KIND
    from rnn_app.train.state import new_run, train_state
    from rnn_app.ui import persist

    state = train_state()
    persist.restore(state, KIND)
    state.link_read = True  # the step's setup, not a link the session was opened with
    cfg = train_config(setup, state.run.cfg)
    if setup.fresh:
        state.run.pause()
        state.run = new_run(cfg)  # untrained, from the seed: the same curve every time
        state.error = None
    elif cfg != state.run.cfg:
        state.use_setup(cfg)  # the run keeps what it can, as for a preset
    if setup.solve:
        run = state.run
        run.pause()
        if run.trainer.diverged:
            state.run = new_run(cfg)
            run = state.run
        if not run.trainer.solved:
            A.train_until_solved(run.trainer, SOLVE_SECONDS)
    if setup.speed is not None:
        state.speed = setup.speed
    if setup.operands is not None:
        a, b = operands if setup.operands == "quiz" else setup.operands
        state.a, state.b = a, b
    state.version += 1
    state.operand_version += 1


def apply_inside(setup: Setup) -> None:
    from rnn_app.inside.state import inside_state

    state = inside_state()
    for name, value in setup.inside.items():
        setattr(state, name, value)
    if setup.anchor:  # the section the step talks about is open when the student lands there
        state.show(setup.anchor)


def apply_digits(setup: Setup) -> None:
    from rnn_app.digits.saved import KIND
    from rnn_app.digits.state import PRESETS, digits_state, new_run
    from rnn_app.ui import persist

    state = digits_state()
    persist.restore(state, KIND)
    state.link_read = True
    cfg = PRESETS[setup.preset]() if setup.preset else state.run.cfg
    if setup.fresh or not state.run.trainer.steps:
        state.run.pause()
        state.run = new_run(cfg, state.data)
    elif cfg != state.run.cfg:
        state.run.apply(cfg)
    if setup.index is not None:
        state.index = min(setup.index, state.data.test_labels.size - 1)
        state.index_version += 1
    state.version += 1


PAGES = {
    "train": "rnn_app/train/page.py",
    "inside": "rnn_app/inside/page.py",
    "digits": "rnn_app/digits/page.py",
}


def apply(setup: Setup, operands: tuple[str | None, str | None] | None = None) -> str:
    """Give the setup's page (and the Train page's run, which the Inside page looks at) the
    setup. Returns the page's script path, for st.switch_page."""
    if setup.page in ("train", "inside"):
        apply_train(setup, operands)
    if setup.page == "inside":
        apply_inside(setup)
    if setup.page == "digits":
        apply_digits(setup)
    return PAGES[setup.page]


def trainer_of(cfg):
    """A new adder trainer (for the harder round's halfway network)."""
    return Trainer(cfg)

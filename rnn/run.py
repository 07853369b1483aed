"""A run's life in one object: apply a config, advance for a time budget, take a snapshot.

    run = Run(Trainer(Config()), rebuild=Trainer)
    change = run.apply(cfg)        # which fields changed, and which of them needed a new model
    run.start()                    # Train pressed
    snap = run.advance(0.05)       # train for <= 50 ms, evaluate as often as a shared server affords
    if snap.stopped: ...           # newly solved or diverged: the run has paused itself

A page keeps one Run per viewer and only draws what snapshots say; every rule about what a
changed setting does to a run, when to evaluate and when training stops lives here. Works for any
trainer with the interface of rnn.Trainer (the adder) or rnn.classifier.ClassifierTrainer
(digits): cfg, steps, samples, history, solved_step, diverged, step, train_for, evaluate, reset,
set_lr, reconfigure; `estimate()` (a cheap live accuracy) is used when the trainer has one.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """What apply(cfg) did."""

    changed: tuple[str, ...] = ()  # config fields whose value changed
    rebuilt: tuple[str, ...] = ()  # the changed fields that need a new model (empty: weights kept)

    @property
    def new_model(self) -> bool:
        return bool(self.rebuilt)


@dataclass(frozen=True)
class Pacing:
    """How often a running run evaluates, so that a class sharing one server core keeps training.

    Paused, a snapshot holds a full evaluation (cached by the trainer until the next step), or the
    live estimate where a full one would take over max_cost."""

    share: float = 0.1  # at most this share of wall time goes to full evaluations while running
    max_cost: float = 1.5  # seconds: a slower full evaluation runs only to confirm a perfect estimate
    busy_gap: float = 10.0  # seconds between full evaluations while the server is busy
    estimate_gap: float = 0.5  # seconds between live estimates while busy (else every update)
    untrained: bool = False  # evaluate an untrained model too (else: nothing to show before step 1)


@dataclass(frozen=True)
class Snapshot:
    """What a page shows of a run at one moment."""

    step: int  # updates applied
    samples: int  # training samples seen
    loss: float | None  # the newest point of the loss curve (None before training or if not finite)
    evaluation: Any  # the newest evaluation (rnn.Evaluation, ClassifierEvaluation) or None
    rate: float | None  # steps per second over the last advance (None until Train has run)
    solved_step: int | None  # first step evaluated as solved
    diverged: str | None  # why training blew up, if it did
    running: bool  # training goes on after this snapshot
    stopped: str | None = None  # "solved" or "diverged" if this advance made the run pause itself
    # paused on the live estimate because a full evaluation costs too much: its predicted seconds
    full_cost: float | None = None


class Run:
    """The owner of one training run: its trainer, whether it is running, and the rules above."""

    def __init__(self, trainer, rebuild: Callable[[Any], Any], pacing: Pacing = Pacing()):
        self.trainer = trainer  # model, optimiser state, data stream, history
        self.rebuild = rebuild  # config -> a new trainer (an architecture change)
        self.pacing = pacing
        self.running = False
        self.rebuilt: tuple[str, ...] = ()  # the fields whose change made the current model
        self.rate: float | None = None  # steps per second over the last advance
        self._solved_at_start: int | None = None  # solved_step when Train was pressed
        self._mark: tuple[float, int] | None = None  # (time, steps) at the end of the last advance
        self._clear_evaluations()

    def _clear_evaluations(self) -> None:
        self._shown = None  # the evaluation the last snapshot showed
        self._skipped: float | None = None  # paused on the estimate: the full evaluation's predicted seconds
        self._estimate_at = -math.inf  # when the last live estimate ran
        self._full_at = -math.inf  # when the last full evaluation while running ended
        self._full_cost = 0.0  # and how long it took

    @property
    def cfg(self):
        return self.trainer.cfg

    # ---- settings ------------------------------------------------------------------------
    def apply(self, cfg) -> Change:
        """Use `cfg` from now on, keeping the training done wherever the model allows it.

        The learning rate alone: the optimiser's state is kept. Other fields that keep
        cfg.architecture(): the weights are kept (trainer.reconfigure). An architecture change:
        a new model from rebuild(cfg), running on if the old one was. Raising the learning rate
        or clipping after a divergence clears it (the refused step left the weights intact)."""
        old = self.trainer.cfg
        if cfg == old:
            return Change()
        changed = tuple(f.name for f in dataclasses.fields(cfg) if getattr(cfg, f.name) != getattr(old, f.name))
        if cfg.architecture() != old.architecture():
            rebuilt = tuple(n for n in changed if old.replace(**{n: getattr(cfg, n)}).architecture() != old.architecture())
            self.trainer = self.rebuild(cfg)
            self.rebuilt = rebuilt
            self._reset_progress()
            return Change(changed, rebuilt)
        if changed == ("lr",):
            self.trainer.set_lr(cfg.lr)
        else:
            self.trainer.reconfigure(cfg)
        if self.trainer.diverged and ("lr" in changed or "clip" in changed):
            self.trainer.diverged = None
        if self.trainer.solved_step is None:  # a new width or loss: the next solve stops training
            self._solved_at_start = None
            self._shown = None
        return Change(changed)

    def _reset_progress(self) -> None:
        self._solved_at_start = None
        self._mark = None
        self.rate = None
        self._clear_evaluations()

    # ---- the buttons ---------------------------------------------------------------------
    def start(self) -> None:
        """Train until paused, diverged, or newly solved (Train after a solve trains on until Pause)."""
        self.running = True
        self._solved_at_start = self.trainer.solved_step
        self._mark = None
        self.rate = None

    def pause(self) -> None:
        self.running = False

    def step(self, n: int = 1) -> Snapshot:
        """Pause and run n updates."""
        self.pause()
        self.trainer.step(n)
        return self.snapshot()

    def reset(self) -> Snapshot:
        """Pause and go back to the initial weights of the seed: the same run can be replayed."""
        self.pause()
        self.trainer.reset()
        self._reset_progress()
        return self.snapshot()

    # ---- training ------------------------------------------------------------------------
    def advance(self, budget: float, max_steps: int | None = None, busy: bool = False) -> Snapshot:
        """Train for `budget` seconds of wall time (at least one step, at most max_steps), then
        evaluate as the pacing allows. busy: the server is short of CPU (evaluate less often).
        Pauses by itself when the run is newly solved or diverges (snapshot.stopped says which)."""
        if not self.running:
            return self.snapshot()
        trainer = self.trainer
        start, steps = time.perf_counter(), trainer.steps
        mark = self._mark or (start, steps)
        trainer.train_for(budget, max_steps=max_steps or 10**9)
        now = time.perf_counter()
        self.rate = (trainer.steps - mark[1]) / max(now - mark[0], 1e-9)
        self._mark = (now, trainer.steps)
        evaluation = self._evaluate(busy)
        stopped = None
        if trainer.diverged:
            stopped = "diverged"
        elif trainer.solved_step is not None and trainer.solved_step != self._solved_at_start:
            stopped = "solved"
        if stopped:
            self.running = False
        return self._snapshot(evaluation, stopped)

    def snapshot(self) -> Snapshot:
        """The run as it is now (paused: with a full evaluation where it is affordable)."""
        return self._snapshot(self._evaluate(False), None)

    def _snapshot(self, evaluation, stopped: str | None) -> Snapshot:
        trainer = self.trainer
        _, losses = trainer.history.loss_series()
        loss = float(losses[-1]) if len(losses) and math.isfinite(losses[-1]) else None
        return Snapshot(step=trainer.steps, samples=trainer.samples, loss=loss, evaluation=evaluation,
                        rate=self.rate, solved_step=trainer.solved_step, diverged=trainer.diverged,
                        running=self.running, stopped=stopped, full_cost=self._skipped)  # fmt: skip

    def _evaluate(self, busy: bool):
        """The evaluation to show. Paused: a full one (see _paused_evaluation). Running: a live estimate every update (every
        estimate_gap while busy) where the trainer has one; a full evaluation (which is what marks
        a run solved) only when the estimate is perfect, with at most `share` of the time, at most
        once per busy_gap while busy, never while running if one takes over max_cost seconds."""
        trainer, p = self.trainer, self.pacing
        self._skipped = None
        if trainer.steps == 0 and not p.untrained and not trainer.history.eval_series()[0].size:
            self._shown = None
            return None  # untrained: nothing to show, and a class opening the page stays cheap
        if not self.running:
            self._shown = self._paused_evaluation()
            return self._shown
        now = time.perf_counter()
        shown = self._shown if self._shown is not None and self._shown.step <= trainer.steps else None
        if hasattr(trainer, "estimate"):
            if shown is not None and now - self._estimate_at < (p.estimate_gap if busy else 0.0):
                return shown
            self._estimate_at = now
            shown = self._shown = trainer.estimate()
            if shown.exact < 1.0:
                return shown
        cost = self._full_cost or self._predicted_cost()
        wait = max(cost * (1 - p.share) / p.share, p.busy_gap if busy else 0.0)
        if shown is None or (cost <= p.max_cost and now - self._full_at >= wait):
            self._shown = trainer.evaluate()
            self._full_at = time.perf_counter()
            self._full_cost = self._full_at - now
        return self._shown

    def _predicted_cost(self) -> float:
        """Seconds a full evaluation would take, as the trainer predicts it (0 if it cannot)."""
        cost = getattr(self.trainer, "evaluation_cost", lambda: None)()
        return 0.0 if cost is None else cost

    def _paused_evaluation(self):
        """A full evaluation, unless it would take over max_cost (a 3-layer LSTM at 16 bits: ~10 s of
        the shared core for every Step): then the live estimate, and the full one only to confirm
        a perfect estimate of a run not yet solved (only a full evaluation marks a run solved)."""
        trainer, most = self.trainer, self.pacing.max_cost
        if not hasattr(trainer, "estimate"):
            return trainer.evaluate()
        cost = trainer.evaluation_cost()
        if cost is not None and cost <= most:
            return trainer.evaluate()
        estimate = trainer.estimate()  # cheap; it also times the model, so the cost is known now
        cost = trainer.evaluation_cost()
        if cost <= most or (estimate.exact == 1.0 and trainer.solved_step is None):
            return trainer.evaluate()
        self._skipped = cost  # the snapshot says why the page shows an estimate
        return estimate

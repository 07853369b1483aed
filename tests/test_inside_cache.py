"""The Inside page's shared cache of analyses (rnn_app.inside.cache): one analysis per set of
weights for every viewer, read-only results, bounded memory, and a result asked for by many
viewers at once is computed once."""

import threading
import time

import numpy as np
import pytest
from apptest import open_app

from rnn import Config, Trainer
from rnn import analysis as A
from rnn_app.inside.cache import SHARED, Results, SharedResults, subject
from rnn_app.train.state import TrainState


def trained(steps: int, **cfg) -> Trainer:
    tr = Trainer(Config(**cfg))
    tr.step(steps)
    return tr


def test_same_weights_share_one_result_and_other_weights_do_not():
    shared = SharedResults()
    calls = []

    def compute(model):
        calls.append(1)
        return A.analyse_states(model, 4)

    a, b = trained(3, bits=4), trained(3, bits=4)  # two viewers, same setup and seed, same steps
    c = trained(4, bits=4)  # one more step: other weights
    sa = Results(shared).get(subject("trained", a.model, 4), "states", (1,), lambda: compute(a.model))
    sb = Results(shared).get(subject("trained", b.model, 4), "states", (1,), lambda: compute(b.model))
    assert sa is sb and len(calls) == 1
    sc = Results(shared).get(subject("trained", c.model, 4), "states", (1,), lambda: compute(c.model))
    assert sc is not sa and len(calls) == 2
    # the same weights at another operand width are another analysis
    Results(shared).get(subject("trained", a.model, 5), "states", (1,), lambda: compute(a.model))
    assert len(calls) == 3


def test_shared_results_are_read_only():
    tr = trained(2, bits=4)
    sa = Results(SharedResults()).get(subject("trained", tr.model, 4), "states", (1,),
                                      lambda: A.analyse_states(tr.model, 4))  # fmt: skip
    with pytest.raises(ValueError):
        sa.corr[0, 0] = 99.0
    with pytest.raises(ValueError):
        sa.sample.pc[0, 0] = 0  # nested dataclass arrays too
    w, _ = sa.probes["carry"]
    with pytest.raises(ValueError):
        w[0] = 1.0


def test_cache_is_bounded_least_recently_used_first():
    shared = SharedResults(subjects=3, per_subject=2)
    keys = [("net", i) for i in range(5)]
    shared.get(keys[0], ("x",), lambda: 0)
    for k in keys[1:3]:
        shared.get(k, ("x",), lambda: 0)
    shared.get(keys[0], ("x",), lambda: pytest.fail("still cached"))  # used again: now the newest
    shared.get(keys[3], ("x",), lambda: 0)  # drops keys[1], the least recently used
    assert shared.size() == 3
    assert shared.get(keys[0], ("x",), lambda: "recomputed") == 0
    assert shared.get(keys[1], ("x",), lambda: "recomputed") == "recomputed"
    for i in range(4):  # per network: at most per_subject results
        shared.get(keys[4], ("y", i), lambda i=i: i)
    assert shared.size() <= 3 * 2


def test_many_viewers_asking_at_once_compute_once():
    shared = SharedResults()
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return np.arange(3)

    out = []
    threads = [threading.Thread(target=lambda: out.append(shared.get(("n",), ("k",), slow))) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert len(calls) == 1 and len(out) == 8 and all(o is out[0] for o in out)


def test_a_failed_computation_is_not_cached_and_can_be_retried():
    shared = SharedResults()
    with pytest.raises(RuntimeError):
        shared.get(("n",), ("k",), lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    assert shared.get(("n",), ("k",), lambda: 7) == 7


def test_two_viewers_opening_inside_compute_the_analyses_once():
    """Two sessions with the default setup's fresh network: the second computes nothing new."""
    SHARED.clear()
    open_app("inside", timeout=120, train=TrainState())
    first = SHARED.computed
    assert first >= 4  # states, accuracy, gradients, length generalisation at least
    open_app("inside", timeout=120, train=TrainState())
    assert SHARED.computed == first

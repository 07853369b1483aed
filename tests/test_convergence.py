"""Training really learns to add: each a fixed seed and a real accuracy assertion."""

import pytest

from rnn import Config, Trainer


def train_until(cfg: Config, target: float, max_steps: int, every: int = 10) -> Trainer:
    t = Trainer(cfg)
    while t.steps < max_steps and not t.diverged:
        t.step(every)
        if t.accuracy() >= target:
            break
    return t


def test_default_config_solves_7_bits():
    t = train_until(Config(), 1.0, max_steps=1000, every=5)
    assert t.accuracy() == 1.0, (t.steps, t.accuracy())
    assert t.solved_step == t.steps


def test_classic_numpy_tutorial_config_solves_within_20000_steps():
    """Sigmoid RNN, 16 units, weights uniform in [-1, 1], SGD 0.1, batch 1, 1/2 (y - p)^2 summed over time."""
    cfg = Config(cell="rnn", activation="sigmoid", hidden=16, init="uniform", optimizer="sgd",
                 lr=0.1, batch=1, loss="mse", bits=7, seed=0)
    t = train_until(cfg, 1.0, max_steps=20000, every=250)
    assert t.accuracy() == 1.0, (t.steps, t.accuracy())


def test_tensorflow_lstm_adder_config_reaches_99_percent_at_8_bits():
    cfg = Config(cell="lstm", layers=2, hidden=20, dropout=0.5, optimizer="adam", lr=0.01,
                 loss="mse", batch=64, bits=8, seed=0)
    t = train_until(cfg, 0.99, max_steps=1500, every=25)
    assert t.accuracy() >= 0.99, (t.steps, t.accuracy())


def test_gru_solves_8_bits():
    t = train_until(Config(cell="gru", bits=8, seed=0), 1.0, max_steps=2000)
    assert t.accuracy() == 1.0, (t.steps, t.accuracy())


def test_model_trained_at_8_bits_evaluates_at_32_and_64_bits():
    t = train_until(Config(bits=8, seed=0), 1.0, max_steps=2000)
    assert t.accuracy() == 1.0
    for bits in (32, 64):
        ev = t.evaluate(bits)
        print(f"trained at 8 bits, step {t.steps}: exact accuracy at {bits} bits = {ev.exact:.4f}, bits {ev.bit:.4f}")
        assert ev.pairs == 65536 and 0.0 <= ev.exact <= 1.0 and ev.bit > 0.5
    # the trace works at 64 bits too
    tr = t.trace(2**64 - 1, 1, bits=64)
    assert tr.true_sum == 2**64


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_default_config_solves_for_other_seeds(seed):
    t = train_until(Config(seed=seed), 1.0, max_steps=1000, every=5)
    assert t.accuracy() == 1.0, (seed, t.steps)

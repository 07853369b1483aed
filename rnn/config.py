"""The configuration of a training run, validated on construction.

Config is the adder's; rnn.classifier's ClassifierConfig is built the same way (ConfigFields
and the validators choice / integer / number below)."""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass

CELLS = ("rnn", "gru", "lstm")
ACTIVATIONS = ("tanh", "sigmoid", "relu")
OPTIMIZERS = ("sgd", "momentum", "adam")
LOSSES = ("bce", "mse")
INITS = ("xavier", "orthogonal", "uniform")
DTYPES = ("float32", "float64")
TRAIN_BITS = (2, 16)  # operand widths a model can be trained at
EVAL_BITS = (1, 64)  # operand widths a model can be evaluated and traced at


class ConfigFields:
    """What every config dataclass shares: validate on construction, replace, dicts, and the
    fields that need a new model (the architecture)."""

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        raise NotImplementedError

    def replace(self, **changes):
        """A validated copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict):
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - names)
        if unknown:
            raise ValueError(f"unknown {cls.__name__} field(s): {', '.join(unknown)}")
        return cls(**d)

    def architecture(self) -> tuple:
        """The fields that change the shape or kind of the model (changing them means a new model)."""
        return (self.cell, self.hidden, self.layers, self.activation, self.init, self.seed, self.dtype)


ARCHITECTURE_FIELDS = "cell, hidden, layers, activation, init, seed or dtype"  # for messages


@dataclass
class Config(ConfigFields):
    """Everything that defines a run. Defaults are what the page starts with: the plain tanh
    RNN that solved 7-bit addition in the fewest steps in a sweep over hidden size, learning
    rate, batch and init (7 seeds each: median 45 steps, worst 73).

    The loss is summed over the timesteps of a sequence and averaged over the samples of a
    batch: L = (1/N) sum_n sum_t l(y_nt, p_nt), with l = binary cross-entropy ("bce") or
    l = 1/2 (y - p)^2 ("mse"). With batch 1 and "mse" this is exactly the squared error of
    the classic numpy tutorial, so its learning rate 0.1 means the same thing here.
    """

    cell: str = "rnn"  # recurrent cell: "rnn" (vanilla), "gru" or "lstm"
    hidden: int = 12  # hidden units per layer, 1..128
    layers: int = 1  # stacked recurrent layers, 1..3
    activation: str = "tanh"  # nonlinearity of the vanilla rnn cell: tanh | sigmoid | relu
    optimizer: str = "adam"  # sgd | momentum (0.9) | adam (0.9, 0.999)
    lr: float = 0.08  # learning rate, > 0 (and at most 1e6, enough to watch training blow up)
    batch: int = 128  # sequences per update, 1..256
    bits: int = 7  # operand width n in training: the network sees n + 1 timesteps, 2..16
    loss: str = "bce"  # per-bit loss: "bce" (cross-entropy) or "mse" (1/2 squared error)
    clip: float = 0.0  # clip the global gradient norm to this value; 0 = no clipping
    dropout: float = 0.0  # drop probability between stacked layers, training only, 0..0.9
    init: str = "orthogonal"  # weights: xavier (Glorot uniform) | orthogonal (Wh) | uniform [-1, 1]
    seed: int = 0  # seeds the initial weights and the training data, 0..2**31-1
    dtype: str = "float32"  # float32 (2-3x faster here: numpy's tanh is vectorised for it) | float64

    def validate(self) -> None:
        """Raise ValueError naming the field and its allowed range if anything is off."""
        choice("cell", self.cell, CELLS)
        choice("activation", self.activation, ACTIVATIONS)
        choice("optimizer", self.optimizer, OPTIMIZERS)
        choice("loss", self.loss, LOSSES)
        choice("init", self.init, INITS)
        choice("dtype", self.dtype, DTYPES)
        integer("hidden", self.hidden, 1, 128)
        integer("layers", self.layers, 1, 3)
        integer("batch", self.batch, 1, 256)
        integer("bits", self.bits, *TRAIN_BITS)
        integer("seed", self.seed, 0, 2**31 - 1)
        number("lr", self.lr, 0.0, 1e6, low_open=True)
        number("clip", self.clip, 0.0, 1e6)
        number("dropout", self.dropout, 0.0, 0.9)
        for name in ("hidden", "layers", "batch", "bits", "seed"):  # numpy ints -> plain ints
            setattr(self, name, int(getattr(self, name)))
        for name in ("lr", "clip", "dropout"):
            setattr(self, name, float(getattr(self, name)))


def choice(name, value, options):
    """ValueError unless value is one of options."""
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(options)}; got {value!r}")


def integer(name, value, low, high):
    """ValueError unless value is a whole number (not a bool) in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got {value!r}")


def number(name, value, low, high, low_open=False):
    """ValueError unless value is a real number (not a bool, not NaN) in [low, high] ((low, high] if low_open)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value
    ok = ok and (low < value if low_open else low <= value) and value <= high
    if not ok:
        bracket = "(" if low_open else "["
        raise ValueError(f"{name} must be a number in {bracket}{low:g}, {high:g}]; got {value!r}")

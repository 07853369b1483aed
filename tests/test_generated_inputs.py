"""Generated inputs for every parser and validator: none raises anything but its documented
rejection, and what is accepted round-trips.

Operands (rnn_app.ui.operands), the config dataclasses (rnn.config, rnn.classifier), URL
parameters (rnn_app.ui.links, rnn_app.train.link, rnn_app.digits.link), uploaded models
(rnn.saveload, TrainState / DigitsState.load_model) and IDX files (rnn.digits).
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import math
import struct
import zipfile
from unittest import mock

import numpy as np
import pytest
from fuzzing import examples
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from rnn import Config, Trainer
from rnn.classifier import CLASSIFIER_CELLS, ClassifierConfig, ClassifierTrainer
from rnn.config import ACTIVATIONS, CELLS, DTYPES, INITS, LOSSES, OPTIMIZERS
from rnn.digits import IDX_TYPES, MNIST_ROLES, mnist_from_files, read_idx
from rnn.saveload import read_npz, to_bytes
from rnn_app.train import link as train_link
from rnn_app.train.settings import LR_GRID
from rnn_app.ui.links import MAX_TEXT, Param, fmt, read
from rnn_app.ui.operands import binary, feedback, parse_operand
from rnn_app.ui.strings import t

OPERAND_ERRORS = {"operand.empty", "operand.negative", "operand.not_a_number", "operand.too_wide"}
FULL_WIDTH = str.maketrans("0123456789bBxX+-. ", "０１２３４５６７８９ｂＢｘＸ＋－．\u3000")

# ---- operands ------------------------------------------------------------------------------------
bits_st = st.integers(1, 64)
pieces = st.sampled_from(["0b", "0B", "0x", "0o", "-", "+", "e", "E", "1e3", ".", ",", "_", " ", "\u3000", "\t", "0",
                          "1", "9", "ｂ", "１", "٣", "²", "∞", "NaN", "1" * 70, "9" * 70, "0b" + "1" * 70])  # fmt: skip
operand_text = st.one_of(
    st.text(max_size=40),
    st.lists(pieces, max_size=6).map("".join),
    st.integers(-(10**70), 10**70).map(str),
    st.integers(0, 2**80).map(lambda v: format(v, "b")).map(lambda s: "0b" + s),
    st.integers(0, 2**80).map(hex),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(0, 10**70).map(lambda v: str(v).translate(FULL_WIDTH)),
)


@given(text=st.one_of(st.none(), operand_text), bits=bits_st, lang=st.sampled_from(["en", "zh"]))
@example(text="1" * 5000, bits=8, lang="en")  # more digits than Python's int() reads from a str
@example(text="0b" + "1" * 5000, bits=64, lang="zh")
@settings(max_examples=examples(400), deadline=None)
def test_any_operand_text_is_a_value_or_a_message(text, bits, lang):
    p = parse_operand(text, bits)
    if p.ok:
        assert isinstance(p.value, int) and 0 <= p.value < 2**bits
        assert feedback(p, bits, lang) == f"`{binary(p.value, bits)}`"
    else:
        assert p.value is None and p.error in OPERAND_ERRORS
        message = feedback(p, bits, lang)
        assert message.startswith(":red[") and t(p.error, lang, **(p.fields or {})) in message


@given(data=st.data(), bits=bits_st)
@settings(max_examples=examples(300), deadline=None)
def test_every_operand_round_trips_in_every_written_form(data, bits):
    value = data.draw(st.integers(0, 2**bits - 1))
    forms = [str(value), binary(value, bits), "0B" + format(value, "b"), f"  {value} ", f"{value:_}",
             str(value).translate(FULL_WIDTH), binary(value, bits).translate(FULL_WIDTH), "0" * 5 + str(value)]  # fmt: skip
    for text in forms:
        p = parse_operand(text, bits)
        assert p.ok and p.value == value, text
    assert parse_operand(str(2**bits), bits).error == "operand.too_wide"
    assert parse_operand("-" + str(value + 1), bits).error == "operand.negative"


# ---- the config dataclasses ------------------------------------------------------------------------
anything = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8), st.sampled_from(CELLS + ACTIVATIONS + OPTIMIZERS + LOSSES + INITS + DTYPES),
    st.integers(-5, 300).map(np.int64), st.floats(-1, 2).map(np.float32), st.just([1]), st.just({}),
    st.just(1 + 2j), st.just(np.bool_(True)),
)


def field_values(cls):
    names = [f.name for f in dataclasses.fields(cls)]
    return st.dictionaries(st.sampled_from(names), anything, max_size=len(names))


@pytest.mark.parametrize("cls", [Config, ClassifierConfig])
@given(data=st.data())
@settings(max_examples=examples(400), deadline=None)
def test_a_config_is_valid_or_a_value_error_naming_the_field(cls, data):
    values = data.draw(field_values(cls))
    try:
        cfg = cls(**values)
    except ValueError as e:
        assert any(str(e).startswith(name + " ") for name in values), e
        return
    for f in dataclasses.fields(cls):
        v = getattr(cfg, f.name)
        assert type(v) in (int, float, str), (f.name, v)  # plain types: JSON, links, comparisons
        assert not (isinstance(v, float) and math.isnan(v))
    again = cls.from_dict(json.loads(json.dumps(cfg.to_dict())))
    assert again == cfg and again.replace() == cfg


@pytest.mark.parametrize("cls", [Config, ClassifierConfig])
@given(extra=st.dictionaries(st.text(min_size=1, max_size=6), anything, min_size=1, max_size=3))
@settings(max_examples=examples(100), deadline=None)
def test_from_dict_refuses_unknown_fields(cls, extra):
    names = {f.name for f in dataclasses.fields(cls)}
    assume(set(extra) - names)
    with pytest.raises(ValueError, match="unknown"):
        cls.from_dict(extra)


# ---- URL parameters ----------------------------------------------------------------------------------
query_value = st.one_of(st.text(max_size=100), st.sampled_from(["nan", "inf", "-inf", "1e400", "1e-400", "0x10",
                        "12.0", "1_000", " 3 ", "-0", "１２", "tanh", "lstm", "max", "classic"]),
                        st.floats(allow_nan=True, allow_infinity=True).map(str), st.integers().map(str))  # fmt: skip


@given(query=st.dictionaries(st.sampled_from([p.name for p in train_link.PARAMS] + ["junk"]), query_value),
       lang=st.sampled_from(["en", "zh"]))  # fmt: skip
@settings(max_examples=examples(300), deadline=None)
def test_any_train_link_gives_a_setup_and_a_message_per_refused_value(query, lang):
    cfg, values, errors = train_link.setup_from_link(query, lang)
    assert isinstance(cfg, Config)
    cfg.validate()
    known = [p.name for p in train_link.PARAMS if p.name in query]
    assert len(errors) <= len(known) and all(isinstance(e, str) and e for e in errors)
    for p in train_link.PARAMS:
        if p.name in query and p.kind in ("int", "float"):
            accepted, error = p.parse(str(query[p.name]).strip(), lang)
            assert (error is None) == (accepted is not None)
            if accepted is not None:
                assert p.low <= accepted <= p.high and (p.name not in Config.__dataclass_fields__
                                                         or getattr(cfg, p.name) == accepted)  # fmt: skip
    if "a" in values:
        assert len(values["a"]) <= MAX_TEXT


train_setups = st.builds(
    Config, cell=st.sampled_from(CELLS), activation=st.sampled_from(ACTIVATIONS), hidden=st.integers(1, 128),
    layers=st.integers(1, 3), lr=st.sampled_from(LR_GRID), optimizer=st.sampled_from(OPTIMIZERS),
    batch=st.integers(1, 256), bits=st.integers(2, 16), loss=st.sampled_from(LOSSES),
    clip=st.floats(0, 1e6).map(lambda x: float(fmt(x))), dropout=st.integers(0, 18).map(lambda k: round(0.05 * k, 2)),
    init=st.sampled_from(INITS), seed=st.integers(0, 2**31 - 1),
)  # fmt: skip


@given(cfg=train_setups, a=st.text(max_size=MAX_TEXT), speed=st.sampled_from(train_link.SPEEDS))
@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_train_setup_round_trips_through_its_link(cfg, a, speed):
    state = mock.Mock(run=mock.Mock(cfg=cfg), speed=speed, a=a.strip() or None, b=None)
    query = {k: fmt(v) for k, v in train_link.link_params(state).items()}
    again, values, errors = train_link.setup_from_link(query, "en")
    assert errors == [] and again == cfg
    assert values.get("speed", train_link.DEFAULT_SPEED) == speed and values.get("a") == state.a


@given(query=st.dictionaries(st.sampled_from(["preset", "cell", "hidden", "layers", "lr", "batch", "clip", "seed",
                                              "index", "junk"]), query_value))  # fmt: skip
@settings(max_examples=examples(150), deadline=None)
def test_any_digits_link_gives_a_setup(query):
    from rnn_app.digits import link as digits_link

    values, errors = read(digits_link.PARAMS, query, "zh")
    cfg = ClassifierConfig()
    cfg = dataclasses.replace(cfg, **{f: values[f] for f in digits_link.FIELDS if f in values})  # validates
    assert cfg.cell in CLASSIFIER_CELLS and 0 <= values.get("index", 0) <= 59_999
    assert len(errors) + len(values) == len([k for k in query if k != "junk"])


@given(kind=st.sampled_from(["int", "float", "choice", "text"]), text=query_value, lang=st.sampled_from(["en", "zh"]))
@settings(max_examples=examples(300), deadline=None)
def test_a_param_parses_or_says_why(kind, text, lang):
    p = Param("x", "train.w.hidden", kind, 1, 64, options=("a", "b", 3))
    value, error = p.parse(text, lang)
    assert (value is None) != (error is None)
    if kind == "text" and value is not None:
        assert value == text
    if kind == "int" and value is not None:
        assert type(value) is int and 1 <= value <= 64 and fmt(value) == str(value)
        assert p.parse(fmt(value), lang) == (value, None)  # round trip
    if kind == "float" and value is not None:
        assert 1 <= value <= 64 and p.parse(fmt(value), lang)[1] is None


# ---- uploaded models (.npz) -------------------------------------------------------------------------
_GOOD = {}


def good_file(kind: str) -> bytes:
    """A small trained model of each kind, saved (made once)."""
    if kind not in _GOOD:
        if kind == "train":
            tr = Trainer(Config(hidden=4, batch=8))
        else:
            tr = ClassifierTrainer(ClassifierConfig(hidden=4, batch=8))
        tr.step(3)
        _GOOD[kind] = to_bytes(tr)
    return _GOOD[kind]


def arrays_of(data: bytes) -> dict:
    with np.load(io.BytesIO(data), allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def npz(arrays: dict) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


edge = st.sampled_from([float("inf"), float("-inf"), float("nan"), -1, 0, 2**31, 2**64, 10**12, 1.5, "", None, [], {}])
json_value = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=5)),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                          max_leaves=6)  # fmt: skip


@st.composite
def model_files(draw, kind: str) -> bytes:
    """Bytes a student might upload: noise, a saved model with bytes flipped, cut or added, or one
    whose JSON config / state or an array was replaced."""
    good = good_file(kind)
    how = draw(st.sampled_from(["noise", "flip", "cut", "append", "json", "array", "zip"]))
    if how == "noise":
        return draw(st.binary(max_size=2000))
    if how == "flip":
        data = bytearray(good)
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if how == "cut":
        return good[: draw(st.integers(0, len(good) - 1))]
    if how == "append":
        return good + draw(st.binary(min_size=1, max_size=64))
    arrays = arrays_of(good)
    if how == "json":
        key = draw(st.sampled_from(["config", "state"]))
        d = json.loads(str(arrays[key]))
        where = draw(st.sampled_from(["field", "nested", "whole"]))
        value = draw(st.one_of(edge, json_value))
        if where == "field":
            d[draw(st.sampled_from(sorted(d)))] = value
        elif where == "nested" and (inner := [k for k in sorted(d) if isinstance(d[k], dict)]):
            part = d[draw(st.sampled_from(inner))]
            part[draw(st.sampled_from(sorted(part) or ["x"]))] = value
        else:
            d = value
        arrays[key] = np.array(json.dumps(d))
        return npz(arrays)
    if how == "array":
        key = draw(st.sampled_from(sorted(arrays)))
        arrays[key] = draw(st.sampled_from([np.zeros(3), np.full(arrays[key].shape, np.nan), np.array("x"),
                                            np.zeros((2, 0)), np.zeros(arrays[key].shape, np.float16), np.array([2**40])]))  # fmt: skip
        return npz(arrays)
    buf = io.BytesIO()  # a zip of the right names but wrong members
    with zipfile.ZipFile(buf, "w") as z:
        for name in draw(st.lists(st.sampled_from(["config.npy", "state.npy", "a.txt", "../x.npy"]), max_size=3)):
            z.writestr(name, draw(st.binary(max_size=100)))
    return buf.getvalue()


@pytest.mark.filterwarnings("ignore:Duplicate name")  # zips with a member twice, on purpose
@pytest.mark.parametrize("kind", ["train", "digits"])
@given(data=st.data())
@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_an_uploaded_model_loads_or_is_refused_with_a_reason(kind, data):
    blob = data.draw(model_files(kind))
    cls = Trainer if kind == "train" else ClassifierTrainer
    try:
        tr = cls.load(io.BytesIO(blob))
    except ValueError as e:
        assert str(e)
        return
    assert np.all(np.isfinite(tr.model.flat)) and tr.steps >= 0


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("kind", ["train", "digits"])
@given(data=st.data())
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_upload_widget_keeps_the_run_when_it_refuses(kind, data):
    """The path the uploader takes (TrainState / DigitsState.load_model): refused -> the run in use
    stays; accepted -> the file's run."""
    if kind == "train":
        from rnn_app.train.state import TrainState as State
    else:
        from rnn_app.digits.state import DigitsState as State
    state = _STATES.setdefault(kind, State())
    run, weights = state.run, state.run.trainer.model.flat.copy()
    blob = data.draw(model_files(kind))
    state.load_model(blob)
    error, done = state.upload
    if error is not None:
        assert state.run is run and np.array_equal(state.run.trainer.model.flat, weights)
        assert t("transfer.refused", "zh", reason=error)
    else:
        assert done and state.run is not run
    state.upload = (None, None)


_STATES: dict = {}


@pytest.mark.parametrize("kind, key, value", [
    ("train", "steps", float("inf")), ("train", "steps", -3), ("train", "solved_step", float("inf")),
    ("train", "data.bits", 10**10), ("train", "data.pos", -1), ("digits", "pos", -1), ("digits", "epochs", 2**70),
    ("train", "rng.state.state", 2**200),
])  # fmt: skip
def test_saved_states_found_by_the_generator_are_refused(kind, key, value):
    """Each once got through: an OverflowError, a negative count, a 1 << 10**10 allocation, an
    empty batch from a position before the start."""
    arrays = arrays_of(good_file(kind))
    state = json.loads(str(arrays["state"]))
    *path, last = key.split(".")
    part = state
    for k in path:
        part = part[k]
    part[last] = value
    arrays["state"] = np.array(json.dumps(state))
    with pytest.raises(ValueError, match="not a saved model"):
        (Trainer if kind == "train" else ClassifierTrainer).load(io.BytesIO(npz(arrays)))


@pytest.mark.parametrize("kind", ["train", "digits"])
def test_a_saved_model_round_trips(kind):
    blob = good_file(kind)
    cls = Trainer if kind == "train" else ClassifierTrainer
    tr = cls.load(io.BytesIO(blob))
    assert to_bytes(tr) == blob or arrays_of(to_bytes(tr)).keys() == arrays_of(blob).keys()
    again = arrays_of(to_bytes(tr))
    for k, v in arrays_of(blob).items():
        assert np.array_equal(again[k], v), k
    assert set(read_npz(io.BytesIO(blob))) == set(arrays_of(blob))


# ---- IDX files -----------------------------------------------------------------------------------
def idx_bytes(a: np.ndarray, code: int) -> bytes:
    dtype = np.dtype(IDX_TYPES[code])
    return bytes([0, 0, code, a.ndim]) + struct.pack(f">{a.ndim}I", *a.shape) + a.astype(dtype).tobytes()


@st.composite
def idx_arrays(draw):
    code = draw(st.sampled_from(sorted(IDX_TYPES)))
    shape = tuple(draw(st.lists(st.integers(0, 5), min_size=1, max_size=4)))
    dtype = np.dtype(IDX_TYPES[code]).newbyteorder("=")
    n = int(np.prod(shape))
    if dtype.kind == "f":
        values = draw(st.lists(st.floats(-1e3, 1e3, width=32), min_size=n, max_size=n))
    else:
        info = np.iinfo(dtype)
        values = draw(st.lists(st.integers(int(info.min), int(info.max)), min_size=n, max_size=n))
    return code, np.array(values, dtype).reshape(shape)


@given(spec=idx_arrays(), packed=st.booleans())
@settings(max_examples=examples(200), deadline=None)
def test_an_idx_file_round_trips(spec, packed):
    code, a = spec
    raw = idx_bytes(a, code)
    got = read_idx(gzip.compress(raw) if packed else raw)
    assert got.shape == a.shape and got.dtype == a.dtype.newbyteorder("=") and np.array_equal(got, a)


@st.composite
def idx_files(draw) -> bytes:
    code, a = draw(idx_arrays())
    raw = idx_bytes(a, code)
    how = draw(st.sampled_from(["noise", "flip", "cut", "append", "gzip", "header"]))
    if how == "noise":
        return draw(st.binary(max_size=300))
    if how == "flip":
        data = bytearray(raw)
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if how == "cut":
        return raw[: draw(st.integers(0, len(raw) - 1))]
    if how == "append":
        return raw + draw(st.binary(min_size=1, max_size=16))
    if how == "gzip":
        packed = bytearray(gzip.compress(raw))
        packed[draw(st.integers(2, len(packed) - 1))] ^= draw(st.integers(1, 255))
        return bytes(packed)
    dims = draw(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=4))  # sizes that lie
    return bytes([0, 0, code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims) + raw[4 + 4 * a.ndim :]


@given(blob=idx_files())
@settings(max_examples=examples(400), deadline=None)
def test_any_idx_bytes_are_an_array_or_a_reason(blob):
    try:
        a = read_idx(blob, name="x")
    except ValueError as e:
        assert str(e).startswith("x: ")
        return
    assert isinstance(a, np.ndarray) and a.dtype.isnative


@given(files=st.fixed_dictionaries({role: idx_files() for role in MNIST_ROLES}))
@settings(max_examples=examples(150), deadline=None)
def test_any_four_files_are_mnist_or_a_reason(files):
    try:
        data = mnist_from_files(files)
    except ValueError as e:
        assert str(e)
        return
    assert data.train_images.ndim == 3 and data.train_labels.max(initial=0) < 10

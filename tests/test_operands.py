"""Operand parsing: decimal or 0b binary, and a message key for every bad form."""

import pytest

from rnn_app.ui.operands import binary, parse_operand
from rnn_app.ui.strings import t


@pytest.mark.parametrize(
    "text, bits, value",
    [("200", 8, 200), ("0b11001000", 8, 200), ("0B101", 4, 5), (" 55 ", 8, 55), ("0", 2, 0),
     ("255", 8, 255), ("0b1_0000", 5, 16), ("65535", 16, 65535)],
)  # fmt: skip
def test_good_decimal_and_binary(text, bits, value):
    p = parse_operand(text, bits)
    assert p.ok and p.value == value and p.error is None


@pytest.mark.parametrize(
    "text, key",
    [("", "operand.empty"), ("   ", "operand.empty"), (None, "operand.empty"),
     ("-5", "operand.negative"), ("-0b11", "operand.negative"),
     ("abc", "operand.not_a_number"), ("12a", "operand.not_a_number"), ("0b102", "operand.not_a_number"),
     ("0x1f", "operand.not_a_number"), ("1.5", "operand.not_a_number"), ("0b", "operand.not_a_number"),
     ("256", "operand.too_wide"), ("0b100000000", "operand.too_wide")],
)  # fmt: skip
def test_bad_inputs_have_a_message(text, key):
    p = parse_operand(text, 8)
    assert not p.ok and p.value is None and p.error == key
    for lang in ("en", "zh"):  # the message renders in both languages
        assert t(p.error, lang, **(p.fields or {}))


def test_too_wide_message_names_the_limit():
    p = parse_operand("200", 7)
    assert p.fields == {"bits": 7, "max": 127, "max_bin": "1111111"}
    assert "127" in t(p.error, "en", **p.fields) and "127" in t(p.error, "zh", **p.fields)


def test_binary_is_zero_padded_to_width():
    assert binary(5, 8) == "0b00000101"
    assert binary(255, 9) == "0b011111111"


def test_feedback_shows_binary_or_the_reason():
    from rnn_app.ui.operands import feedback

    assert feedback(parse_operand("5", 4), 4) == "`0b0101`"
    assert feedback(parse_operand("99", 4), 4, lang="en").startswith(":red[Too big for 4 bits")
    assert "超出" in feedback(parse_operand("99", 4), 4, lang="zh")


@pytest.mark.parametrize("text, value", [("１２", 12), ("０ｂ１０１", 5), (" ２００ ", 200), ("１_０００", 1000)])
def test_full_width_digits_from_an_ime_are_read(text, value):
    p = parse_operand(text, 10)
    assert p.ok and p.value == value


def test_the_empty_hint_follows_the_width():
    for bits, top in ((7, 127), (16, 65535)):
        p = parse_operand("", bits)
        message = t(p.error, "en", **p.fields)
        assert f"from 0 to {top}" in message and "Bits" in message and p.fields["example"] <= top  # an example that fits
        assert str(top) in t(p.error, "zh", **p.fields)

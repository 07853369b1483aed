"""Parsing what a student types as an operand: decimal ("200") or binary with 0b ("0b11001000").

Pure functions (no streamlit; `feedback` reads the strings table): the page shows the message
next to the input and keeps the last good value; training state is never touched by a bad entry.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rnn_app.ui.strings import t

_DECIMAL = re.compile(r"[0-9]+")
_BINARY = re.compile(r"0[bB][01]+")


@dataclass(frozen=True)
class Parsed:
    value: int | None  # the operand, or None if the text is not usable
    error: str | None  # strings-table key of the message to show, or None
    fields: dict | None = None  # format fields for that message

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_operand(text: str | None, bits: int) -> Parsed:
    """Decimal or 0b-binary text -> an int in [0, 2^bits), or the reason it is not one.

    Error keys: operand.empty, operand.negative, operand.not_a_number, operand.too_wide."""
    # NFKC: full-width digits and letters ("１２", "０ｂ１０"), what a Chinese IME types by default
    s = unicodedata.normalize("NFKC", text or "").strip().replace("_", "").replace(" ", "")
    top = (1 << bits) - 1
    if not s:
        return Parsed(None, "operand.empty", {"max": top, "example": top * 3 // 4, "bits": bits})
    if s.startswith("-") and (_DECIMAL.fullmatch(s[1:]) or _BINARY.fullmatch(s[1:])):
        return Parsed(None, "operand.negative")
    if _BINARY.fullmatch(s):
        value = int(s[2:], 2)
    elif _DECIMAL.fullmatch(s):
        # more digits than the widest operand: too wide, without int() (it refuses > 4300 digits)
        digits = s.lstrip("0") or "0"
        value = top + 1 if len(digits) > len(str(top)) else int(digits)
    else:
        return Parsed(None, "operand.not_a_number")
    if value > top:
        return Parsed(None, "operand.too_wide", {"bits": bits, "max": top, "max_bin": format(top, "b")})
    return Parsed(value, None)


def binary(value: int, bits: int) -> str:
    """'0b' and the operand written with exactly `bits` digits, e.g. binary(5, 8) = '0b00000101'."""
    return "0b" + format(value, f"0{bits}b")


def feedback(parsed: Parsed, bits: int, lang: str | None = None) -> str:
    """Markdown shown next to an operand input: its binary form, or the reason in red."""
    if parsed.ok:
        return f"`{binary(parsed.value, bits)}`"
    return f":red[{t(parsed.error, lang=lang, **(parsed.fields or {}))}]"

"""What a class accepts (see rnn_app.store.classes): codes, teacher keys, nicknames, reports,
curves, pushed setups and sweep grids. Stdlib only. Each check_* returns the cleaned value, or
raises Invalid with a short reason that ClassStore hands back in an "invalid" result."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import numbers
import re
import secrets
import unicodedata

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a projector, typed by hand
CODE_LENGTH = 6  # 31**6, about 887 million codes
CODE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
IGNORED_IN_CODES = re.compile(r"[\s\-_‐‑‒–—―−]+")  # spaces, dashes (NFKC already mapped full-width ones)
KEY_BYTES = 32  # a teacher key: 256 random bits, 64 hex digits; only its sha256 is stored
MAX_KEY = 256  # characters of a key worth hashing at all
NICKNAME_MAX = 24  # characters (code points, NFC) after cleaning; longer ones are cut
MAX_REPORT_KEYS, MAX_KEY_NAME, MAX_TEXT, MAX_REPORT_JSON = 40, 32, 64, 4096
CURVE_POINTS = 200  # a longer curve is thinned to this many points, first and last kept
MAX_SETUP_JSON, MAX_SETUP_DEPTH = 8192, 4
MAX_SWEEP_VALUES = 64
FIELD = re.compile(r"[a-z_][a-z0-9_]{0,31}")  # a sweep's field: "lr", "hidden", ...
MODES = ("suggest", "follow")
SAFE_INT = 2**53  # integers JSON readers (JavaScript) keep exactly
SIGNIFICANT = 5  # digits kept of a curve's loss and exact accuracy
ROUND = f"{{:.{SIGNIFICANT}g}}".format
MAX_TTL, MAX_MEMBERS = 7 * 86400.0, 10_000  # a class's limits, whatever the caller asks

ADJECTIVES = (
    "Brave", "Calm", "Clever", "Cosy", "Curious", "Daring", "Eager", "Gentle", "Happy", "Jolly",
    "Kind", "Lively", "Lucky", "Merry", "Mighty", "Nimble", "Patient", "Plucky", "Polite", "Proud",
    "Quick", "Quiet", "Sunny", "Swift", "Tidy", "Witty", "Bright", "Bold", "Cheerful", "Friendly",
    "Sleepy", "Snappy", "Steady", "Sparkly", "Bouncy", "Fuzzy",
)  # fmt: skip
ANIMALS = (
    "Otter", "Badger", "Beaver", "Falcon", "Fox", "Hedgehog", "Heron", "Koala", "Lemur", "Lynx",
    "Marmot", "Moose", "Newt", "Owl", "Panda", "Penguin", "Puffin", "Rabbit", "Raven", "Robin",
    "Seal", "Sparrow", "Squirrel", "Swan", "Tiger", "Turtle", "Walrus", "Whale", "Wombat", "Yak",
    "Zebra", "Gecko", "Llama", "Dolphin", "Crane", "Beetle",
)  # fmt: skip


class Invalid(ValueError):
    """Input a class refuses; str(e) says why."""


# ---- codes and keys ------------------------------------------------------------------------------
def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text) -> str | None:
    """The code in "abc-def", " ABC DEF ", "ａｂｃｄｅｆ": "ABCDEF"; None if it is no well-formed code."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    text = IGNORED_IN_CODES.sub("", unicodedata.normalize("NFKC", text))
    if not text.isascii():
        return None
    text = text.upper()
    return text if CODE.fullmatch(text) else None


def new_key() -> str:
    return secrets.token_hex(KEY_BYTES)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def key_matches(key, stored_hash: str) -> bool:
    """Whether `key` is the one whose sha256 is `stored_hash`, compared in constant time."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY or not isinstance(stored_hash, str):
        return False
    return hmac.compare_digest(hash_key(key), stored_hash)


# ---- nicknames -----------------------------------------------------------------------------------
def clean_nickname(text) -> str | None:
    """NFC; control and format characters (bidi overrides, zero-width ones, except the joiner that
    glues emoji together) removed; runs of spaces and line breaks one space; stripped; cut to
    NICKNAME_MAX characters. None if nothing is left or it is not a string. HTML stays text."""
    if not isinstance(text, str):
        return None
    out = []
    for ch in unicodedata.normalize("NFC", text[: 20 * NICKNAME_MAX]):
        category = unicodedata.category(ch)
        if ch.isspace() or category in ("Zl", "Zp"):
            out.append(" ")
        elif category[0] != "C" or ch == "\u200d":
            out.append(ch)
    name = " ".join("".join(out).split())
    name = name[:NICKNAME_MAX].strip()
    return name or None


def nickname_key(name: str) -> str:
    """What two nicknames must not share within a class: "Brave Otter" and "brave otter" clash."""
    return name.casefold()


def unique_nickname(name: str, taken: set[str]) -> str:
    """`name`, or "name 2", "name 3", ... (the name cut to fit) if its key is taken."""
    if nickname_key(name) not in taken:
        return name
    for n in range(2, len(taken) + 3):
        tail = f" {n}"
        candidate = name[: NICKNAME_MAX - len(tail)].rstrip() + tail
        if nickname_key(candidate) not in taken:
            return candidate
    raise AssertionError("unreachable: len(taken) + 1 numbers cannot all be taken")


def auto_nickname(taken: set[str]) -> str:
    """A random "Adjective Animal" not yet in the class, numbered if the class used them up."""
    for _ in range(30):
        name = f"{secrets.choice(ADJECTIVES)} {secrets.choice(ANIMALS)}"
        if nickname_key(name) not in taken:
            return name
    return unique_nickname(name, taken)


# ---- reports, curves, setups, sweeps -------------------------------------------------------------
def _scalar(value, where: str, *, finite: bool):
    """A JSON scalar: None, bool, an integer JSON keeps exactly, a float (non-finite: None unless
    `finite` refuses it), a string of at most MAX_TEXT characters. A numpy scalar counts as the
    Python value its .item() gives."""
    if value is not None and not isinstance(value, bool | int | float | str):
        value = _plain(value, where)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) >= SAFE_INT:
            raise Invalid(f"{where}: the integer {value} is too large")
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        if finite:
            raise Invalid(f"{where}: {value} is not a finite number")
        return None
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise Invalid(f"{where}: a text of {len(value)} characters (at most {MAX_TEXT})")
        utf8_size(value, where)
        return value
    raise Invalid(f"{where}: a {type(value).__name__} is not a number, text, true/false or null")


def utf8_size(text: str, where: str) -> int:
    """Bytes of `text` in UTF-8; Invalid if it cannot be stored (a lone surrogate)."""
    try:
        return len(text.encode())
    except UnicodeEncodeError:
        raise Invalid(f"{where}: not valid Unicode text") from None


def check_report(report) -> str:
    """A run report as compact JSON: a dict of at most MAX_REPORT_KEYS scalars under names of
    1-32 characters (NaN and infinities become null: a diverged run still reports)."""
    if not isinstance(report, dict):
        raise Invalid(f"a report is a dict, not a {type(report).__name__}")
    if len(report) > MAX_REPORT_KEYS:
        raise Invalid(f"a report of {len(report)} keys (at most {MAX_REPORT_KEYS})")
    clean = {}
    for key, value in report.items():
        if not isinstance(key, str) or not 0 < len(key) <= MAX_KEY_NAME:
            raise Invalid(f"a report key is a name of 1 to {MAX_KEY_NAME} characters, not {key!r:.40}")
        clean[key] = _scalar(value, key, finite=False)
    text = json.dumps(clean, separators=(",", ":"), ensure_ascii=False)
    if (size := utf8_size(text, "a report")) > MAX_REPORT_JSON:
        raise Invalid(f"a report of {size} bytes (at most {MAX_REPORT_JSON})")
    return text


def thin(n: int, points: int = CURVE_POINTS) -> list[int]:
    """Indices of `points` evenly spread items of n, the first and last among them."""
    if n <= points:
        return list(range(n))
    return sorted({round(i * (n - 1) / (points - 1)) for i in range(points)})


def _plain(value, where: str):
    """numpy's (or any) scalar as the Python bool, int, float or str it stands for."""
    item = getattr(value, "item", None)
    try:
        value = item() if callable(item) else value
    except Exception:  # an array of several values, or anything else: not a scalar
        pass
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, numbers.Real):
        return int(value) if isinstance(value, numbers.Integral) else float(value)
    raise Invalid(f"{where}: a {type(value).__name__} is not a number, text, true/false or null")


def _number(value, where: str) -> float | None:
    """A curve's loss or accuracy: a float to SIGNIFICANT digits, None if missing or not finite."""
    if type(value) is not float:  # the common case first: this runs 400 times per report
        if value is None:
            return None
        value = _plain(value, where)
        if isinstance(value, bool | str):
            raise Invalid(f"{where}: {value!r:.40} is not a number")
        value = float(value)
    if value - value != 0.0:  # nan or an infinity
        return None
    return float(ROUND(value))


def check_curve(curve) -> str:
    """A learning curve as compact JSON [[step, loss, exact], ...]: a list of (step, loss, exact),
    the step a non-negative integer, loss and exact numbers (or None) kept to SIGNIFICANT digits;
    longer than CURVE_POINTS: thinned (only the points kept are checked)."""
    if not isinstance(curve, list | tuple):
        raise Invalid(f"a curve is a list of (step, loss, exact), not a {type(curve).__name__}")
    out = []
    for i in thin(len(curve)):
        point = curve[i]
        if not isinstance(point, (list, tuple)) or len(point) != 3:  # a tuple: faster than list | tuple
            raise Invalid(f"curve point {i} is not a (step, loss, exact)")
        step, loss, exact = point
        if type(step) is not int:
            step = _plain(step, f"curve point {i}")
            if type(step) is not int:
                raise Invalid(f"curve point {i}: the step {step!r:.40} is not an integer")
        if not 0 <= step < SAFE_INT:
            raise Invalid(f"curve point {i}: the step {step} is not a non-negative integer")
        out.append([step, _number(loss, f"curve point {i}"), _number(exact, f"curve point {i}")])
    return json.dumps(out, separators=(",", ":"))


def _depth(value, depth: int = 0) -> int:
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise Invalid("a setup's keys are texts")
        return max((_depth(v, depth + 1) for v in value.values()), default=depth + 1)
    if isinstance(value, list | tuple):
        return max((_depth(v, depth + 1) for v in value), default=depth + 1)
    return depth


def check_setup(setup) -> str:
    """A pushed setup as compact JSON: a dict (settings, operands, page, ...) of JSON values, nested
    at most MAX_SETUP_DEPTH deep, finite numbers, at most MAX_SETUP_JSON bytes."""
    if not isinstance(setup, dict):
        raise Invalid(f"a setup is a dict, not a {type(setup).__name__}")
    try:
        text = json.dumps(setup, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as e:
        raise Invalid(f"a setup is JSON: {e}") from None
    if (size := utf8_size(text, "a setup")) > MAX_SETUP_JSON:
        raise Invalid(f"a setup of {size} bytes (at most {MAX_SETUP_JSON})")
    if _depth(setup) > MAX_SETUP_DEPTH:
        raise Invalid(f"a setup nested over {MAX_SETUP_DEPTH} deep")
    return text


def check_mode(mode) -> str:
    if mode not in MODES:
        raise Invalid(f"a push's mode is one of {MODES}, not {mode!r:.40}")
    return mode


def check_sweep(field, values) -> tuple[str, str]:
    """(field, values as JSON): a field name like "lr" and 1 to MAX_SWEEP_VALUES finite numbers,
    texts or booleans (no null: a member without a value has none)."""
    if not isinstance(field, str) or not FIELD.fullmatch(field):
        raise Invalid(f"a sweep's field matches {FIELD.pattern}, not {field!r:.40}")
    if not isinstance(values, list | tuple) or not 0 < len(values) <= MAX_SWEEP_VALUES:
        raise Invalid(f"a sweep's values are a list of 1 to {MAX_SWEEP_VALUES}")
    clean = [_scalar(v, f"sweep value {i}", finite=True) for i, v in enumerate(values)]
    if None in clean:
        raise Invalid("a sweep value is never null")
    return field, json.dumps(clean, separators=(",", ":"), ensure_ascii=False)


def check_ttl(ttl) -> float:
    """A class's lifetime in seconds; a bad one is a programming error (ValueError, not Invalid)."""
    if isinstance(ttl, bool) or not isinstance(ttl, int | float) or not 0 < ttl <= MAX_TTL:
        raise ValueError(f"a class's ttl is 0 < seconds <= {MAX_TTL:.0f}; got {ttl!r}")
    return float(ttl)


def check_max_members(n) -> int:
    """How many members a class holds at most; a bad number is a programming error (ValueError)."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 < n <= MAX_MEMBERS:
        raise ValueError(f"a class's max_members is 1 to {MAX_MEMBERS}; got {n!r}")
    return n

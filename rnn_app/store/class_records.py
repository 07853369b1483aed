"""What a class store keeps and hands back (see rnn_app.store.classes): its SQLite schema and
its result types. Stdlib only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import NamedTuple

SCHEMA_VERSION = 1
SCHEMA = (
    """CREATE TABLE classes (
        code TEXT PRIMARY KEY,      -- 6 characters of class_input.ALPHABET
        key_hash TEXT NOT NULL,     -- sha256 (hex) of the teacher key; the key itself is never stored
        created REAL NOT NULL, expires REAL NOT NULL,
        closed REAL,                -- when the teacher closed it; NULL: open
        max_members INTEGER NOT NULL,
        push_version INTEGER NOT NULL DEFAULT 0, push_mode TEXT, push_setup TEXT,  -- JSON dict
        sweep_version INTEGER NOT NULL DEFAULT 0,
        sweep_field TEXT, sweep_values TEXT,  -- JSON list; NULL: no sweep
        sweep_next INTEGER NOT NULL DEFAULT 0  -- the value a later joiner gets, if the least used
    ) WITHOUT ROWID""",
    "CREATE INDEX classes_expires ON classes (expires)",
    """CREATE TABLE members (
        seat INTEGER PRIMARY KEY,   -- the row's number: join order, the board's key for a row
        code TEXT NOT NULL, member TEXT NOT NULL,  -- member: 32 hex digits the caller chose
        nickname TEXT NOT NULL, nick_key TEXT NOT NULL,  -- nick_key: casefolded, unique per class
        joined REAL NOT NULL,
        reported REAL, report TEXT, curve TEXT,  -- the latest report (JSON dict, JSON list)
        sweep_index INTEGER,        -- index into the class's sweep_values; NULL: none
        UNIQUE (code, member), UNIQUE (code, nick_key))""",
)


class NewClass(NamedTuple):
    code: str
    key: str  # the teacher key: shown to the teacher once, stored only as its sha256


class Pushed(NamedTuple):
    version: int
    setup: dict
    mode: str  # "suggest" | "follow"


class Assignment(NamedTuple):
    version: int  # the sweep's version
    field: str
    value: object


@dataclass(frozen=True)
class Result:
    status: str
    nickname: str | None = None  # join, rename: the nickname stored
    version: int | None = None  # push, sweep: the new version
    retry_after: float | None = None  # report "too_soon": seconds until a report is taken
    reason: str = ""  # "invalid": what was wrong


@dataclass(frozen=True)
class Sweep:
    version: int
    field: str
    values: list


@dataclass(frozen=True)
class ClassInfo:
    code: str
    created: float
    expires: float
    closed: float | None
    max_members: int
    push_version: int  # 0: nothing pushed yet
    push_mode: str | None
    push_setup: dict | None
    sweep: Sweep | None


@dataclass(frozen=True)
class Row:
    seat: int  # stable while the member stays; never the member id (a member's write key)
    nickname: str
    joined: float
    reported: float | None
    report: dict | None
    curve: list  # [[step, loss, exact], ...], at most 200 points; [] if none or not asked for
    sweep_value: object  # None: no sweep value assigned


@dataclass(frozen=True)
class Board:
    status: str  # "ok" | "unknown" | "forbidden" | "expired" | "unavailable"
    info: ClassInfo | None = None
    rows: tuple[Row, ...] = ()


def from_json(text, kind):
    """The stored JSON text's value if it is of `kind`, else None (a damaged value reads as none)."""
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return value if isinstance(value, kind) else None

"""A viewer's part in a class: one typed object under one session key ("classroom").

A teacher starts a class and keeps its secret key in the browser; a student joins with the code
and is a row of the class, keyed by a hash of their browser's run id (never shown to anyone). The
browser remembers both (rnn_app.ui.identity extras "teacher" and "class"), so a reload stays in
class. Every change to a class goes through rnn_app.store.ClassStore, which checks the key or the
member for it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from rnn_app.store import ClassStore, normalize_code
from rnn_app.ui import identity
from rnn_app.ui.strings import plain, t
from rnn_app.ui.widgets import page_state

KEY = "classroom"  # the session key of this object
REPORT_EVERY = 1.0  # seconds between a student's reports to the board
POLL_EVERY = 0.5  # seconds between the looks for the teacher's new setup of a student who is not training


def store() -> ClassStore:
    return ClassStore.from_env()


def member_id(run_id: str) -> str:
    """A student's row key in a class: derived from their browser's (secret) run id."""
    return hashlib.sha256(f"rnn-lab member {run_id}".encode()).hexdigest()[:32]


@dataclass
class ClassState:
    role: str | None = None  # None, "student" or "teacher"
    code: str | None = None  # the class
    key: str | None = None  # the teacher's secret key (teacher only)
    member: str | None = None  # the student's row key (student only)
    nickname: str | None = None
    synced: bool = False  # what the browser remembers has been read this session
    message: tuple[str, str] | None = None  # ("success" | "error" | "info", text) shown once
    seen_push: int = 0  # the teacher's setup version answered (applied or kept)
    pending: object = None  # a rnn_app.store Pushed waiting for Apply / Keep mine
    applied: str | None = None  # the teacher's setup in use, in words
    seen_sweep: int = 0  # the sweep version applied
    assigned: object = None  # this student's rnn_app.store Assignment
    reported_at: float = 0.0  # when the last report went to the board
    axes: tuple[str, str] = ("hidden", "lr")  # the board's scatter: the settings across and up
    push_mode: str = "suggest"  # how students take the teacher's setup: "suggest" | "follow"
    sweep_field: str = "lr"  # the setting the next sweep varies
    unsent: bool = False  # a report the board refused as too soon: sent again shortly
    max_loops: int | None = None  # tests: the board's and the idle student's loops stop after this many rounds

    # ---- what the browser remembers -------------------------------------------------------------------
    def sync(self) -> None:
        """Once the browser has said what it remembers: teach or sit in the class it names."""
        ids = identity.ids()
        if self.synced or ids is None:
            return
        self.synced = True
        teaching = _teacher_memory(ids.get("teacher"))
        if teaching and store().board(*teaching, curves=False).status == "ok":
            self.role, (self.code, self.key) = "teacher", teaching
        elif teaching:
            identity.assign("teacher", "")
        if self.role is None and ids.get("class"):
            self.join(ids["class"], quiet=True)

    # ---- a student --------------------------------------------------------------------------------
    def join(self, code: str, quiet: bool = False) -> bool:
        """Join (or come back to) the class `code`; a message says how it went."""
        ids = identity.ids()
        if ids is None:
            return False
        member = member_id(ids.get("train") or identity.session_id())
        result = store().join(code, member)
        shown = str(code).strip().upper()[:12]
        if result.status in ("joined", "back"):
            self.role, self.code, self.member, self.nickname = "student", normalize_code(code), member, result.nickname
            identity.assign("class", self.code)
            if not quiet:
                self.message = ("success", t("class.joined", code=self.code, name=plain(self.nickname)))
            return True
        if quiet or result.status != "invalid":
            identity.assign("class", "")
        hours = round(store().ttl / 3600)
        key = {"expired": "class.join.expired", "closed": "class.join.closed", "full": "class.join.full",
               "unavailable": "class.join.unavailable"}.get(result.status, "class.join.unknown")  # fmt: skip
        self.message = ("error", t(key, code=shown, hours=hours))
        return False

    def rename(self, nickname: str) -> None:
        if self.role == "student":
            result = store().rename(self.code, self.member, nickname)
            if result.status == "renamed":
                self.nickname = result.nickname

    def leave(self) -> None:
        if self.role == "student":
            store().leave(self.code, self.member)
        identity.assign("class", "")
        self.role, self.code, self.member, self.pending, self.assigned = None, None, None, None, None
        self.message = ("info", t("class.left"))

    # ---- a teacher --------------------------------------------------------------------------------
    def start(self) -> None:
        made = store().create_class()
        if made is None:
            self.message = ("error", t("class.join.unavailable"))
            return
        self.role, self.code, self.key = "teacher", made.code, made.key
        identity.assign("teacher", json.dumps({"code": made.code, "key": made.key}))

    def close(self) -> None:
        if self.role == "teacher":
            store().close(self.code, self.key)
        identity.assign("teacher", "")
        self.role, self.code, self.key = None, None, None
        self.message = ("info", t("class.closed"))


def _teacher_memory(text) -> tuple[str, str] | None:
    try:
        value = json.loads(text) if text else None
        return (str(value["code"]), str(value["key"])) if isinstance(value, dict) else None
    except (ValueError, KeyError, TypeError):
        return None


def class_state() -> ClassState:
    return page_state(KEY, ClassState)

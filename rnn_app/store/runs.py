"""RunStore: who owns which run, in the database of rnn_app.store.db (see rnn_app.store)."""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .backend import is_url, one_per_database, open_database

RUN_ID = re.compile(r"[0-9a-f]{32}")
KIND = re.compile(r"[a-z][a-z0-9_]{0,15}")  # "train", "digits", ...
MAX_NAME = 128  # characters of a tab or session id
FILE_NAME = "runs.sqlite3"
ENV_FOLDER = "RNN_LAB_DATA"
DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "data"  # beside app.py
EXPIRE_EVERY = 300.0  # seconds between automatic expiries in one process
SCHEMA_VERSION = 1
SCHEMA = (
    """CREATE TABLE runs (
        id TEXT NOT NULL, kind TEXT NOT NULL,
        tab TEXT, session TEXT,   -- the owner and its browser tab (session NULL: released)
        used REAL NOT NULL,       -- last claim, save or renew: the lease, expiry and eviction order
        updated REAL NOT NULL,    -- last save
        size INTEGER NOT NULL,    -- bytes of meta and data
        meta TEXT NOT NULL, data BLOB NOT NULL,  -- last, so reading the others skips the blob
        PRIMARY KEY (id, kind))""",
    "CREATE INDEX runs_used ON runs (used, size)",  # expiry, eviction and the total size
)


def data_folder() -> Path:
    """The folder the stores keep their files in: $RNN_LAB_DATA, default "data" beside app.py."""
    return Path(os.environ.get(ENV_FOLDER) or DEFAULT_FOLDER).expanduser().resolve()


def new_id() -> str:
    return secrets.token_hex(16)


def valid_id(run_id) -> bool:
    return isinstance(run_id, str) and RUN_ID.fullmatch(run_id) is not None


@dataclass(frozen=True)
class Claim:
    status: str  # claim(): "new" | "owned" | "busy" | "unreadable"; load(): "found" | "new" | "unreadable"
    run_id: str  # the id to go on under: the same one, or a new one ("busy", an invalid id, no store)
    data: bytes | None = None  # the stored bytes ("owned", "busy", "found")
    meta: dict | None = None  # the JSON dict saved with them
    updated: float | None = None  # when they were saved (time.time())


class RunStore:
    def __init__(self, path, *, max_age: float = 7 * 86400, max_bytes: int = 256 << 20, lease: float = 20.0):
        """`path`: the SQLite file, or a postgresql:// URL (rnn_app.store.backend)."""
        self.path = path if is_url(path) else Path(path)
        self.max_age, self.max_bytes, self.lease = max_age, max_bytes, lease
        self.db = open_database(self.path, SCHEMA, SCHEMA_VERSION, label="run store")
        self._next_expire = time.time() + EXPIRE_EVERY
        if self.db.available:
            self.expire()  # on open

    _shared: dict[Path | str, RunStore] = {}
    _shared_lock = threading.Lock()

    @classmethod
    def from_env(cls) -> RunStore:
        """The process's store: the PostgreSQL database of $DATABASE_URL if set (several hosts),
        else the file runs.sqlite3 in the folder $RNN_LAB_DATA (default: "data" beside app.py).
        One instance per database, opened on first use."""
        return one_per_database(cls, data_folder(), FILE_NAME)

    @property
    def available(self) -> bool:
        """False while the file cannot be used (claims say "new", saves fail)."""
        return self.db.available

    def claim(self, run_id, kind: str, tab, session: str, *, now: float | None = None) -> Claim:
        """Take the run over as this tab's session if its lease allows (see rnn_app.store)."""
        _check(kind, session)
        if not valid_id(run_id):
            return Claim("new", new_id())
        tab, now = _tab(tab), self._now(now)

        def op(c):
            row = c.execute("SELECT tab, session, used, updated, meta, data FROM runs WHERE id=? AND kind=?",
                            (run_id, kind)).fetchone()  # fmt: skip
            if row is None:
                return Claim("new", run_id)
            owner_tab, owner, used, updated, meta, data = row
            meta = _meta(meta)
            if meta is None or not isinstance(data, bytes):
                c.execute("DELETE FROM runs WHERE id=? AND kind=?", (run_id, kind))
                return Claim("unreadable", run_id)
            if owner is None or owner == session or (tab is not None and owner_tab == tab) or now - used > self.lease:
                c.execute("UPDATE runs SET tab=?, session=?, used=? WHERE id=? AND kind=?",
                          (tab, session, now, run_id, kind))  # fmt: skip
                return Claim("owned", run_id, data, meta, updated)
            return Claim("busy", new_id(), data, meta, updated)

        return self.db.run("claim", op, Claim("new", new_id()), transaction=True)

    def save(self, run_id, kind: str, tab, session: str, data: bytes, meta: dict, *, now=None) -> bool:
        """Upsert the run and renew the lease; False, with nothing written, if it was not saved."""
        return self.write(run_id, kind, tab, session, data, meta, now=now) == "saved"

    def write(self, run_id, kind: str, tab, session: str, data: bytes, meta: dict, *, now=None) -> str:
        """save(), saying how it went: "saved"; "lost" (another session owns the row: fork under
        new_id()); "refused" (an invalid id, meta not a JSON dict, over max_bytes); "unavailable"."""
        _check(kind, session)
        if not valid_id(run_id) or not isinstance(data, bytes | bytearray | memoryview) or not isinstance(meta, dict):
            return "refused"
        try:
            blob, text = bytes(data), json.dumps(meta)
        except (TypeError, ValueError) as e:
            self.db.log_once("save", e)
            return "refused"
        size = len(blob) + len(text.encode())
        if size > self.max_bytes:
            self.db.log_once("save", ValueError(f"a run of {size} bytes is over the store's {self.max_bytes}"))
            return "refused"
        tab, now = _tab(tab), self._now(now)

        def op(c):
            row = c.execute("SELECT session FROM runs WHERE id=? AND kind=?", (run_id, kind)).fetchone()
            if row is not None and row[0] != session:
                return "lost"
            c.execute(
                "INSERT INTO runs (id, kind, tab, session, used, updated, size, meta, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id, kind) DO UPDATE SET tab=excluded.tab, "
                "session=excluded.session, used=excluded.used, updated=excluded.updated, size=excluded.size, "
                "meta=excluded.meta, data=excluded.data",
                (run_id, kind, tab, session, now, now, size, text, blob),
            )
            self._fit(c, (run_id, kind))
            return "saved"

        return self.db.run("save", op, "unavailable", transaction=True)

    def load(self, run_id, kind: str) -> Claim:
        """The stored run, read only ("found"), to copy it; no ownership changes."""
        _check(kind)
        if not valid_id(run_id):
            return Claim("new", new_id())

        def op(c):
            row = c.execute("SELECT updated, meta, data FROM runs WHERE id=? AND kind=?", (run_id, kind)).fetchone()
            if row is None:
                return Claim("new", run_id)
            meta = _meta(row[1])
            if meta is None or not isinstance(row[2], bytes):
                return Claim("unreadable", run_id)
            return Claim("found", run_id, row[2], meta, row[0])

        return self.db.run("load", op, Claim("new", new_id()))

    def renew(self, run_id, kind: str, session: str, *, now: float | None = None) -> bool:
        """Keep the lease without saving; False if this session does not own the run (any more)."""
        _check(kind, session)
        if not valid_id(run_id):
            return False
        sql, now = "UPDATE runs SET used=? WHERE id=? AND kind=? AND session=?", self._now(now)
        return self.db.run("renew", lambda c: c.execute(sql, (now, run_id, kind, session)).rowcount == 1, False)

    def release(self, run_id, kind: str, session: str) -> None:
        """The session's lease ends (the next claim of any tab owns the run)."""
        _check(kind, session)
        if valid_id(run_id):
            sql = "UPDATE runs SET tab=NULL, session=NULL WHERE id=? AND kind=? AND session=?"
            self.db.run("release", lambda c: c.execute(sql, (run_id, kind, session)), None)

    def expire(self, now: float | None = None) -> int:
        """Delete the rows unused (no claim, save or renew) for max_age, then the least recently
        used while the rows hold more than max_bytes. Returns how many rows went."""
        now = time.time() if now is None else now

        def op(c):
            gone = c.execute("DELETE FROM runs WHERE used < ?", (now - self.max_age,)).rowcount
            return gone + self._fit(c, None)

        return self.db.run("expire", op, 0, transaction=True)

    def _fit(self, c, keep) -> int:
        """Evict the least recently used rows (never `keep`) while the rows exceed max_bytes."""
        excess = c.execute("SELECT COALESCE(SUM(size), 0) FROM runs").fetchone()[0] - self.max_bytes
        gone = []
        if excess > 0:
            for id_, kind, size in c.execute("SELECT id, kind, size FROM runs ORDER BY used").fetchall():
                if (id_, kind) != keep:
                    gone.append((id_, kind))
                    excess -= size
                    if excess <= 0:
                        break
            c.executemany("DELETE FROM runs WHERE id=? AND kind=?", gone)
        return len(gone)

    def _now(self, now: float | None) -> float:
        """`now`, or the clock; and the periodic expiry, at most every EXPIRE_EVERY seconds."""
        clock = time.time()
        if clock >= self._next_expire:
            self._next_expire = clock + EXPIRE_EVERY
            self.expire(clock)
        return clock if now is None else now


def _check(kind, session="-") -> None:
    if not (isinstance(kind, str) and KIND.fullmatch(kind)):
        raise ValueError(f"a run kind matches {KIND.pattern}; got {kind!r}")
    if not (isinstance(session, str) and 0 < len(session) <= MAX_NAME):
        raise ValueError(f"a session id is a string of 1 to {MAX_NAME} characters; got {session!r}")


def _tab(tab) -> str | None:
    """A tab id as the browser sent it, or None (matches no owner) if it is not a short string."""
    return tab if isinstance(tab, str) and 0 < len(tab) <= MAX_NAME else None


def _meta(text) -> dict | None:
    try:
        meta = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return meta if isinstance(meta, dict) else None

"""One SQLite file that threads and server processes share, and that never raises into a page.

Database(path, schema, version, label=...).run(what, op, default, transaction=...) runs
op(connection) on a pooled connection (WAL mode, busy_timeout, autocommit unless `transaction`:
True is one BEGIN IMMEDIATE ... COMMIT, a write; "read" one BEGIN ... COMMIT, a consistent
snapshot of several SELECTs that never waits for writers) and returns its result, or `default`
on any sqlite3 or OS error, logging each distinct error once (logger "rnn_app.store", lines
starting with `label`: "run store", "class store").

- Opening creates the folder and the schema, and checks the file (PRAGMA quick_check, about
  0.06 s for 240 MB). A corrupt file (garbage, truncated) or one of another schema is renamed
  with a ".corrupt-<unix time>" suffix (its -wal and -shm too) and a fresh one is created; the
  same happens when an operation meets SQLITE_CORRUPT or SQLITE_NOTADB. Processes serialise
  opening through an flock on "<file>.lock", and each operation checks the file's inode, so a
  process reopens the fresh file when another one moved the old aside (or someone deleted it).
- A file that cannot be opened (read-only or missing folder, ...) makes the database
  unavailable: run() returns `default` at once and opening is retried every RETRY_EVERY seconds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import sqlite3
import threading
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: recovery is then not serialised between processes
    fcntl = None

RETRY_EVERY = 60.0  # seconds before an unusable file is tried again
BUSY_TIMEOUT = 5.0  # seconds a writer waits for another process's transaction
POOL = 4  # idle connections kept
JOURNAL_LIMIT = 32 << 20  # bytes of WAL file kept after a checkpoint
CORRUPT = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB

log = logging.getLogger("rnn_app.store")


class Pooled:
    """What both databases (SQLite here, PostgreSQL in rnn_app.store.pg) keep the same way: a pool
    of idle connections of one generation (a reset closes them and starts the next), whether the
    database is usable and when to try again, and each distinct error logged once. A subclass
    opens and connects (_open, _connect, _get), may extend _reset, and provides run()."""

    def __init__(self, schema: tuple[str, ...], version: int, label: str):
        self.label = label  # what the log lines call it
        self.schema, self.version = schema, version  # statements creating it, and its version
        self._lock = threading.Lock()
        self._pool: list = []
        self._generation = 0  # connections of an older generation are closed, never reused
        self._broken: str | None = None  # why the database is unusable
        self._retry_at = 0.0
        self._logged: set[str] = set()

    @property
    def available(self) -> bool:
        return self._broken is None

    def log_once(self, what: str, e: Exception) -> None:
        message = f"{self.label} {what}: {type(e).__name__}: {e}".strip()
        if message not in self._logged and len(self._logged) < 100:
            self._logged.add(message)
            log.warning(message)

    def close(self) -> None:
        with self._lock:
            self._reset()

    def _drop_idle(self) -> None:
        for c in self._pool:
            with contextlib.suppress(Exception):
                c.close()
        self._pool.clear()

    def _reset(self) -> None:
        """Close the idle connections and start a new generation: those in use are closed when
        they come back."""
        self._drop_idle()
        self._generation += 1

    def _give_back(self, generation: int, c) -> None:
        """An operation's connection, done: kept for the next if the pool has room and no reset
        happened meanwhile, else closed."""
        with self._lock:
            if generation == self._generation and len(self._pool) < POOL:
                self._pool.append(c)
            else:
                c.close()

    def _fail(self, reason: str) -> None:
        self._reset()
        if self._broken is None:
            log.warning("%s unavailable, nothing is kept: %s", self.label, reason)
        self._broken = reason
        self._retry_at = time.monotonic() + RETRY_EVERY


class Database(Pooled):
    def __init__(self, path, schema: tuple[str, ...], version: int, *, label: str = "run store"):
        super().__init__(schema, version, label)  # version: the file's PRAGMA user_version
        self.path = Path(path)
        self._ident = None  # (device, inode) of the file the connections opened
        with self._lock:
            self._open()

    def run(self, what: str, op, default, *, transaction: bool | str = False):
        """op(connection), in a BEGIN IMMEDIATE transaction if `transaction` is True, in a BEGIN
        (deferred: a read snapshot) one if it is "read"; on any sqlite3 or OS error: log once,
        recover from a corrupt file, return `default`."""
        got = self._get()
        if got is None:
            return default
        generation, c = got
        try:
            if not transaction:
                result = op(c)
            else:
                c.execute("BEGIN IMMEDIATE" if transaction is True else "BEGIN")
                try:
                    result = op(c)
                    c.execute("COMMIT")
                except BaseException:
                    if c.in_transaction:
                        c.execute("ROLLBACK")
                    raise
        except BaseException as e:
            c.close()
            if not isinstance(e, sqlite3.Error | OSError):
                raise  # a bug in op: not the store's to hide
            self.log_once(what, e)
            if getattr(e, "sqlite_errorcode", 0) & 0xFF in CORRUPT:
                with self._lock:
                    if generation == self._generation:
                        self._reset()
                        self._open(recover=True)
            return default
        self._give_back(generation, c)
        return result

    # ---- connections ---------------------------------------------------------------------------
    def _get(self):
        """(generation, connection), or None while the file is unusable."""
        with self._lock:
            if self._broken is not None:
                if time.monotonic() < self._retry_at:
                    return None
                self._open()
            else:
                try:
                    st = os.stat(self.path)
                    ident = (st.st_dev, st.st_ino)
                except OSError:
                    ident = None
                if ident != self._ident:  # moved aside by another process, or deleted: reopen
                    self._reset()
                    self._open()
            if self._broken is not None:
                return None
            try:
                return self._generation, (self._pool.pop() if self._pool else self._connect())
            except (sqlite3.Error, OSError) as e:
                self._fail(f"cannot connect: {e}")
                return None

    def _connect(self) -> sqlite3.Connection:
        c = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
        try:
            c.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            c.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: no fsync per commit, never torn
            c.execute(f"PRAGMA journal_size_limit={JOURNAL_LIMIT}")  # the WAL shrinks back after checkpoints
        except sqlite3.Error:
            c.close()
            raise
        return c

    def _reset(self) -> None:
        super()._reset()
        self._ident = None

    # ---- opening and recovery (with self._lock held) ---------------------------------------------
    def _open(self, recover: bool = False) -> None:
        """Create the folder, check the file, set up the schema; move a bad file aside."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _file_lock(self.path):
                for attempt in (1, 2):
                    try:
                        c = self._connect()
                        try:
                            problem = self._prepare(c)
                        finally:
                            c.close()
                    except sqlite3.DatabaseError as e:
                        if e.sqlite_errorcode & 0xFF not in CORRUPT:
                            raise
                        problem = str(e)
                    if problem is None:
                        break
                    if attempt == 2:
                        raise sqlite3.DatabaseError(f"a fresh file is unusable too: {problem}")
                    self._move_aside(problem)
                st = os.stat(self.path)
                self._ident = (st.st_dev, st.st_ino)
        except (sqlite3.Error, OSError) as e:
            self._fail(f"cannot open {self.path}: {e}")
            return
        if self._broken is not None or recover:
            log.warning("%s %s is usable%s", self.label, self.path, " again" if self._broken else "")
        self._broken = None

    def _prepare(self, c) -> str | None:
        """None if the file is good (creating the schema in an empty one), else why not: another
        schema version, or a table of the schema missing (another store's file of that version)."""
        check = c.execute("PRAGMA quick_check(1)").fetchone()[0]
        if check != "ok":
            return f"quick_check: {check}"
        if c.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower() != "wal":
            self.log_once("open", RuntimeError("WAL mode is not available; using a rollback journal"))
        c.execute("BEGIN IMMEDIATE")
        try:
            version = c.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and c.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                for statement in self.schema:
                    c.execute(statement)
                c.execute(f"PRAGMA user_version={int(self.version)}")
                version = self.version
            c.execute("COMMIT")
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise
        if version != self.version:
            return f"not a {self.label} of this app (version {version})"
        tables = {name for (name,) in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = sorted(set(re.findall(r"CREATE TABLE (\w+)", " ".join(self.schema))) - tables)
        return f"not a {self.label} of this app (no table {', '.join(missing)})" if missing else None

    def _move_aside(self, problem: str) -> None:
        suffix = stamp = f".corrupt-{int(time.time())}"
        while Path(f"{self.path}{suffix}").exists():  # a second one within the second
            suffix = f"{stamp}-{secrets.token_hex(2)}"
        log.warning("%s %s is unusable (%s): moved aside as %s%s", self.label, self.path, problem, self.path.name, suffix)
        for tail in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{tail}")
            if part.exists():
                part.rename(f"{self.path}{suffix}{tail}")


@contextlib.contextmanager
def _file_lock(path: Path):
    """An exclusive lock on "<file>.lock", held while a process opens or recovers the file."""
    with open(f"{path}.lock", "a+b") as f:
        if fcntl is not None:
            fcntl.flock(f, fcntl.LOCK_EX)
        yield  # closing the file releases the lock

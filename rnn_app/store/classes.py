"""ClassStore: a teacher's class (live board, follow-me setups, class-wide sweeps), see
rnn_app.store. Its own file, classes.sqlite3, beside runs.sqlite3: students report every second,
and those small writes never queue behind a run's save of 50 KB (SQLite has one writer per file);
either file can be corrupt, moved aside and recreated without touching the other; and a class
never reads or writes a run. Inputs are checked by rnn_app.store.class_input."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from .backend import is_url, one_per_database, open_database
from .class_input import (
    Invalid,
    auto_nickname,
    check_curve,
    check_max_members,
    check_mode,
    check_report,
    check_setup,
    check_sweep,
    check_ttl,
    clean_nickname,
    hash_key,
    key_matches,
    new_code,
    new_key,
    nickname_key,
    normalize_code,
    unique_nickname,
)
from .class_records import (
    SCHEMA,
    SCHEMA_VERSION,
    Assignment,
    Board,
    ClassInfo,
    NewClass,
    Pushed,
    Result,
    Row,
    Sweep,
    from_json,
)
from .runs import EXPIRE_EVERY, data_folder, valid_id

FILE_NAME = "classes.sqlite3"
SLACK = 0.05  # seconds: a report min_interval - SLACK after the last is taken (a 1 s timer's jitter)


class ClassStore:
    def __init__(self, path, *, ttl: float = 12 * 3600, max_members: int = 200, min_interval: float = 1.0,
                 max_classes: int = 1000):  # fmt: skip
        self.path = path if is_url(path) else Path(path)  # the SQLite file, or a postgresql:// URL
        self.ttl, self.max_members = check_ttl(ttl), check_max_members(max_members)
        self.min_interval, self.max_classes = float(min_interval), int(max_classes)
        self.db = open_database(self.path, SCHEMA, SCHEMA_VERSION, label="class store")
        self._next_expire = time.time() + EXPIRE_EVERY
        if self.db.available:
            self.expire()  # on open

    _shared: dict[Path | str, ClassStore] = {}
    _shared_lock = threading.Lock()

    @classmethod
    def from_env(cls) -> ClassStore:
        """The process's class store: RunStore.from_env's PostgreSQL database ($DATABASE_URL) if set,
        else classes.sqlite3 in its folder ($RNN_LAB_DATA, default "data" beside app.py); one
        instance per database, opened on first use."""
        return one_per_database(cls, data_folder(), FILE_NAME)

    @property
    def available(self) -> bool:
        return self.db.available

    # ---- the teacher -------------------------------------------------------------------------------
    def create_class(self, now: float | None = None, *, ttl: float | None = None,
                     max_members: int | None = None) -> NewClass | None:  # fmt: skip
        """A new class: (code, teacher key). None if the store is unavailable or already holds
        max_classes live classes (logged). A bad ttl or max_members is a ValueError."""
        ttl = self.ttl if ttl is None else check_ttl(ttl)
        max_members = self.max_members if max_members is None else check_max_members(max_members)
        key, now = new_key(), self._now(now)

        def op(c):
            if c.execute("SELECT count(*) FROM classes WHERE expires > ?", (now,)).fetchone()[0] >= self.max_classes:
                self.db.log_once("create", RuntimeError(f"{self.max_classes} live classes, no more"))
                return None
            for _ in range(20):
                code = new_code()
                row = c.execute("SELECT expires FROM classes WHERE code=?", (code,)).fetchone()
                if row is not None and row[0] > now:
                    continue  # a live class has it
                if row is not None:  # an expired class not dropped yet: its code is free again
                    _drop(c, "code = ?", (code,))
                c.execute("INSERT INTO classes (code, key_hash, created, expires, max_members) VALUES (?, ?, ?, ?, ?)",
                          (code, hash_key(key), now, now + ttl, max_members))  # fmt: skip
                return NewClass(code, key)
            return None

        return self.db.run("create", op, None, transaction=True)

    def board(self, code, key, *, now: float | None = None, curves: bool = True) -> Board:
        """The class and one row per member, in join order. Readable after close until expiry.
        curves=False leaves the curves out (cheaper)."""
        code, now = normalize_code(code), self._now(now)
        if code is None:
            return Board("unknown")

        def op(c):
            row = c.execute("SELECT key_hash, created, expires, closed, max_members, push_version, push_mode, "
                            "push_setup, sweep_version, sweep_field, sweep_values FROM classes WHERE code=?",
                            (code,)).fetchone()  # fmt: skip
            status = _teacher_status(row, key, now, write=False)
            if status is not None:
                return Board(status)
            _, created, expires, closed, max_members, push_version, push_mode, push_setup, version, field, values = row
            values = from_json(values, list)
            sweep = Sweep(version, field, values) if field is not None and values else None
            info = ClassInfo(code, created, expires, closed, max_members, push_version, push_mode,
                             from_json(push_setup, dict), sweep)  # fmt: skip
            sql = "SELECT seat, nickname, joined, reported, report, {} sweep_index FROM members WHERE code=? ORDER BY joined, seat"
            rows = []
            for seat, nickname, joined, reported, report, *rest in c.execute(sql.format("curve," if curves else ""), (code,)):
                curve = (from_json(rest[0], list) or []) if curves else []
                index = rest[-1]
                value = values[index] if sweep is not None and index is not None and 0 <= index < len(values) else None
                rows.append(Row(seat, nickname, joined, reported, from_json(report, dict), curve, value))
            return Board("ok", info, tuple(rows))

        return self.db.run("board", op, Board("unavailable"), transaction="read")

    def push(self, code, key, setup, mode: str = "suggest", *, now: float | None = None) -> Result:
        """Store the teacher's setup under the next version: "pushed" (result.version)."""
        try:
            text, mode = check_setup(setup), check_mode(mode)
        except Invalid as e:
            return Result("invalid", reason=str(e))

        def op(c, code):
            c.execute("UPDATE classes SET push_version=push_version+1, push_mode=?, push_setup=? WHERE code=?",
                      (mode, text, code))  # fmt: skip
            version = c.execute("SELECT push_version FROM classes WHERE code=?", (code,)).fetchone()[0]
            return Result("pushed", version=version)

        return self._teacher("push", code, key, now, op)

    def sweep(self, code, key, field, values, *, now: float | None = None) -> Result:
        """One value of `values` for each member in join order (repeating when there are more
        members than values); later joiners get the least used value, in turn. "swept"
        (result.version); a new sweep replaces the last one."""
        try:
            field, text = check_sweep(field, values)
        except Invalid as e:
            return Result("invalid", reason=str(e))
        n = len(values)

        def op(c, code):
            seats = [s for (s,) in c.execute("SELECT seat FROM members WHERE code=? ORDER BY joined, seat", (code,))]
            c.executemany("UPDATE members SET sweep_index=? WHERE seat=?", [(i % n, s) for i, s in enumerate(seats)])
            c.execute("UPDATE classes SET sweep_version=sweep_version+1, sweep_field=?, sweep_values=?, sweep_next=? "
                      "WHERE code=?", (field, text, len(seats) % n, code))  # fmt: skip
            version = c.execute("SELECT sweep_version FROM classes WHERE code=?", (code,)).fetchone()[0]
            return Result("swept", version=version)

        return self._teacher("sweep", code, key, now, op)

    def clear_sweep(self, code, key, *, now: float | None = None) -> Result:
        """No sweep any more (assignment() says None): "cleared"."""

        def op(c, code):
            c.execute("UPDATE classes SET sweep_field=NULL, sweep_values=NULL, sweep_next=0 WHERE code=?", (code,))
            c.execute("UPDATE members SET sweep_index=NULL WHERE code=?", (code,))
            return Result("cleared")

        return self._teacher("clear_sweep", code, key, now, op)

    def clear(self, code, key, *, now: float | None = None) -> Result:
        """Remove every member's report and curve (the members stay): "cleared"."""

        def op(c, code):
            c.execute("UPDATE members SET reported=NULL, report=NULL, curve=NULL WHERE code=?", (code,))
            return Result("cleared")

        return self._teacher("clear", code, key, now, op)

    def close(self, code, key, *, now: float | None = None) -> Result:
        """End the class: "closed" (again if it was). Nothing in it is writable any more; the
        board stays readable until the class expires. Members' runs are not the class's."""
        now = self._now(now)

        def op(c, code):
            c.execute("UPDATE classes SET closed=? WHERE code=? AND closed IS NULL", (now, code))
            return Result("closed")

        return self._teacher("close", code, key, now, op, write=False)

    def _teacher(self, what: str, code, key, now, op, *, write: bool = True) -> Result:
        """op(connection, code) in one transaction if the class is there, the key its teacher's
        and (for a write) the class open: else "unknown", "forbidden", "expired", "closed"."""
        code, now = normalize_code(code), self._now(now)
        if code is None:
            return Result("unknown")

        def txn(c):
            row = c.execute("SELECT key_hash, created, expires, closed FROM classes WHERE code=?", (code,)).fetchone()
            status = _teacher_status(row, key, now, write=write)
            return Result(status) if status is not None else op(c, code)

        return self.db.run(what, txn, Result("unavailable"), transaction=True)

    # ---- students ----------------------------------------------------------------------------------
    def join(self, code, member, nickname=None, *, now: float | None = None) -> Result:
        """Join as `member` (32 hex digits the caller keeps): "joined", or "back" (already in: the
        row and nickname are kept, `nickname` is ignored); "unknown", "expired", "closed", "full",
        "invalid", "unavailable". Without a nickname one is made up ("Brave Otter"); a taken
        one gets a number ("Ada 2"). result.nickname is the one stored."""
        code, now = normalize_code(code), self._now(now)
        if code is None:
            return Result("unknown")
        if not valid_id(member):
            return Result("invalid", reason="a member id is 32 lowercase hex digits")
        wanted = None if nickname is None else clean_nickname(nickname)
        if nickname is not None and wanted is None:
            return Result("invalid", reason="an empty nickname")

        def op(c):
            row = c.execute("SELECT expires, closed, max_members, sweep_values, sweep_next FROM classes WHERE code=?",
                            (code,)).fetchone()  # fmt: skip
            status = _member_status(row, now)
            if status is not None:
                return Result(status)
            _, _, max_members, values, turn = row
            mine = c.execute("SELECT nickname FROM members WHERE code=? AND member=?", (code, member)).fetchone()
            if mine is not None:
                return Result("back", nickname=mine[0])
            taken = {k for (k,) in c.execute("SELECT nick_key FROM members WHERE code=?", (code,))}
            if len(taken) >= max_members:
                return Result("full")
            name = auto_nickname(taken) if wanted is None else unique_nickname(wanted, taken)
            index = None
            values = from_json(values, list)
            if values:  # a sweep is on: the least used value, the next in turn first
                used = dict(c.execute("SELECT sweep_index, count(*) FROM members WHERE code=? AND sweep_index "
                                      "IS NOT NULL GROUP BY sweep_index", (code,)).fetchall())  # fmt: skip
                turns = [(turn + k) % len(values) for k in range(len(values))]
                index = min(turns, key=lambda i: used.get(i, 0))  # min keeps the first of the least used
                c.execute("UPDATE classes SET sweep_next=? WHERE code=?", ((index + 1) % len(values), code))
            c.execute("INSERT INTO members (code, member, nickname, nick_key, joined, sweep_index) VALUES (?, ?, ?, ?, ?, ?)",
                      (code, member, name, nickname_key(name), now, index))  # fmt: skip
            return Result("joined", nickname=name)

        return self.db.run("join", op, Result("unavailable"), transaction=True)

    def rename(self, code, member, nickname, *, now: float | None = None) -> Result:
        """A new nickname (cleaned, cut to 24 characters, numbered if another member has it):
        "renamed" with result.nickname; "not_member", "invalid" (nothing left after cleaning),
        "unknown", "expired", "closed", "unavailable"."""
        code, now = normalize_code(code), self._now(now)
        if code is None:
            return Result("unknown")
        name = clean_nickname(nickname)
        if not valid_id(member) or name is None:
            return Result("invalid", reason="a member id is 32 hex digits; a nickname is not empty")

        def op(c):
            status = _member_status(c.execute("SELECT expires, closed FROM classes WHERE code=?", (code,)).fetchone(), now)
            if status is not None:
                return Result(status)
            rows = c.execute("SELECT member, nick_key FROM members WHERE code=?", (code,)).fetchall()
            if member not in {m for m, _ in rows}:
                return Result("not_member")
            stored = unique_nickname(name, {k for m, k in rows if m != member})
            c.execute("UPDATE members SET nickname=?, nick_key=? WHERE code=? AND member=?",
                      (stored, nickname_key(stored), code, member))  # fmt: skip
            return Result("renamed", nickname=stored)

        return self.db.run("rename", op, Result("unavailable"), transaction=True)

    def leave(self, code, member, *, now: float | None = None) -> Result:
        """Leave the class (the row and report go): "left", "not_member", "unknown", "expired",
        "closed", "invalid", "unavailable"."""
        return self._member_write("leave", code, member, now, "DELETE FROM members", (), "left")

    def report(self, code, member, report: dict, curve=None, *, now: float | None = None) -> Result:
        """The member's latest run report (a small dict of scalars) and, unless None (keep the
        stored one), curve [(step, loss, exact), ...] thinned to 200 points: "saved"; "too_soon"
        less than min_interval - SLACK (0.95 s) after the last report (nothing written: send the
        newest report again after result.retry_after seconds), "invalid" (result.reason),
        "not_member", "unknown", "expired", "closed", "unavailable"."""
        try:
            text = check_report(report)
            points = None if curve is None else check_curve(curve)
        except Invalid as e:
            return Result("invalid", reason=str(e))
        now = self._now(now)
        return self._member_write("report", code, member, now, "UPDATE members SET reported=?, report=?, curve=COALESCE(?, curve)",
                                  (now, text, points), "saved", rate_limit=True)  # fmt: skip

    def _member_write(self, what, code, member, now, sql, args, done, *, rate_limit=False) -> Result:
        """One statement on the (code, member) row if the class is open (and the last report
        old enough); when it touched nothing, a second look says why."""
        code, now = normalize_code(code), self._now(now)
        if code is None:
            return Result("unknown")
        if not valid_id(member):
            return Result("invalid", reason="a member id is 32 lowercase hex digits")
        wait = self.min_interval - SLACK
        where = " WHERE code=? AND member=? AND EXISTS (SELECT 1 FROM classes WHERE code=? AND closed IS NULL AND expires > ?)"
        where += " AND (reported IS NULL OR ? - reported NOT BETWEEN 0 AND ?)" if rate_limit else ""
        params = (*args, code, member, code, now, *((now, wait) if rate_limit else ()))

        def op(c):
            if c.execute(sql + where, params).rowcount == 1:
                return Result(done)
            status = _member_status(c.execute("SELECT expires, closed FROM classes WHERE code=?", (code,)).fetchone(), now)
            if status is not None:
                return Result(status)
            row = c.execute("SELECT reported FROM members WHERE code=? AND member=?", (code, member)).fetchone()
            if row is None:
                return Result("not_member")
            return Result("too_soon", retry_after=max(0.0, wait - (now - row[0])) if row[0] is not None else 0.0)

        return self.db.run(what, op, Result("unavailable"))

    def pushed(self, code, *, now: float | None = None) -> Pushed | None:
        """The teacher's latest push (version, setup, mode), or None: nothing pushed, or the class
        unknown, expired or closed. One primary-key SELECT: cheap enough to poll."""
        code, now = normalize_code(code), self._now(now)
        if code is None:
            return None
        sql = "SELECT push_version, push_setup, push_mode FROM classes WHERE code=? AND closed IS NULL AND expires > ?"
        row = self.db.run("pushed", lambda c: c.execute(sql, (code, now)).fetchone(), None)
        setup = None if row is None or not row[0] else from_json(row[1], dict)
        return None if setup is None else Pushed(row[0], setup, row[2])

    def assignment(self, code, member, *, now: float | None = None) -> Assignment | None:
        """The member's sweep value (sweep version, field, value), or None (no sweep, no value,
        not a member, the class unknown, expired or closed)."""
        code, now = normalize_code(code), self._now(now)
        if code is None or not valid_id(member):
            return None
        sql = ("SELECT c.sweep_version, c.sweep_field, c.sweep_values, m.sweep_index FROM members m JOIN classes c "
               "ON c.code = m.code WHERE m.code=? AND m.member=? AND c.closed IS NULL AND c.expires > ?")  # fmt: skip
        row = self.db.run("assignment", lambda c: c.execute(sql, (code, member, now)).fetchone(), None)
        if row is None or row[1] is None or row[3] is None:
            return None
        values = from_json(row[2], list)
        return Assignment(row[0], row[1], values[row[3]]) if values and 0 <= row[3] < len(values) else None

    # ---- upkeep -------------------------------------------------------------------------------------
    def expire(self, now: float | None = None) -> int:
        """Drop the classes past their expiry, and their members. Returns how many classes went."""
        now = time.time() if now is None else now
        return self.db.run("expire", lambda c: _drop(c, "expires <= ?", (now,)), 0, transaction=True)

    def _now(self, now: float | None) -> float:
        """`now`, or the clock; and the periodic expiry, at most every EXPIRE_EVERY seconds."""
        clock = time.time()
        if clock >= self._next_expire:
            self._next_expire = clock + EXPIRE_EVERY
            self.expire(clock)
        return clock if now is None else now


def _drop(c, where: str, args: tuple) -> int:
    c.execute(f"DELETE FROM members WHERE code IN (SELECT code FROM classes WHERE {where})", args)
    return c.execute(f"DELETE FROM classes WHERE {where}", args).rowcount


def _teacher_status(row, key, now: float, *, write: bool) -> str | None:
    """Why the teacher may not act on the class row (key_hash, created, expires, closed, ...)."""
    if row is None:
        return "unknown"
    if not key_matches(key, row[0]):
        return "forbidden"
    if now >= row[2]:
        return "expired"
    return "closed" if write and row[3] is not None else None


def _member_status(row, now: float) -> str | None:
    """Why a member may not write to the class row (expires, closed, ...)."""
    if row is None:
        return "unknown"
    if now >= row[0]:
        return "expired"
    return "closed" if row[1] is not None else None

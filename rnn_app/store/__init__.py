"""Viewers' runs outside the Streamlit session: a reload, a dropped websocket (a new session with
an empty session_state) or a server restart gives a viewer their run back. Stdlib only, never
streamlit: the pages own the ids and the bytes, this package keeps them.

One SQLite file (WAL mode, busy_timeout; rnn_app.store.db) holds one row per (run id, kind): the
run's bytes (e.g. rnn.saveload.to_bytes of its trainer), a small JSON dict beside them (page
state such as operands or speed) and who owns the row. Several server processes on one host
share it safely; every change is one short transaction, so a row is always one complete save.

    RUN_ID, new_id(), valid_id(s)   a run id: 32 hex digits (128 random bits); anything else is
                                    unknown and never reaches SQL
    RunStore(path, *, max_age=7 days, max_bytes=256 MB, lease=20 s);  RunStore.from_env()
      .claim(run_id, kind, tab, session) -> Claim   take a run over when a page opens
      .save(run_id, kind, tab, session, data, meta) -> bool   (.write(...) -> why not)
      .load(run_id, kind) -> Claim   read only, no ownership (to copy a run)
      .renew(run_id, kind, session) -> bool   keep the lease without saving
      .release(run_id, kind, session)   the lease ends (the session ends)
      .expire(now=None) -> int   drop the rows unused for max_age, then the least recently used
                                 while the rows exceed max_bytes (it also runs on open and at
                                 most every EXPIRE_EVERY seconds)
      .available   False while the file cannot be used
    writer.submit(store, run_id, kind, tab, session, make, on_lost)   save off the live loop
    writer.flush(timeout)

from_env(): the folder $RNN_LAB_DATA, default "data" beside app.py, created on first use; file
runs.sqlite3; one RunStore per folder and process. `kind` is the page ("train", "digits"), `tab`
the browser tab's own id, `session` the Streamlit session's id.

Ownership: a run is never written by two sessions at once, and a second tab gets its own copy.
claim() says "new" when no row has that id (start a fresh run and save it under claim.run_id,
becoming its owner); "owned" when the lease is free (released), expired (`lease` seconds since
the owner's last claim, save or renew), the caller's own, or held by the same browser tab (a
reload: the old session is dead or dying), and the session now owns it; "busy" when another tab
holds a fresh lease (claim.data and .meta are a copy to fork: go on under claim.run_id, a new
id); "unreadable" when the row was unusable (it is dropped; start afresh under claim.run_id).
save() writes only for the row's owner, or when no row has the id yet; a session that lost the
row (another tab took it over) gets False (write(): "lost"; the writer calls on_lost) and must
fork under new_id(). Every method takes `now` (time.time() seconds), so tests need not sleep.

Across hosts (replicas behind a load balancer on several machines, scripts/serve.py on each):
DATABASE_URL=postgresql://user:password@host/db puts both stores in that PostgreSQL database
instead of the SQLite files (rnn_app.store.backend; psycopg 3). Same schema, same queries and the
same contract; the dialect (placeholders, BYTEA, DOUBLE PRECISION, identity keys, one writer per
store through an advisory lock, the schema version in a table) is bridged in rnn_app.store.pg.

Nothing raises into a page for bad ids, bad rows or a failing store: a corrupt file is renamed
aside (".corrupt-<unix time>") and a fresh one created; a store that cannot be opened (read-only
or missing folder, full disk) degrades to "new" claims under fresh ids and False saves, logs the
reason once (logger "rnn_app.store") and is retried every minute. A save over max_bytes is
refused with nothing written; saves that push the rows over it evict the least recently used
other rows. An unknown kind or an empty session is a programming error (ValueError).

Classes (rnn_app.store.classes; its checks in class_input, its schema and results in
class_records): a teacher's live board of every student's run, follow-me setups and class-wide
sweeps, in a second file, classes.sqlite3, in the same folder and on the same Database (its own
schema, recovery and log lines "class store ..."). A second file, not more tables in runs.sqlite3:
students' once-a-second reports never wait behind a run's 50 KB save (SQLite has one writer per
file), either file can be corrupt and recreated alone, and the class store never touches a run.

    ClassStore(path, *, ttl=12 h, max_members=200, min_interval=1 s, max_classes=1000);  .from_env()
      teacher (key: the secret create_class returned; only its sha256 is stored, compared in
      constant time; a wrong key is "forbidden" with nothing read or changed):
      .create_class(now=None, *, ttl=None, max_members=None) -> NewClass(code, key) | None
      .board(code, key, *, now=None, curves=True) -> Board(status, info: ClassInfo, rows: (Row, ...))
      .push(code, key, setup, mode="suggest"|"follow", *, now) -> Result "pushed" (.version)
      .sweep(code, key, field, values, *, now) -> Result "swept" (.version);  .clear_sweep(...) "cleared"
      .clear(code, key, *, now) -> "cleared" (reports go, members stay);  .close(...) -> "closed"
      members (every call keyed by (code, member), member: 32 hex digits the caller chose):
      .join(code, member, nickname=None, *, now) -> Result "joined" | "back" (.nickname)
      .rename(code, member, nickname, *, now) -> "renamed" (.nickname);  .leave(...) -> "left"
      .report(code, member, report, curve=None, *, now) -> "saved" | "too_soon" (.retry_after)
      .pushed(code, *, now) -> Pushed(version, setup, mode) | None   one primary-key SELECT
      .assignment(code, member, *, now) -> Assignment(version, field, value) | None
      .expire(now=None) -> int   classes past expiry go with their members (on open, every 5 min)
    normalize_code(text) -> "ABCDEF" | None   case, spaces, dashes and full-width forms ignored

Refusals are results, never exceptions: "unknown" (no such class, or a malformed code), "expired",
"closed" (nothing is writable after close; the board stays readable until expiry), "forbidden",
"full", "not_member", "too_soon", "invalid" (.reason), "unavailable" (the file cannot be used).
Codes: 6 characters of ALPHABET (no 0/O, 1/I/L), from secrets, unique among live classes.
"""

from .class_input import ALPHABET, normalize_code
from .class_records import Assignment, Board, ClassInfo, NewClass, Pushed, Result, Row, Sweep
from .classes import ClassStore
from .runs import RUN_ID, Claim, RunStore, new_id, valid_id
from .writer import Writer, writer

__all__ = [
    "ALPHABET", "RUN_ID", "Assignment", "Board", "Claim", "ClassInfo", "ClassStore", "NewClass", "Pushed",
    "Result", "Row", "RunStore", "Sweep", "Writer", "new_id", "normalize_code", "valid_id", "writer",
]  # fmt: skip

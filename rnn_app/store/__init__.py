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

Nothing raises into a page for bad ids, bad rows or a failing store: a corrupt file is renamed
aside (".corrupt-<unix time>") and a fresh one created; a store that cannot be opened (read-only
or missing folder, full disk) degrades to "new" claims under fresh ids and False saves, logs the
reason once (logger "rnn_app.store") and is retried every minute. A save over max_bytes is
refused with nothing written; saves that push the rows over it evict the least recently used
other rows. An unknown kind or an empty session is a programming error (ValueError).
"""

from .runs import RUN_ID, Claim, RunStore, new_id, valid_id
from .writer import Writer, writer

__all__ = ["RUN_ID", "Claim", "RunStore", "Writer", "new_id", "valid_id", "writer"]

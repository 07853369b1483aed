"""Writer: saves runs on one background thread per process, off the pages' live loops."""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Callable

from .runs import RunStore

log = logging.getLogger("rnn_app.store")


class Writer:
    """One daemon thread per process (started on the first submit) that saves runs.

    submit() keeps only the newest pending job per (store, run id, kind, session), in the place
    of the first (per session too: a dying session's late job never replaces the owner's); make() runs on the writer thread and returns (data, meta), so callers pass it copies of
    what must be saved. on_lost() is called, on the writer thread, when the save was refused
    because another session owns the row: the caller then forks under new_id(). It must be
    quick and must not touch streamlit (setting a flag that the page reads is enough). An
    exception in make() or on_lost() is logged and the job dropped."""

    def __init__(self):
        self._cond = threading.Condition()
        self._jobs: dict[tuple, tuple] = {}  # submission order; a newer job takes the older's place
        self._running = False
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self.saved = 0  # saves written, for tests and benchmarks
        self.coalesced = 0  # jobs replaced by a newer one before they ran

    def submit(self, store: RunStore, run_id: str, kind: str, tab, session: str,
               make: Callable[[], tuple[bytes, dict]], on_lost: Callable[[], None] | None = None) -> None:  # fmt: skip
        with self._cond:
            key = (store, run_id, kind, session)
            self.coalesced += key in self._jobs
            self._jobs[key] = (tab, make, on_lost)
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                if self._pid is None:
                    atexit.register(self.flush, 2.0)
                self._pid, self._running = os.getpid(), False  # a forked child starts its own thread
                self._thread = threading.Thread(target=self._loop, name="run-store-writer", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every submitted job is done; False if that takes longer than `timeout`."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._jobs and not self._running, timeout)

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._jobs)
                key = next(iter(self._jobs))
                (store, run_id, kind, session), (tab, make, on_lost) = key, self._jobs.pop(key)
                self._running = True
            try:
                data, meta = make()
                outcome = store.write(run_id, kind, tab, session, data, meta)
                self.saved += outcome == "saved"
                if outcome == "lost" and on_lost is not None:
                    on_lost()
            except Exception:
                log.exception("run store writer: saving %s run %s failed", kind, run_id)
            finally:
                with self._cond:
                    self._running = False
                    self._cond.notify_all()


writer = Writer()  # the process's writer

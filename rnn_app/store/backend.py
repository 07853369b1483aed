"""Which database a store uses: a SQLite file (one host: rnn_app.store.db) or, when given a
postgresql:// URL, a PostgreSQL server (several hosts: rnn_app.store.pg). The stores' queries are
the same for both; the dialect is bridged in pg.py."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from .db import Database

ENV_URL = "DATABASE_URL"
SCHEMES = ("postgresql://", "postgres://")
log = logging.getLogger("rnn_app.store")
_warned: set[str] = set()


def is_url(target) -> bool:
    return isinstance(target, str) and target.startswith(SCHEMES)


def database_url() -> str | None:
    """$DATABASE_URL if it names a PostgreSQL database; else None (the stores use SQLite files in
    $RNN_LAB_DATA). Another kind of URL is said once in the log and ignored."""
    url = os.environ.get(ENV_URL, "").strip()
    if is_url(url):
        return url
    if url and url not in _warned:
        _warned.add(url)
        log.warning("%s is not a postgresql:// URL: ignored, the stores use SQLite files", ENV_URL)
    return None


def one_per_database(cls, folder: Path, file_name: str):
    """The process's `cls` store on $DATABASE_URL if set, else on the file `file_name` in `folder`:
    one instance per database (kept in cls._shared, under cls._shared_lock), opened on first use."""
    where = database_url() or folder
    with cls._shared_lock:
        if where not in cls._shared:
            cls._shared[where] = cls(where if isinstance(where, str) else where / file_name)
        return cls._shared[where]


def open_database(target, schema: tuple[str, ...], version: int, *, label: str):
    """A Database on the SQLite file `target`, or a PgDatabase if `target` is a postgresql:// URL."""
    if is_url(target):
        from .pg import PgDatabase

        return PgDatabase(target, schema, version, label=label)
    return Database(Path(target), schema, version, label=label)

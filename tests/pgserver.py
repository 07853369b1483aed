"""A throwaway PostgreSQL server for the store tests (Debian's `postgresql` package).

Not a test module: conftest.py's `postgres_url` fixture wraps it. initdb and pg_ctl from
/usr/lib/postgresql/*/bin create a cluster in a temporary folder and start it on a free port of
127.0.0.1 (fsync off: nothing here needs to survive a crash); as root, they run as the `postgres`
user (the server refuses to run as root). Stopped and deleted afterwards.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator


def binaries() -> str | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl, or None."""
    found = [d for d in glob.glob("/usr/lib/postgresql/*/bin") if os.access(f"{d}/initdb", os.X_OK)]
    return max(found, key=lambda d: int(d.split("/")[-2]) if d.split("/")[-2].isdigit() else 0) if found else None


def missing_reason() -> str | None:
    """None if a server can be started here, else why not."""
    if binaries() is None:
        return ("PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: install Debian's "
                "package (apt-get install -y postgresql) to run the store tests on PostgreSQL")  # fmt: skip
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` user to run the PostgreSQL server as"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server() -> Iterator[str]:
    """Start a fresh cluster; yield the URL of its `postgres` database as superuser `postgres`."""
    bindir, port = binaries(), _free_port()
    folder = tempfile.mkdtemp(prefix="rnn-lab-pg-")
    data, log = os.path.join(folder, "data"), os.path.join(folder, "server.log")
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server will not run as root
        pw = pwd.getpwnam("postgres")
        os.chown(folder, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]

    def run(*cmd: str) -> None:
        out = subprocess.run([*as_user, *cmd], capture_output=True, text=True, timeout=120)
        if out.returncode:
            raise RuntimeError(f"{' '.join(cmd[:2])} failed:\n{out.stdout}\n{out.stderr}")

    try:
        run(f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")  # fmt: skip
        run(f"{bindir}/pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "120", "start")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            with contextlib.suppress(Exception):
                run(f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(url: str) -> str:
    """The URL of a new empty schema on the server of `url`, a test's own: connections of that URL
    find its tables first (search_path). Much quicker than a new database."""
    import secrets

    import psycopg

    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as c:
        c.execute(f"CREATE SCHEMA {name}")
    return f"{url}?options=-csearch_path%3D{name}"


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def query(url: str, sql: str) -> list[tuple]:
    """Rows of one SELECT on the database of `url`, as sqlite3 gives them (tuples)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as c:
        return [tuple(r) for r in c.execute(sql).fetchall()]

"""The run store on PostgreSQL (rnn_app.store.pg, DATABASE_URL): test_store.py's tests of the
store's behaviour, run against a real server (tests/pgserver.py: a throwaway cluster, each test a
schema of its own), and what only PostgreSQL has: a server that is down, a database holding
another version of the schema, DATABASE_URL choosing it. Skipped without Debian's `postgresql`."""

import logging

import pytest
from test_store import (  # noqa: F401  (collected here, with this module's fixtures)
    test_a_bad_kind_or_session_is_a_programming_error,
    test_an_expired_lease_is_taken_over_and_the_old_owner_loses,
    test_another_tab_with_a_fresh_lease_is_busy_and_forks,
    test_expiry_by_age,
    test_ids_that_are_not_32_hex_digits_never_reach_sql,
    test_kinds_are_separate_runs,
    test_meta_must_be_a_json_dict,
    test_new_then_owned_by_a_reload_of_the_same_tab,
    test_opening_with_a_smaller_cap_evicts_down_to_it,
    test_renew_keeps_the_lease_and_release_frees_it,
    test_size_cap_evicts_the_least_recently_used_and_refuses_what_cannot_fit,
    test_the_process_writer_saves_in_the_background,
    test_threads_of_one_process_share_a_store,
    test_two_processes_writing_at_once,
    test_two_sessions_racing_for_a_new_id_one_wins,
    test_writer_calls_on_lost_only_when_another_session_owns_the_run,
    test_writer_coalesces_to_the_newest_job_per_run,
)

from rnn_app.store import ClassStore, RunStore, new_id
from rnn_app.store import db as db_module


@pytest.fixture
def path(postgres_url):
    return postgres_url  # the stores take a postgresql:// URL where they take a file


@pytest.fixture
def store(path):
    s = RunStore(path)
    assert s.available
    yield s
    s.db.close()


def test_a_server_that_is_down_degrades_and_recovers(postgres_server, monkeypatch, caplog):
    import psycopg

    monkeypatch.setattr(db_module, "RETRY_EVERY", 0.0)  # both databases retry through db.Pooled
    url = postgres_server.rsplit("/", 1)[0] + "/later_" + new_id()[:8]  # no such database yet
    with caplog.at_level(logging.WARNING, "rnn_app.store"):
        s = RunStore(url)
        rid = new_id()
        assert not s.available
        for _ in range(3):
            c = s.claim(rid, "train", "t", "s")
            assert c.status == "new" and c.run_id != rid  # no store: a fresh id
            assert s.save(rid, "train", "t", "s", b"x", {}) is False
            assert s.load(rid, "train").status == "new" and s.expire() == 0 and s.renew(rid, "train", "s") is False
    assert caplog.text.count("unavailable") == 1 and "later_" in caplog.text  # logged once, saying where
    with psycopg.connect(postgres_server, autocommit=True) as c:
        c.execute(f"CREATE DATABASE {url.rsplit('/', 1)[1]}")
    assert s.save(rid, "train", "t", "s", b"x", {}) and s.available  # the next call opens it
    assert s.load(rid, "train").data == b"x"
    s.db.close()


def test_another_schema_version_is_left_alone(path, caplog):
    import psycopg

    s = RunStore(path)
    rid = new_id()
    assert s.save(rid, "train", "t", "s", b"kept", {})
    s.db.close()
    with psycopg.connect(path, autocommit=True) as c:
        c.execute("UPDATE rnn_lab_schema SET version = 99 WHERE store = 'run store'")
    with caplog.at_level(logging.WARNING, "rnn_app.store"):
        other = RunStore(path)
    assert not other.available and "version 99" in caplog.text
    assert other.claim(rid, "train", "t", "s2").status == "new"  # refused, not raised
    with psycopg.connect(path, autocommit=True) as c:
        assert c.execute("SELECT data FROM runs").fetchone()[0] == b"kept"  # nothing dropped
    other.db.close()


def test_database_url_chooses_postgresql_for_both_stores(path, tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_LAB_DATA", str(tmp_path / "lab"))
    monkeypatch.setenv("DATABASE_URL", path)
    runs, classes = RunStore.from_env(), ClassStore.from_env()
    try:
        assert runs.path == path == classes.path and runs is RunStore.from_env() and classes is ClassStore.from_env()
        rid = new_id()
        assert runs.save(rid, "train", "t", "s", b"run", {}) and RunStore(path).load(rid, "train").data == b"run"
        assert classes.create_class() is not None
        assert not (tmp_path / "lab").exists()  # no SQLite file was made
    finally:
        RunStore._shared.pop(path).db.close()
        ClassStore._shared.pop(path).db.close()


def test_another_kind_of_database_url_is_ignored(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("RNN_LAB_DATA", str(tmp_path / "lab"))
    monkeypatch.setenv("DATABASE_URL", "mysql://somewhere/db")
    with caplog.at_level(logging.WARNING, "rnn_app.store"):
        s = RunStore.from_env()
    try:
        assert s.path == (tmp_path / "lab" / "runs.sqlite3").resolve() and "not a postgresql" in caplog.text
    finally:
        RunStore._shared.pop(tmp_path / "lab").db.close()


def test_connections_the_server_dropped_while_idle_are_replaced_unseen(path, caplog):
    import psycopg

    s = RunStore(path)
    rid = new_id()
    assert s.save(rid, "train", "t", "s", b"one", {})
    assert s.db._pool  # an idle connection kept for the next call
    with psycopg.connect(path, autocommit=True) as c:  # as a server restart or failover would
        killed = c.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE pid <> pg_backend_pid() AND datname = current_database()").fetchone()[0]  # fmt: skip
    assert killed >= 1
    with caplog.at_level(logging.WARNING, "rnn_app.store"):
        assert s.load(rid, "train").data == b"one"  # not a failed call: a fresh connection
        assert s.save(rid, "train", "t", "s", b"two", {}) and s.load(rid, "train").data == b"two"
    assert caplog.text == "" and s.available
    s.db.close()

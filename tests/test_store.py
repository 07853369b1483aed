"""The run store: who owns a run, what survives corruption, size caps and concurrent writers.

Time is passed in (`now=`), never slept."""

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import sqlite3
import threading
import time

import pgserver
import pytest

from rnn_app import store as store_pkg
from rnn_app.store import RUN_ID, Claim, RunStore, Writer, new_id, valid_id
from rnn_app.store import db as db_module

T0 = time.time()


@pytest.fixture
def path(tmp_path):
    return tmp_path / "runs.sqlite3"


@pytest.fixture
def store(path):
    s = RunStore(path)
    yield s
    s.db.close()


def _rows(path):
    sql = "SELECT id, kind, tab, session, size, meta, data FROM runs ORDER BY used"
    if isinstance(path, str):  # a PostgreSQL URL (tests/test_store_pg.py runs these tests there too)
        return pgserver.query(path, sql)
    with sqlite3.connect(path) as c:
        return c.execute(sql).fetchall()


# ---- ids ------------------------------------------------------------------------------------------

BAD_IDS = ["", "abc", "A" * 32, "0" * 31, "0" * 33, "0" * 32 + "\n", "g" * 32, "'; DROP TABLE runs; --", None, 12, b"0" * 32]


def test_new_ids_are_128_random_bits_in_hex():
    ids = {new_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(RUN_ID.fullmatch(i) and valid_id(i) for i in ids)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_ids_that_are_not_32_hex_digits_never_reach_sql(store, monkeypatch, bad):
    monkeypatch.setattr(store.db, "run", lambda *a, **k: pytest.fail("an invalid id reached the database"))
    c = store.claim(bad, "train", "tab", "s1")
    assert c.status == "new" and valid_id(c.run_id) and c.run_id != bad and c.data is None
    assert store.load(bad, "train").status == "new"
    assert store.save(bad, "train", "tab", "s1", b"data", {}) is False
    assert store.write(bad, "train", "tab", "s1", b"data", {}) == "refused"
    assert store.renew(bad, "train", "s1") is False
    store.release(bad, "train", "s1")


def test_a_bad_kind_or_session_is_a_programming_error(store):
    for kind, session in [("Train", "s"), ("", "s"), ("x" * 17, "s"), ("train", ""), ("train", None), ("train", "s" * 129)]:
        with pytest.raises(ValueError):
            store.claim(new_id(), kind, "tab", session)


# ---- ownership ------------------------------------------------------------------------------------


def test_new_then_owned_by_a_reload_of_the_same_tab(store):
    rid = new_id()
    assert store.claim(rid, "train", "tabA", "s1", now=T0) == Claim("new", rid)
    assert store.save(rid, "train", "tabA", "s1", b"run-1", {"speed": 3}, now=T0)
    # the same session re-runs its script: still its own
    c = store.claim(rid, "train", "tabA", "s1", now=T0 + 1)
    assert (c.status, c.run_id, c.data, c.meta, c.updated) == ("owned", rid, b"run-1", {"speed": 3}, T0)
    # a reload of the same tab (a new session) takes it over at once, lease or not
    c = store.claim(rid, "train", "tabA", "s2", now=T0 + 2)
    assert (c.status, c.run_id, c.data) == ("owned", rid, b"run-1")
    # the old session's late save is refused and writes nothing
    assert store.write(rid, "train", "tabA", "s1", b"stale", {}, now=T0 + 3) == "lost"
    assert store.save(rid, "train", "tabA", "s2", b"run-2", {}, now=T0 + 4)
    assert store.load(rid, "train").data == b"run-2"
    assert [r[2:4] for r in _rows(store.path)] == [("tabA", "s2")]


def test_another_tab_with_a_fresh_lease_is_busy_and_forks(store):
    rid = new_id()
    store.save(rid, "digits", "tabA", "s1", b"A's run", {"k": 1}, now=T0)
    c = store.claim(rid, "digits", "tabB", "s2", now=T0 + 19)
    assert c.status == "busy" and c.run_id != rid and valid_id(c.run_id)
    assert (c.data, c.meta, c.updated) == (b"A's run", {"k": 1}, T0)  # a copy to fork
    assert store.save(c.run_id, "digits", "tabB", "s2", c.data + b" forked", c.meta, now=T0 + 20)
    # the owner is undisturbed, the fork is the second tab's own
    assert store.save(rid, "digits", "tabA", "s1", b"A's run, later", {}, now=T0 + 21)
    assert store.claim(c.run_id, "digits", "tabA", "s1", now=T0 + 22).status == "busy"
    assert store.load(rid, "digits").data == b"A's run, later"
    assert store.load(c.run_id, "digits").data == b"A's run forked"


def test_an_expired_lease_is_taken_over_and_the_old_owner_loses(store):
    rid = new_id()
    store.save(rid, "train", "tabA", "s1", b"x", {}, now=T0)
    assert store.claim(rid, "train", "tabB", "s2", now=T0 + store.lease - 0.5).status == "busy"
    assert store.claim(rid, "train", "tabB", "s2", now=T0 + store.lease + 0.5).status == "owned"
    assert store.write(rid, "train", "tabA", "s1", b"y", {}, now=T0 + 30) == "lost"
    assert store.renew(rid, "train", "s1", now=T0 + 31) is False
    assert store.load(rid, "train").data == b"x"


def test_renew_keeps_the_lease_and_release_frees_it(store):
    rid = new_id()
    store.save(rid, "train", "tabA", "s1", b"x", {}, now=T0)
    assert store.renew(rid, "train", "s1", now=T0 + 15)
    assert store.claim(rid, "train", "tabB", "s2", now=T0 + 30).status == "busy"  # 15 s after the renewal
    store.release(rid, "train", "s2")  # not the owner: nothing happens
    assert store.claim(rid, "train", "tabB", "s2", now=T0 + 31).status == "busy"
    store.release(rid, "train", "s1")
    assert store.claim(rid, "train", "tabB", "s2", now=T0 + 32).status == "owned"  # free, though fresh
    assert store.write(rid, "train", "tabA", "s1", b"y", {}, now=T0 + 33) == "lost"


def test_kinds_are_separate_runs(store):
    rid = new_id()
    store.save(rid, "train", "tab", "s1", b"adder", {}, now=T0)
    assert store.claim(rid, "digits", "tab", "s1", now=T0).status == "new"
    store.save(rid, "digits", "tab", "s1", b"digits", {}, now=T0)
    assert (store.load(rid, "train").data, store.load(rid, "digits").data) == (b"adder", b"digits")


def test_two_sessions_racing_for_a_new_id_one_wins(store):
    rid = new_id()
    assert store.claim(rid, "train", "tabA", "s1").status == "new"
    assert store.claim(rid, "train", "tabB", "s2").status == "new"
    assert store.write(rid, "train", "tabA", "s1", b"one", {}) == "saved"
    assert store.write(rid, "train", "tabB", "s2", b"two", {}) == "lost"
    assert store.load(rid, "train").data == b"one"


@pytest.mark.parametrize("column, value", [("meta", "{not json"), ("meta", "[1, 2]"), ("data", "text, not bytes")])
def test_an_unusable_row_is_unreadable_and_dropped(store, column, value):
    rid = new_id()
    store.save(rid, "train", "tabA", "s1", b"x", {}, now=T0)
    with sqlite3.connect(store.path) as c:
        c.execute(f"UPDATE runs SET {column}=?", (value,))
    assert store.load(rid, "train").status == "unreadable"
    assert store.claim(rid, "train", "tabB", "s2") == Claim("unreadable", rid)
    assert _rows(store.path) == [] and store.save(rid, "train", "tabB", "s2", b"fresh", {})


def test_meta_must_be_a_json_dict(store):
    rid = new_id()
    assert store.write(rid, "train", "t", "s", b"x", {"f": object()}) == "refused"
    assert store.write(rid, "train", "t", "s", b"x", ["list"]) == "refused"
    assert store.write(rid, "train", "t", "s", "text", {}) == "refused"
    assert _rows(store.path) == []
    assert store.save(rid, "train", "t", "s", memoryview(b"ok"), {"nested": {"a": [1, 2.5, None]}})
    assert store.load(rid, "train").meta == {"nested": {"a": [1, 2.5, None]}}


# ---- size cap and expiry --------------------------------------------------------------------------


def test_size_cap_evicts_the_least_recently_used_and_refuses_what_cannot_fit(path):
    s = RunStore(path, max_bytes=10_000)
    a, b, c = new_id(), new_id(), new_id()
    assert s.save(a, "train", "t", "s", bytes(4000), {}, now=T0)
    assert s.save(b, "train", "t", "s", bytes(4000), {}, now=T0 + 1)
    s.claim(a, "train", "t", "s", now=T0 + 2)  # a used more recently than b
    assert s.save(c, "train", "t", "s", bytes(4000), {}, now=T0 + 3)  # 12 KB: b goes
    assert sorted(r[0] for r in _rows(path)) == sorted([a, c])
    # a run over the cap: refused, nothing written, the old copy kept, the store works on
    assert s.write(a, "train", "t", "s", bytes(20_000), {}, now=T0 + 4) == "refused"
    assert s.load(a, "train").data == bytes(4000)
    assert s.save(a, "train", "t", "s", bytes(9000), {}, now=T0 + 5)  # evicts c, never itself
    assert [r[0] for r in _rows(path)] == [a]
    assert sum(r[4] for r in _rows(path)) <= 10_000
    s.db.close()


def test_opening_with_a_smaller_cap_evicts_down_to_it(path):
    s = RunStore(path)
    ids = [new_id() for _ in range(10)]
    for i, rid in enumerate(ids):
        s.save(rid, "train", "t", "s", bytes(1000), {}, now=T0 + i)
    s.db.close()
    small = RunStore(path, max_bytes=3500)  # expires on open
    assert [r[0] for r in _rows(path)] == ids[-3:]
    assert small.expire() == 0
    small.db.close()


def test_a_full_disk_is_a_failed_save_not_an_exception(path, monkeypatch, caplog):
    s = RunStore(path)
    rid = new_id()
    assert s.save(rid, "train", "t", "s", b"small", {})
    connect = s.db._connect

    def tiny(*a):  # the disk holds 16 pages of 4 KB
        c = connect(*a)
        c.execute("PRAGMA max_page_count=16")
        return c

    s.db.close()
    monkeypatch.setattr(s.db, "_connect", tiny)
    with caplog.at_level(logging.WARNING, "rnn_app.store"):
        assert s.write(new_id(), "train", "t", "s", os.urandom(200_000), {}) == "unavailable"
    assert "full" in caplog.text
    assert s.load(rid, "train").data == b"small" and s.save(rid, "train", "t", "s", b"still works", {})
    s.db.close()


def test_expiry_by_age(store):
    old, claimed, fresh = new_id(), new_id(), new_id()
    week = store.max_age
    store.save(old, "train", "t", "s", b"o", {}, now=T0 - week - 10)
    store.save(claimed, "train", "t", "s", b"c", {}, now=T0 - week - 10)
    store.claim(claimed, "train", "t", "s", now=T0 - 60)  # a claim counts as use
    store.save(fresh, "digits", "t", "s", b"f", {}, now=T0 - 60)
    assert store.expire(now=T0) == 1
    assert sorted(r[0] for r in _rows(store.path)) == sorted([claimed, fresh])
    assert store.load(old, "train").status == "new"
    assert store.expire(now=T0 + week) == 2


# ---- a file that is corrupt, replaced, missing or unusable ----------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other app", "same version"])
def test_a_corrupt_file_is_moved_aside_and_a_fresh_one_used(path, damage, caplog):
    s = RunStore(path)
    for _ in range(20):
        s.save(new_id(), "train", "t", "s", os.urandom(20_000), {})
    s.db.close()
    if damage == "garbage":
        path.write_bytes(b"garbage bytes \x00\xff" * 1000)
    elif damage == "truncated":
        os.truncate(path, path.stat().st_size // 2)
    elif damage == "other app":
        path.unlink()
        with sqlite3.connect(path) as c:
            c.execute("CREATE TABLE notes (text)")
    else:  # another store's file (the class store's) of the same schema version
        path.unlink()
        with sqlite3.connect(path) as c:
            c.execute("CREATE TABLE classes (code)")
            c.execute("PRAGMA user_version=1")
    with caplog.at_level(logging.WARNING, "rnn_app.store"):
        fresh = RunStore(path)
    assert fresh.available and "moved aside" in caplog.text
    aside = list(path.parent.glob("runs.sqlite3.corrupt-*"))
    assert [p.name for p in aside if not p.name.endswith(("-wal", "-shm"))] and _rows(path) == []
    rid = new_id()
    assert fresh.claim(rid, "train", "t", "s").status == "new" and fresh.save(rid, "train", "t", "s", b"x", {})
    fresh.db.close()


def test_a_file_replaced_under_an_open_store_is_reopened(path):
    a, b = RunStore(path), RunStore(path)  # as two server processes
    rid = new_id()
    assert a.save(rid, "train", "t", "s", b"before", {})
    os.replace(path, f"{path}.elsewhere")  # someone moves it; garbage takes its place
    for tail in ("-wal", "-shm"):
        if os.path.exists(f"{path}{tail}"):
            os.replace(f"{path}{tail}", f"{path}.elsewhere{tail}")
    path.write_bytes(b"not a database" * 100)
    assert a.claim(rid, "train", "t", "s").status == "new"  # a notices, moves the garbage aside
    assert a.save(rid, "train", "t", "s", b"after", {})
    assert b.load(rid, "train").data == b"after"  # b follows to the fresh file
    shutil.rmtree(path.parent)  # the whole folder deleted
    assert b.save(rid, "train", "t", "s", b"again", {}) and a.load(rid, "train").data == b"again"
    a.db.close()
    b.db.close()


def test_an_unusable_folder_degrades_and_recovers(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(db_module, "RETRY_EVERY", 0.0)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")
    with caplog.at_level(logging.WARNING, "rnn_app.store"):
        s = RunStore(blocker / "runs.sqlite3")
        rid = new_id()
        assert not s.available
        for _ in range(3):
            c = s.claim(rid, "train", "t", "s")
            assert c.status == "new" and c.run_id != rid  # no store: a fresh id
            assert s.save(rid, "train", "t", "s", b"x", {}) is False
            assert s.load(rid, "train").status == "new" and s.expire() == 0 and s.renew(rid, "train", "s") is False
    assert caplog.text.count("unavailable") == 1  # logged once
    blocker.unlink()  # the folder can be made now: the next call opens it
    assert s.save(rid, "train", "t", "s", b"x", {}) and s.available
    s.db.close()


def test_from_env_uses_the_folder_and_one_store_per_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_LAB_DATA", str(tmp_path / "lab"))
    s = RunStore.from_env()
    assert s.path == (tmp_path / "lab" / "runs.sqlite3").resolve() and s.path.exists() and s is RunStore.from_env()
    assert store_pkg.runs.DEFAULT_FOLDER == store_pkg.runs.Path(__file__).resolve().parents[1] / "data"
    s.db.close()


# ---- concurrency ----------------------------------------------------------------------------------


def _blob(writer: int, i: int) -> bytes:
    seed = hashlib.sha256(f"{writer}:{i}".encode()).digest()
    return seed * (1000 + 37 * (i % 50))  # 32 to 90 KB, different for every save


def _writer_process(path, writer, n, shared, contested):
    s = RunStore(path)
    own = new_id()
    outcomes = {"own": [], "shared": [], "contested": []}
    for i in range(n):
        blob = _blob(writer, i)
        meta = {"writer": writer, "i": i, "sha": hashlib.sha256(blob).hexdigest()}
        outcomes["own"].append(s.write(own, "train", f"tab{writer}", f"s{writer}", blob, meta))
        outcomes["shared"].append(s.write(shared, "train", "tab", "one-session", blob, meta))
        outcomes["contested"].append(s.write(contested, "digits", f"tab{writer}", f"s{writer}", blob, meta))
        s.claim(shared, "train", "tab", "one-session")
    return outcomes


def test_two_processes_writing_at_once(path):
    RunStore(path).db.close()  # create the file first
    shared, contested, n = new_id(), new_id(), 150
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(_writer_process, [(path, w, n, shared, contested) for w in (0, 1)])
    for r in results:
        assert r["own"] == ["saved"] * n and r["shared"] == ["saved"] * n
    contested_outcomes = sorted(sorted(set(r["contested"])) for r in results)
    assert contested_outcomes == [["lost"], ["saved"]]  # one session owns it, the other always loses
    rows = _rows(path)
    assert len(rows) == 4
    for _id, _kind, _tab, _session, size, meta, data in rows:  # every row is one whole save
        meta = json.loads(meta)
        assert data == _blob(meta["writer"], meta["i"]) and hashlib.sha256(data).hexdigest() == meta["sha"]
        assert size == len(data) + len(json.dumps(meta).encode())


def test_threads_of_one_process_share_a_store(store):
    ids = [new_id() for _ in range(4)]
    errors = []

    def work(k):
        try:
            for i in range(50):
                rid = ids[(k + i) % 4]
                store.claim(rid, "train", f"tab{k}", f"s{k}")
                store.write(rid, "train", f"tab{k}", f"s{k}", _blob(k, i), {"k": k, "i": i})
                store.load(rid, "train")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for *_, meta, data in _rows(store.path):
        meta = json.loads(meta)
        assert data == _blob(meta["k"], meta["i"])


# ---- the background writer ------------------------------------------------------------------------


def test_writer_coalesces_to_the_newest_job_per_run(store):
    w = Writer()
    started, gate, made = threading.Event(), threading.Event(), []
    a, b = new_id(), new_id()

    def job(rid, i, wait=False):
        def make():
            if wait:
                started.set()
                gate.wait(5)
            made.append((rid, i))
            return f"{rid}:{i}".encode(), {"i": i}

        return make

    w.submit(store, a, "train", "t", "s", job(a, 0, wait=True))  # the writer blocks on this one
    assert started.wait(5)
    for i in range(1, 50):
        w.submit(store, a, "train", "t", "s", job(a, i))
        w.submit(store, b, "train", "t", "s", job(b, i))
    gate.set()
    assert w.flush(5.0)
    assert made == [(a, 0), (a, 49), (b, 49)]  # one pending job per run, the newest, in first-come order
    assert w.coalesced == 96 and w.saved == 3
    assert store.load(a, "train").meta == {"i": 49} and store.load(b, "train").data == f"{b}:49".encode()


def test_writer_calls_on_lost_only_when_another_session_owns_the_run(store, caplog):
    w = Writer()
    rid, lost, started, gate = new_id(), [], threading.Event(), threading.Event()
    store.save(rid, "train", "tabA", "s1", b"owner's", {})

    def blocked():
        started.set()
        gate.wait(5)
        return b"first", {}

    def broken():
        raise RuntimeError("make failed")

    w.submit(store, new_id(), "train", "t", "s0", blocked)
    assert started.wait(5)
    with caplog.at_level(logging.ERROR, "rnn_app.store"):
        # queued behind the blocked job: the owner's save, then a late one of another session for
        # the same run (it must not replace the owner's), one too big, one whose make() fails
        w.submit(store, rid, "train", "tabA", "s1", lambda: (b"owner's, later", {}), lambda: lost.append("s1"))
        w.submit(store, rid, "train", "tabB", "s2", lambda: (b"intruder", {}), on_lost=lambda: lost.append("s2"))
        w.submit(store, new_id(), "train", "t", "s3", lambda: (bytes(store.max_bytes + 1), {}), lambda: lost.append("big"))
        w.submit(store, new_id(), "train", "t", "s4", broken, on_lost=lambda: lost.append("broken"))
        gate.set()
        assert w.flush(5.0)
    assert lost == ["s2"] and "make failed" in caplog.text and w.saved == 2 and w.coalesced == 0
    assert store.load(rid, "train").data == b"owner's, later"


def test_the_process_writer_saves_in_the_background(store):
    rid = new_id()
    store_pkg.writer.submit(store, rid, "digits", "t", "s", lambda: (b"bg", {"ok": True}))
    assert store_pkg.writer.flush(5.0)
    assert store.load(rid, "digits").meta == {"ok": True}

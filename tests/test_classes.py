"""The class store (rnn_app.store.classes): codes, the teacher key, members, reports, the board,
follow-me pushes, sweeps, close and expiry, concurrent processes and damaged files.

Time is passed in (`now=`), never slept."""

import hashlib
import logging
import multiprocessing
import os
import sqlite3
import time

import pgserver
import pytest

from rnn_app.store import ALPHABET, ClassStore, RunStore, class_input, classes, new_id, normalize_code
from rnn_app.store import db as db_module

T0 = float(int(time.time()))  # every call passes now= (the clock: expiry on open keeps the classes)
HOUR = 3600.0


@pytest.fixture
def path(tmp_path):
    return tmp_path / "classes.sqlite3"


@pytest.fixture
def store(path):
    s = ClassStore(path)
    yield s
    s.db.close()


@pytest.fixture
def cls(store):
    """A class made at T0: (code, key)."""
    return store.create_class(now=T0)


def _dump(path):
    """Everything in the file, to show that a refused call changed nothing."""
    if isinstance(path, str):  # a PostgreSQL URL (tests/test_classes_pg.py runs these tests there too)
        return [pgserver.query(path, f"SELECT * FROM {t} ORDER BY 1") for t in ("classes", "members")]
    with sqlite3.connect(path) as c:
        return [c.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("classes", "members")]


def _members(store, code, n, now=T0):
    ids = [new_id() for _ in range(n)]
    for i, m in enumerate(ids):
        assert store.join(code, m, now=now + i).status == "joined"
    return ids


REPORT = {"cell": "rnn", "hidden": 12, "layers": 1, "lr": 0.08, "optimizer": "adam", "batch": 32, "bits": 7,
          "loss": "bce", "activation": "tanh", "init": "xavier", "seed": 0, "dropout": 0.0, "clip": 5.0,
          "step": 75, "samples": 2400, "loss_value": 0.012, "exact": 1.0, "solved_step": 75,
          "train_seconds": 0.4, "running": False, "diverged": False, "sweep_value": None}  # fmt: skip
CURVE = [(s, 5.0 / (s + 1), min(1.0, s / 75)) for s in range(0, 76, 5)]


# ---- codes ---------------------------------------------------------------------------------------


def test_codes_are_six_characters_without_look_alikes(store):
    assert not set("0O1IL") & set(ALPHABET) and len(set(ALPHABET)) == len(ALPHABET) == 31
    codes = [store.create_class(now=T0).code for _ in range(200)]
    assert len(set(codes)) == 200
    assert all(len(c) == 6 and set(c) <= set(ALPHABET) for c in codes)
    assert set("".join(codes)) == set(ALPHABET)  # 1200 draws reach all 31 characters


@pytest.mark.parametrize("typed, code", [
    ("ABCDEF", "ABCDEF"), ("abcdef", "ABCDEF"), (" abc def ", "ABCDEF"), ("ABC-DEF", "ABCDEF"),
    ("a-b c\tD–E—F", "ABCDEF"), ("ＡＢＣ－ＤＥＦ", "ABCDEF"), ("ABC\u3000DEF", "ABCDEF"), ("23 45 67", "234567"),
    ("ABCDE0", None), ("ABCDEO", None), ("ABCDE1", None), ("ABCDEI", None), ("abcdel", None),
    ("ABCDE", None), ("ABCDEFG", None), ("", None), ("ÀBCDEF", None), (None, None), (123456, None),
    (b"ABCDEF", None), ("A" * 1000, None), ("ABC'; DROP TABLE classes; --", None),
])  # fmt: skip
def test_normalize_code(typed, code):
    assert normalize_code(typed) == code


def test_codes_are_typed_any_way(store, cls):
    member = new_id()
    messy = f" {cls.code[:3].lower()} - {cls.code[3:]} "
    assert store.join(messy, member, now=T0).status == "joined"
    assert store.board(messy, cls.key, now=T0).rows[0].nickname


def test_codes_are_unique_among_live_classes(store, monkeypatch):
    draws = iter(["AAAAAA", "AAAAAA", "BBBBBB", "AAAAAA"])
    monkeypatch.setattr(classes, "new_code", lambda: next(draws))
    first = store.create_class(now=T0, ttl=HOUR)
    assert store.join(first.code, new_id(), now=T0).status == "joined"
    assert first.code == "AAAAAA" and store.create_class(now=T0).code == "BBBBBB"  # AAAAAA is live
    # once AAAAAA expired (not yet dropped) its code is free again: a new class, no old members
    again = store.create_class(now=T0 + HOUR)
    assert again.code == "AAAAAA" and again.key != first.key
    board = store.board("AAAAAA", again.key, now=T0 + HOUR)
    assert board.status == "ok" and board.rows == () and board.info.created == T0 + HOUR
    assert store.board("AAAAAA", first.key, now=T0 + HOUR).status == "forbidden"


def test_creation_gives_up_rather_than_reuse_a_live_code(store, monkeypatch):
    monkeypatch.setattr(classes, "new_code", lambda: "CCCCCC")
    assert store.create_class(now=T0).code == "CCCCCC"
    assert store.create_class(now=T0) is None  # 20 draws, all live: no class, no exception


def test_at_most_max_classes_live_classes(path):
    s = ClassStore(path, max_classes=3)
    assert all(s.create_class(now=T0, ttl=HOUR) for _ in range(3)) and s.create_class(now=T0) is None
    assert s.create_class(now=T0 + HOUR) is not None  # the three expired
    s.db.close()


@pytest.mark.parametrize("kw", [{"ttl": 0}, {"ttl": -1}, {"ttl": 8 * 86400}, {"ttl": "1h"}, {"max_members": 0},
                                {"max_members": 1.5}, {"max_members": True}])  # fmt: skip
def test_bad_limits_are_programming_errors(store, kw):
    with pytest.raises(ValueError):
        store.create_class(now=T0, **kw)


# ---- the teacher key -----------------------------------------------------------------------------


def test_the_key_is_a_secret_kept_only_as_its_hash(store, path, cls):
    assert len(cls.key) == 64 and int(cls.key, 16) >= 0  # 256 random bits in hex
    assert store.create_class(now=T0).key != cls.key
    with sqlite3.connect(path) as c:
        (stored,) = c.execute("SELECT key_hash FROM classes WHERE code=?", (cls.code,)).fetchone()
    assert stored == hashlib.sha256(cls.key.encode()).hexdigest()
    store.db.close()
    raw = b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))
    assert cls.key.encode() not in raw


TEACHER_ACTIONS = {
    "board": lambda s, code, key: s.board(code, key, now=T0 + 10),
    "push": lambda s, code, key: s.push(code, key, {"page": "train"}, "follow", now=T0 + 10),
    "sweep": lambda s, code, key: s.sweep(code, key, "lr", [0.1, 0.3], now=T0 + 10),
    "clear_sweep": lambda s, code, key: s.clear_sweep(code, key, now=T0 + 10),
    "clear": lambda s, code, key: s.clear(code, key, now=T0 + 10),
    "close": lambda s, code, key: s.close(code, key, now=T0 + 10),
}


@pytest.mark.parametrize("action", TEACHER_ACTIONS)
@pytest.mark.parametrize("wrong", ["other class", "near miss", "empty", "none", "huge", "bytes", "hash"])
def test_every_teacher_action_needs_the_key(store, path, cls, action, wrong):
    other = store.create_class(now=T0)
    members = _members(store, cls.code, 3)
    store.report(cls.code, members[0], REPORT, CURVE, now=T0 + 5)
    store.sweep(cls.code, cls.key, "hidden", [8, 16], now=T0 + 6)
    store.push(cls.code, cls.key, {"page": "inside"}, now=T0 + 7)
    key = {"other class": other.key, "near miss": cls.key[:-1] + ("0" if cls.key[-1] != "0" else "1"),
           "empty": "", "none": None, "huge": cls.key * 100, "bytes": cls.key.encode(),
           "hash": hashlib.sha256(cls.key.encode()).hexdigest()}[wrong]  # fmt: skip
    before = _dump(path)
    result = TEACHER_ACTIONS[action](store, cls.code, key)
    assert result.status == "forbidden"
    assert getattr(result, "rows", ()) == () and getattr(result, "info", None) is None
    assert _dump(path) == before
    assert TEACHER_ACTIONS[action](store, cls.code, cls.key).status != "forbidden"  # the right key works


def test_keys_are_compared_in_constant_time(store, cls, monkeypatch):
    calls = []
    real = class_input.hmac.compare_digest
    monkeypatch.setattr(class_input.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    for action in TEACHER_ACTIONS.values():
        action(store, cls.code, "f" * 64)
    assert len(calls) == len(TEACHER_ACTIONS)


def test_teacher_actions_on_unknown_codes(store):
    for action in TEACHER_ACTIONS.values():
        assert action(store, "ZZZZZZ", "f" * 64).status == "unknown"
        assert action(store, "not a code", "f" * 64).status == "unknown"


# ---- members: join, rename, leave ----------------------------------------------------------------


def test_join_and_back(store, cls):
    m = new_id()
    joined = store.join(cls.code, m, now=T0)
    assert joined.status == "joined" and joined.nickname
    back = store.join(cls.code, m, "A new name", now=T0 + 60)  # a reload: the row and name are kept
    assert (back.status, back.nickname) == ("back", joined.nickname)
    rows = store.board(cls.code, cls.key, now=T0 + 60).rows
    assert len(rows) == 1 and rows[0].joined == T0 and rows[0].nickname == joined.nickname


def test_join_refusals(path):
    s = ClassStore(path, max_members=3, ttl=HOUR)
    c = s.create_class(now=T0)
    assert s.join("ZZZZZZ", new_id(), now=T0).status == "unknown"
    assert s.join("O0O0O0", new_id(), now=T0).status == "unknown"
    ids = _members(s, c.code, 3)
    assert s.join(c.code, new_id(), now=T0 + 10).status == "full"
    assert s.join(c.code, ids[0], now=T0 + 10).status == "back"  # a member of a full class comes back
    assert s.leave(c.code, ids[1], now=T0 + 11).status == "left"
    assert s.join(c.code, new_id(), now=T0 + 12).status == "joined"  # a seat freed
    assert s.join(c.code, new_id(), now=T0 + HOUR).status == "expired"
    assert s.join(c.code, ids[0], now=T0 + HOUR).status == "expired"
    small = s.create_class(now=T0, max_members=1)
    assert s.join(small.code, new_id(), now=T0).status == "joined"
    assert s.join(small.code, new_id(), now=T0).status == "full"
    s.db.close()


@pytest.mark.parametrize("bad", ["", "abc", "A" * 32, "g" * 32, "0" * 33, None, 7, b"0" * 32, "0" * 31 + "\n"])
def test_member_ids_are_32_hex_digits(store, path, cls, bad):
    before = _dump(path)
    assert store.join(cls.code, bad, now=T0).status == "invalid"
    assert store.report(cls.code, bad, REPORT, now=T0).status == "invalid"
    assert store.rename(cls.code, bad, "x", now=T0).status == "invalid"
    assert store.leave(cls.code, bad, now=T0).status == "invalid"
    assert store.assignment(cls.code, bad, now=T0) is None
    assert _dump(path) == before


def test_automatic_nicknames_are_friendly_and_unique(path):
    s = ClassStore(path)
    c = s.create_class(now=T0)
    _members(s, c.code, 200)
    names = [r.nickname for r in s.board(c.code, c.key, now=T0 + 300).rows]
    assert len(names) == 200 and len({n.casefold() for n in names}) == 200
    for n in names:
        adjective, animal, *number = n.split(" ")
        assert adjective in class_input.ADJECTIVES and animal in class_input.ANIMALS and len(number) <= 1
    s.db.close()


def test_nicknames_get_a_number_when_taken(store, cls, monkeypatch):
    monkeypatch.setattr(class_input, "ADJECTIVES", ("Brave",))
    monkeypatch.setattr(class_input, "ANIMALS", ("Otter",))
    names = [store.join(cls.code, new_id(), now=T0).nickname for _ in range(4)]
    assert names == ["Brave Otter", "Brave Otter 2", "Brave Otter 3", "Brave Otter 4"]
    assert store.join(cls.code, new_id(), "brave OTTER", now=T0).nickname == "brave OTTER 5"
    assert store.join(cls.code, new_id(), "Ada", now=T0).nickname == "Ada"
    assert store.join(cls.code, new_id(), "ada", now=T0).nickname == "ada 2"
    long = "x" * 24
    assert store.join(cls.code, new_id(), long, now=T0).nickname == long
    assert store.join(cls.code, new_id(), long, now=T0).nickname == "x" * 22 + " 2"  # cut to fit 24


@pytest.mark.parametrize("typed, stored", [
    ("Ada", "Ada"), ("  Ada  Lovelace \n", "Ada Lovelace"), ("y" * 25, "y" * 24), ("z" * 300, "z" * 24),
    ("Ada\x00\x07\x1b[31m", "Ada[31m"), ("Ada\u202eecalevoL", "AdaecalevoL"), ("A\u200bd\ufeffa", "Ada"),
    ("Ada\r\nLovelace", "Ada Lovelace"), ("<b>Ada</b>", "<b>Ada</b>"),
    ("<script>alert(1)</script>", "<script>alert(1)</script"), ("李明", "李明"), ("Cafe\u0301", "Café"),
    ("👩\u200d💻 dev", "👩\u200d💻 dev"), (" " + "a" * 23 + " b", "a" * 23),
])  # fmt: skip
def test_rename_cleans_cuts_and_keeps_html_as_text(store, cls, typed, stored):
    m = new_id()
    store.join(cls.code, m, now=T0)
    result = store.rename(cls.code, m, typed, now=T0)
    assert (result.status, result.nickname) == ("renamed", stored)
    assert store.board(cls.code, cls.key, now=T0).rows[0].nickname == stored


@pytest.mark.parametrize("typed", ["", "   ", "\x00\x01\n", "\u202e\u200b", None, 12, ["Ada"]])
def test_an_empty_nickname_is_refused(store, path, cls, typed):
    m = new_id()
    name = store.join(cls.code, m, now=T0).nickname
    before = _dump(path)
    assert store.rename(cls.code, m, typed, now=T0).status == "invalid"
    assert _dump(path) == before and store.board(cls.code, cls.key, now=T0).rows[0].nickname == name
    assert store.join(cls.code, new_id(), typed, now=T0).status == "invalid" if typed is not None else True


def test_rename_to_a_taken_name_gets_a_number_but_ones_own_name_is_kept(store, cls):
    a, b = new_id(), new_id()
    store.join(cls.code, a, "Ada", now=T0)
    store.join(cls.code, b, "Bob", now=T0)
    assert store.rename(cls.code, b, "ADA", now=T0).nickname == "ADA 2"
    assert store.rename(cls.code, a, "ada", now=T0).nickname == "ada"  # its own name, another case


def test_members_only_ever_touch_their_own_row(store, path, cls):
    a, b, stranger = new_id(), new_id(), new_id()
    store.join(cls.code, a, "Ada", now=T0)
    store.join(cls.code, b, "Bob", now=T0)
    other = store.create_class(now=T0)
    store.join(other.code, stranger, "Eve", now=T0)

    def row(nickname, code=cls.code, key=cls.key):
        return next(r for r in store.board(code, key, now=T0 + 9).rows if r.nickname == nickname)

    bob = row("Bob")
    assert store.report(cls.code, a, {"step": 1}, [(1, 0.5, 0.0)], now=T0 + 1).status == "saved"
    assert store.rename(cls.code, a, "Ada L", now=T0 + 2).status == "renamed"
    assert row("Bob") == bob and row("Ada L").report == {"step": 1}
    # a member of another class, or an id that never joined, writes nothing anywhere
    before = _dump(path)
    for m in (stranger, new_id()):
        assert store.report(cls.code, m, {"step": 9}, now=T0 + 3).status == "not_member"
        assert store.rename(cls.code, m, "Bob", now=T0 + 3).status == "not_member"
        assert store.leave(cls.code, m, now=T0 + 3).status == "not_member"
    assert _dump(path) == before
    assert store.leave(cls.code, a, now=T0 + 4).status == "left"
    assert [r.nickname for r in store.board(cls.code, cls.key, now=T0 + 9).rows] == ["Bob"] and row("Bob") == bob
    assert row("Eve", other.code, other.key).nickname == "Eve"
    assert store.leave(cls.code, a, now=T0 + 5).status == "not_member"
    assert store.join(cls.code, a, now=T0 + 6).status == "joined"  # a new row, a new nickname, no report
    assert row(store.join(cls.code, a, now=T0 + 6).nickname).report is None


# ---- reports -------------------------------------------------------------------------------------


def test_a_report_and_its_curve_reach_the_board(store, cls):
    m = new_id()
    store.join(cls.code, m, now=T0)
    assert store.report(cls.code, m, REPORT, CURVE, now=T0 + 1).status == "saved"
    (row,) = store.board(cls.code, cls.key, now=T0 + 2).rows
    assert row.report == REPORT and row.reported == T0 + 1
    assert row.curve == [[s, pytest.approx(loss, rel=1e-4), pytest.approx(exact, rel=1e-4)] for s, loss, exact in CURVE]
    # curve=None keeps the stored curve; a new curve replaces it
    assert store.report(cls.code, m, {**REPORT, "step": 80}, now=T0 + 2).status == "saved"
    (row,) = store.board(cls.code, cls.key, now=T0 + 3).rows
    assert row.report["step"] == 80 and len(row.curve) == len(CURVE)
    assert store.report(cls.code, m, REPORT, [], now=T0 + 3).status == "saved"
    assert store.board(cls.code, cls.key, now=T0 + 3).rows[0].curve == []


def test_a_long_curve_is_thinned_to_200_points_first_and_last_kept(store, cls):
    m = new_id()
    store.join(cls.code, m, now=T0)
    long = [(s, 1.0 / (s + 1), s / 9999) for s in range(10_000)]
    assert store.report(cls.code, m, REPORT, long, now=T0 + 1).status == "saved"
    curve = store.board(cls.code, cls.key, now=T0 + 1).rows[0].curve
    steps = [p[0] for p in curve]
    assert len(curve) == 200 and steps[0] == 0 and steps[-1] == 9999 and steps == sorted(set(steps))
    assert max(b - a for a, b in zip(steps, steps[1:])) <= 51  # evenly spread
    assert class_input.thin(5) == [0, 1, 2, 3, 4] and class_input.thin(201)[-1] == 200


def test_non_finite_numbers_are_stored_as_none(store, cls):
    m = new_id()
    store.join(cls.code, m, now=T0)
    diverged = {**REPORT, "loss_value": float("nan"), "exact": float("inf"), "diverged": True}
    assert store.report(cls.code, m, diverged, [(0, 1.0, 0.0), (5, float("nan"), None)], now=T0).status == "saved"
    (row,) = store.board(cls.code, cls.key, now=T0).rows
    assert row.report["loss_value"] is None and row.report["exact"] is None and row.report["diverged"] is True
    assert row.curve == [[0, 1.0, 0.0], [5, None, None]]


def test_numpy_numbers_count_as_the_python_ones(store, cls):
    np = pytest.importorskip("numpy")
    m = new_id()
    store.join(cls.code, m, now=T0)
    report = {"loss_value": np.float32(0.25), "step": np.int64(75), "running": np.bool_(True), "cell": np.str_("gru"),
              "exact": np.float64("nan")}  # fmt: skip
    curve = [(np.int64(5), np.float32(0.5), np.float64(0.25)), (np.int32(10), np.float16(0.125), None)]
    assert store.report(cls.code, m, report, curve, now=T0).status == "saved"
    (row,) = store.board(cls.code, cls.key, now=T0).rows
    assert row.report == {"loss_value": 0.25, "step": 75, "running": True, "cell": "gru", "exact": None}
    assert row.curve == [[5, 0.5, 0.25], [10, 0.125, None]]
    assert store.report(cls.code, m, {"a": np.zeros(3)}, now=T0 + 5).status == "invalid"
    assert store.report(cls.code, m, {}, [(np.float64(1.0), 0.5, 0.5)], now=T0 + 5).status == "invalid"


@pytest.mark.parametrize("report, curve", [
    ("not a dict", None), ([("step", 1)], None), ({f"k{i}": i for i in range(41)}, None),
    ({"cell": "x" * 65}, None), ({"cell": ["rnn"]}, None), ({"cell": {"a": 1}}, None), ({"seed": 2**60}, None),
    ({"cell": b"rnn"}, None), ({1: "rnn"}, None), ({"": 1}, None), ({"k" * 33: 1}, None),
    ({"cell": object()}, None), ({f"k{i:02}": "字" * 64 for i in range(40)}, None),  # over 4 KB
    (REPORT, "not a curve"), (REPORT, [(1, 2)]), (REPORT, [(-1, 0.5, 0.5)]), (REPORT, [(1.5, 0.5, 0.5)]),
    (REPORT, [(True, 0.5, 0.5)]), (REPORT, [(1, "low", 0.5)]), (REPORT, [(1, 0.5, [0.5])]), (REPORT, [None]),
    (REPORT, {"a": (1, 0.5, 0.5)}),
])  # fmt: skip
def test_bad_reports_are_refused_with_nothing_written(store, path, cls, report, curve):
    m = new_id()
    store.join(cls.code, m, now=T0)
    before = _dump(path)
    result = store.report(cls.code, m, report, curve, now=T0 + 1)
    assert result.status == "invalid" and result.reason
    assert _dump(path) == before


def test_one_report_per_second_per_member(store, path, cls):
    a, b = new_id(), new_id()
    store.join(cls.code, a, now=T0)
    store.join(cls.code, b, now=T0)
    assert store.report(cls.code, a, {"step": 1}, now=T0 + 10).status == "saved"
    before = _dump(path)
    early = store.report(cls.code, a, {"step": 2}, [(2, 0.1, 0.1)], now=T0 + 10.5)
    assert early.status == "too_soon" and early.retry_after == pytest.approx(1.0 - classes.SLACK - 0.5)
    assert _dump(path) == before  # nothing written
    assert store.report(cls.code, b, {"step": 1}, now=T0 + 10.5).status == "saved"  # per member
    # a once-a-second timer's jitter is allowed for; a second report well within the second is not
    assert store.report(cls.code, a, {"step": 3}, now=T0 + 10.97).status == "saved"
    assert store.report(cls.code, a, {"step": 4}, now=T0 + 11.5).status == "too_soon"
    assert store.report(cls.code, a, {"step": 5}, now=T0 + 12).status == "saved"
    assert {r.report["step"] for r in store.board(cls.code, cls.key, now=T0 + 12).rows} == {5, 1}


def test_min_interval_is_a_parameter(path):
    s = ClassStore(path, min_interval=5.0)
    c = s.create_class(now=T0)
    m = _members(s, c.code, 1)[0]
    assert [s.report(c.code, m, {}, now=T0 + t).status for t in (0, 2, 4.96, 6)] == ["saved", "too_soon", "saved", "too_soon"]
    s.db.close()


def test_clear_removes_reports_not_members(store, cls):
    ids = _members(store, cls.code, 3)
    for m in ids:
        store.report(cls.code, m, REPORT, CURVE, now=T0 + 10)
    assert store.clear(cls.code, cls.key, now=T0 + 10.2).status == "cleared"
    rows = store.board(cls.code, cls.key, now=T0 + 11).rows
    assert len(rows) == 3 and all(r.report is None and r.curve == [] and r.reported is None for r in rows)
    assert store.report(cls.code, ids[0], REPORT, now=T0 + 10.3).status == "saved"  # the limit starts afresh


# ---- the board -----------------------------------------------------------------------------------


def test_the_board_lists_every_member_in_join_order(store, cls):
    ids = [new_id() for _ in range(4)]
    for m, t in zip(ids, (3, 1, 2, 1)):  # the last two joined in the same second: seat order
        store.join(cls.code, m, f"m{t}-{ids.index(m)}", now=T0 + t)
    store.report(cls.code, ids[2], REPORT, CURVE, now=T0 + 5)
    board = store.board(cls.code, cls.key, now=T0 + 6)
    assert board.status == "ok"
    assert [r.nickname for r in board.rows] == ["m1-1", "m1-3", "m2-2", "m3-0"]
    assert [r.joined for r in board.rows] == [T0 + 1, T0 + 1, T0 + 2, T0 + 3]
    assert len({r.seat for r in board.rows}) == 4
    info = board.info
    assert (info.code, info.created, info.expires, info.closed, info.max_members) == (cls.code, T0, T0 + 12 * HOUR, None, 200)
    assert (info.push_version, info.push_mode, info.push_setup, info.sweep) == (0, None, None, None)
    reported = board.rows[2]
    assert reported.reported == T0 + 5 and reported.report == REPORT and len(reported.curve) == len(CURVE)
    assert all(r.report is None and r.curve == [] and r.sweep_value is None for i, r in enumerate(board.rows) if i != 2)
    assert not any(m in repr(board) for m in ids)  # members' ids (their write keys) never leave the store
    light = store.board(cls.code, cls.key, now=T0 + 6, curves=False)
    assert [r.curve for r in light.rows] == [[]] * 4 and light.rows[2].report == REPORT


def test_the_board_of_an_expired_or_closed_class(store, cls):
    _members(store, cls.code, 2)
    assert store.close(cls.code, cls.key, now=T0 + HOUR).status == "closed"
    board = store.board(cls.code, cls.key, now=T0 + 2 * HOUR)
    assert board.status == "ok" and board.info.closed == T0 + HOUR and len(board.rows) == 2  # readable
    assert store.board(cls.code, cls.key, now=T0 + 12 * HOUR).status == "expired"


# ---- follow me -----------------------------------------------------------------------------------


def test_push_and_pushed(store, cls):
    assert store.pushed(cls.code, now=T0) is None
    setup = {"settings": {"cell": "lstm", "hidden": 20, "lr": 0.01}, "operands": [200, 55], "page": "train"}
    assert store.push(cls.code, cls.key, setup, now=T0).version == 1
    assert store.pushed(cls.code.lower(), now=T0) == (1, setup, "suggest")
    pushed = store.push(cls.code, cls.key, {"page": "inside"}, "follow", now=T0 + 1)
    assert (pushed.status, pushed.version) == ("pushed", 2)
    assert store.pushed(cls.code, now=T0 + 1) == (2, {"page": "inside"}, "follow")
    info = store.board(cls.code, cls.key, now=T0 + 1).info
    assert (info.push_version, info.push_mode, info.push_setup) == (2, "follow", {"page": "inside"})
    assert store.pushed("ZZZZZZ", now=T0) is None and store.pushed(None, now=T0) is None
    assert store.pushed(cls.code, now=T0 + 12 * HOUR) is None  # expired


@pytest.mark.parametrize("setup, mode", [
    ("train", "suggest"), ({"page": "train"}, "lead"), ({"page": "train"}, None), ({"lr": float("nan")}, "follow"),
    ({"a": {"b": {"c": {"d": {"e": 1}}}}}, "follow"), ({"x": "y" * 9000}, "follow"), ({1: "a"}, "follow"),
    ({"a": {2: "b"}}, "follow"), ({"f": print}, "follow"), ({"b": b"x"}, "follow"),
])  # fmt: skip
def test_bad_pushes_are_refused(store, path, cls, setup, mode):
    before = _dump(path)
    assert store.push(cls.code, cls.key, setup, mode, now=T0).status == "invalid"
    assert _dump(path) == before and store.pushed(cls.code, now=T0) is None


# ---- sweeps --------------------------------------------------------------------------------------


def _values(store, code, ids, now=T0 + 100):
    return [a.value if (a := store.assignment(code, m, now=now)) else None for m in ids]


def test_three_members_three_values_all_distinct_in_join_order(store, cls):
    ids = _members(store, cls.code, 3)
    result = store.sweep(cls.code, cls.key, "lr", [0.01, 0.1, 1.0], now=T0 + 10)
    assert (result.status, result.version) == ("swept", 1)
    assert _values(store, cls.code, ids) == [0.01, 0.1, 1.0]
    assert store.assignment(cls.code, ids[0], now=T0 + 10) == (1, "lr", 0.01)
    board = store.board(cls.code, cls.key, now=T0 + 10)
    assert board.info.sweep.field == "lr" and board.info.sweep.values == [0.01, 0.1, 1.0]
    assert [r.sweep_value for r in board.rows] == [0.01, 0.1, 1.0]


def test_more_members_than_values_repeat_and_later_joiners_get_the_next(store, cls):
    ids = _members(store, cls.code, 5)
    store.sweep(cls.code, cls.key, "cell", ["rnn", "lstm"], now=T0 + 10)
    assert _values(store, cls.code, ids) == ["rnn", "lstm", "rnn", "lstm", "rnn"]
    later = _members(store, cls.code, 3, now=T0 + 20)
    assert _values(store, cls.code, later) == ["lstm", "rnn", "lstm"]
    # members who leave free their values: the next joiners get the least used one, not the next in turn
    store.leave(cls.code, ids[1], now=T0 + 30)
    store.leave(cls.code, ids[3], now=T0 + 30)  # rnn 4, lstm 2 left
    assert _values(store, cls.code, _members(store, cls.code, 2, now=T0 + 31)) == ["lstm", "lstm"]
    assert _values(store, cls.code, _members(store, cls.code, 2, now=T0 + 40)) == ["rnn", "lstm"]


def test_fewer_members_than_values(store, cls):
    ids = _members(store, cls.code, 2)
    store.sweep(cls.code, cls.key, "hidden", [4, 8, 16, 32], now=T0 + 10)
    assert _values(store, cls.code, ids) == [4, 8]
    assert _values(store, cls.code, _members(store, cls.code, 3, now=T0 + 20)) == [16, 32, 4]


def test_a_new_sweep_replaces_the_last_and_clear_sweep_ends_it(store, cls):
    ids = _members(store, cls.code, 3)
    store.sweep(cls.code, cls.key, "lr", [0.1, 0.2], now=T0 + 10)
    again = store.sweep(cls.code, cls.key, "hidden", [8, 16, 32], now=T0 + 11)
    assert again.version == 2 and [store.assignment(cls.code, m, now=T0 + 11) for m in ids] == [
        (2, "hidden", 8), (2, "hidden", 16), (2, "hidden", 32)]  # fmt: skip
    assert store.clear_sweep(cls.code, cls.key, now=T0 + 12).status == "cleared"
    assert _values(store, cls.code, ids) == [None] * 3
    assert store.board(cls.code, cls.key, now=T0 + 12).info.sweep is None
    assert _values(store, cls.code, _members(store, cls.code, 1, now=T0 + 13)) == [None]  # no sweep, no value
    assert store.sweep(cls.code, cls.key, "lr", [0.5], now=T0 + 14).version == 3
    assert set(_values(store, cls.code, ids)) == {0.5}


@pytest.mark.parametrize("field, values", [
    ("lr", []), ("lr", "0.1,0.2"), ("lr", [None]), ("lr", [float("inf")]), ("lr", [[0.1]]), ("lr", list(range(65))),
    ("LR", [0.1]), ("", [0.1]), ("a" * 33, [0.1]), (None, [0.1]), ("lr; drop", [0.1]), ("lr", ["x" * 65]),
])  # fmt: skip
def test_bad_sweeps_are_refused(store, path, cls, field, values):
    _members(store, cls.code, 2)
    before = _dump(path)
    assert store.sweep(cls.code, cls.key, field, values, now=T0 + 10).status == "invalid"
    assert _dump(path) == before


# ---- close and expiry ----------------------------------------------------------------------------


def test_a_closed_class_keeps_nothing_writable(store, path, cls):
    ids = _members(store, cls.code, 2)
    store.report(cls.code, ids[0], REPORT, CURVE, now=T0 + 5)
    store.push(cls.code, cls.key, {"page": "train"}, now=T0 + 5)
    store.sweep(cls.code, cls.key, "lr", [0.1, 0.2], now=T0 + 5)
    assert store.close(cls.code, cls.key, now=T0 + 10).status == "closed"
    before = _dump(path)
    now = T0 + 20
    assert store.join(cls.code, new_id(), now=now).status == "closed"
    assert store.join(cls.code, ids[0], now=now).status == "closed"
    assert store.report(cls.code, ids[1], REPORT, now=now).status == "closed"
    assert store.rename(cls.code, ids[0], "New", now=now).status == "closed"
    assert store.leave(cls.code, ids[0], now=now).status == "closed"
    for action in ("push", "sweep", "clear_sweep", "clear"):
        assert TEACHER_ACTIONS[action](store, cls.code, cls.key).status == "closed"
    assert store.close(cls.code, cls.key, now=now).status == "closed"  # again: nothing changes
    assert _dump(path) == before
    assert store.pushed(cls.code, now=now) is None and store.assignment(cls.code, ids[0], now=now) is None


def test_expire_drops_old_classes_and_their_members(store, path):
    old = store.create_class(now=T0, ttl=HOUR)
    young = store.create_class(now=T0 + HOUR / 2, ttl=HOUR)
    _members(store, old.code, 3)
    _members(store, young.code, 2, now=T0 + HOUR / 2)
    # past its expiry but not dropped yet: refused all the same
    assert store.join(old.code, new_id(), now=T0 + HOUR).status == "expired"
    assert store.board(old.code, old.key, now=T0 + HOUR).status == "expired"
    assert store.push(old.code, old.key, {}, now=T0 + HOUR).status == "expired"
    assert store.expire(now=T0 + HOUR) == 1
    assert store.board(old.code, old.key, now=T0 + HOUR).status == "unknown"
    assert store.join(old.code, new_id(), now=T0 + HOUR).status == "unknown"
    classes_left, members_left = _dump(path)
    assert [r[0] for r in classes_left] == [young.code] and len(members_left) == 2
    assert store.expire(now=T0 + 2 * HOUR) == 1 and _dump(path) == [[], []]


def test_expiry_runs_on_open(path):
    s = ClassStore(path)
    s.create_class(now=0.0, ttl=HOUR)  # created in 1970: long expired
    s.db.close()
    assert _dump(path)[0] != []
    ClassStore(path).db.close()
    assert _dump(path) == [[], []]


# ---- damaged files, unusable folders, processes ---------------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated", "a run store"])
def test_a_corrupt_file_gives_a_fresh_store(path, damage, caplog):
    s = ClassStore(path)
    c = s.create_class(now=T0)
    _members(s, c.code, 50)
    s.db.close()
    if damage == "garbage":
        path.write_bytes(b"not sqlite \x00\xff" * 2000)
    elif damage == "truncated":
        os.truncate(path, path.stat().st_size // 2)
    else:
        path.unlink()
        RunStore(path).db.close()  # the other store's file, where this one belongs
    with caplog.at_level(logging.WARNING, "rnn_app.store"):
        fresh = ClassStore(path)
    assert fresh.available and "class store" in caplog.text and "moved aside" in caplog.text
    assert fresh.board(c.code, c.key, now=T0).status == "unknown" and _dump(path) == [[], []]
    assert fresh.create_class(now=T0) is not None
    fresh.db.close()


def test_a_file_corrupted_under_an_open_store_never_raises(path):
    s = ClassStore(path)
    c = s.create_class(now=T0)
    m = _members(s, c.code, 1)[0]
    for tail in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{tail}"):
            os.replace(f"{path}{tail}", f"{path}.gone{tail}")
    path.write_bytes(b"garbage" * 1000)
    assert s.report(c.code, m, REPORT, now=T0 + 5).status == "unknown"  # the fresh file has no class
    assert s.create_class(now=T0) is not None
    s.db.close()


def test_an_unusable_folder_degrades_without_raising(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(db_module, "RETRY_EVERY", 3600.0)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")
    with caplog.at_level(logging.WARNING, "rnn_app.store"):
        s = ClassStore(blocker / "classes.sqlite3")
        m = new_id()
        for _ in range(2):
            assert not s.available and s.create_class(now=T0) is None
            assert s.join("ABCDEF", m, now=T0).status == "unavailable"
            assert s.report("ABCDEF", m, REPORT, now=T0).status == "unavailable"
            assert s.rename("ABCDEF", m, "x", now=T0).status == "unavailable"
            assert s.leave("ABCDEF", m, now=T0).status == "unavailable"
            assert s.board("ABCDEF", "k", now=T0).status == "unavailable"
            assert all(a(s, "ABCDEF", "k").status == "unavailable" for a in TEACHER_ACTIONS.values())
            assert s.pushed("ABCDEF", now=T0) is None and s.assignment("ABCDEF", m, now=T0) is None
            assert s.expire(now=T0) == 0
    assert caplog.text.count("class store unavailable") == 1  # logged once


WEIRD = [None, 0, -1.5, float("nan"), "", "x" * 10_000, b"\x00", [], {}, {"a": 1}, object(), "\ud800", "ABCDEF\x00"]


def test_nothing_raises_for_any_input(store, cls):
    m = _members(store, cls.code, 1)[0]
    for w in WEIRD:
        for code in (w, cls.code):
            store.join(code, w, w, now=T0)
            store.join(code, m, w, now=T0)
            store.rename(code, m, w, now=T0)
            store.report(code, m, w, w, now=T0 + 100)
            store.report(code, w, {"a": w} if not isinstance(w, list | dict) else w, [(1, w, w)], now=T0 + 200)
            store.leave(code, w, now=T0)
            store.board(code, w, now=T0)
            store.push(code, cls.key, w, w, now=T0)
            store.push(code, cls.key, {"k": w}, now=T0)
            store.sweep(code, cls.key, w, [w], now=T0)
            store.sweep(code, cls.key, "lr", w, now=T0)
            store.pushed(code, now=T0)
            store.assignment(code, w, now=T0)
            store.clear_sweep(code, w, now=T0)
    assert store.board(cls.code, cls.key, now=T0).status == "ok"


def test_from_env_uses_the_run_stores_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_LAB_DATA", str(tmp_path / "lab"))
    s = ClassStore.from_env()
    assert s.path == (tmp_path / "lab" / "classes.sqlite3").resolve() and s is ClassStore.from_env()
    runs = RunStore.from_env()
    assert runs.path.parent == s.path.parent and runs.path != s.path
    s.db.close()
    runs.db.close()


def _class_process(path, code, n, start):
    """n members join, each reports twice and renames once; the statuses."""
    s = ClassStore(path)
    out = []
    ids = [new_id() for _ in range(n)]
    for i, m in enumerate(ids):
        out.append(s.join(code, m, now=T0 + start + i).status)
    for i, m in enumerate(ids):
        for k in range(2):
            curve = [(j, 1.0 / (j + 1), j / 100) for j in range(300)]
            out.append(s.report(code, m, {**REPORT, "step": k, "who": m}, curve, now=T0 + 1000 + 2 * k + i / 1000).status)
        out.append(s.rename(code, m, "Twin", now=T0 + 2000).status)
    return out


def test_two_processes_joining_and_reporting_at_once(path):
    s = ClassStore(path, max_members=70)
    c = s.create_class(now=T0)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(_class_process, [(path, c.code, 40, 0), (path, c.code, 40, 0.5)])
    joins = sorted(st for r in results for st in r if st in ("joined", "full"))
    assert joins.count("joined") == 70 and joins.count("full") == 10
    rows = s.board(c.code, c.key, now=T0 + 3000).rows
    assert len(rows) == 70
    assert len({r.nickname.casefold() for r in rows}) == 70 and sum(r.nickname.startswith("Twin") for r in rows) == 70
    assert all(r.report["step"] == 1 and len(r.curve) == 200 for r in rows)  # each row its own last report
    assert len({r.report["who"] for r in rows}) == 70
    s.db.close()

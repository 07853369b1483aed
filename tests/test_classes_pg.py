"""The class store on PostgreSQL (rnn_app.store.pg, DATABASE_URL): test_classes.py's tests of the
store's behaviour against a real server (tests/pgserver.py: each test a schema of its own).
Skipped without Debian's `postgresql`."""

import pytest
from test_classes import (  # noqa: F401  (collected here, with this module's fixtures)
    T0,
    test_a_closed_class_keeps_nothing_writable,
    test_a_long_curve_is_thinned_to_200_points_first_and_last_kept,
    test_a_new_sweep_replaces_the_last_and_clear_sweep_ends_it,
    test_a_report_and_its_curve_reach_the_board,
    test_an_empty_nickname_is_refused,
    test_at_most_max_classes_live_classes,
    test_automatic_nicknames_are_friendly_and_unique,
    test_bad_pushes_are_refused,
    test_bad_reports_are_refused_with_nothing_written,
    test_bad_sweeps_are_refused,
    test_clear_removes_reports_not_members,
    test_codes_are_unique_among_live_classes,
    test_every_teacher_action_needs_the_key,
    test_expire_drops_old_classes_and_their_members,
    test_expiry_runs_on_open,
    test_fewer_members_than_values,
    test_join_and_back,
    test_join_refusals,
    test_member_ids_are_32_hex_digits,
    test_members_only_ever_touch_their_own_row,
    test_min_interval_is_a_parameter,
    test_more_members_than_values_repeat_and_later_joiners_get_the_next,
    test_nicknames_get_a_number_when_taken,
    test_non_finite_numbers_are_stored_as_none,
    test_nothing_raises_for_any_input,
    test_numpy_numbers_count_as_the_python_ones,
    test_one_report_per_second_per_member,
    test_push_and_pushed,
    test_rename_cleans_cuts_and_keeps_html_as_text,
    test_rename_to_a_taken_name_gets_a_number_but_ones_own_name_is_kept,
    test_the_board_lists_every_member_in_join_order,
    test_the_board_of_an_expired_or_closed_class,
    test_three_members_three_values_all_distinct_in_join_order,
    test_two_processes_joining_and_reporting_at_once,
)

from rnn_app.store import ClassStore, RunStore, new_id


@pytest.fixture
def path(postgres_url):
    return postgres_url


@pytest.fixture
def store(path):
    s = ClassStore(path)
    assert s.available
    yield s
    s.db.close()


@pytest.fixture
def cls(store):
    return store.create_class(now=T0)


def test_runs_and_classes_share_one_database(path):
    runs, classes = RunStore(path), ClassStore(path)
    rid = new_id()
    c = classes.create_class(now=T0)
    assert runs.save(rid, "train", "t", "s", b"run", {}) and classes.join(c.code, rid, now=T0).status == "joined"
    assert RunStore(path).load(rid, "train").data == b"run" and len(ClassStore(path).board(c.code, c.key, now=T0).rows) == 1
    runs.db.close()
    classes.db.close()

"""Two replicas behind nginx (scripts/serve.py, deploy/nginx.conf.template) in a real browser: a
viewer whose replica is killed (-9) mid-training reconnects through nginx to the other one and
gets their run back from the shared store (and can upload a model there); a teacher on one
replica sees a student of the other on the board and sends them a setup, with the stores in
SQLite and in PostgreSQL. Skipped when nginx is not installed (`make nginx`; .ci/run installs it)."""

from __future__ import annotations

import os
import signal

import pgserver
import pytest
from browser import Runs, Served, nginx_missing_reason, settled
from playwright.sync_api import expect
from test_browser_class import press as class_press
from test_browser_class import wait_for_board
from test_browser_persist import LONG, METRIC_JS, SPEED_ONE, metric, open_tab, stored, wait_for_step
from test_browser_state import press
from test_browser_transfer import upload

from rnn.saveload import save_trainer
from rnn_app.ui.strings import t

pytestmark = pytest.mark.browser

COOKIE = "rnn_lab_replica"  # the cookie nginx keeps a browser on its replica by (scripts/serve.py)
REPLICA_JS = "async () => (await fetch('/_stcore/health', {cache: 'no-store'})).headers.get('X-Replica')"
CURVE_JS = """() => { const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    return gd && gd._fullData ? gd._fullData[0].x.length : null; }"""


def _serve(folder, env=None):
    reason = nginx_missing_reason()
    if reason:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    s = Served(folder, env=env)
    yield s
    s.stop()
    print("\n[serve.py output]\n" + "\n".join(s.output))


@pytest.fixture
def served(tmp_path, browser):
    """Two replicas sharing the SQLite stores in tmp_path."""
    yield from _serve(tmp_path)


@pytest.fixture(params=["sqlite", "postgresql"])
def served_any(request, tmp_path, browser):
    """Two replicas sharing the SQLite stores, or a PostgreSQL database (DATABASE_URL, as replicas
    on several hosts would)."""
    env = {"DATABASE_URL": request.getfixturevalue("postgres_url")} if request.param == "postgresql" else None
    yield from _serve(tmp_path, env)


def test_a_killed_replica_hands_its_viewer_to_the_other_with_the_run(served, tmp_path, browser, screenshot_dir):
    assert len(served.pids) == 2
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = open_tab(context, served.url + SPEED_ONE)
        first = page.evaluate(REPLICA_JS)
        assert first in served.pids
        # every request of this browser goes to the same replica: the page's HTTP requests and its
        # websocket's session (the run is owned by a session of that replica)
        assert {page.evaluate(REPLICA_JS) for _ in range(5)} == {first}
        cookie = next(c["value"] for c in context.cookies() if c["name"] == COOKIE)
        assert served.replica(cookie) == first
        press(page, "train.button.train", "en")
        wait_for_step(page, 16)  # four seconds of training: saved at least once while running

        os.kill(served.pids[first], signal.SIGKILL)  # mid-training, no goodbye
        saved = stored(tmp_path, page).steps
        assert saved >= 4
        # the page reconnects by itself (no reload): a new session on the other replica, which
        # takes the run over from the store (the same browser tab)
        expect(page.get_by_text("Welcome back")).to_be_visible(timeout=LONG * 1000)
        second = page.evaluate(REPLICA_JS)
        assert second in served.pids and second != first
        page.wait_for_function(f"() => Number(({METRIC_JS})(0)) === {saved}", timeout=LONG * 1000)
        page.wait_for_function(f"() => ({CURVE_JS})() === {saved}", timeout=LONG * 1000)  # the curve, point for point
        restored = stored(tmp_path, page)
        assert restored.steps == saved and len(restored.history.loss_series()[0]) == saved
        page.screenshot(path=screenshot_dir / "replicas-after-failover.png")

        press(page, "train.button.train", "en")  # and it trains on, on the live replica
        wait_for_step(page, saved + 8)
        assert metric(page, 0) >= saved + 8

        # an upload (a plain HTTP request, XSRF-checked) reaches the replica of the session it is for
        press(page, "train.button.pause", "en")
        model = tmp_path / "model.npz"
        save_trainer(restored, model)
        page.locator('[data-testid="stSidebar"] summary').filter(has_text=t("transfer.title")).click()
        upload(page, model)
        expect(page.get_by_text(f"Loaded: the uploaded network, at step {saved}")).to_be_visible(timeout=LONG * 1000)
        assert metric(page, 0) == saved and page.evaluate(REPLICA_JS) == second
    finally:
        context.close()


def _cookie_for(served: Served, replica: str) -> str:
    """A cookie value nginx hashes to `replica`."""
    for k in range(200):
        value = f"{k:032x}"
        if served.replica(value) == replica:
            return value
    raise AssertionError(f"no cookie reaches {replica}")


def open_on(browser, served: Served, replica: str, path: str, height: int = 720):
    """(context, page) of a browser whose cookie sends it to `replica`, the page at `path` drawn."""
    ctx = browser.new_context(viewport={"width": 1280, "height": height})
    ctx.add_cookies([{"name": COOKIE, "value": _cookie_for(served, replica), "url": served.url}])
    page = ctx.new_page()
    Runs(page)
    with settled(page, timeout=LONG, load=True, waits=True):
        page.goto(served.url + path)
    assert page.evaluate(REPLICA_JS) == replica
    return ctx, page


def test_the_class_board_works_across_replicas(served_any, browser, tmp_path):
    served = served_any
    first, second = sorted(served.pids)
    contexts = []
    try:
        ctx, teacher = open_on(browser, served, first, "/class", height=1400)
        contexts.append(ctx)
        with settled(teacher, waits=True):
            teacher.get_by_role("button", name=t("class.start")).click()
        code = teacher.locator(".class-code").inner_text()
        ctx, student = open_on(browser, served, second, f"/?join={code}")  # the student on the other replica
        contexts.append(ctx)
        expect(student.get_by_text(code)).to_be_visible(timeout=LONG * 1000)  # the class banner
        class_press(student, "train.button.train", "en")
        wait_for_board(teacher, joined=1, solved=1)  # the student's solved run, on the teacher's board
        with settled(teacher, waits=True):  # follow me: the teacher's setup reaches the other replica
            teacher.get_by_role("button", name=t("class.push.button")).click()
        expect(student.get_by_text(t("class.pushed", "en", setup="")[:10])).to_be_visible(timeout=LONG * 1000)
        url = served.env.get("DATABASE_URL")
        if url:  # it went through PostgreSQL: no SQLite file was made
            assert pgserver.query(url, "SELECT count(*) FROM members") == [(1,)]
            assert pgserver.query(url, "SELECT count(*) FROM runs WHERE kind = 'train'") == [(1,)]  # the student's
            assert not list(tmp_path.glob("*.sqlite3"))
    finally:
        for ctx in contexts:
            ctx.close()

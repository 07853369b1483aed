"""Nothing a viewer trained is lost, in a real browser: a reload mid-training and after Solved, a
server killed with -9 and started again, and two browsers and two tabs that never write each
other's runs. The stored runs are read straight from the server's store file to compare."""

from __future__ import annotations

import io
import os

import pytest
from browser import Runs, free_port, kill_server, settled, streamlit_server
from playwright.sync_api import expect
from test_browser_state import press

from rnn import Trainer
from rnn_app.store import RunStore

pytestmark = pytest.mark.browser

LONG = 120.0
SPEED_ONE = "/?speed=1"  # one step per update: training that lasts while the test looks at it


def open_tab(context, url: str):
    page = context.new_page()
    Runs(page)
    with settled(page, timeout=LONG, load=True):
        page.goto(url)
    return page


# The metrics on screen: while training the live panel shows its own, and the page's are hidden.
METRIC_JS = """(k) => [...document.querySelectorAll('.live-metric-value')].filter(e => e.checkVisibility())[k]
    ?.textContent.replace(/,/g, '')"""


def metric(page, k: int) -> int:
    return int(page.evaluate(METRIC_JS, k))


def stored(folder, page) -> Trainer:
    """The run this tab's session stores, read from the store's file."""
    run_id = page.evaluate("() => sessionStorage.getItem('rnn-lab-run-train')")
    claim = RunStore(os.path.join(folder, "runs.sqlite3")).load(run_id, "train")
    assert claim.status == "found", claim
    return Trainer.load(io.BytesIO(claim.data))


def wait_for_step(page, at_least: int) -> None:
    page.wait_for_function(f"(n) => Number(({METRIC_JS})(0)) >= n", arg=at_least, timeout=LONG * 1000)


def test_a_reload_mid_training_and_after_solved_gives_the_run_back(app_server, runs_folder, browser, screenshot_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = open_tab(context, app_server + SPEED_ONE)
        with settled(page):
            page.get_by_label("a", exact=True).fill("100")
            page.get_by_label("a", exact=True).press("Enter")
        press(page, "train.button.train", "en")
        wait_for_step(page, 16)  # four seconds of training: saved at least once while running
        saved = stored(runs_folder, page).steps
        assert saved >= 4
        with settled(page, timeout=LONG, load=True):
            page.reload()
        expect(page.get_by_text("Welcome back")).to_be_visible(timeout=LONG * 1000)
        step = metric(page, 0)
        assert step >= saved  # at most the last few seconds of training are lost; the loop's final save usually wins
        expect(page.get_by_label("a", exact=True)).to_have_value("100")
        restored = stored(runs_folder, page)
        assert restored.steps == step and len(restored.history.loss_series()[0]) == step  # the curve, point for point

        press(page, "train.button.train", "en")
        solved = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Solved at step")
        expect(solved).to_be_visible(timeout=LONG * 1000)
        expect(page.get_by_role("button", name="Pause", exact=True)).to_be_disabled()  # the final page run
        for _ in range(200):  # the page shows the run's last step, and the store has it
            if metric(page, 0) == stored(runs_folder, page).steps:
                break
            page.wait_for_timeout(50)
        step, text = metric(page, 0), solved.inner_text()
        with settled(page, timeout=LONG, load=True):
            page.reload()
        expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_have_text(text, timeout=LONG * 1000)
        assert metric(page, 0) == step  # paused: the very same step
        page.screenshot(path=screenshot_dir / "persist-after-reload.png")
    finally:
        context.close()


def test_a_killed_server_gives_the_run_back_when_it_starts_again(browser, tmp_path):
    port, env = free_port(), {"RNN_LAB_DATA": str(tmp_path)}
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        with streamlit_server(port=port, env=env) as url:
            page = open_tab(context, url + SPEED_ONE)
            press(page, "train.button.train", "en")
            wait_for_step(page, 16)
            kill_server(url)  # mid-training, no goodbye
        saved = stored(tmp_path, page).steps
        with streamlit_server(port=port, env=env) as url:
            with settled(page, timeout=LONG, load=True):
                page.reload()
            expect(page.get_by_text("Welcome back")).to_be_visible(timeout=LONG * 1000)
            assert metric(page, 0) == saved >= 4  # resumed from its last write
    finally:
        context.close()


def test_two_browsers_and_two_tabs_never_write_each_others_runs(app_server, runs_folder, browser):
    first = browser.new_context(viewport={"width": 1280, "height": 720})
    second = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        a = open_tab(first, app_server)
        b = open_tab(second, app_server)
        for _ in range(3):
            press(a, "train.button.step", "en")
        for _ in range(5):
            press(b, "train.button.step", "en")
        a2 = open_tab(first, app_server)  # a second tab of the first browser: its own copy
        expect(a2.get_by_text("open in another tab")).to_be_visible(timeout=LONG * 1000)
        assert metric(a2, 0) == 3
        for _ in range(4):
            press(a2, "train.button.step", "en")
        press(a, "train.button.step", "en")
        ids = [p.evaluate("() => sessionStorage.getItem('rnn-lab-run-train')") for p in (a, b, a2)]
        assert len(set(ids)) == 3
        assert [stored(runs_folder, p).steps for p in (a, b, a2)] == [4, 5, 7]
        for p, steps in ((a, 4), (b, 5), (a2, 7)):
            with settled(p, timeout=LONG, load=True):
                p.reload()
            expect(p.get_by_text("Welcome back")).to_be_visible(timeout=LONG * 1000)
            assert metric(p, 0) == steps
    finally:
        first.close()
        second.close()

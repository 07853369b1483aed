"""Shared fixtures for browser tests. Unit tests need none of these.

Browser tests mark themselves ``@pytest.mark.browser`` and use ``app_server``,
``page`` (and ``browser``/``screenshot_dir``). See ``tests/browser.py``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as app.py does, before numpy is imported

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # make `import browser` work

import browser as bt  # noqa: E402


@pytest.fixture(scope="session")
def runs_folder(tmp_path_factory) -> Path:
    """Where the test server keeps viewers' runs (rnn_app.store)."""
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="session")
def app_server(runs_folder):
    """Base URL (http://127.0.0.1:PORT) of a Streamlit server running app.py, keeping its runs in
    a folder of its own."""
    with bt.streamlit_server(env={"RNN_LAB_DATA": str(runs_folder)}) as url:
        yield url


@pytest.fixture(scope="session")
def postgres_server():
    """URL of a throwaway PostgreSQL server (tests/pgserver.py) for the whole test session."""
    import pgserver

    reason = pgserver.missing_reason()
    if reason:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    with pgserver.server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """URL of a new empty schema of its own (search_path) on the session's PostgreSQL server."""
    import pgserver

    return pgserver.fresh_database(postgres_server)


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium (Playwright sync API)."""
    reason = bt.chromium_missing_reason()
    if reason:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = bt.launch_chromium(pw)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh 1280x720 page in its own browser context."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = context.new_page()
    bt.Runs(pg)  # script runs, read from the page's websocket (expect_rerun, settled)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Folder where browser tests save screenshots (path printed for humans)."""
    path = tmp_path_factory.mktemp("screenshots")
    print(f"\n[screenshots: {path}]")
    return path

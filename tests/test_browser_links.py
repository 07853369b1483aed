"""The URL is the setup, in a real browser: the address bar follows the page, a reload or a copied
link reproduces the setup (and with the same seed the same curve), a bad value is explained until
dismissed, and "Copy link" copies the setup, never the viewer's run."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from browser import Runs, in_use, settled
from playwright.sync_api import expect
from test_browser_state import button, choose, nudge, press, switch_language

from rnn_app.ui.strings import t

pytestmark = pytest.mark.browser

LONG = 120.0  # seconds


def open_page(browser, url: str, **context):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, **context)
    page = ctx.new_page()
    Runs(page)
    with settled(page, timeout=LONG, load=True):
        page.goto(url)
    return ctx, page


def query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def metric(page, k: int) -> str:
    """The k-th metric's value (0 step, 1 samples, 2 loss, ...), whatever the language."""
    return page.locator(".live-metric-value").nth(k).inner_text()


def test_reload_and_a_copied_link_give_the_same_setup_and_curve(app_server, browser, screenshot_dir):
    ctx, page = open_page(browser, app_server, permissions=["clipboard-read", "clipboard-write"])
    try:
        with settled(page):
            choose(page, t("train.preset"), t("train.preset.classic"))
        with settled(page):
            nudge(page, t("train.w.hidden"), "ArrowRight")
        with settled(page):
            page.get_by_label("a", exact=True).fill("100")
            page.get_by_label("a", exact=True).press("Enter")
        with settled(page):
            switch_language(page, "zh")
        assert query(page) == {"preset": "classic", "hidden": "17", "a": "100", "lang": "zh"}
        setup = in_use(page)
        for _ in range(3):
            press(page, "train.button.step", "zh")
        trained_loss = metric(page, 2)

        with settled(page, timeout=LONG, load=True):
            page.reload()  # a new session: the same setup, in Chinese
        assert in_use(page) == setup and query(page)["lang"] == "zh"
        expect(page.get_by_label("a", exact=True)).to_have_value("100")
        expect(page.get_by_role("heading", name=t("train.title", "zh"))).to_be_visible()

        page.locator(".copy-link").click()
        link = page.evaluate("() => navigator.clipboard.readText()")
        assert link == page.url and "run" not in link.lower()  # the setup only
        other_ctx, other = open_page(browser, link)
        try:  # another browser: the same setup, a fresh run, the same curve after the same steps
            assert in_use(other) == setup
            assert metric(other, 0) == "0"
            for _ in range(3):
                press(other, "train.button.step", "zh")
            assert metric(other, 0) == "3" and metric(other, 2) == trained_loss
            other.screenshot(path=screenshot_dir / "links-copied.png")
        finally:
            other_ctx.close()
    finally:
        ctx.close()


def test_a_bad_value_in_a_link_is_explained_until_dismissed(app_server, browser, screenshot_dir):
    ctx, page = open_page(browser, f"{app_server}/?hidden=500&lr=5&bits=9&lang=zh")
    try:
        notice = page.locator('[data-testid="stAlertContentWarning"]')
        expect(notice).to_contain_text("hidden=500 超出范围：隐藏层大小只能取 1 到 128。")
        expect(notice).to_contain_text("lr=5 超出范围：学习率只能取 0.0001 到 1。")
        assert in_use(page)["bits"] == 9 and query(page) == {"bits": "9", "lang": "zh"}
        press(page, "train.button.step", "zh")
        expect(notice).to_be_visible()  # it stays while the viewer works
        page.screenshot(path=screenshot_dir / "links-bad-value.png")
        with settled(page):
            button(page, "link.dismiss", "zh").click()
        expect(notice).to_have_count(0)
    finally:
        ctx.close()


def test_each_page_has_its_own_link(app_server, browser):
    ctx, page = open_page(browser, f"{app_server}/digits?preset=tensorflow&index=42")
    try:
        assert query(page) == {"preset": "tensorflow", "index": "42"}
        expect(page.locator('[data-testid="stSidebar"] input[aria-label="Preset"]')).to_have_value(
            t("digits.preset.tensorflow"))
        with settled(page):
            page.get_by_role("link", name=t("nav.train")).click()
        assert query(page) == {}  # the Train page's own setup: the defaults, not the Digits link
        assert in_use(page)["hidden"] == 12
    finally:
        ctx.close()

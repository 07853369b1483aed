"""Divergence on the Train page in Chromium: a setup that blows up within a few steps at the
largest learning rate of the slider (SGD, ReLU, 64 units, batch 1: step 4 would grow a weight to
~1e15). Train pauses by itself and says in one line what happened and what to try; the last good
weights are kept (the step counter stays at the last good step); Step and Train at that rate move
nothing and raise nothing; a lower rate is refused again with the advice to clip (the gradient
itself exploded), and clipping trains on from the kept weights. Every optimiser x cell is
checked in the engine (tests/test_divergence.py)."""

from __future__ import annotations

import pytest
from browser import assert_sidebar_is_in_use, settled
from playwright.sync_api import expect

from rnn_app.ui.strings import t

pytestmark = pytest.mark.browser

BLOWS_UP = "activation=relu&optimizer=sgd&lr=1&hidden=64&batch=1"
ERROR = '[data-testid="stAlertContentError"]'
SIDEBAR = '[data-testid="stSidebar"]'
STEP_JS = """(label) => [...document.querySelectorAll('.live-metric')]
    .find(m => m.querySelector('.live-metric-label').textContent === label)
    ?.querySelector('.live-metric-value').textContent"""


def shown_step(page) -> int:
    return int(page.evaluate(STEP_JS, t("train.metric.step", "en")).replace(",", ""))


def press(page, key: str) -> None:
    with settled(page, timeout=120):
        page.get_by_role("button", name=t(key, "en"), exact=True).click()


def test_divergence_pauses_explains_keeps_the_weights_and_recovers(app_server, page, screenshot_dir):
    with settled(page, timeout=120, load=True):
        page.goto(f"{app_server}/?{BLOWS_UP}")
    press(page, "train.button.train")
    error = page.locator(ERROR)
    expect(error).to_contain_text("blew up", timeout=60_000)
    text = error.inner_text()
    assert "learning rate" in text and "\n" not in text.strip()  # what happened and what to try, one line
    expect(page.get_by_role("button", name=t("train.button.pause", "en"), exact=True)).to_be_disabled()
    last_good = shown_step(page)
    assert 0 < last_good < 10
    page.screenshot(path=screenshot_dir / "diverged.png")
    for key in ("train.button.step", "train.button.train"):  # at the same rate nothing moves, nothing breaks
        press(page, key)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        expect(error).to_contain_text("blew up")
        assert shown_step(page) == last_good
    # the lowest learning rate: the kept weights sit where the gradient is ~1e16, so the next step
    # blows up again, and the line now says a lower rate alone will not help but clipping will
    thumb = page.locator(f'{SIDEBAR} input[type="range"][aria-label="{t("train.w.lr", "en")}"]')
    with settled(page, timeout=120):
        thumb.focus()
        thumb.press("Home")
    expect(error).to_have_count(0)  # a new rate clears it: worth a try
    press(page, "train.button.step")
    expect(error).to_contain_text("gradient clipping will")
    assert shown_step(page) == last_good
    # gradient clipping: the run trains on from the kept weights
    page.locator(f"{SIDEBAR} summary").filter(has_text=t("train.more", "en")).click()
    clip = page.locator(f'{SIDEBAR} input[aria-label="{t("train.w.clip", "en")}"]')
    with settled(page, timeout=120):
        clip.fill("1")
        clip.press("Enter")
    expect(error).to_have_count(0)
    press(page, "train.button.step")
    assert shown_step(page) == last_good + 1
    press(page, "train.button.train")
    press(page, "train.button.pause")
    assert shown_step(page) > last_good + 1
    expect(page.locator(ERROR)).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert_sidebar_is_in_use(page, "en")
    page.screenshot(path=screenshot_dir / "diverged-recovered.png")

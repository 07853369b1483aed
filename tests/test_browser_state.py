"""What the page shows is what the model uses, in a real browser, after sequences of actions.

Three ways a class broke it: switch the language and then act (the select boxes sent their old
language's label back), press Train the instant the page appears (widgets showed their minimums
and the next click applied them), and a random mix of everything. After each action the sidebar
is read (tests/browser.py: sidebar_setup) and compared with the setup the run uses, which the page
writes beside the chart (rnn_app.train.views.in_use).
"""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from browser import Runs, assert_sidebar_is_in_use, in_use, settled, sidebar_setup, wait_for_streamlit
from playwright.sync_api import expect

from rnn import Config
from rnn_app.train.presets import PRESETS
from rnn_app.train.state import DEFAULT_SPEED
from rnn_app.ui.strings import LANGUAGES, t

pytestmark = pytest.mark.browser

LONG = 120_000  # ms; the machine is shared: generous waits on conditions, never sleeps
SIDEBAR = '[data-testid="stSidebar"]'


def button(page, key: str, lang: str):
    return page.get_by_role("button", name=t(key, lang), exact=True)


def press(page, key: str, lang: str) -> None:
    """Click a button if it is enabled (Pause is not once a run has solved), and let the page settle."""
    target = button(page, key, lang)
    with settled(page, optional=True):
        if target.is_enabled():
            target.click()


def switch_language(page, lang: str) -> None:
    page.locator(SIDEBAR).get_by_text(LANGUAGES[lang], exact=True).click()


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the select box labelled `label` (unfolding "More settings" if it is there)."""
    box = page.locator(f'{SIDEBAR} [data-stale="false"] input[role="combobox"][aria-label="{label}"]')
    if not box.is_visible():  # unfold the expander that holds it
        expander = page.locator(f'{SIDEBAR} [data-testid="stExpander"]')
        expander.filter(has=page.locator(f'input[aria-label="{label}"]')).locator("summary").click()
    item = page.locator('[role="option"]').filter(has=page.get_by_text(option, exact=True))
    for _ in range(3):  # a click right after "More settings" unfolds can focus the box without opening it
        box.click()
        try:
            item.wait_for(timeout=3000)
            break
        except Exception:
            page.keyboard.press("Escape")
    item.click()


def nudge(page, label: str, key: str) -> None:
    """Move the slider labelled `label` one step with the keyboard."""
    thumb = page.locator(f'{SIDEBAR} [data-stale="false"] input[type="range"][aria-label="{label}"]')
    thumb.focus()
    thumb.press(key)


def open_app(browser, url: str, locale: str = "en-US"):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale=locale)
    page = context.new_page()
    Runs(page)
    with settled(page, timeout=LONG / 1000, load=True):
        page.goto(url)
    return context, page


def test_switching_language_then_acting_keeps_every_setting(app_server, browser, screenshot_dir):
    context, page = open_app(browser, app_server)
    try:
        with settled(page):
            switch_language(page, "zh")
        assert_sidebar_is_in_use(page, "zh")
        with settled(page):
            button(page, "train.button.train", "zh").click()  # 训练: used to be a traceback
        press(page, "train.button.pause", "zh")
        assert_sidebar_is_in_use(page, "zh")
        assert sidebar_setup(page, "zh")["loss"] == "bce" and in_use(page)["hidden"] == Config().hidden
        with settled(page):
            page.get_by_label("a", exact=True).fill("100")
            page.get_by_label("a", exact=True).press("Enter")
        with settled(page):
            nudge(page, t("train.w.hidden", "zh"), "ArrowRight")
        assert in_use(page)["hidden"] == Config().hidden + 1
        assert_sidebar_is_in_use(page, "zh")
        with settled(page):
            choose(page, t("train.w.loss", "zh"), t("train.opt.mse", "zh"))
        with settled(page):
            switch_language(page, "en")
        assert_sidebar_is_in_use(page, "en")
        with settled(page):
            button(page, "train.button.step", "en").click()
        assert in_use(page)["loss"] == "mse" and in_use(page)["hidden"] == Config().hidden + 1
        assert_sidebar_is_in_use(page, "en")
        page.screenshot(path=screenshot_dir / "state-language-train.png")

        # the Digits page: switch the language, press 训练 (the mistakes picker broke it)
        with settled(page):
            page.get_by_role("link", name=t("nav.digits", "en")).click()
        with settled(page):
            button(page, "train.button.step", "en").click()
        with settled(page):
            switch_language(page, "zh")
        with settled(page):
            button(page, "train.button.train", "zh").click()
        press(page, "train.button.pause", "zh")
        expect(page.locator(SIDEBAR).get_by_text(LANGUAGES["en"], exact=True)).to_be_visible()
        with settled(page):
            button(page, "train.button.step", "zh").click()
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        page.screenshot(path=screenshot_dir / "state-language-digits.png")
    finally:
        context.close()


# Clicks Train from inside the page the moment the learning curve is drawn: sooner than any
# person, while the rest of the page may still be arriving.
CLICK_AT_FIRST_CHART_JS = """(() => {
    const click = () => {
        const chart = document.querySelector('[data-testid="stPlotlyChart"] .main-svg');
        const train = [...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Train');
        if (chart && train && !train.disabled) { train.click(); window.__clickedAt = performance.now(); return true; }
        return false;
    };
    const observer = new MutationObserver(() => { if (click()) observer.disconnect(); });
    observer.observe(document, {subtree: true, childList: true});
})()"""


def test_train_pressed_the_instant_the_page_appears_keeps_the_settings(app_server, browser, screenshot_dir):
    """Four loads, with two busy CPU loops beside the server (a class opening the page at once)."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    defaults = {**Config().to_dict(), "speed": DEFAULT_SPEED}
    try:
        for load in range(4):
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            page = context.new_page()
            try:
                Runs(page)
                page.add_init_script(CLICK_AT_FIRST_CHART_JS)
                page.goto(app_server)
                page.wait_for_function("() => window.__clickedAt !== undefined", timeout=LONG)
                solved = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Solved at step")
                expect(solved).to_be_visible(timeout=LONG)
                wait_for_streamlit(page, timeout=90)
                shown = sidebar_setup(page, "en")
                assert {k: shown[k] for k in defaults if k in shown} == {k: v for k, v in defaults.items() if k in shown}
                assert shown["preset"] == "fast" and in_use(page) == defaults
                expect(page.get_by_label("a", exact=True)).to_have_value("89")
                steps = int(solved.inner_text().split("step ")[1].split(":")[0])
                with settled(page):
                    button(page, "train.button.step", "en").click()  # used to apply the minimums shown
                assert in_use(page) == defaults
                expect(page.get_by_text("New model")).to_have_count(0)
                step_metric = page.locator(".live-metric").filter(has_text="Step").first
                assert int(step_metric.inner_text().split()[-1].replace(",", "")) > steps
                if load == 0:
                    page.screenshot(path=screenshot_dir / "state-instant-train.png")
            finally:
                context.close()
    finally:
        for p in burners:
            p.kill()


def test_thirty_random_actions_keep_the_page_and_the_model_in_step(app_server, browser, screenshot_dir):
    """Train / Pause / Step / Reset, presets, sliders, select boxes, operands, the language, other
    pages and a reload, in a random order (seeded): after each, no error, and on the Train page every
    widget shows what the run uses."""
    rng = random.Random(20261206)
    context, page = open_app(browser, app_server)
    lang, where, log = "en", "train", []

    def act(name: str) -> None:
        nonlocal lang, where
        if name == "language":
            lang = "zh" if lang == "en" else "en"
            with settled(page):
                switch_language(page, lang)
        elif name in ("train", "pause", "step", "reset"):
            press(page, f"train.button.{name}", lang)
        elif name == "preset" and where == "train":
            preset = rng.choice(PRESETS)
            with settled(page, optional=True):  # the preset already chosen starts no run
                choose(page, t("train.preset", lang), t(preset.label_key, lang))
        elif name == "slider" and where == "train":
            field = rng.choice(["hidden", "bits", "lr", "batch", "speed"])
            with settled(page, optional=True):  # a slider at its end does not move
                nudge(page, t(f"train.w.{field}", lang), rng.choice(["ArrowLeft", "ArrowRight"]))
        elif name == "select" and where == "train":
            field, options = rng.choice([("cell", ("rnn", "gru", "lstm")), ("optimizer", ("sgd", "momentum", "adam")),
                                         ("loss", ("bce", "mse"))])  # fmt: skip
            with settled(page, optional=True):
                choose(page, t(f"train.w.{field}", lang), t(f"train.opt.{rng.choice(options)}", lang))
        elif name == "operand" and where == "train":
            box = page.get_by_label(rng.choice("ab"), exact=True)
            with settled(page, optional=True):
                box.fill(str(rng.choice([0, 5, 89, 127, 300, "0b101", "x1"])))
                box.press("Enter")
        elif name == "page":
            where = rng.choice([p for p in ("train", "inside", "digits") if p != where])
            with settled(page):
                page.get_by_role("link", name=t(f"nav.{where}", lang)).click()
        elif name == "reload":
            with settled(page, timeout=LONG / 1000, load=True):
                page.reload()  # a new session on the same page: the URL's setup and language, the stored run

    actions = ["train", "train", "pause", "step", "reset", "language", "preset", "slider", "slider", "select",
               "operand", "page", "reload"]  # fmt: skip
    try:
        for _ in range(30):
            name = rng.choice(actions)
            log.append(f"{name} ({lang}, {where})")
            act(name)
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            if where == "train":
                assert_sidebar_is_in_use(page, lang)
        page.screenshot(path=screenshot_dir / "state-random.png")
    except Exception as e:
        page.screenshot(path=screenshot_dir / "state-random-failed.png")
        raise AssertionError(f"after {' → '.join(log)}: {e}") from None
    finally:
        context.close()

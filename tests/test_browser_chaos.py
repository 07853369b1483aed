"""Fast clicking and page switching in Chromium: thirty random clicks (Train / Pause / Step / Reset,
a preset, the language, another page) fired as fast as the browser takes them, without waiting for
the page between them (seeded, reproducible). Afterwards: no traceback, the Train page's widgets
show what its run uses, and the server runs no live loop for a page nobody sees.

The server is started with RNN_LAB_LOOP_LOG (rnn_app.ui.live): it writes every live loop's start and
end, and how many run, to a file the test reads.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest
from browser import Runs, assert_sidebar_is_in_use, settled, streamlit_server
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from rnn_app.train.presets import PRESETS
from rnn_app.ui.live import LOOP_LOG
from rnn_app.ui.strings import LANGUAGES, t

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'
EXCEPTION = '[data-testid="stException"]'
CLICKS = 30


@pytest.fixture(scope="module")
def loop_server(tmp_path_factory):
    """(base URL, loop log) of a server of its own that logs its live loops."""
    folder = tmp_path_factory.mktemp("chaos")
    log = folder / "loops.log"
    with streamlit_server(env={"RNN_LAB_DATA": str(folder / "runs"), LOOP_LOG: str(log)}) as url:
        yield url, log


def running_loops(log: Path) -> list[str]:
    """The live loops running now ("session:page"), from the last line of the server's loop log."""
    lines = log.read_text().splitlines() if log.exists() else []
    if not lines:
        return []
    m = re.fullmatch(r"\S+ (?:start|end) \S+ running=(\d+) ?(.*) \(.*\)", lines[-1])  # ... (why)
    assert m, lines[-1]
    loops = m.group(2).split()
    assert len(loops) == int(m.group(1)), lines[-1]
    return loops


def wait_for_loops(log: Path, check, timeout: float = 60.0) -> list[str]:
    """Poll the loop log until check(running loops) holds; returns them (fails on timeout)."""
    deadline = time.monotonic() + timeout
    while not check(loops := running_loops(log)):
        if time.monotonic() > deadline:
            tail = "\n".join(log.read_text().splitlines()[-10:]) if log.exists() else "(no log)"
            raise AssertionError(f"live loops running: {loops}\n{tail}")
        time.sleep(0.2)
    return loops


# One click in the page itself (a DOM click event, as a hurried user's, on whatever the page shows
# now, mid-rerun or not): Playwright's own click checks the element is stable and takes several
# round trips, too slow for thirty clicks in five seconds on a busy machine.
CLICK_JS = """([kind, text]) => {
    const where = {button: 'button', link: '[data-testid="stSidebarNav"] a',
                   choice: '[data-testid="stSidebar"] label, [data-testid="stSidebar"] button'}[kind];
    const shows = (e) => [e, ...e.querySelectorAll('*')].some(n => n.textContent.trim() === text);  // icons beside
    const el = [...document.querySelectorAll(where)].find(shows);
    if (!el) return false;
    el.click();
    return true;
}"""


def try_click(page, kind: str, text: str) -> bool:
    """Click the button / sidebar link / sidebar choice showing `text`; False if there is none now."""
    try:
        return page.evaluate(CLICK_JS, [kind, text])
    except PlaywrightError:  # the page navigated meanwhile
        return False


def pick(page, box, option) -> bool:
    """Open a select box and pick an option, without waiting for the page to be still."""
    try:
        box.first.click(timeout=500, force=True)
        option.first.click(timeout=500, force=True)
        return True
    except PlaywrightError:
        page.keyboard.press("Escape")
        return False


def test_thirty_fast_random_clicks_leave_a_consistent_page_and_no_stray_loop(loop_server, browser, screenshot_dir):
    url, log = loop_server
    rng = random.Random(19)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    Runs(page)
    with settled(page, timeout=120, load=True):
        page.goto(url)
    lang, done = "en", []

    def click(name: str) -> None:
        nonlocal lang
        if name in ("train", "pause", "step", "reset"):
            ok = try_click(page, "button", t(f"train.button.{name}", lang))
        elif name == "language":
            other = "zh" if lang == "en" else "en"
            ok = try_click(page, "choice", LANGUAGES[other])
            lang = other if ok else lang
        elif name == "page":
            ok = try_click(page, "link", t(f"nav.{rng.choice(['train', 'inside', 'digits'])}", lang))
        else:  # a preset: open the select box and pick one
            box = page.locator(f'{SIDEBAR} input[role="combobox"][aria-label="{t("train.preset", lang)}"]')
            option = page.locator('[role="option"]').filter(
                has=page.get_by_text(t(rng.choice(PRESETS).label_key, lang), exact=True))  # fmt: skip
            ok = bool(box.count()) and pick(page, box, option)
        done.append(f"{name}{'' if ok else '(missed)'}")
        page.wait_for_timeout(rng.uniform(20, 120))  # a hurried user, not a machine gun

    actions = ["train", "train", "pause", "step", "reset", "preset", "language", "page", "page"]
    t0 = time.monotonic()
    try:
        for _ in range(CLICKS):
            click(rng.choice(actions))
        took = time.monotonic() - t0
        print(f"\n{CLICKS} clicks in {took:.1f} s: {' '.join(done)}")
        # then the Train page, paused: everything drawn, the widgets show what the run uses
        with settled(page, timeout=120):
            page.get_by_role("link", name=t("nav.train", lang)).click()
        pause = page.get_by_role("button", name=t("train.button.pause", lang), exact=True)
        if pause.is_enabled():
            with settled(page, timeout=120):
                pause.click()
        expect(page.locator(EXCEPTION)).to_have_count(0)
        assert_sidebar_is_in_use(page, lang)
        wait_for_loops(log, lambda loops: loops == [])  # paused: no loop runs
        # training (the classic setup: it will not solve and stop by itself meanwhile), then another
        # page: the Train page's loop ends with it
        with settled(page, timeout=120, load=True):
            page.goto(f"{url}/?preset=classic&lang={lang}")
        with settled(page, timeout=120):
            page.get_by_role("button", name=t("train.button.train", lang), exact=True).click()
        wait_for_loops(log, lambda loops: len(loops) == 1)
        with settled(page, timeout=120):
            page.get_by_role("link", name=t("nav.inside", lang)).click()
        wait_for_loops(log, lambda loops: loops == [])
        expect(page.locator(EXCEPTION)).to_have_count(0)
        # back on the Train page it trains on (its run kept running); closing the tab ends the loop
        with settled(page, timeout=120):
            page.get_by_role("link", name=t("nav.train", lang)).click()
        wait_for_loops(log, lambda loops: len(loops) == 1)
        page.screenshot(path=screenshot_dir / "chaos-end.png")
    except Exception as e:
        page.screenshot(path=screenshot_dir / "chaos-failed.png")
        raise AssertionError(f"after {' '.join(done)}: {e}") from None
    context.close()
    wait_for_loops(log, lambda loops: loops == [], timeout=60)
    # one tab: never two loops at once (a rerun ends the previous run's loop before it starts)
    most = max(int(re.search(r"running=(\d+)", line).group(1)) for line in log.read_text().splitlines())
    assert most == 1, most

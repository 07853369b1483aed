"""Fast clicking and page switching in Chromium: thirty random clicks (Train / Pause / Step / Reset,
a preset, the language, another page), fired by the page itself on a seeded schedule within 4.5 s,
without waiting for the page between them. Afterwards: no traceback, the Train page's widgets show
what its run uses, and the server runs no live loop for a page nobody sees.

The server is started with RNN_LAB_LOOP_LOG (rnn_app.ui.loop_log): it writes every live loop's start and
end, and how many run, to a file the test reads.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest
from browser import Runs, assert_sidebar_is_in_use, settled, streamlit_server
from playwright.sync_api import expect

from rnn_app.ui.loop_log import LOOP_LOG
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


# Thirty clicks fired by the page itself on a seeded schedule, all within CLICKS_WITHIN seconds, as a
# hurried student's: whatever the page shows at that moment, mid-rerun or not, gets the click (a
# Playwright click waits for a still element, which a busy page makes seconds late). An action:
# [ms after the start, kind, the texts it may show (both languages), a number for the preset].
CHAOS_JS = """async (actions) => {
    const sleep = (ms) => new Promise((done) => setTimeout(done, Math.max(0, ms)));
    const shows = (e, texts) => [e, ...e.querySelectorAll('*')].some((n) => texts.includes(n.textContent.trim()));
    const find = (where, texts, ok = () => true) =>
        [...document.querySelectorAll(where)].find((e) => shows(e, texts) && ok(e));
    const act = async (kind, texts, n) => {
        if (kind === 'preset') {  // open the select box from the keyboard, pick the n-th option
            const box = [...document.querySelectorAll('[data-testid="stSidebar"] input[role="combobox"]')]
                .find((e) => texts.includes(e.getAttribute('aria-label')));
            if (!box) return false;
            box.focus();
            box.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', keyCode: 40, bubbles: true}));
            await sleep(40);
            const options = [...document.querySelectorAll('[role="option"]')];
            if (!options.length) return false;
            options[n % options.length].click();
            return true;
        }
        const el = kind === 'link' ? find('[data-testid="stSidebarNav"] a', texts)
            : kind === 'language' ? find('[data-testid="stSidebar"] button[role="radio"]', texts,
                                         (e) => e.getAttribute('aria-checked') !== 'true')
            : find('button', texts);
        if (!el) return false;
        el.click();
        return true;
    };
    const start = performance.now(), hit = [], late = [];
    for (const [at, kind, texts, n] of actions) {
        await sleep(start + at - performance.now());
        late.push(Math.round(performance.now() - start - at));  // ms the busy page held this click back
        let ok = false;
        try { ok = await act(kind, texts, n); } catch (e) { ok = false; }
        hit.push(ok);
    }
    return [(performance.now() - start) / 1000, hit, late];
}"""
CLICKS_WITHIN = 4.5  # seconds: the schedule's last click (a click every 60-150 ms)


def both(key: str) -> list[str]:
    """A string in every language: the page may show either by now."""
    return [t(key, lang) for lang in LANGUAGES]


def schedule(rng: random.Random) -> list[list]:
    """Thirty seeded actions on Train / Pause / Step / Reset, a preset, the language, another page."""
    actions, at = [], 0.0
    for _ in range(CLICKS):
        at += rng.uniform(60, CLICKS_WITHIN * 1000 / CLICKS)
        name = rng.choice(["train", "train", "pause", "step", "reset", "preset", "language", "page", "page"])
        if name in ("train", "pause", "step", "reset"):
            actions.append([at, "button", both(f"train.button.{name}"), 0, name])
        elif name == "language":
            actions.append([at, "language", list(LANGUAGES.values()), 0, name])
        elif name == "page":
            page = rng.choice(["train", "inside", "digits"])
            actions.append([at, "link", both(f"nav.{page}"), 0, f"page:{page}"])
        else:
            actions.append([at, "preset", both("train.preset"), rng.randrange(100), name])
    return actions


def quiet(page, still: float = 2.0, timeout: float = 120.0) -> str:
    """Wait until the clicks' reruns have landed: the page, its language and its script state
    unchanged for `still` seconds. Returns the page's language."""
    deadline, seen, since = time.monotonic() + timeout, None, time.monotonic()
    while time.monotonic() - since < still:
        assert time.monotonic() < deadline, f"the page kept changing: {seen}"
        now = page.evaluate("""() => [document.documentElement.lang, location.pathname,
                                      document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState]""")
        if now != seen:
            seen, since = now, time.monotonic()
        time.sleep(0.2)
    return "zh" if seen[0].startswith("zh") else "en"


def nav_link(page, name: str, lang: str):
    """The sidebar's link to a page (not the skip link "Skip to the Train button")."""
    return page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=t(f"nav.{name}", lang), exact=True)


def test_thirty_fast_random_clicks_leave_a_consistent_page_and_no_stray_loop(loop_server, browser, screenshot_dir):
    url, log = loop_server
    rng = random.Random(19)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    Runs(page)
    with settled(page, timeout=120, load=True):
        page.goto(url)
    actions, done = schedule(rng), []
    try:
        took, hit, late = page.evaluate(CHAOS_JS, [a[:4] for a in actions])
        done = [f"{a[4]}{'' if ok else '(missed)'}+{ms}ms" for a, ok, ms in zip(actions, hit, late)]
        print(f"\n{CLICKS} clicks in {took:.2f} s (scheduled within {CLICKS_WITHIN} s): {' '.join(done)}")
        assert sum(hit) >= CLICKS // 2, done  # most clicks found what they aimed at
        lang = quiet(page)
        # then the Train page, paused: everything drawn, the widgets show what the run uses
        with settled(page, timeout=120):
            nav_link(page, "train", lang).click()
        pause = page.get_by_role("button", name=t("train.button.pause", lang), exact=True)
        if pause.is_enabled():
            with settled(page, timeout=120):
                pause.click()
        expect(page.locator(EXCEPTION)).to_have_count(0)
        assert_sidebar_is_in_use(page, lang)
        # nothing clicked projector mode: it is still off (a flip on a repeated change event turned it on)
        expect(page.get_by_role("switch", name=t("view.projector", lang))).not_to_be_checked()
        wait_for_loops(log, lambda loops: loops == [])  # paused: no loop runs
        # training (the classic setup: it will not solve and stop by itself meanwhile), then another
        # page: the Train page's loop ends with it
        with settled(page, timeout=120, load=True):
            page.goto(f"{url}/?preset=classic&lang={lang}")
        with settled(page, timeout=120):
            page.get_by_role("button", name=t("train.button.train", lang), exact=True).click()
        wait_for_loops(log, lambda loops: len(loops) == 1)
        with settled(page, timeout=120):
            nav_link(page, "inside", lang).click()
        wait_for_loops(log, lambda loops: loops == [])
        expect(page.locator(EXCEPTION)).to_have_count(0)
        # back on the Train page it trains on (its run kept running); closing the tab ends the loop
        with settled(page, timeout=120):
            nav_link(page, "train", lang).click()
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

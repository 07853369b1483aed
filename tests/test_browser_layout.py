"""Every page at every width (390, 1024, 1280, 1920 px), in English and 简体中文: no label cut, no
horizontal scroll, nothing over the carry animation's controls, no chart title or legend over
another or out of its chart; and the animation's controls by keyboard.

One server and one browser page for the whole module: each test loads a page once and resizes it
through the four widths (the Train page's carry animation is rebuilt for its width on the way).
Screenshots of every case go to the screenshot folder (path printed at the start).
"""

from __future__ import annotations

import pytest
from browser import Runs, expect_rerun, open_inside_sections, wait_for_streamlit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LONG = 120_000  # ms; the machine is shared, so waits are generous (conditions, never sleeps)
SIZES = ((390, 844), (1024, 768), (1280, 720), (1920, 1080))
# each page with the settings whose labels are longest (a select box shows its chosen option)
PAGES = {
    "train": "/?optimizer=sgd&loss=mse&init=uniform",
    "inside": "/inside",
    "digits": "/digits",
    "class": "/class",
}

# Text that does not fit its box: a button's label, a metric's, a widget's, a tab, a sidebar
# link, a select box's value (its input), and anything styled to end in an ellipsis. Only what
# is on screen (a folded sidebar is not) and not a screen-reader-only copy (1 px wide).
CUT_JS = """() => {
    const sel = ['button', 'button p', '[data-testid="stMarkdownContainer"]', '.live-metric-label',
        '.live-metric-value', '[data-testid="stMetricLabel"]', '[data-testid="stMetricLabel"] *',
        '[data-testid="stWidgetLabel"] p', '[role="tab"]', '[role="tab"] p', '[data-testid="stSidebarNavLink"] span',
        '[data-testid="stSelectbox"] input', '[data-testid="stRadio"] label', '[data-testid="stExpander"] summary',
        '.anim-controls *'].join(',');
    const shown = (el) => { const r = el.getBoundingClientRect();
        return r.width > 2 && r.height > 2 && r.right > 0 && r.left < innerWidth && el.getClientRects().length; };
    const cut = [];
    const seen = new Set([...document.querySelectorAll(sel)]);
    for (const el of document.querySelectorAll('body *')) {
        if (!seen.has(el) && getComputedStyle(el).textOverflow === 'ellipsis') seen.add(el);
    }
    for (const el of seen) {
        if (!shown(el)) continue;
        const text = (el.value || el.innerText || '').trim();
        if (!text || el.closest('.katex, .js-plotly-plot, [data-testid="stCode"], pre, [aria-hidden="true"]')) continue;
        const cs = getComputedStyle(el);
        const clips = el.tagName === 'INPUT' || cs.overflowX !== 'visible' || cs.textOverflow === 'ellipsis';
        if (clips && el.scrollWidth > el.clientWidth + 1) cut.push(`${el.tagName} "${text.slice(0, 40)}" ${el.scrollWidth}>${el.clientWidth}`);
    }
    return cut;
}"""

SCROLL_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const doc = document.documentElement;
    return {doc: doc.scrollWidth - innerWidth, main: main ? main.scrollWidth - main.clientWidth : 0};
}"""

# The animation's controls: each control's box, the row's, the chart's, and the element containers
# before and after the row; and the chart's numbers (text boxes) that touch one another.
ANIM_JS = """() => {
    const row = document.querySelector('.anim-controls');
    if (!row) return null;
    const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const host = row.closest('[data-testid="stElementContainer"]');
    const chart = host.previousElementSibling && host.previousElementSibling.querySelector('.js-plotly-plot .main-svg');
    const texts = chart ? [...chart.parentElement.querySelectorAll('.textpoint text')]
        .filter(t => t.textContent.trim()).map(t => [t.textContent, box(t)]) : [];
    return {controls: [...row.querySelectorAll('button, input, output')].map(el => [el.className || el.tagName, box(el)]),
            row: box(row), chart: chart ? box(chart) : null,
            after: host.nextElementSibling ? box(host.nextElementSibling) : null, texts,
            width: innerWidth};
}"""


# Each chart's own texts: titles (the chart's, its axes', as annotations), other annotations and the
# legend, with their boxes and the chart's; what overlaps another or runs out of the chart is cut or
# unreadable (the server does not know the width, so a figure must fit every one).
CHART_TEXT_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].map((gd) => {
    const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const svg = gd.querySelector('.main-svg');
    const items = [...gd.querySelectorAll('g[class^="g-"][class$="title"], text.annotation-text, .legend')]
        .filter((el) => el.textContent.trim() && el.getBoundingClientRect().width > 0)
        .map((el) => [el.textContent.trim().slice(0, 40), box(el)]);
    return {chart: svg ? box(svg) : box(gd), items};
})"""


def chart_text_problems(charts: list[dict]) -> list[str]:
    problems = []
    for k, found in enumerate(charts):
        chart, items = found["chart"], found["items"]
        for i, (text, a) in enumerate(items):
            if a[0] < chart[0] - 1 or a[2] > chart[2] + 1:
                problems.append(f"chart {k}: {text!r} runs out of the chart {a} (chart {chart})")
            for other, b in items[i + 1 :]:
                if _overlap(a, b):
                    problems.append(f"chart {k}: {text!r} {a} overlaps {other!r} {b}")
    return problems


def _overlap(a, b, slack: float = 1.0) -> bool:
    """Whether two [left, top, right, bottom] boxes overlap by more than `slack` px both ways."""
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


def _box(locator) -> list[float]:
    b = locator.bounding_box()
    return [b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]] if b else [0, 0, 0, 0]


def anim_problems(found: dict | None) -> list[str]:
    if found is None:
        return ["no animation controls"]
    problems = []
    controls = found["controls"]
    for i, (name, a) in enumerate(controls):
        if a[0] < -1 or a[2] > found["width"] + 1:
            problems.append(f"{name} runs off the screen {a}")
        for other, b in controls[i + 1 :]:
            if _overlap(a, b):
                problems.append(f"{name} overlaps {other}")
    for what in ("chart", "after"):
        if found[what] and _overlap(found["row"], found[what]):
            problems.append(f"the controls overlap the {what}")
    texts = found["texts"]
    for i, (text, a) in enumerate(texts):
        for other, b in texts[i + 1 :]:
            if _overlap(a, b, slack=1.5):
                problems.append(f"numbers run together: {text!r} {a} and {other!r} {b}")
    return problems


@pytest.fixture(scope="module")
def shared_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    Runs(page)
    yield page
    context.close()


def _settle(page) -> None:
    """After a resize: the controls report a new width after 200 ms, which may rerun the page; wait
    until the app is idle and nothing has arrived on its websocket for a moment."""
    page.wait_for_timeout(500)
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
            return app && app.dataset.testScriptState === 'notRunning' && !document.querySelector('[data-stale="true"]')
                && performance.now() - window.__ws.last > 700; }""",
        timeout=LONG, polling=100,
    )  # fmt: skip


def _screenshot(page, path, width: int, height: int) -> None:
    """The whole page at this width (the viewport made as tall as the page for a moment)."""
    full = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, min(full, 6000))})
    page.wait_for_timeout(300)
    page.screenshot(path=path)
    page.set_viewport_size({"width": width, "height": height})


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_width_fits(app_server, shared_page, screenshot_dir, name, lang):
    page = shared_page
    page.set_viewport_size({"width": SIZES[-1][0], "height": SIZES[-1][1]})
    path = PAGES[name]
    page.goto(f"{app_server}{path}{'&' if '?' in path else '?'}lang={lang}")
    wait_for_streamlit(page, timeout=90)
    expect(page.locator("h1").first).to_be_visible(timeout=LONG)
    if name == "inside":  # sections 3-6 are drawn once opened: open them, so they are checked too
        open_inside_sections(page, lang, timeout=LONG / 1000)
    problems = []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        _settle(page)
        case = f"{name} {lang} {width}x{height}"
        problems += [f"{case}: cut {c}" for c in page.evaluate(CUT_JS)]
        scroll = page.evaluate(SCROLL_JS)
        if scroll["doc"] > 0 or scroll["main"] > 0:
            problems.append(f"{case}: scrolls sideways by {scroll}")
        toggle = page.locator('[data-testid="stExpandSidebarButton"]')
        if toggle.count() and toggle.first.is_visible() and _overlap(_box(page.locator("h1").first), _box(toggle.first)):
            problems.append(f"{case}: the title is under the sidebar's button")
        if name == "train":
            problems += [f"{case}: {p}" for p in anim_problems(page.evaluate(ANIM_JS))]
        problems += [f"{case}: {p}" for p in chart_text_problems(page.evaluate(CHART_TEXT_JS))]
        page.mouse.move(1, 1)  # no hover label in the picture
        _screenshot(page, screenshot_dir / f"layout-{name}-{lang}-{width}.png", width, height)
    assert not problems, "\n".join(problems)


# The carry animation's chart: the one plotly chart with frames (7 bits: 8 of them).
_ANIM_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => g._transitionData && g._transitionData._frames.length)"""
_FRAME_JS = f"""() => {{ const gd = ({_ANIM_JS})(); return gd ? gd._fullData[6].x.length - 1 : -1; }}"""


def _frame(page) -> int:
    """The carry animation's frame on screen: column k shows k + 1 network bits (trace 6)."""
    return page.evaluate(_FRAME_JS)


def test_animation_controls_by_keyboard(app_server, shared_page, screenshot_dir):
    """Tab reaches Play, Pause and the column slider; ← / → move one column the way the columns
    are written (right to left); Play runs to the last column; Pause stops."""
    page = shared_page
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_server}/?a=89&b=44&lang=en")
    wait_for_streamlit(page, timeout=90)
    _settle(page)
    play = page.locator(".anim-controls .anim-play")
    slider = page.locator('.anim-controls input[type="range"]')
    expect(play).to_have_text("▶ Play", timeout=LONG)
    page.wait_for_function(f"() => ({_ANIM_JS})()?._transitionData._frames.length === 8", timeout=LONG)
    last = 7  # 7 bits: columns t = 0..7
    assert _frame(page) == last
    box = page.get_by_label("b", exact=True)
    # an older script run's box can stay in the page for a moment while the last rerun lands
    expect(box).to_have_count(1, timeout=LONG)
    expect(box).to_have_value("44")
    box.focus()
    reached = []
    for _ in range(12):  # from the b box, Tab goes through the page's next stops
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => document.activeElement.className || document.activeElement.type"))
        if reached[-1] == "range":
            break
    assert "anim-play" in reached and "anim-pause" in reached and reached[-1] == "range", reached
    expect(slider).to_have_attribute("aria-valuetext", f"t = {last} of 0–{last}")
    page.keyboard.press("ArrowRight")  # right: towards t = 0 (written on the right)
    page.wait_for_function("() => document.activeElement.value === '6'")
    page.wait_for_function(f"(k) => ({_FRAME_JS})() === k", arg=6, timeout=LONG)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"(k) => ({_FRAME_JS})() === k", arg=5, timeout=LONG)
    expect(slider).to_have_attribute("aria-valuetext", f"t = 5 of 0–{last}")
    page.keyboard.press("Home")
    page.wait_for_function(f"(k) => ({_FRAME_JS})() === k", arg=0, timeout=LONG)
    page.screenshot(path=screenshot_dir / "layout-anim-keyboard-t0.png")
    # Play from t = 0 runs to the end; Pause (Shift+Tab back to it, Enter) stops it on the way
    play.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({_FRAME_JS})() >= 2", timeout=LONG, polling=50)
    page.keyboard.press("Tab")  # Pause
    page.keyboard.press("Enter")
    stopped = _frame(page)
    assert stopped < last
    page.wait_for_timeout(1500)  # two frames' time: a paused animation stays where it stopped
    assert _frame(page) == stopped
    assert page.evaluate("() => document.activeElement.className") == "anim-pause"  # focus stays
    play.click()
    page.wait_for_function(f"(k) => ({_FRAME_JS})() === k", arg=last, timeout=LONG, polling=50)
    expect(slider).to_have_value(str(last))


def test_a_resize_during_play_draws_each_column_once(app_server, shared_page):
    """The window is resized while Play runs (wider than the controls' cap: no new layout): the
    controls see the resize, and still every column is drawn once, in order, ending on the last."""
    page = shared_page
    page.set_viewport_size({"width": 2400, "height": 900})
    page.goto(f"{app_server}/?a=89&b=44&lang=en")
    wait_for_streamlit(page, timeout=90)
    _settle(page)
    page.wait_for_function(f"() => ({_ANIM_JS})()?._transitionData._frames.length === 8", timeout=LONG)
    slider = page.locator('.anim-controls input[type="range"]')
    slider.focus()
    page.keyboard.press("Home")
    page.wait_for_function(f"() => ({_FRAME_JS})() === 0", timeout=LONG)
    page.evaluate(f"""() => {{ window.__columns = [];
        ({_ANIM_JS})().on('plotly_animatingframe', e => window.__columns.push(e.name)); }}""")
    page.locator(".anim-controls .anim-play").click()
    page.wait_for_function("() => window.__columns.includes('1')", timeout=LONG, polling=50)
    page.set_viewport_size({"width": 2440, "height": 900})
    page.wait_for_function("() => window.__columns.includes('7')", timeout=LONG, polling=50)
    page.wait_for_timeout(1000)  # longer than a frame and the controls' 200 ms: nothing more is drawn
    assert page.evaluate("() => window.__columns") == [str(k) for k in range(8)]
    assert _frame(page) == 7
    expect(slider).to_have_value("7")


def test_new_operands_show_the_whole_sum(app_server, shared_page):
    """A new figure (new operands) starts at its last column, and the controls follow it."""
    page = shared_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{app_server}/?a=89&b=44&lang=zh")
    wait_for_streamlit(page, timeout=90)
    _settle(page)  # a phone's width is reported after the first runs: the figure is rebuilt for it
    slider = page.locator('.anim-controls input[type="range"]')
    expect(slider).to_have_value("7", timeout=LONG)
    slider.focus()
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    expect(slider).to_have_value("6")
    box = page.get_by_label("a", exact=True)
    with expect_rerun(page, timeout=60):
        box.fill("100")
        box.press("Enter")
    expect(slider).to_have_value("7", timeout=LONG)
    page.wait_for_function(f"() => ({_FRAME_JS})() === 7", timeout=LONG)
    expect(page.locator(".anim-controls .anim-play")).to_have_text("▶ 播放")

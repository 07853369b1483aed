"""End to end in a real browser: train to 100 %, animate the carry for 200 + 55, switch to Chinese."""

import re

import pytest
from browser import Runs, expect_rerun, wait_for_streamlit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LONG = 120_000  # ms; the machine is shared, so waits are generous (conditions, never sleeps)

# The plotly divs: the learning curve (in the live panel while training, else the plotly chart
# without frames) and the carry animation (the one with frames; its controls are HTML after it).
CURVE_JS = """() => {
    const live = document.querySelector('.live-panel:not([hidden]) .live-chart.js-plotly-plot');
    return live && live._fullLayout ? live : [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
        .find(gd => gd._fullLayout && !(gd._transitionData && gd._transitionData._frames.length));
}"""
ANIM_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .find(gd => gd._fullLayout && gd._transitionData && gd._transitionData._frames.length)"""
# the column on screen: column k shows k + 1 bits of the network's answer (trace 6)
COLUMN_JS = f"() => {{ const gd = ({ANIM_JS})(); return gd ? gd._fullData[6].x.length - 1 : -1; }}"


def _curve_points(page) -> int:
    return page.evaluate(f"() => {{ const gd = ({CURVE_JS})(); return gd ? gd._fullData[0].x.length : -1; }}")


def _set_slider(page, label: str, value: int) -> None:
    """Move a sidebar slider to `value` with the keyboard (one rerun per key press)."""
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text=label).locator('input[type="range"]')
    while int(thumb.input_value()) != value:
        key = "ArrowRight" if int(thumb.input_value()) < value else "ArrowLeft"
        with expect_rerun(page, timeout=60):
            thumb.focus()
            thumb.press(key)


def _type_operand(page, name: str, text: str) -> None:
    box = page.get_by_label(name, exact=True)
    with expect_rerun(page, timeout=60):
        box.fill(text)
        box.press("Enter")


def test_train_animate_and_switch_language(app_server, page, screenshot_dir):
    page.set_viewport_size({"width": 1280, "height": 760})
    page.goto(app_server)
    wait_for_streamlit(page, timeout=90)
    expect(page.get_by_role("heading", name="Teach an RNN to add")).to_be_visible()
    page.screenshot(path=screenshot_dir / "train-0-open.png")

    _set_slider(page, "Bits", 8)

    # Train: the curve grows while the loop runs, then the page reports 100 % and stops by itself
    page.get_by_role("button", name="Train").click()
    page.wait_for_function(f"() => {{ const gd = ({CURVE_JS})(); return gd && gd._fullData[0].x.length >= 2; }}",
                           timeout=LONG)  # fmt: skip
    first = _curve_points(page)
    solved_js = "[...document.querySelectorAll('[data-testid=\"stAlertContentSuccess\"]')].some(e => e.textContent.includes('Solved'))"
    page.wait_for_function(  # it grows, unless the run solved right away (a fast machine)
        f"(n) => {{ const gd = ({CURVE_JS})(); return (gd && gd._fullData[0].x.length > n) || {solved_js}; }}",
        arg=first, timeout=LONG,
    )  # fmt: skip
    page.screenshot(path=screenshot_dir / "train-1-training.png")
    solved = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Solved at step")
    expect(solved).to_be_visible(timeout=60_000)  # the default config reaches 100 % within 60 s
    wait_for_streamlit(page, timeout=60)
    expect(page.locator(".live-metric").filter(has_text="Exact accuracy")).to_contain_text("100.0 %")
    expect(page.get_by_role("button", name="Pause", exact=True)).to_be_disabled()  # not the animation's

    # operands: the binary form is shown beside each input
    _type_operand(page, "a", "200")
    _type_operand(page, "b", "55")
    expect(page.get_by_text("0b11001000")).to_be_visible()
    expect(page.get_by_text("0b00110111")).to_be_visible()

    # Play: the frames advance from the first to the last timestep (T = 9 columns at 8 bits)
    page.wait_for_function(f"() => ({COLUMN_JS})() === 8", timeout=LONG)
    page.locator(".anim-controls .anim-play").click()
    page.wait_for_function(f"() => ({COLUMN_JS})() < 8", timeout=LONG, polling=50)
    page.wait_for_function(f"() => ({COLUMN_JS})() === 8", timeout=LONG, polling=50)
    expect(page.locator('.anim-controls input[type="range"]')).to_have_value("8")
    frames = page.evaluate(f"() => ({ANIM_JS})()._transitionData._frames.length")
    assert frames == 9
    result = page.locator('[data-testid="stMarkdown"]').filter(has_text="True sum")
    expect(result).to_contain_text("255")
    expect(result).to_contain_text("0b011111111")
    expect(result).to_contain_text("right")
    page.mouse.move(5, 5)  # no hover label in the screenshot
    page.screenshot(path=screenshot_dir / "train-2-solved-animated.png")

    # 中文: every label switches, training is kept
    with expect_rerun(page, timeout=60):
        page.locator('[data-testid="stSidebar"]').get_by_text("简体中文", exact=True).click()
    for label in ("训练", "暂停", "单步", "重置"):
        expect(page.get_by_role("button", name=label, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="教 RNN 学会加法")).to_be_visible()
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="步解决")).to_be_visible()
    expect(page.get_by_text("隐藏层大小")).to_be_visible()
    page.screenshot(path=screenshot_dir / "train-3-chinese.png")


def test_chinese_browser_opens_in_chinese_and_keeps_its_language(app_server, browser, screenshot_dir):
    """A browser set to Chinese opens the page in 简体中文 (no toggle needed); clicking the language
    already chosen keeps it (it used to deselect it and raise an error)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = context.new_page()
    Runs(page)
    try:
        page.goto(app_server)
        expect(page.get_by_role("heading", name="教 RNN 学会加法")).to_be_visible(timeout=LONG)
        expect(page.get_by_text("隐藏层大小")).to_be_visible(timeout=LONG)  # the second step, in Chinese too
        wait_for_streamlit(page, timeout=90)
        for label in ("训练", "暂停", "单步", "重置"):
            expect(page.get_by_role("button", name=label, exact=True)).to_be_visible()
        assert page.evaluate("() => document.documentElement.lang") == "zh-CN"  # for screen readers
        page.screenshot(path=screenshot_dir / "train-5-chinese-browser.png")
        toggle = page.locator('[data-testid="stSidebar"]')
        toggle.get_by_text("简体中文", exact=True).click()  # the chosen one: nothing changes
        with expect_rerun(page, timeout=60):  # reruns run in order: whatever that click did shows by now
            page.get_by_role("button", name="单步", exact=True).click()
        expect(page.get_by_role("heading", name="教 RNN 学会加法")).to_be_visible()
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        with expect_rerun(page, timeout=60):
            toggle.get_by_text("English", exact=True).click()
        expect(page.get_by_role("heading", name="Teach an RNN to add")).to_be_visible()
        assert page.evaluate("() => document.documentElement.lang") == "en"
    finally:
        context.close()


def _luminance(css_colour: str) -> float:
    """Relative brightness 0..1 of a computed CSS colour like 'rgb(14, 17, 23)'."""
    r, g, b = (float(v) for v in re.findall(r"[\d.]+", css_colour)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_dark_mode_follows_the_viewers_system_setting(app_server, browser, screenshot_dir):
    """A viewer whose system is dark gets the dark theme: dark page, light text, and both charts
    drawn with light tick labels (Streamlit themes them), not dark text on a dark page."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, color_scheme="dark")
    page = context.new_page()
    Runs(page)
    try:
        page.goto(app_server)
        wait_for_streamlit(page, timeout=90)
        page.wait_for_function(f"() => {{ const gd = ({ANIM_JS})(); return gd && gd.querySelector('.main-svg'); }}",
                               timeout=LONG)  # fmt: skip  # both charts drawn (the animation comes second)
        expect(page.get_by_label("a", exact=True)).to_be_visible()  # and the widgets of the second step
        expect(page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]').first).to_be_visible()
        app_bg = page.evaluate("() => getComputedStyle(document.querySelector('.stApp')).backgroundColor")
        title = page.evaluate("() => getComputedStyle(document.querySelector('h1')).color")
        assert _luminance(app_bg) < 0.25 and _luminance(title) > 0.75, (app_bg, title)
        # the carry animation's row labels (y ticks) and the learning curve's steps (x ticks)
        for ticks in ('[data-testid="stPlotlyChart"] .ytick text', '[data-testid="stPlotlyChart"] .xtick text'):
            fills = page.evaluate("(sel) => [...document.querySelectorAll(sel)].map(t => getComputedStyle(t).fill)",
                                  ticks)  # fmt: skip
            assert fills and all(_luminance(c) > 0.4 for c in fills), (ticks, fills)
        page.screenshot(path=screenshot_dir / "train-4-dark.png")
    finally:
        context.close()

"""The Inside page in a real browser: reached from the sidebar, the first two sections drawn at once
and sections 3-6 once opened (a click or the keyboard), every chart, the solve button, the
hand-wired network, both languages. Screenshots go to screenshot_dir."""

import pytest
from browser import expect_rerun, open_inside_sections, wait_for_streamlit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TIMEOUT = 120  # seconds; the machine is shared, first loads are slow
PLOT = ".js-plotly-plot"


def plots_drawn(page) -> int:
    """Number of plotly charts that have data drawn (an SVG with traces or a heatmap image)."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].filter(
               gd => gd._fullData && gd._fullData.length > 0 && gd.querySelector('.main-svg')).length""",
        PLOT,
    )


def full_screenshot(page, path) -> None:
    """The whole page: Streamlit scrolls inside its main container, so the viewport is stretched to
    the content's height for the shot (then restored)."""
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(...['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]', 'body']
               .map(s => document.querySelector(s)).filter(Boolean).map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(500)  # let plotly redraw at the new size (no condition to wait for)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def assert_every_chart_visible(page, at_least: int) -> None:
    page.wait_for_function(f"(n) => document.querySelectorAll('{PLOT}').length >= n", arg=at_least,
                           timeout=TIMEOUT * 1000)  # fmt: skip
    plots = page.locator(PLOT)
    for i in range(plots.count()):
        plot = plots.nth(i)
        if not plot.is_visible():  # inside a hidden tab
            continue
        plot.scroll_into_view_if_needed()
        box = plot.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 150, f"chart {i} is too small: {box}"
    page.wait_for_function("([sel, n]) => [...document.querySelectorAll(sel)].filter(gd => gd._fullData"
                           " && gd._fullData.length > 0).length >= n", arg=[PLOT, at_least],
                           timeout=TIMEOUT * 1000)  # fmt: skip
    assert plots_drawn(page) >= at_least


def test_inside_page_end_to_end(app_server, page, screenshot_dir):
    page.set_default_timeout(TIMEOUT * 1000)
    page.goto(app_server)
    wait_for_streamlit(page, timeout=TIMEOUT)
    with expect_rerun(page, timeout=TIMEOUT):
        page.get_by_role("link", name="Inside the network").click()
    assert page.url.rstrip("/").endswith("/inside")
    page.get_by_role("heading", name="Inside the network").wait_for()
    for k, title in enumerate(["Hidden state over time", "Carry neurons", "The automaton inside",
                               "Gradients through time", "How far does it generalise?", "Weights",
                               "Wire it by hand"], start=1):  # fmt: skip
        assert page.get_by_role("heading", name=f"{k} · {title}").count() == 1

    # the viewer's network is untrained: one click trains it until it adds
    with expect_rerun(page, timeout=TIMEOUT):
        page.get_by_role("button", name="Train until it adds").click()
    page.get_by_text("Solved after").wait_for()
    assert page.get_by_role("button", name="Train until it adds").count() == 0
    assert_every_chart_visible(page, 2)  # sections 1 and 2; 3-6 are closed
    open_inside_sections(page, timeout=TIMEOUT)
    assert_every_chart_visible(page, 6)
    assert page.locator(".katex").count() >= 1  # the BPTT equations

    # the comparison with fresh networks adds four curves to the gradient chart
    with expect_rerun(page, timeout=TIMEOUT):
        page.get_by_text("Compare with fresh networks").click()
    n_curves = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('.js-plotly-plot')].map(gd => "
        "gd.layout.yaxis && gd.layout.yaxis.type === 'log' ? gd._fullData.length : 0))"
    )
    assert n_curves == 5

    # one click trains an RNN, a GRU and an LSTM at 8 bits and draws their length curves
    with expect_rerun(page, timeout=TIMEOUT):
        page.get_by_role("button", name="Compare RNN, GRU and LSTM").click()
    page.get_by_text("LSTM:").wait_for()
    names = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => gd._fullData.map(d => d.name).join(','))"
    )
    assert "RNN,GRU,LSTM" in names

    with expect_rerun(page, timeout=TIMEOUT):
        page.get_by_role("button", name="Load the hand-wired network").click()
    page.get_by_text("exact at 64 bits").wait_for()
    assert_every_chart_visible(page, 9)
    full_screenshot(page, screenshot_dir / "inside_en.png")

    # Chinese: the same page, the sections opened still open, every one drawn
    with expect_rerun(page, timeout=TIMEOUT):
        page.get_by_text("简体中文").click()
    page.get_by_role("heading", name="网络内部").wait_for()
    page.get_by_role("heading", name="1 · 隐藏状态随时间的变化").wait_for()
    assert_every_chart_visible(page, 8)
    full_screenshot(page, screenshot_dir / "inside_zh.png")


def test_inside_page_by_url(app_server, page, screenshot_dir):
    """Opened directly (a student following a link): renders with an untrained network, no error;
    the first two sections drawn, 3-6 closed with their titles and intros."""
    page.set_default_timeout(TIMEOUT * 1000)
    page.goto(app_server + "/inside")
    wait_for_streamlit(page, timeout=TIMEOUT)
    page.get_by_role("heading", name="Inside the network").wait_for()
    page.get_by_role("button", name="Train until it adds").wait_for()
    assert_every_chart_visible(page, 2)
    page.get_by_role("heading", name="6 · Weights").wait_for()
    assert page.locator(PLOT).count() == 2 and page.locator("details[open]").count() == 0
    full_screenshot(page, screenshot_dir / "inside_untrained.png")


def test_a_section_opens_and_closes_by_keyboard(app_server, page, screenshot_dir):
    """Enter on a closed section's summary opens it (its chart computed then), focus stays on the
    summary, Enter again closes it; the section stays open across a page switch and 中文."""
    page.set_default_timeout(TIMEOUT * 1000)
    page.goto(app_server + "/inside")
    wait_for_streamlit(page, timeout=TIMEOUT)
    summary = page.locator("summary", has_text="Show the accuracy from 4 to 64 bits")
    summary.focus()
    with expect_rerun(page, timeout=TIMEOUT):
        page.keyboard.press("Enter")
    assert_every_chart_visible(page, 3)
    assert page.locator("details[open]").count() == 1
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    assert "4 to 64 bits" in page.evaluate("() => document.activeElement.textContent")
    full_screenshot(page, screenshot_dir / "inside_one_open.png")
    with expect_rerun(page, timeout=TIMEOUT):
        page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('{PLOT}').length === 2")
    expect(page.locator("details[open]")).to_have_count(0)  # once its closing animation is over
    with expect_rerun(page, timeout=TIMEOUT):
        page.keyboard.press("Enter")  # open again, then away and back, then in Chinese
    with expect_rerun(page, timeout=TIMEOUT):
        page.get_by_role("link", name="Train").first.click()
    with expect_rerun(page, timeout=TIMEOUT):
        page.get_by_role("link", name="Inside the network").click()
    assert_every_chart_visible(page, 3)
    with expect_rerun(page, timeout=TIMEOUT):
        page.get_by_text("简体中文").click()
    page.get_by_role("heading", name="5 · 它能推广到多长？").wait_for()
    assert_every_chart_visible(page, 3)
    assert page.locator("details[open] summary", has_text="显示 4 到 64 位的正确率").count() == 1
    full_screenshot(page, screenshot_dir / "inside_one_open_zh.png")

"""The Inside page in a real browser: reached from the sidebar, every section's chart drawn, the
solve button, the hand-wired network, both languages. Screenshots go to screenshot_dir."""

import pytest
from browser import expect_rerun, wait_for_streamlit

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

    # Chinese: the same page, every section still drawn
    with expect_rerun(page, timeout=TIMEOUT):
        page.get_by_text("简体中文").click()
    page.get_by_role("heading", name="网络内部").wait_for()
    page.get_by_role("heading", name="1 · 隐藏状态随时间的变化").wait_for()
    assert_every_chart_visible(page, 8)
    full_screenshot(page, screenshot_dir / "inside_zh.png")


def test_inside_page_by_url(app_server, page, screenshot_dir):
    """Opened directly (a student following a link): renders with an untrained network, no error."""
    page.set_default_timeout(TIMEOUT * 1000)
    page.goto(app_server + "/inside")
    wait_for_streamlit(page, timeout=TIMEOUT)
    page.get_by_role("heading", name="Inside the network").wait_for()
    page.get_by_role("button", name="Train until it adds").wait_for()
    assert_every_chart_visible(page, 6)
    full_screenshot(page, screenshot_dir / "inside_untrained.png")

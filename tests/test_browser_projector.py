"""Projector mode in Chromium at 1280x720, light and dark themes: body text >= 20 px, every chart
text >= 16 px and >= 4.5:1 against the page's background; a teacher's link hides settings."""

import pytest
from browser import settled, wait_for_streamlit

from rnn_app.ui.plotting import PROJECTOR_FONT, contrast

pytestmark = pytest.mark.browser

# Every visible text of the plotly charts: its rendered size and fill colour, and whether it sits
# on a cell or marker of its own (then its background is that, not the page).
CHART_TEXT_JS = """() => [...document.querySelectorAll('.js-plotly-plot .main-svg text')]
    .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map(t => { const s = getComputedStyle(t);
                return {text: t.textContent.trim().slice(0, 20), size: parseFloat(s.fontSize), fill: s.fill,
                        onMarker: !!t.closest('.heatmap-label')  // on its cell: plotly picks black or white
                                  || (!!t.closest('.textpoint') && !!t.closest('.trace')?.querySelector('.point'))}; })"""
BODY_TEXT_JS = """() => [...document.querySelectorAll('[data-testid="stMarkdownContainer"] p, [data-testid="stWidgetLabel"] p, .live-metric-label, .setup-in-use, [data-testid="stBaseButton-secondary"] p')]
    .filter(p => p.textContent.trim() && p.getBoundingClientRect().width > 0)
    .map(p => ({text: p.textContent.trim().slice(0, 30), size: parseFloat(getComputedStyle(p).fontSize)}))"""
APP_BG_JS = "() => getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"


def _hex(css: str) -> str:
    """'rgb(r, g, b)' -> '#rrggbb'."""
    r, g, b = (int(float(v)) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "inside", "digits"])  # "": the Train page (the default)
def test_projector_mode_is_readable(browser, app_server, screenshot_dir, scheme, path):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(f"{app_server}/{path}?projector=1")
        wait_for_streamlit(page, timeout=120)
        settled(page, timeout=120, load=True)
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg text').length > 3",
                               timeout=120_000)
        page.screenshot(path=screenshot_dir / f"projector-{path or 'train'}-{scheme}.png")
        assert not page.get_by_text("Page not found").count()
        bg = _hex(page.evaluate(APP_BG_JS))
        assert (scheme == "dark") == (contrast(bg, "#000000") < contrast(bg, "#ffffff"))  # the theme followed the browser

        body = page.evaluate(BODY_TEXT_JS)
        assert body, "no body text found"
        small = [b for b in body if b["size"] < 20 - 0.01]
        assert not small, small[:8]

        texts = page.evaluate(CHART_TEXT_JS)
        assert len(texts) > 5
        tiny = [x for x in texts if x["size"] < PROJECTOR_FONT - 0.01]
        assert not tiny, tiny[:8]
        faint = [x for x in texts if not x["onMarker"] and contrast(_hex(x["fill"]), bg) < 4.5]
        assert not faint, (bg, faint[:8])
    finally:
        context.close()


def test_a_teachers_link_hides_settings(page, app_server, screenshot_dir):
    page.goto(f"{app_server}/?hide=lr,optimizer,more&lr=0.03&lang=zh")
    wait_for_streamlit(page, timeout=120)
    settled(page, timeout=120, load=True)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("隐藏层大小").count() >= 1  # still there
    assert sidebar.get_by_text("学习率", exact=True).count() == 0
    assert sidebar.get_by_text("优化器", exact=True).count() == 0
    assert page.locator(".setup-in-use").inner_text().count("0.03") == 1
    assert "hide=lr%2Coptimizer%2Cmore" in page.url or "hide=lr,optimizer,more" in page.url
    page.screenshot(path=screenshot_dir / "teacher-view-zh.png")

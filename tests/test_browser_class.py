"""Class mode in a real browser: a teacher and three students in four browser contexts (one in
Chinese). Join by link and by code, runs on the board, follow me reaching every student, a sweep
handing out distinct values and filling its chart, and a student who forges a teacher key."""

from __future__ import annotations

import json

import pytest
from browser import Runs, in_use, settled
from playwright.sync_api import expect
from test_browser_state import button

from rnn_app.ui.strings import t

pytestmark = pytest.mark.browser

LONG = 120.0
BOARD_METRICS = '[data-testid="stMetricValue"]'


def open_page(browser, url: str, locale: str = "en-US", height: int = 720):
    ctx = browser.new_context(viewport={"width": 1280, "height": height}, locale=locale)
    page = ctx.new_page()
    Runs(page)
    with settled(page, timeout=LONG, load=True, waits=True):
        page.goto(url)
    return ctx, page


def press(page, key: str, lang: str) -> None:
    target = button(page, key, lang)
    with settled(page, optional=True, waits=True):
        if target.is_enabled():
            target.click()


def board_counts(page) -> list[int]:
    return [int(x) for x in page.locator(BOARD_METRICS).all_inner_texts()[:3]]


def wait_for_board(page, joined: int, solved: int | None = None) -> None:
    js = f"""() => {{ const v = [...document.querySelectorAll('{BOARD_METRICS}')].map(e => Number(e.textContent));
        return v[0] === {joined} && ({solved is None} || v[2] >= {solved or 0}); }}"""
    page.wait_for_function(js.replace("True", "true").replace("False", "false"), timeout=LONG * 1000)


def test_a_teacher_and_three_students(app_server, browser, screenshot_dir):
    contexts = []
    try:
        ctx, teacher = open_page(browser, app_server + "/class", height=1400)
        contexts.append(ctx)
        with settled(teacher, waits=True):
            teacher.get_by_role("button", name=t("class.start")).click()
        code = teacher.locator(".class-code").inner_text()
        assert len(code) == 6 and teacher.get_by_role("img").count() >= 1  # the QR code

        students = []
        ctx, by_link = open_page(browser, f"{app_server}/class?join={code}")  # the link (the QR code's)
        contexts.append(ctx)
        expect(by_link.get_by_text("You joined")).to_be_visible()
        with settled(by_link, waits=True):
            by_link.locator('[data-testid="stMain"]').get_by_role("link", name=t("class.go_train")).click()
        students.append((by_link, "en"))
        ctx, by_code = open_page(browser, app_server + "/class", locale="zh-CN")  # typed, in Chinese
        contexts.append(ctx)
        by_code.get_by_label(t("class.join.code", "zh"), exact=True).fill(f"{code[:3].lower()}-{code[3:].lower()}")
        with settled(by_code, waits=True):
            button(by_code, "class.join.button", "zh").click()
        expect(by_code.get_by_text("你已加入课堂")).to_be_visible()
        with settled(by_code, waits=True):
            by_code.locator('[data-testid="stMain"]').get_by_role("link", name=t("class.go_train", "zh")).click()
        students.append((by_code, "zh"))
        ctx, on_train = open_page(browser, f"{app_server}/?join={code}")  # the Train page's own link
        contexts.append(ctx)
        students.append((on_train, "en"))
        for page, lang in students:
            expect(page.get_by_text(code)).to_be_visible()  # the class banner
            press(page, "train.button.train", lang)
        wait_for_board(teacher, joined=3, solved=3)  # every run on the board, solved

        # follow me: the teacher's own setup (a wider network), suggested to everyone
        with settled(teacher, waits=True):
            teacher.get_by_role("link", name=t("nav.train")).click()
        thumb = teacher.locator('[data-testid="stSidebar"] [data-stale="false"] input[type="range"][aria-label="Hidden size"]')
        with settled(teacher):
            thumb.focus()
            thumb.press("ArrowRight")
        with settled(teacher, waits=True):
            teacher.get_by_role("link", name=t("nav.class")).click()
        with settled(teacher, waits=True):
            teacher.get_by_role("button", name=t("class.push.button")).click()
        for page, lang in students:
            expect(page.get_by_text(t("class.pushed", lang, setup="")[:10])).to_be_visible(timeout=10_000)
        with settled(students[0][0], waits=True):
            button(students[0][0], "class.pushed.apply", "en").click()
        with settled(students[1][0], waits=True):
            button(students[1][0], "class.pushed.keep", "zh").click()
        assert in_use(students[0][0])["hidden"] == 13 and in_use(students[1][0])["hidden"] == 12

        # the class as an experiment: three learning rates, one each
        teacher.get_by_text(t("class.sweep.title")).click()
        for label, value in ((t("class.sweep.from"), "0.01"), (t("class.sweep.to"), "0.3"), (t("class.sweep.points"), "3")):
            box = teacher.get_by_label(label, exact=True)
            with settled(teacher, waits=True):
                box.fill(value)
                box.press("Enter")
        with settled(teacher, waits=True):
            teacher.get_by_role("button", name=t("class.sweep.button")).click()
        for page, lang in students:
            expect(page.get_by_text(t("class.assigned", lang, field="", value="")[:12])).to_be_visible(timeout=10_000)
        rates = sorted(in_use(page)["lr"] for page, _ in students)
        assert rates == [0.01, 0.055, 0.3]  # distinct values of the grid
        for page, lang in students:
            press(page, "train.button.train", lang)
        sweep = """() => [...document.querySelectorAll('.js-plotly-plot')].find(gd => gd.layout && gd.layout.title
            && String(gd.layout.title.text).includes('experiment'))"""
        teacher.wait_for_function(f"() => {{ const gd = ({sweep})(); return gd && gd._fullData[1].x.length === 3; }}",
                                  timeout=LONG * 1000)  # fmt: skip
        teacher.locator(".js-plotly-plot").last.scroll_into_view_if_needed()
        teacher.screenshot(path=screenshot_dir / "class-board.png", full_page=True)

        # a student who forges a teacher key is still a student: no Follow me for them
        page = students[2][0]
        page.evaluate(f"() => localStorage.setItem('rnn-lab-teacher', {json.dumps(json.dumps({'code': code, 'key': '0' * 64}))})")
        with settled(page, timeout=LONG, load=True, waits=True):
            page.goto(app_server + "/class")
        expect(page.get_by_role("button", name=t("class.push.button"))).to_have_count(0)
        expect(page.get_by_text(t("class.banner", code=code, name="")[:8])).to_be_visible()
    finally:
        for ctx in contexts:
            ctx.close()

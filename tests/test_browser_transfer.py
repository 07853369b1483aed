"""Export and import in a real browser: the model downloaded from one browser trains on in another,
bit for bit; bad files are explained next to the uploader and change nothing."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
from browser import Runs, in_use, settled
from playwright.sync_api import expect
from test_browser_state import press

from rnn_app.ui.strings import t

pytestmark = pytest.mark.browser

LONG = 120.0


def open_page(browser, url: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    Runs(page)
    with settled(page, timeout=LONG, load=True):
        page.goto(url)
    page.locator('[data-testid="stSidebar"] summary').filter(has_text=t("transfer.title")).click()
    return ctx, page


def metric(page, k: int) -> str:
    return page.locator(".live-metric-value").nth(k).inner_text()


def upload(page, path) -> None:
    with settled(page):
        page.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(path))


def bad_files(folder, good: bytes) -> dict:
    """name -> path of files the loader must refuse."""
    files = {"truncated.npz": good[: len(good) // 2]}
    buffer = io.BytesIO()
    np.savez(buffer, weights=np.zeros(3))
    files["wrong-keys.npz"] = buffer.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as z, zipfile.ZipFile(buffer, "w") as out:
        for name in z.namelist():
            data = z.read(name)
            if name == "param/Wh1.npy":  # the same key with the wrong shape
                one = io.BytesIO()
                np.save(one, np.zeros((3, 3), np.float32))
                data = one.getvalue()
            out.writestr(name, data)
    files["wrong-shape.npz"] = buffer.getvalue()
    buffer = io.BytesIO()
    np.savez(buffer, config=np.array([{"cell": "rnn"}], dtype=object))
    files["object-array.npz"] = buffer.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z, z.open("config.npy", "w", force_zip64=True) as f:
        chunk = bytes(1 << 20)
        for _ in range(300):  # 300 MB of zeros, a few hundred KB compressed
            f.write(chunk)
    files["zip-bomb.npz"] = buffer.getvalue()
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


def test_a_model_moves_between_browsers_and_bad_files_change_nothing(app_server, browser, tmp_path, screenshot_dir):
    ctx, page = open_page(browser, app_server)
    other_ctx, other = open_page(browser, app_server)
    try:
        for _ in range(4):
            press(page, "train.button.step", "en")
        with page.expect_download() as info:
            page.get_by_role("button", name=t("transfer.model")).click()
        model = tmp_path / "model.npz"
        info.value.save_as(model)
        with page.expect_download() as info:
            page.get_by_role("button", name=t("transfer.curve")).click()
        curve = (tmp_path / "curve.csv")
        info.value.save_as(curve)
        assert curve.read_text().splitlines()[0] == "step,loss,exact_accuracy,bit_accuracy"
        assert len(curve.read_text().splitlines()) == 5  # four steps

        upload(other, model)
        expect(other.get_by_text("Loaded: the uploaded network, at step 4")).to_be_visible()
        assert metric(other, 0) == "4" and in_use(other) == in_use(page)
        press(page, "train.button.step", "en")
        press(other, "train.button.step", "en")
        assert metric(other, 2) == metric(page, 2)  # the same loss at step 5: the same weights, optimiser, data

        before = (metric(other, 0), metric(other, 2))
        for name, path in bad_files(tmp_path, model.read_bytes()).items():
            upload(other, path)
            error = other.locator('[data-testid="stSidebar"] [data-testid="stAlertContentError"]')
            expect(error).to_contain_text("This file was not used, your network is as it was")
            assert (metric(other, 0), metric(other, 2)) == before, name
        other.screenshot(path=screenshot_dir / "transfer-refused.png")

        huge = tmp_path / "huge.npz"
        with open(huge, "wb") as f:  # 200 MB: the uploader itself refuses it
            f.truncate(200 << 20)
        other.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(huge))
        expect(other.get_by_text("16.0MB or smaller", exact=False)).to_be_visible()
        assert (metric(other, 0), metric(other, 2)) == before
    finally:
        ctx.close()
        other_ctx.close()

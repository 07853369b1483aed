"""The Digits page in AppTest (both languages) and its view logic."""

import gzip
import json
import struct
from unittest import mock

import numpy as np
import pytest
from apptest import open_app, widget
from live_metrics import live_metrics
from streamlit.testing.v1 import AppTest

from rnn.classifier import ClassifierConfig
from rnn_app.digits import views
from rnn_app.digits.link import link_params, read_link
from rnn_app.digits.state import DEFAULT_INDEX, DigitsState, matching_preset


def open_page(lang: str = "en") -> AppTest:
    return open_app("digits", timeout=120, lang=lang)


def charts(at: AppTest) -> list[dict]:
    """Every plotly figure on the page, as JSON (frames included)."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def trainer(at: AppTest):
    return at.session_state["digits"].run.trainer


@pytest.mark.parametrize(
    "lang, title, train, metric",
    [("en", "Digits, row by row", "Train", "Test accuracy"), ("zh", "逐行读数字", "训练", "测试正确率")],
)
def test_page_renders_in_both_languages(lang, title, train, metric):
    at = open_page(lang)
    assert at.title[0].value == title
    assert at.button(key="digits.button.train").label == train
    assert live_metrics(at)[metric].endswith("%")
    figs = charts(at)
    anim = next(f for f in figs if f.get("frames"))
    assert len(anim["frames"]) == 8  # one frame per row of the 8x8 image
    idx = widget(at, "digits.index").value
    assert idx == DEFAULT_INDEX
    captions = " ".join(c.value for c in at.caption)
    assert "Alpaydin" in captions and "CC BY 4.0" in captions
    assert any(len(f["data"]) == 3 and f["data"][2].get("customdata") is not None for f in figs)  # confusion


def test_step_train_and_reset():
    at = open_page()
    at.button(key="digits.button.step").click().run()
    assert trainer(at).steps == 1
    at.session_state["digits"].loop.max_updates = 3  # bound the live loop (AppTest never leaves it on its own)
    at.button(key="digits.button.train").click().run()
    assert not at.exception
    tr = trainer(at)
    assert tr.steps > 1 and not at.session_state["digits"].run.running
    assert int(live_metrics(at)["Step"].replace(",", "")) == tr.steps
    assert len(tr.history.eval_series()[0]) >= 1
    at.button(key="digits.button.reset").click().run()
    assert trainer(at).steps == 0


def test_tensorflow_preset_is_one_choice_away():
    at = open_page("zh")
    widget(at, "digits.preset.*").set_value("tensorflow").run()
    assert not at.exception
    cfg = trainer(at).cfg
    assert (cfg.cell, cfg.hidden, cfg.layers, cfg.lr, cfg.batch, cfg.clip) == ("lstm", 256, 1, 0.001, 128, 0.0)
    widget(at, "digits.preset.*").set_value("default").run()
    assert trainer(at).cfg == ClassifierConfig()


def test_learning_rate_change_keeps_the_weights():
    at = open_page()
    at.button(key="digits.button.step").click().run()
    w = trainer(at).model.flat.copy()
    widget(at, "digits.w.lr").set_value(0.003).run()
    assert trainer(at).cfg.lr == 0.003 and trainer(at).steps == 1
    assert np.array_equal(trainer(at).model.flat, w)
    widget(at, "digits.w.hidden").set_value(32).run()
    assert trainer(at).cfg.hidden == 32 and trainer(at).steps == 0  # a new model


def test_next_mistake_and_confusion_cell_pick():
    at = open_page()
    tr = trainer(at)
    tr.step(40)
    at.run()
    ev = tr.evaluate()
    wrong = np.flatnonzero(ev.predicted != tr.data.test_labels)
    assert wrong.size  # 40 steps: far from perfect
    at.button[[b.label for b in at.button].index("Next mistake")].click().run()
    assert widget(at, "digits.index").value in set(wrong.tolist())
    cells = views.mistake_cells(ev.confusion)
    widget(at, "digits.mistake").set_value(cells[-1]).run()
    i, j = map(int, cells[-1].split(","))
    shown = widget(at, "digits.index").value
    assert tr.data.test_labels[shown] == i and ev.predicted[shown] == j


def _idx(a: np.ndarray) -> bytes:
    return bytes([0, 0, 8, a.ndim]) + struct.pack(f">{a.ndim}I", *a.shape) + a.astype(np.uint8).tobytes()


def test_mnist_folder_loads_and_bad_folder_is_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_LAB_LOCAL_FOLDERS", "1")  # a local install: the folder box is there
    at = open_page()
    at.button(key="digits.button.step").click().run()
    widget(at, "digits.folder").set_value(str(tmp_path / "missing")).run()
    at.button[[b.label for b in at.button].index("Load folder")].click().run()
    assert not at.exception and any("Could not read MNIST" in e.value for e in at.error)
    assert trainer(at).steps == 1  # nothing trained is lost
    rng = np.random.default_rng(0)
    for name, a in {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (50, 12, 10)),
        "train-labels-idx1-ubyte": rng.integers(0, 10, 50),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (20, 12, 10)),
        "t10k-labels-idx1-ubyte.gz": rng.integers(0, 10, 20),
    }.items():
        raw = _idx(a)
        (tmp_path / name).write_bytes(gzip.compress(raw) if name.endswith(".gz") else raw)
    widget(at, "digits.folder").set_value(str(tmp_path)).run()
    at.button[[b.label for b in at.button].index("Load folder")].click().run()
    assert not at.exception
    tr = trainer(at)
    assert tr.data.name == "mnist" and (tr.data.rows, tr.data.cols) == (12, 10) and tr.steps == 0
    anim = next(f for f in charts(at) if f.get("frames"))
    assert len(anim["frames"]) == 12  # now 12 rows per image
    at.button(key="digits.button.step").click().run()
    assert trainer(at).steps == 1


# ---- view logic without a page ------------------------------------------------------------------------


def test_mistake_cells_most_frequent_first():
    conf = np.diag(np.full(10, 9))
    conf[1, 7], conf[4, 9], conf[9, 4] = 1, 3, 2
    assert views.mistake_cells(conf) == ["4,9", "9,4", "1,7"]
    assert matching_preset(ClassifierConfig()) == "default"
    assert matching_preset(ClassifierConfig(hidden=16)) is None


def test_draw_section_waits_for_a_drawing():
    at = open_page("zh")
    widget(at, "digits.section").set_value("draw").run()
    assert not at.exception
    assert [i.value for i in at.info] == ["请在框里写一个数字。"]  # the canvas is empty in AppTest


def test_the_address_bar_follows_the_digits_setup_and_a_link_rebuilds_it():
    at = open_page()
    widget(at, "digits.preset.*").set_value("tensorflow").run()
    widget(at, "digits.w.seed").set_value(4).run()
    at.button(key="digits.next_wrong").click().run()
    state = at.session_state["digits"]
    assert dict(at.query_params) == {k: str(v) for k, v in link_params(state).items()}
    assert dict(at.query_params)["preset"] == "tensorflow" and dict(at.query_params)["seed"] == "4"
    other = open_app("digits", timeout=120, query=dict(at.query_params))  # opened on Train: not its link
    assert other.session_state["digits"].run.cfg == ClassifierConfig()
    fresh = DigitsState()  # a session opened on the Digits page with that link (and one bad value)
    with mock.patch("rnn_app.digits.link.landing_query", return_value={**dict(at.query_params), "hidden": "9999"}):
        read_link(fresh)
    assert fresh.run.cfg == state.run.cfg and fresh.index == state.index
    assert fresh.link_errors == ["hidden=9999 is out of range: Hidden size goes from 1 to 256."]

"""The Train page through Streamlit's AppTest (no browser): buttons, live loop, settings, languages."""

import json

import numpy as np
import pytest
from apptest import open_app, texts, widget
from live_metrics import live_figure, live_metric_help, live_metrics

from rnn import Config, Trainer
from rnn.run import Pacing
from rnn_app.train.state import TrainState
from rnn_app.ui.strings import t


def _open(lang=None, trainer=None, max_updates=None, **kw):
    state = TrainState()
    if trainer is not None:
        state.run.trainer = trainer
    state.loop.max_updates = max_updates
    extra = {"lang": lang} if lang else {}
    return open_app(train=state, **extra, **kw)


def _state(at) -> TrainState:
    return at.session_state["train"]


def _metric(at, label) -> str:
    return live_metrics(at)[label]


def _steps(at) -> int:
    return int(_metric(at, "Step").replace(",", ""))


def _click(at, name):
    at.button(key=f"train.button.{name}").click().run()
    assert not at.exception, at.exception


def _texts(at) -> str:
    return texts(at)


def test_page_runs_and_shows_everything():
    at = _open()
    assert [b.label for b in at.button] == ["Train", "Pause", "Step", "Reset"]
    assert list(live_metrics(at)) == ["Step", "Samples seen", "Loss", "Bit accuracy", "Exact accuracy", "Steps/s"]
    assert at.title[0].value == "Teach an RNN to add"
    assert [t.label for t in at.text_input] == ["a", "b"]
    assert _steps(at) == 0
    assert _state(at).run.running is False


def test_step_advances_and_reset_restores_initial_weights():
    at = _open()
    w0 = {k: v.copy() for k, v in _state(at).run.trainer.model.params.items()}
    _click(at, "step")
    _click(at, "step")
    assert _steps(at) == 2
    assert _metric(at, "Samples seen") == f"{2 * Config().batch:,}"
    _click(at, "reset")
    assert _steps(at) == 0
    for k, v in _state(at).run.trainer.model.params.items():
        assert np.array_equal(v, w0[k])


def test_train_runs_bounded_updates_then_pauses():
    at = _open(max_updates=3)
    _click(at, "train")
    assert _steps(at) > 0
    assert _state(at).run.running is False
    assert _metric(at, "Steps/s") != "–"


def _panels(at) -> list:
    return [el for el in at.get("bidi_component") if el.proto.component_name == "rnn_live_panel"]


def test_live_updates_reach_the_panel():
    at = _open(max_updates=3)
    widget(at, "train.speed").set_value(1).run()  # one step per update: not solved yet
    assert not _panels(at)  # idle: plain metrics and an interactive chart only
    _click(at, "train")
    assert _steps(at) == 3 and _state(at).run.trainer.steps == 3
    # training: one panel (mounted by the page's run), and the newest update it reads
    updates = [el for el in at.get("html") if 'class="live-panel-update"' in el.proto.body]
    assert len(_panels(at)) == 1 and len(updates) == 1
    fig = live_figure(at)
    assert len(fig["data"]) == 2 and fig["layout"]["yaxis"]["type"] == "log"
    assert fig["layout"]["xaxis"]["range"][1] >= 3
    _click(at, "step")  # paused: plain elements again, with the new step, and the panel switched off once
    assert [json.loads(p.proto.json)[0]["off"] for p in _panels(at)] == [True]
    assert _steps(at) == 4
    _click(at, "step")
    assert not _panels(at)
    assert live_figure(at)["layout"]["xaxis"]["range"][1] >= 4


def test_training_stops_when_solved_with_a_message():
    at = _open(max_updates=300)
    widget(at, "train.speed").set_value(0).run()  # max speed: as many steps as fit
    _click(at, "train")
    tr = _state(at).run.trainer
    assert tr.solved, "the default config should solve within 300 updates"
    assert _state(at).run.running is False
    assert f"Solved at step {tr.solved_step}" in _texts(at)
    assert tr.steps >= tr.solved_step


def test_lr_change_keeps_training():
    at = _open()
    _click(at, "step")
    _click(at, "step")
    before = _state(at).run.trainer
    widget(at, "train.w.lr").set_value(0.01).run()
    assert not at.exception
    after = _state(at).run.trainer
    assert after is before and after.cfg.lr == 0.01 and after.optimizer.lr == 0.01
    assert _steps(at) == 2


def test_non_architecture_change_keeps_weights():
    at = _open()
    _click(at, "step")
    w = _state(at).run.trainer.model.params["Wh1"].copy()
    widget(at, "train.w.batch").set_value(8).run()
    tr = _state(at).run.trainer
    assert tr.cfg.batch == 8 and tr.steps == 1 and np.array_equal(tr.model.params["Wh1"], w)
    assert "New model" not in _texts(at)


def test_architecture_change_rebuilds_and_says_so():
    at = _open()
    _click(at, "step")
    widget(at, "train.w.hidden").set_value(24).run()
    assert not at.exception
    tr = _state(at).run.trainer
    assert tr.cfg.hidden == 24 and tr.steps == 0
    assert "New model: hidden size changed" in _texts(at)


def test_bad_operand_shows_message_and_keeps_training():
    at = _open()
    _click(at, "step")
    widget(at, "train.operand.a").input("12abc").run()
    assert not at.exception
    assert "Not a number" in _texts(at)
    widget(at, "train.operand.b").input("-3").run()
    assert "no negative" in _texts(at)
    widget(at, "train.operand.a").input("500").run()  # default bits 7
    assert "Too big for" in _texts(at)
    widget(at, "train.operand.a").input("").run()
    assert "Type a number" in _texts(at)
    assert not at.exception and _steps(at) == 1


def test_good_operands_report_the_sum():
    at = _open()
    widget(at, "train.w.bits").set_value(8).run()
    widget(at, "train.operand.a").input("200").run()
    widget(at, "train.operand.b").input("0b110111").run()
    text = _texts(at)
    assert "0b11001000" in text and "0b00110111" in text
    assert "**True sum** 255 = `0b011111111`" in text


def test_chinese_mode_shows_chinese_labels():
    at = _open(lang="zh")
    assert [b.label for b in at.button] == ["训练", "暂停", "单步", "重置"]
    assert at.title[0].value == "教 RNN 学会加法"
    labels = {s.label for s in at.sidebar.slider}
    assert "隐藏层大小" in labels
    assert any(s.label == "学习率" for s in at.sidebar.select_slider)


def test_a_new_session_starts_in_the_browsers_language():
    from rnn_app.ui.strings import initial_language

    assert [initial_language(loc) for loc in ("zh-CN", "zh-TW", "zh", "ZH-hk")] == ["zh"] * 4
    assert [initial_language(loc) for loc in ("en-US", "fr-FR", "", None)] == ["en"] * 4  # None: AppTest


def test_language_switch_keeps_settings_and_training():
    at = _open()
    widget(at, "train.w.hidden").set_value(20).run()
    _click(at, "step")
    trainer = _state(at).run.trainer
    at.session_state["lang"] = "zh"
    at.run()
    assert _state(at).run.trainer is trainer and trainer.steps == 1 and trainer.cfg.hidden == 20


def test_preset_applies_its_config():
    at = _open()
    widget(at, "train.preset.*").set_value("tf-lstm").run()
    cfg = _state(at).run.trainer.cfg
    assert (cfg.cell, cfg.layers, cfg.hidden, cfg.dropout, cfg.loss, cfg.batch, cfg.bits) == (
        "lstm", 2, 20, 0.5, "mse", 64, 8)  # fmt: skip
    assert "New model" in _texts(at)


def test_query_preset_starts_from_it():
    at = open_app(query={"preset": "classic"})
    cfg = _state(at).run.trainer.cfg
    assert (cfg.activation, cfg.optimizer, cfg.lr, cfg.batch, cfg.loss) == ("sigmoid", "sgd", 0.1, 1, "mse")
    assert widget(at, "train.preset.*").value == "classic"


@pytest.mark.parametrize("lang, word", [("en", "blew up"), ("zh", "发散")])
def test_divergence_pauses_and_explains(lang, word):
    blowup = Trainer(Config(optimizer="sgd", lr=1e6, loss="mse"))
    at = _open(trainer=blowup, lang=lang, max_updates=20)
    at.button(key="train.button.train").click().run()
    assert not at.exception
    assert blowup.diverged
    assert _state(at).run.running is False
    assert word in "\n".join(e.value for e in at.error)


def test_query_fields_and_speed_override_the_preset():
    at = open_app(query={"preset": "classic", "hidden": "24", "speed": "max"})
    cfg = _state(at).run.trainer.cfg
    assert cfg.hidden == 24 and cfg.optimizer == "sgd"
    assert widget(at, "train.speed").value == 0


def test_bad_link_warns_and_keeps_defaults():
    at = open_app(query={"hidden": "500"})
    assert _state(at).run.trainer.cfg == Config()
    assert "hidden=500" in at.warning[0].value


def test_a_link_is_read_with_the_ranges_of_the_widgets():
    from rnn_app.train.link import setup_from_link

    cfg, values, errors = setup_from_link({"preset": "tf-lstm", "bits": "6", "speed": "50", "a": "7"}, "en")
    assert (cfg.cell, cfg.layers, cfg.bits, values) == ("lstm", 2, 6, {"speed": 50, "a": "7"}) and not errors
    bad = {"preset": "nope", "lr": "fast", "batch": "0", "speed": "7", "hidden": "12.5", "dropout": "1", "lr2": "x"}
    cfg, values, errors = setup_from_link(bad, "en")
    assert cfg == Config() and values == {} and len(errors) == 6  # an unknown parameter is ignored
    assert "lr=fast is not a number: Learning rate goes from 0.0001 to 1." in errors
    assert "batch=0 is out of range: Batch size goes from 1 to 256." in errors
    assert "preset=nope is not one of the choices: Preset can be fast, classic, tf-lstm." in errors
    _, _, errors = setup_from_link({"lr": "5"}, "zh")
    assert errors == ["lr=5 超出范围：学习率只能取 0.0001 到 1。"]  # the slider's range, not Config's 1e6


def test_the_address_bar_follows_the_setup_and_a_link_rebuilds_it():
    from rnn_app.train.link import link_params, setup_from_link

    at = _open()
    assert dict(at.query_params) == {}  # the default setup: a bare link
    widget(at, "train.w.hidden").set_value(20).run()
    widget(at, "train.preset.*").set_value("classic").run()
    widget(at, "train.w.seed").set_value(3).run()
    widget(at, "train.speed").set_value(0).run()
    widget(at, "train.operand.a").input("0b101").run()
    at.session_state["lang"] = "zh"
    at.run()
    assert dict(at.query_params) == {"preset": "classic", "seed": "3", "speed": "max", "a": "0b101", "lang": "zh"}
    state = _state(at)
    cfg, values, errors = setup_from_link(link_params(state), "zh")
    assert cfg == state.run.cfg and values == {"speed": 0, "a": "0b101"} and not errors
    # the same link in a new session: the same setup, a fresh run from the same initial weights
    other = open_app(query=dict(at.query_params))
    assert _state(other).run.cfg == cfg and _state(other).speed == 0 and _state(other).a == "0b101"
    assert other.session_state["lang"] == "zh"
    assert np.array_equal(_state(other).run.trainer.model.flat, Trainer(cfg).model.flat)


def test_a_refused_link_value_stays_until_dismissed():
    at = open_app(query={"hidden": "500", "bits": "9"})
    assert _state(at).run.cfg.bits == 9 and _state(at).run.cfg.hidden == Config().hidden
    for _ in range(2):  # other actions keep it
        _click(at, "step")
        assert "hidden=500 is out of range: Hidden size goes from 1 to 128." in at.warning[0].value
    at.button(key="link.dismiss").click().run()
    assert not at.warning and _state(at).run.trainer.steps == 2


def test_sleep_between_updates_ends_when_a_click_waits(monkeypatch):
    """Pause must not wait for the rest of the tick: the loop's sleep watches Streamlit's real
    request object (if Streamlit renames its private state, this fails rather than Pause slowing)."""
    import threading
    import time
    from types import SimpleNamespace

    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

    from rnn_app.ui import live

    requests = ScriptRequests()
    monkeypatch.setattr(live, "get_script_run_ctx", lambda: SimpleNamespace(script_requests=requests))
    start = time.perf_counter()
    assert live.sleep_until(start + 0.05) is False  # nothing waiting: sleeps to the deadline
    assert time.perf_counter() - start >= 0.05
    threading.Timer(0.05, requests.request_rerun, args=(RerunData(),)).start()  # the click, 50 ms later
    start = time.perf_counter()
    assert live.sleep_until(start + 30.0) is True
    assert time.perf_counter() - start < 10.0  # woke for the click, long before the deadline


def test_training_slice_shrinks_under_load_and_grows_back():
    from rnn_app.ui import live

    spec = live.LiveSpec(name="t", state=None, metrics=lambda snap: [], figure=lambda: None, status=lambda snap: None,
                         budget=0.05, tick=0.25)  # fmt: skip
    quiet = dict(took=0.06, period=0.25, others=0.1)
    assert live.next_slice(0.02, spec, **quiet) == (0.025, False)  # room to spare: grows
    assert live.next_slice(0.05, spec, **quiet) == (0.05, False)  # never beyond the page's budget
    assert live.next_slice(0.02, spec, took=0.06, period=0.25, others=0.5) == (0.01, True)  # other viewers busy
    assert live.next_slice(0.02, spec, took=0.06, period=0.4, others=0.1) == (0.01, True)  # this update was late
    assert live.next_slice(0.02, spec, took=0.22, period=0.25, others=0.1) == (0.01, True)  # slow update
    assert live.next_slice(0.0012, spec, took=0.22, period=None, others=None) == (live.MIN_SLICE, True)
    assert live.next_slice(0.02, spec, took=0.15, period=None, others=None) == (0.02, False)  # in between: hold


def test_a_downloaded_model_uploads_bit_for_bit_and_a_bad_file_changes_nothing():
    at = _open(max_updates=2)
    widget(at, "train.w.hidden").set_value(9).run()
    _click(at, "train")
    state = _state(at)
    saved, trainer = state.model_bytes(), state.run.trainer
    other = _open()
    _state(other).load_model(saved)
    loaded = _state(other).run.trainer
    assert loaded.steps == trainer.steps and loaded.cfg == trainer.cfg and loaded.history == trainer.history
    assert np.array_equal(loaded.model.flat, trainer.model.flat) and loaded.model.flat.dtype == trainer.model.flat.dtype
    other.run()
    assert widget(other, "train.w.hidden").value == 9 and "Loaded" in texts(other)
    assert loaded.step(3) == pytest.approx(trainer.step(3))  # and it trains on exactly as the original

    before = loaded.model.flat.copy()
    for bad in (saved[: len(saved) // 2], b"not a zip", b""):
        _state(other).load_model(bad)
        other.run()
        assert "This file was not used" in texts(other) and _state(other).run.trainer is loaded
    assert np.array_equal(loaded.model.flat, before)


def test_the_curve_downloads_as_csv():
    from rnn_app.ui.transfer import curve_csv

    at = _open()
    _click(at, "step")
    _click(at, "step")
    rows = curve_csv(_state(at).run.trainer.history, ("loss", "exact_accuracy", "bit_accuracy")).splitlines()
    assert rows[0] == "step,loss,exact_accuracy,bit_accuracy" and [r.split(",")[0] for r in rows[1:]] == ["1", "2"]
    assert float(rows[2].split(",")[1]) == pytest.approx(_state(at).run.trainer.history.loss_series()[1][-1], rel=1e-5)


@pytest.mark.parametrize("lang, words", [("en", "has not gone down for 500 steps"), ("zh", "500 步没有下降")])
def test_a_run_that_stopped_learning_gets_a_hint(lang, words):
    stuck = Trainer(Config(optimizer="sgd", lr=1.0))
    stuck.step(1200)
    at = _open(trainer=stuck, lang=lang)
    assert words in "\n".join(w.value for w in at.warning)
    fine = _open(lang=lang)
    _click(fine, "step")
    assert not fine.warning


def test_chinese_lists_and_numbers_for_people():
    from rnn_app.inside.views import points, times

    assert times(1160) == "1,160" and times(37.2) == "37.2" and times(2.5e8) == "2.5 × 10⁸"
    assert f"{points(-0.01):+.1f}" == "+0.0" and points(-12.345) == -12.3
    at = _open(lang="zh")
    widget(at, "train.preset.*").set_value("tf-lstm").run()  # a new cell, size and layers
    toast = next(e.value for e in at.toast if "已新建模型" in e.value)
    assert "、" in toast and ", " not in toast and "," not in toast.split("：")[1]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_paused_estimate_says_why_not_every_pair_was_checked(lang):
    """A network whose full evaluation costs over Pacing.max_cost shows the 512-pair estimate when
    paused; the exact accuracy's help says so, with the full set's size and its predicted cost."""
    state = TrainState()
    state.run.pacing = Pacing(max_cost=1e-12)  # every full evaluation "too slow", as on a big network
    at = open_app(train=state, lang=lang)
    at.button(key="train.button.step").click().run()
    assert not at.exception, at.exception
    exact = t("train.metric.exact", lang)
    help_text = live_metric_help(at)[exact]
    cost = _state(at).run.trainer.evaluation_cost()
    assert cost > 0 and _state(at).run.trainer.steps == 1
    seconds = f"{cost:.1f}"
    assert help_text == t("train.help.exact_estimate", lang, pairs="512", bits=7, step=1, total="16,384",
                          seconds=seconds)  # fmt: skip
    assert ("estimate" if lang == "en" else "估计值") in help_text
    _state(at).run.pacing = Pacing()  # a full evaluation is affordable again: the plain help
    at.button(key="train.button.step").click().run()
    assert live_metric_help(at)[exact] == t("train.help.exact", lang, pairs="16,384", bits=7, step=2)

"""Figure builders of the Inside page: shapes, labels, written column order, colour scales centred at 0."""

import base64

import numpy as np
import plotly.graph_objects as go
import pytest

from rnn import analysis as A
from rnn.handwired import CARRY_UNIT, handwired_model
from rnn.trace import make_trace
from rnn_app.inside import figures as F


def _decode(v):
    """Plotly's base64 typed arrays ({dtype, bdata, shape}) back to numpy, recursively."""
    if isinstance(v, dict):
        if "bdata" in v and "dtype" in v:
            a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
            shape = v.get("shape")
            return a.reshape([int(n) for n in str(shape).split(",")]) if shape else a
        return {k: _decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_decode(x) for x in v]
    return v


def valid(fig: go.Figure) -> dict:
    """The figure's dict after plotly's full validation (the builders skip it for speed), with
    numeric arrays decoded to numpy."""
    return _decode(go.Figure(fig.to_dict()).to_dict())


@pytest.fixture(scope="module")
def hand():
    return handwired_model()


@pytest.fixture(scope="module")
def hand_analysis(hand):
    return A.analyse_states(hand, 6, sample=600)


def test_state_heatmap_is_in_written_order(hand):
    tr = make_trace(hand, 0b101101, 0b011011, 6)  # T = 7
    fig = valid(F.state_heatmap(tr.hidden[0], tr, "h", "en"))
    heat, strip = fig["data"]
    z = np.array(heat["z"])
    assert z.shape == (3, 7)  # units x timesteps
    np.testing.assert_allclose(z[:, 0], tr.hidden[0][6])  # leftmost column: the last (most significant) step
    np.testing.assert_allclose(z[:, -1], tr.hidden[0][0])  # rightmost: t = 0, least significant
    assert (
        fig["layout"]["xaxis2"]["ticktext"][0] == "t=6" and fig["layout"]["xaxis2"]["ticktext"][-1] == "t=0"
    )
    s = np.array(strip["z"])
    assert s.shape == (3, 7) and strip["y"] == ["a", "b", "carry"]
    np.testing.assert_array_equal(s[2], tr.carry[::-1])  # the true carry row, same order
    np.testing.assert_array_equal(s[0], tr.inputs[::-1, 0])
    # the hand-wired carry unit is the carry row
    np.testing.assert_array_equal(np.round(z[CARRY_UNIT]), s[2])
    assert heat["zmin"] == 0.0  # sigmoid states: sequential scale from 0
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"  # unit 1 on top


def test_state_heatmap_centres_signed_states_at_zero(hand):
    tr = make_trace(hand, 5, 9, 4)
    values = np.linspace(-0.7, 0.3, tr.steps * 3).reshape(tr.steps, 3)
    heat = valid(F.state_heatmap(values, tr, "c", "zh"))["data"][0]
    assert heat["zmin"] == -heat["zmax"] and heat["zmax"] >= 0.7
    assert "单元" in heat["hovertemplate"]


def test_correlation_bars_sorted_and_carry_neuron_named(hand_analysis):
    corr = hand_analysis.corr[:, 0]
    fig = valid(F.correlation_bars(corr, "en", ablated=[CARRY_UNIT]))
    bars = fig["data"][0]
    y = np.array(bars["y"])
    assert np.all(np.diff(np.abs(y)) <= 0)  # largest |r| first
    assert bars["x"][0] == f"unit {CARRY_UNIT + 1}"
    assert bars["marker"]["pattern"]["shape"][0] == "/"  # the ablated unit is hatched
    notes = [a["text"] for a in fig["layout"]["annotations"]]
    assert any("carry neuron" in n for n in notes)
    weak = valid(F.correlation_bars(np.array([0.5, -0.7, 0.1]), "zh"))
    assert weak["layout"].get("annotations", []) == []  # nobody reaches |r| >= 0.9
    assert weak["data"][0]["x"] == ["单元 2", "单元 1", "单元 3"]
    assert weak["layout"]["yaxis"]["title"]["text"] == "与进位的相关系数 r"


def test_state_scatter_one_plane_per_figure(hand_analysis):
    sa = hand_analysis
    pca, plane = valid(F.state_scatter(sa, "en", "pca")), valid(F.state_scatter(sa, "en", "probe"))
    for fig in (pca, plane):
        assert len(fig["data"]) == 6  # (carry, a+b)
        assert sum(len(d["x"]) for d in fig["data"]) == len(sa.sample.carry)
        assert {d["marker"]["color"] for d in fig["data"]} == set(F.CARRY_COLOURS)
        assert {d["marker"]["symbol"] for d in fig["data"]} == set(F.AB_SYMBOLS)
        (title,) = fig["layout"]["annotations"]
        assert title["text"].count("<br>") == 1  # a name, then the numbers: two short lines that fit a phone
    assert f"{100 * sa.explained[0]:.1f} %" in pca["layout"]["xaxis"]["title"]["text"]
    assert f"{100 * sa.explained[1]:.1f} %" in pca["layout"]["yaxis"]["title"]["text"]
    title = plane["layout"]["annotations"][0]["text"]
    assert title.startswith("<b>Probe plane</b>") and "100.0 %" in title and "carry probe" in title
    assert len(plane["layout"]["shapes"]) == 2 and not pca["layout"].get("shapes")  # the 0.5 lines
    for d in plane["data"]:  # carry 1 points right of the threshold, carry 0 left
        carry = int(d["name"].split(",")[0][-1])
        assert np.all((np.array(d["x"]) > 0.5) == bool(carry))


def test_gradient_figure_log_axis_and_clipping():
    curves = A.gradient_comparison(handwired_model(), bits=12, recurrent_scale=3.0, clip=1.0, pairs=64)
    fig = valid(F.gradient_figure(curves, "en"))
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert [d["name"] for d in fig["data"]][:2] == ["your network", "fresh sigmoid RNN"]
    relu = curves[3]
    assert relu.name == "relu" and relu.clip_factor < 1.0
    y_plain = np.array(valid(F.gradient_figure([relu], "en"))["data"][0]["y"])
    y_clip = np.array(valid(F.gradient_figure([relu], "zh", clipped=True))["data"][0]["y"])
    np.testing.assert_allclose(y_clip, y_plain * relu.clip_factor)
    zero = A.GradientCurve("tanh", np.arange(3)[::-1], np.array([0.0, 1e-3, 1.0]), 1.0, 1.0)
    d = valid(F.gradient_figure([zero], "zh"))["data"][0]
    assert list(d["x"]) == [1, 0]  # a zero cannot sit on a log axis: left out
    assert d["name"] == "新的 tanh RNN"


def test_length_figure_marks_the_trained_width():
    widths = np.array([4, 8, 16, 64])
    fig = valid(F.length_figure([("current", widths, np.array([1.0, 1.0, 0.5, 0.0]))], 7, "en"))
    d = fig["data"][0]
    np.testing.assert_allclose(d["y"], [100, 100, 50, 0])
    assert fig["layout"]["xaxis"]["type"] == "log"
    shape = fig["layout"]["shapes"][0]
    assert shape["x0"] == shape["x1"] == 7
    ann = fig["layout"]["annotations"][0]
    assert ann["x"] == pytest.approx(np.log10(7)) and "7 bits" in ann["text"]
    low = valid(F.length_figure([("current", np.array([3, 4, 8]), np.ones(3))], 3, "en"))
    assert low["layout"]["xaxis"]["range"][0] < np.log10(3)  # a width below 4 is still on the axis
    cells = valid(F.length_figure([(c, widths, np.ones(4)) for c in ("rnn", "gru", "lstm")], 8, "zh"))
    assert [d["name"] for d in cells["data"]] == ["RNN", "GRU", "LSTM"]
    assert "8 位" in cells["layout"]["annotations"][0]["text"]


def test_weight_heatmaps_share_a_scale_centred_at_zero(hand):
    fig = valid(F.weight_heatmaps(hand.params, 1, (), "en"))
    top, rec, out = fig["data"]
    assert np.array(top["z"]).shape == (3, 3)  # a, b, bias x units
    assert np.array(rec["z"]).shape == (3, 3)
    assert np.array(out["z"]).shape == (3, 1)
    np.testing.assert_allclose(np.array(rec["z"]), hand.params["Wh1"])
    axis = fig["layout"]["coloraxis"]
    m = max(np.abs(v).max() for v in hand.params.values())
    assert axis["cmid"] == 0 and axis["cmin"] == -m and axis["cmax"] == m
    scale = axis["colorscale"]
    assert scale[0][0] == 0 and scale[-1][0] == 1 and len(scale) >= 3
    assert all(d["coloraxis"] == "coloraxis" for d in fig["data"])
    assert top["y"] == ["a", "b", "bias"]


def test_weight_heatmaps_show_gate_blocks():
    model = A.fresh_model("lstm", 5)
    fig = valid(F.weight_heatmaps(model.params, 1, ("i", "f", "o", "g"), "zh"))
    assert np.array(fig["data"][1]["z"]).shape == (5, 20)
    assert fig["layout"]["xaxis"]["ticktext"] == ["i", "f", "o", "g"]
    assert len(fig["layout"]["shapes"]) == 3  # lines between the four gate blocks
    assert fig["data"][0]["y"][-1] == "偏置"
    assert fig["layout"]["coloraxis"]["cmid"] == 0

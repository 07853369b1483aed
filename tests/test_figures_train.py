"""Figure builders of the Train page: frames, colours of wrong bits, axes, right-to-left layout."""

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from rnn import Config, Trainer
from rnn_app.train import figures as F
from rnn_app.ui import plotting as P


@pytest.fixture(scope="module")
def untrained_trace():
    # an untrained network gets some bits wrong: the figure must show exactly those in red
    return Trainer(Config(bits=8, seed=1)).trace(200, 55)


def _trace_named(fig, k, index):
    frame = fig.frames[k]
    return frame.data[index]


def test_plain_dict_figures_are_valid_plotly(untrained_trace):
    # the builders skip plotly's validation for speed; validate the same figures here
    go.Figure(F.carry_animation(untrained_trace).to_dict())
    t = Trainer(Config(bits=4))
    t.step(30)
    t.evaluate()
    s, l = t.history.loss_series()
    es, ex, _ = t.history.eval_series()
    go.Figure(P.learning_curve(s, l, es, ex, solved_step=20).to_dict())


@pytest.mark.parametrize("bits", [2, 7, 8, 16])
def test_one_frame_per_timestep_named_for_the_controls(bits):
    tr = Trainer(Config(bits=bits)).trace(1, (1 << bits) - 1)
    fig = F.carry_animation(tr)
    T = bits + 1
    assert len(fig.frames) == T
    assert [f.name for f in fig.frames] == [str(k) for k in range(T)]  # what anim_controls.js animates to
    assert len(fig.data[6].x) == T  # the base data is the full picture, shown before Play
    # no SVG buttons or slider in the figure: the page draws focusable ones (rnn_app.ui.anim_controls)
    assert not fig.layout.updatemenus and not fig.layout.sliders


@pytest.mark.parametrize("bits", [2, 7, 16])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_numbers_fit_their_columns_at_every_width(bits, lang):
    """From a phone's 300 px chart to a projector's 1000 px: each number fits its column (or, in a
    staggered row, two columns), and nothing grows above the wide layout's sizes."""
    T = bits + 1
    for width in range(300, 1001, 20):
        sz = F.carry_sizes(T, width, lang)
        p = sz["pitch"]
        assert F.text_width("0", sz["bits"]) <= 0.6 * p, (width, sz)
        assert sz["square"] <= 0.95 * p and F.text_width("1", sz["net"]) <= sz["square"]
        room = 1.8 * p if sz["stagger"] else 0.85 * p
        assert F.text_width(sz["prob_format"], sz["prob"]) <= room + 0.5, (width, sz)
        assert sz["prob"] >= 7 and sz["bits"] <= 22 and sz["prob"] <= 13
        tick = f"t={T - 1}" if sz["t_labels"] == "t=" else str(T - 1)
        assert F.text_width(tick, 12) <= 0.9 * p * sz["t_every"], (width, sz)


def test_wide_and_narrow_layouts(untrained_trace):
    wide = F.carry_sizes(9, 720)
    assert wide["names"][1] == "carry the net implies" and not wide["stagger"] and wide["prob_format"] == "0.99"
    narrow = F.carry_sizes(17, 320)  # 16 bits on a phone
    assert narrow["names"][1] == "implied carry" and narrow["stagger"] and narrow["bits"] < wide["bits"]
    fig = F.carry_animation(untrained_trace, width=320)
    probs = fig.frames[-1].data[8]
    assert len(set(probs.y)) == 2  # staggered: every other number a little higher
    assert all(len(text) <= 4 for text in probs.text)


def test_frame_k_shows_columns_up_to_k_only(untrained_trace):
    fig = F.carry_animation(untrained_trace)
    T = untrained_trace.steps
    for k in range(T):
        net = fig.frames[k].data[6]
        assert len(net.x) == k + 1
        heat = np.array(fig.frames[k].data[9].z, dtype=float)  # (H, T) by x position
        filled = ~np.isnan(heat).all(axis=0)
        # columns 0..k are at x = T-1 .. T-1-k (right side)
        assert filled.tolist() == [x >= T - 1 - k for x in range(T)]


def test_wrong_bits_marked_and_coloured(untrained_trace):
    tr = untrained_trace
    assert tr.wrong.any() and not tr.wrong.all(), "fixture should have both right and wrong bits"
    fig = F.carry_animation(tr)
    net = fig.frames[-1].data[6]
    colours = list(net.marker.color)
    assert colours == [P.WRONG_COLOUR if w else P.RIGHT_COLOUR for w in tr.wrong]
    # not by colour alone: a wrong bit carries a ✗
    assert list(net.text) == [f"{b}<sub>✗</sub>" if w else str(b) for b, w in zip(tr.predicted_bits, tr.wrong)]


def test_columns_run_right_to_left(untrained_trace):
    tr = untrained_trace
    T = tr.steps
    fig = F.carry_animation(tr)
    assert list(P.column_x(T)) == list(range(T - 1, -1, -1))
    read = fig.frames[-1].data[1]  # input bits: a row then b row
    xs, ys, text = np.array(read.x), np.array(read.y), list(read.text)
    a_row = [text[i] for i in np.argsort(xs[ys == F.ROW_A])]  # left to right on screen
    width = T
    assert "".join(a_row) == format(tr.a, f"0{width}b")  # written order: most significant left
    b_row = [text[len(a_row) + i] for i in np.argsort(xs[ys == F.ROW_B])]
    assert "".join(b_row) == format(tr.b, f"0{width}b")
    assert tuple(fig.layout.xaxis.range) == (-0.5, T - 0.5)
    assert list(fig.layout.xaxis2.ticktext) == [f"t={c}" for c in range(T)]
    assert list(fig.layout.xaxis2.tickvals) == list(range(T - 1, -1, -1))


def test_carry_arrows_follow_the_true_carry():
    tr = Trainer(Config(bits=4)).trace(0b0111, 0b0001)  # carries into columns 1, 2, 3
    fig = F.carry_animation(tr)
    carry_digits = fig.frames[-1].data[3]
    assert sorted(carry_digits.x) == sorted(P.column_x(tr.steps)[[1, 2, 3]])
    arrows = fig.frames[-1].data[4]
    assert sum(v is None for v in arrows.x) == 3
    assert len(fig.frames[0].data[3].x) == 0  # nothing has been carried at t = 0


def test_implied_carry_is_read_from_the_answer(untrained_trace):
    tr = untrained_trace
    belief = F.implied_carry(tr)
    assert np.isnan(belief[0])
    for t in range(1, tr.steps):
        a, b = tr.inputs[t]
        implied_bit = int(belief[t] > 0.5)
        # the answer's bit is a xor b xor the implied carry
        assert (a ^ b ^ implied_bit) == tr.predicted_bits[t]


def test_learning_curve_axes_and_solved_marker():
    steps = np.arange(1, 3001)
    losses = 5.0 * np.exp(-steps / 500.0)
    eval_steps = np.arange(100, 3001, 100)
    exact = np.linspace(0, 1, len(eval_steps))
    fig = P.learning_curve(steps, losses, eval_steps, exact, solved_step=3000)
    assert fig.layout.yaxis.type == "log"
    assert tuple(fig.layout.yaxis2.range) == (0, 1.05)
    assert fig.data[1].yaxis == "y2"
    assert len(fig.data[0].x) <= P.MAX_CURVE_POINTS  # thinned for the wire
    assert fig.data[0].x[-1] == 3000
    assert fig.layout.shapes[0].x0 == 3000
    assert "3000" in fig.layout.annotations[0].text
    ticks = list(fig.layout.yaxis.tickvals)
    assert 2 <= len(ticks) <= 6 and min(ticks) <= losses.min() * 1.5 and max(ticks) >= losses.max() / 1.5
    lo, hi = fig.layout.yaxis.range  # log10 units, covering every loss
    assert 10**lo <= losses.min() and 10**hi >= losses.max()
    assert fig.layout.xaxis.range[1] >= 3000 and fig.layout.showlegend is False


def test_live_axes_change_only_at_round_numbers():
    assert [P.nice_ceil(x) for x in (1, 7, 101, 130, 3000, 3001)] == [1, 8, 125, 150, 3000, 4000]
    grown = {P.nice_ceil(x) for x in range(1, 10_001)}
    assert len(grown) <= 45  # ~10 x ranges per decade as a run grows to 10 000 steps
    assert all(P.nice_ceil(x) <= 1.34 * x for x in range(1, 10_001))  # the curve fills >= 3/4 of the width
    lo, hi = P.log_range(np.array([0.03, 0.7]))
    assert (lo, hi) == (-2.0, 0.0)  # half decades around the data
    assert P.log_range(np.array([]))[1] > P.log_range(np.array([]))[0]


def test_learning_curve_empty_and_transparent():
    fig = P.learning_curve(np.array([]), np.array([]), np.array([]), np.array([]), lang="zh")
    assert fig.layout.paper_bgcolor == P.TRANSPARENT and fig.layout.plot_bgcolor == P.TRANSPARENT
    assert fig.layout.annotations[0].text == "按“训练”开始"
    assert fig.layout.shapes == ()


def test_thin_averages_bins_and_keeps_last_x():
    x, y = P.thin(np.arange(10), np.arange(10.0), max_points=5)
    assert list(x) == [1, 3, 5, 7, 9] and list(y) == [0.5, 2.5, 4.5, 6.5, 8.5]


def test_chinese_labels(untrained_trace):
    fig = F.carry_animation(untrained_trace, lang="zh")
    assert "进位" in list(fig.layout.yaxis.ticktext)
    assert list(fig.layout.yaxis.ticktext)[::-1][1] in ("网络推断的进位", "推断进位")


def test_update_learning_curve_matches_a_fresh_build():
    steps = np.arange(1, 801)
    losses = 3.0 * np.exp(-steps / 200.0)
    es, ex = np.array([100, 400, 800]), np.array([0.1, 0.6, 1.0])
    old = P.learning_curve(steps[:50], losses[:50], es[:1], ex[:1], lang="en")
    updated = P.update_learning_curve(old, steps, losses, es, ex)
    fresh = P.learning_curve(steps, losses, es, ex, lang="en")
    assert pio.to_json(updated, validate=False) == pio.to_json(fresh, validate=False)
    assert len(updated.data[0].x) == P.MAX_CURVE_POINTS and updated.data[0].x[-1] == 800

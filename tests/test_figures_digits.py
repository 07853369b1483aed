"""Digits page figure builders: pure functions, checked without a server (and validated by plotly)."""

import numpy as np
import plotly.graph_objects as go
import pytest

from rnn.history import History
from rnn_app.digits.figures import GUESS_COLOUR, confusion_figure, digits_curve, row_reveal, thumbnails
from rnn_app.ui.plotting import RIGHT_COLOUR, WRONG_COLOUR


def _valid(fig: go.Figure) -> dict:
    """The figure as plotly JSON, after plotly's own validation of every property."""
    return go.Figure(fig.to_dict()).to_plotly_json()


@pytest.fixture
def reading():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 17, (8, 8))
    logits = rng.standard_normal((8, 10))
    logits[-1, 3] += 6  # the final answer is 3
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return image, probs


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_row_reveal_shows_one_more_row_per_frame(reading, lang):
    image, probs = reading
    fig = row_reveal(image, probs, label=3, max_value=16, lang=lang)
    spec = _valid(fig)
    frames = spec["frames"]
    assert [f["name"] for f in frames] == [str(k) for k in range(8)]
    for k, f in enumerate(frames):
        z = np.array(f["data"][0]["z"], dtype=float)
        np.testing.assert_array_equal(z[: k + 1], image[: k + 1])  # rows read so far
        assert np.isnan(z[k + 1 :]).all()  # rows not read yet are blank
        np.testing.assert_allclose(f["data"][2]["y"], probs[k])  # bars: the answer after row k
        assert f["data"][1]["y"][0] == k - 0.5  # the frame around the row just read
    assert spec["data"][0]["z"] == frames[-1]["data"][0]["z"]  # static view: the whole image
    # no SVG buttons or slider in the figure: the page draws focusable ones (rnn_app.ui.anim_controls)
    assert not spec["layout"].get("sliders") and not spec["layout"].get("updatemenus")
    title = spec["layout"]["title"]["text"]
    assert "3" in title and ("✓" in title)
    assert ("读完" in title) == (lang == "zh")


def test_row_reveal_colours_the_guess_and_outlines_the_truth(reading):
    image, probs = reading
    right = row_reveal(image, probs, label=3, max_value=16).frames
    wrong = row_reveal(image, probs, label=5, max_value=16).frames
    assert right[-1].data[2].marker.color[3] == RIGHT_COLOUR
    assert wrong[-1].data[2].marker.color[3] == WRONG_COLOUR
    k = 2
    guess = int(np.argmax(probs[k]))
    assert right[k].data[2].marker.color[guess] == GUESS_COLOUR  # mid-way: just "the current guess"
    assert wrong[k].data[2].marker.line.width[5] > 0 and wrong[k].data[2].marker.line.width[3] == 0
    drawn = row_reveal(image, probs, label=None, max_value=16)  # a drawn digit has no label
    assert max(drawn.frames[-1].data[2].marker.line.width) == 0


def test_row_reveal_reads_28_rows_and_checks_shapes():
    image = np.zeros((28, 28), np.uint8)
    probs = np.full((28, 10), 0.1)
    spec = _valid(row_reveal(image, probs, 1, 255))
    assert len(spec["frames"]) == 28 and spec["data"][0]["zmax"] == 255
    with pytest.raises(ValueError, match="row_probs"):
        row_reveal(image, np.full((8, 10), 0.1), 1, 255)


def test_confusion_matrix_cells_are_clickable_mistakes():
    conf = np.diag(np.full(10, 30))
    conf[3, 8], conf[7, 1], conf[7, 2] = 4, 2, 1
    spec = _valid(confusion_figure(conf, "zh", selected=(3, 8)))
    diag, off, clicks = spec["data"]
    assert np.nanmax(np.array(diag["z"], dtype=float)) == 30 and np.isnan(np.array(diag["z"], dtype=float)[3, 8])
    off_z = np.array(off["z"], dtype=float)
    assert off_z[3, 8] == 4 and np.isnan(off_z[3, 3]) and np.isnan(off_z[0, 1])  # only real mistakes
    assert sorted(map(tuple, clicks["customdata"])) == [(3, 8), (7, 1), (7, 2)]
    assert all(x == c[1] and y == c[0] for x, y, c in zip(clicks["x"], clicks["y"], clicks["customdata"]))
    rect = spec["layout"]["shapes"][0]
    assert (rect["x0"], rect["y0"]) == (7.5, 2.5)  # column = answer 8, row = true 3
    assert off["text"][3][8] == "4" and off["text"][3][3] == "" and diag["text"][3][3] == "30"


def test_confusion_matrix_without_mistakes():
    spec = _valid(confusion_figure(np.diag(np.arange(1, 11)), "en"))
    assert spec["data"][2]["x"] == [] and not spec["layout"].get("shapes")


def test_thumbnails_place_each_image_and_mark_wrong_ones():
    images = np.arange(3 * 8 * 8).reshape(3, 8, 8) % 17
    spec = _valid(thumbnails(images, 16, ["a", "b", "c"], wrong=np.array([0, 1, 0]), per_row=2))
    z = np.array(spec["data"][0]["z"], dtype=float)
    np.testing.assert_array_equal(z[0:8, 0:8], images[0])
    np.testing.assert_array_equal(z[0:8, 10:18], images[1])  # 2 blank pixels between thumbnails
    np.testing.assert_array_equal(z[14:22, 0:8], images[2])  # second row, 6 blank rows above: room for captions
    assert np.isnan(z[8:14]).all()
    notes = spec["layout"]["annotations"]
    assert [n["text"] for n in notes] == ["a", "✗ b", "c"]  # a wrong one: a mark as well as a colour
    assert notes[1]["font"]["color"] == WRONG_COLOUR and "color" not in notes[0]["font"]


def test_curve_is_the_train_page_curve_relabelled():
    h = History()
    for s in range(1, 21):
        h.add_loss(s, 2.0 / s)
    h.add_eval(10, 0.9, 0.88)
    h.add_eval(20, 0.975, 0.97)
    fig = digits_curve(h, 20, "zh")
    spec = _valid(fig)
    loss, acc = fig.data
    assert list(acc.x) == [10, 20] and list(acc.y) == [0.9, 0.975]
    assert acc.name == "测试正确率" and spec["layout"]["yaxis2"]["title"]["text"] == "测试正确率"
    assert "20" in spec["layout"]["annotations"][0]["text"]
    assert len(loss.x) == 20

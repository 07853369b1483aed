"""Projector mode, chart contrast and the teacher's view (rnn_app.ui.view, plotting.style_figure).

Every chart every page draws is read back from AppTest and checked: each text's colour against the
theme's background (WCAG contrast >= 4.5) and, in projector mode, its size (>= 16 px)."""

import json

import pytest
from apptest import has_widget, open_app, texts

from rnn_app.ui import plotting as P
from rnn_app.ui import view

PAGES = ("train", "inside", "digits")


# ---- the maths of contrast ---------------------------------------------------------------------------
def test_contrast_matches_wcag_reference_values():
    assert P.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert P.contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert P.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the classic AA grey
    assert P.contrast("#777777", "#ffffff") < 4.5


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("colour", [P.LOSS_COLOUR, P.ACCURACY_COLOUR, P.RIGHT_COLOUR, P.WRONG_COLOUR,
                                    P.CARRY_COLOUR, P.FUTURE_COLOUR, "#ffff00", "#111111", "rgba(124,58,237,0.3)"])
def test_readable_reaches_the_minimum_and_keeps_good_colours(colour, theme):
    bg = P.BACKGROUNDS[theme]
    got = P.readable(colour, bg)
    assert P.contrast(got, bg) >= 4.5
    if colour.startswith("#") and P.contrast(colour, bg) >= 4.5:
        assert got == colour  # a colour that reads well is left as it is


def test_theme_text_colours_read_on_their_backgrounds():
    for theme in ("light", "dark"):
        assert P.contrast(P.TEXT[theme], P.BACKGROUNDS[theme]) >= 7


# ---- every text of a styled chart ----------------------------------------------------------------------
def _texts(spec: dict):
    """(where, size, colour, background) of every text a chart draws (heatmap cell text aside)."""
    layout = spec.get("layout", {})
    bg = layout.get("_bg")
    out = [("font", layout.get("font", {}).get("size"), layout.get("font", {}).get("color"), bg)]
    for name, axis in layout.items():
        if (name.startswith("xaxis") or name.startswith("yaxis")) and isinstance(axis, dict):
            if axis.get("showticklabels", True) and axis.get("visible", True):
                tf = axis.get("tickfont", {})
                out.append((f"{name}.tickfont", tf.get("size"), tf.get("color"), bg))
            title = axis.get("title")
            if isinstance(title, dict) and title.get("text"):
                out.append((f"{name}.title", title.get("font", {}).get("size"), title.get("font", {}).get("color"), bg))
    for i, note in enumerate(layout.get("annotations") or []):
        if note.get("text"):
            out.append((f"annotation {i}", note.get("font", {}).get("size"), note.get("font", {}).get("color"),
                        note.get("bgcolor") if P._opaque(note.get("bgcolor")) else bg))
    for trace in spec.get("data", []) + [t for f in spec.get("frames", []) or [] for t in f.get("data", [])]:
        shown = "text" in trace.get("mode", "") if trace.get("type", "scatter") == "scatter" else trace.get("text") is not None
        if "textfont" in trace and trace.get("type") not in ("heatmap", "table") and shown:
            tf = trace["textfont"]
            if P._on_markers(trace):  # text on its own markers: read against each marker's colour
                fills = trace.get("marker", {}).get("color")
                for fill in fills if isinstance(fills, list) else [fills]:
                    out.append(("text on markers", tf.get("size"), tf.get("color"), fill))
            else:
                out.append(("textfont", tf.get("size"), tf.get("color"), bg))
    return out


def _charts(at, theme: str) -> list[dict]:
    specs = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        spec.setdefault("layout", {})["_bg"] = P.BACKGROUNDS[theme]
        specs.append(spec)
    return specs


def _check(specs, projector: bool):
    assert specs, "no chart drawn"
    bad = []
    for n, spec in enumerate(specs):
        for where, size, colour, bg in _texts(spec):
            colours = colour if isinstance(colour, list) else [colour]
            sizes = size if isinstance(size, list) else [size]
            for c in colours:
                if c is None or P.contrast(c, bg) < 4.5:
                    bad.append((n, where, "colour", c))
            if projector:
                for s in sizes:
                    if s is None or s < P.PROJECTOR_FONT:
                        bad.append((n, where, "size", s))
    assert not bad, bad[:12]


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("page", PAGES)
def test_every_chart_of_every_page_reads_in_projector_mode(page, theme, monkeypatch):
    monkeypatch.setattr(view, "chart_style", lambda: P.ChartStyle(theme=theme, projector=view.current().projector))
    at = open_app(page, query={"projector": "1"})
    assert at.session_state["view"].projector
    _check(_charts(at, theme), projector=True)


@pytest.mark.parametrize("page", PAGES)
def test_charts_read_well_outside_projector_mode(page):
    at = open_app(page)
    _check(_charts(at, "light"), projector=False)


def test_projector_lines_are_thicker_and_the_source_figure_is_untouched():
    import numpy as np

    fig = P.learning_curve(np.arange(50), np.linspace(1, 0.1, 50), np.arange(0, 50, 10), np.linspace(0, 1, 5), None)
    before = fig.to_dict()
    big = P.style_figure(fig, P.ChartStyle(projector=True))
    assert all(tr.line.width >= P.PROJECTOR_LINE for tr in big.data)
    assert fig.to_dict() == before  # cached figures may be shared: styling makes a new one


# ---- projector mode and the teacher's view in the page ------------------------------------------------------
def test_projector_link_sets_the_mode_and_stays_in_the_address_bar():
    at = open_app("train", query={"projector": "1"})
    assert "max(20px, 1em)" in "".join(h.proto.body for h in at.get("html"))
    assert at.query_params.get("projector") in ("1", ["1"])
    toggle = next(w for w in at.toggle if (w.key or "").startswith("view.projector"))
    assert toggle.value is True
    toggle.set_value(False).run()
    assert not at.session_state["view"].projector
    assert "projector" not in at.query_params


def test_toggle_turns_projector_mode_on():
    at = open_app("train")
    next(w for w in at.toggle if (w.key or "").startswith("view.projector")).set_value(True).run()
    assert at.session_state["view"].projector
    assert at.query_params.get("projector") in ("1", ["1"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_teachers_link_hides_settings_and_the_page_still_says_what_it_uses(lang):
    at = open_app("train", query={"hide": "lr,optimizer,more,nonsense", "lr": "0.03"}, lang=lang)
    assert not at.exception
    assert at.session_state["view"].hide == {"lr", "optimizer", "more"}
    assert not has_widget(at, "train.w.lr") and not has_widget(at, "train.w.optimizer")
    assert not has_widget(at, "train.w.loss")  # inside "More settings"
    assert has_widget(at, "train.w.hidden")
    assert at.session_state["train"].run.cfg.lr == 0.03  # the link's value is used
    in_use = next(h.proto.body for h in at.get("html") if "setup-in-use" in h.proto.body)
    assert "0.03" in in_use  # ... and the "In use" line says so
    assert at.query_params.get("hide") in ("lr,optimizer,more", ["lr,optimizer,more"])
    assert not any((w.key or "").startswith("view.hide") for w in at.multiselect)  # locked: students cannot unhide
    assert "teacher" in texts(at) or "老师" in texts(at)


def test_the_teacher_chooses_settings_to_hide_and_the_link_follows():
    at = open_app("train")
    pick = next(w for w in at.multiselect if (w.key or "").startswith("view.hide"))
    pick.set_value(["lr", "bits"]).run()
    assert at.session_state["view"].hide == {"lr", "bits"}
    assert not has_widget(at, "train.w.lr") and not has_widget(at, "train.w.bits")
    assert at.query_params.get("hide") in ("lr,bits", ["lr,bits"])


def test_digits_page_hides_settings_too():
    at = open_app("digits", query={"hide": "lr,batch"})
    assert not has_widget(at, "digits.w.lr") and not has_widget(at, "digits.w.batch")
    assert has_widget(at, "digits.w.hidden")

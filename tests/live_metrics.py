"""What the live metrics and chart of a page show in AppTest, wherever rnn_app.ui.live drew them last.

A page draws them as plain elements (an html metrics grid, a plotly chart). While it trains, each
live update is a hidden html element carrying the live panel's data as JSON, and the panel shows
it in their place. The newest is what a viewer sees."""

import html
import json
import re

from streamlit.testing.v1 import AppTest

UPDATE = 'class="live-panel-update"'


def _panel_data(at: AppTest) -> dict | None:
    """The live panel's newest update {name, metrics (the grid's HTML), figure (plotly JSON)}, if any."""
    updates = [el.proto.body for el in at.get("html") if UPDATE in el.proto.body]
    if not updates:
        return None
    return json.loads(html.unescape(re.search(r'data-update="([^"]*)"', updates[-1]).group(1)))


def _metrics_body(at: AppTest) -> str:
    """The metrics grid's HTML a viewer sees: the newest update's, else the page's own."""
    data = _panel_data(at)
    if data is not None:
        return data["metrics"]
    bodies = [el.proto.body for el in at.get("html") if 'class="live-metrics"' in el.proto.body]
    assert bodies, "no metrics on the page"
    return bodies[-1]


def live_metrics(at: AppTest) -> dict[str, str]:
    """{label: value} of the live metrics (the newest update's grid, else the page's own)."""
    cells = re.findall(r'live-metric-label">(.*?)</div><div class="live-metric-value">(.*?)</div>', _metrics_body(at))
    return {html.unescape(k): html.unescape(v) for k, v in cells}


def live_metric_help(at: AppTest) -> dict[str, str]:
    """{label: tooltip} of the live metrics (as live_metrics finds them; "" for a metric without one)."""
    cells = re.findall(r'class="live-metric" title="([^"]*)"><div class="live-metric-label">(.*?)</div>',
                       _metrics_body(at))  # fmt: skip
    return {html.unescape(k): html.unescape(v) for v, k in cells}


def live_figure(at: AppTest) -> dict:
    """The live chart's figure as JSON (the first plotly chart of a page that is not training)."""
    data = _panel_data(at)
    return json.loads(data["figure"]) if data is not None else json.loads(at.get("plotly_chart")[0].proto.spec)

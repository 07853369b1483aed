"""What the live panel of a page shows in AppTest: its metrics and its figure.

rnn_app.live draws the panel (a component) once per page run with the current state; each live
update after that is a hidden html element carrying the same data as JSON, which the panel reads.
The newest of the two is what a viewer sees."""

import html
import json
import re

from streamlit.testing.v1 import AppTest


def live_data(at: AppTest) -> dict:
    """The panel's newest data: {name, metrics: [[label, value, help]], per_row, figure, interactive}."""
    updates = [el.proto.body for el in at.get("html") if 'class="live-panel-update"' in el.proto.body]
    if updates:
        return json.loads(html.unescape(re.search(r'data-update="([^"]*)"', updates[-1]).group(1)))
    panels = [el for el in at.get("bidi_component") if el.proto.component_name == "rnn_live_panel"]
    assert panels, "no live panel on the page"
    return json.loads(panels[-1].proto.json)


def live_metrics(at: AppTest) -> dict[str, str]:
    """{label: value} of the live metrics."""
    return {label: value for label, value, _help in live_data(at)["metrics"]}


def live_figure(at: AppTest) -> dict:
    """The live chart's figure as JSON."""
    return json.loads(live_data(at)["figure"])

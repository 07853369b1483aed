// The live panel: a page's metrics grid and live chart, drawn in place while the page trains.
//
// Why a component: st.plotly_chart's element id hashes the figure, so every live update mounts a
// new chart, which plotly then draws twice (as sent, then with the app's theme). With ten pages
// training in one browser that was most of the browser's work, and a weak laptop's too.
//
// How: the page's run mounts this panel once, with a key (it survives reruns). Each live update
// then replaces a small hidden element after it (rnn_app.live.draw) holding the new metrics and
// figure as JSON; the panel watches for it, writes the metrics as text and redraws the chart with
// Plotly.react at most once per animation frame (a page that falls behind draws only the newest).
// The Plotly it uses is the one Streamlit loads for the page's other plotly charts.
//
// data (and each update): {name, metrics: [[label, value, help], ...], per_row, figure, interactive}

const escape = (s) =>
  String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

function metricsHtml(metrics, perRow) {
  // the markup and classes of rnn_app.live.metrics_html (styled by METRICS_CSS)
  const cells = metrics
    .map(([label, value, help]) =>
      `<div class="live-metric" title="${escape(help)}"><div class="live-metric-label">${escape(label)}</div>` +
      `<div class="live-metric-value">${escape(value)}</div></div>`)
    .join("");
  return `<div class="live-metrics" style="grid-template-columns:repeat(${perRow},minmax(0,1fr))">${cells}</div>`;
}

function themed(layout, root) {
  // st.plotly_chart styles its charts with the app's theme (light or dark) as a plotly template;
  // the page's other charts carry it. Without one: the app's font and text colour.
  const styled = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].find(
    (gd) => gd.layout && gd.layout.template && gd.layout.template.layout);
  if (styled) {
    layout.template = styled.layout.template;
  } else {
    const css = getComputedStyle(root);
    layout.font = { family: css.fontFamily, color: css.color, size: 12, ...(layout.font || {}) };
  }
  return layout;
}

function draw(panel) {
  cancelAnimationFrame(panel.frame);
  clearTimeout(panel.frame);
  panel.frame = null;
  const update = panel.pending;
  if (!update) return;
  if (!window.Plotly) {
    panel.frame = setTimeout(() => draw(panel), 100); // Streamlit is still loading plotly
    return;
  }
  panel.pending = null;
  const figure = JSON.parse(update.figure);
  window.Plotly.react(panel.chart, figure.data, themed(figure.layout, panel.root), {
    staticPlot: !update.interactive, // while it streams: no hover or zoom layers to rebuild
    displayModeBar: false,
  });
}

function show(panel, update) {
  panel.metrics.innerHTML = metricsHtml(update.metrics, update.per_row);
  panel.pending = update;
  if (!panel.frame) panel.frame = requestAnimationFrame(() => draw(panel));
}

export default function ({ data, parentElement }) {
  // called on mount and whenever the page's run sends new data; the panel itself is kept
  let panel = parentElement.rnnLivePanel;
  if (!panel) {
    const root = document.createElement("div");
    const metrics = document.createElement("div");
    const chart = document.createElement("div");
    chart.className = "live-chart";
    chart.style.width = "100%";
    chart.style.marginTop = "1rem"; // the gap Streamlit leaves between two elements
    root.append(metrics, chart);
    parentElement.replaceChildren(root);
    panel = parentElement.rnnLivePanel = { root, metrics, chart, pending: null, frame: null, seen: null };
  }
  show(panel, data);
  draw(panel); // now, not at the next frame: a rerun redraws without a blank frame

  // the live updates: the newest hidden element for this panel in the same block of the page
  const block = parentElement.closest('[data-testid="stVerticalBlock"]') || document.body;
  const observer = new MutationObserver(() => {
    const updates = block.querySelectorAll(`.live-panel-update[data-panel="${data.name}"]`);
    const latest = updates[updates.length - 1];
    if (latest && latest.dataset.update !== panel.seen) {
      panel.seen = latest.dataset.update;
      show(panel, JSON.parse(panel.seen));
    }
  });
  observer.observe(block, { childList: true, subtree: true });
  return () => observer.disconnect();
}

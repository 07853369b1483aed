// The live panel: a page's metrics grid and live chart, drawn in place while the page trains.
//
// Why a component: st.plotly_chart's element id hashes the figure, so every live update mounts a
// new chart, which plotly then draws twice (as sent, then with the app's theme). With ten pages
// training in one browser that was most of the browser's work, and a weak laptop's too.
//
// How: the page always draws its metrics and chart as plain elements; while it trains, its run
// also mounts this panel after them, hidden, with a key (it survives reruns while training goes
// on). Each live update replaces a small hidden element after the panel (rnn_app.live.draw)
// holding the new metrics and figure as JSON. The panel watches for it: the first one makes it
// take the plain elements' place in the same frame; it writes the metrics as text and redraws the
// chart with Plotly.react at most once per animation frame (a page that falls behind draws only
// the newest).
// The Plotly it uses is the one Streamlit loads for the page's other plotly charts.
//
// data: [{name, off}] (one item; off: training stopped); each update: {name, metrics (the grid's
// HTML), figure (plotly JSON), alt (the chart's sentence for screen readers, every few seconds)}.

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
    staticPlot: true, // no hover or zoom layers to rebuild; paused, the page draws an interactive chart
    displayModeBar: false,
  });
}

function show(panel, update) {
  panel.metrics.innerHTML = update.metrics; // rnn_app.live.metrics_html (labels and values escaped)
  if (update.alt !== undefined) panel.alt.textContent = update.alt; // the chart's sentence, every few seconds
  panel.pending = update;
  if (panel.root.hidden) {
    // the first update: take the place of the page's own metrics and chart, in this same frame. A
    // style inside the panel hides them, so they show again the moment the panel is removed
    // (training paused: the page's next run draws them without a panel).
    const plainMetrics = [...panel.block.querySelectorAll(".live-metrics")].find((el) => !panel.root.contains(el));
    const plainChart = panel.block.querySelector('[data-testid="stPlotlyChart"] .main-svg');
    if (plainMetrics && plainChart) {
      // the same gap between metrics and chart as the page's own layout, so nothing moves
      const gap = plainChart.getBoundingClientRect().top - plainMetrics.getBoundingClientRect().bottom;
      panel.chart.style.marginTop = `${Math.max(0, Math.round(gap))}px`;
    }
    const plainAlt = [...panel.block.querySelectorAll(".rnn-chart-alt")].find((el) => !panel.root.contains(el));
    if (plainAlt && !panel.alt.textContent) panel.alt.textContent = plainAlt.textContent;
    const style = document.createElement("style");
    style.textContent =
      `[data-live-block="${panel.name}"] [data-testid="stElementContainer"]` +
      `:has(.live-metrics, [data-testid="stPlotlyChart"], .rnn-chart-alt):not(:has(.live-panel)) { display: none; }`;
    panel.block.dataset.liveBlock = panel.name;
    panel.root.append(style);
    panel.root.hidden = false;
    draw(panel);
  } else if (!panel.frame) {
    panel.frame = requestAnimationFrame(() => draw(panel));
  }
}

export default function ({ data: [data], parentElement }) {
  // mounted (hidden) by the page's run while it trains; the live updates are hidden elements
  // (class live-panel-update) that the loop puts after it in the same block of the page
  const block = parentElement.closest('[data-testid="stVerticalBlock"]') || document.body;
  let panel = parentElement.rnnLivePanel;
  if (!panel) {
    const root = document.createElement("div");
    root.className = "live-panel";
    const metrics = document.createElement("div");
    const alt = document.createElement("p"); // read by screen readers in place of the chart (rnn_app.ui.a11y)
    alt.className = "rnn-sr-only rnn-live-alt";
    const chart = document.createElement("div");
    chart.className = "live-chart";
    chart.style.width = "100%";
    chart.style.marginTop = "1rem"; // about the gap Streamlit leaves between two elements
    root.append(metrics, alt, chart);
    root.hidden = true;
    parentElement.replaceChildren(root);
    panel = parentElement.rnnLivePanel = { name: data.name, root, metrics, alt, chart, block, pending: null,
      frame: null, seen: null };
  }
  panel.off = Boolean(data.off);
  if (panel.off) {
    // training stopped: the page's own metrics and chart show again. A page whose script run goes
    // on (a class's idle loop) keeps the stale panel on screen, so it is told to step aside (and
    // an observer of the last render, still to be disconnected, must not bring it back: takeLatest)
    cancelAnimationFrame(panel.frame);
    clearTimeout(panel.frame);
    Object.assign(panel, { frame: null, pending: null, seen: null });
    panel.root.querySelector("style")?.remove();
    delete panel.block.dataset.liveBlock;
    panel.root.hidden = true;
    panel.metrics.replaceChildren(); // no second copy of the metrics in the page
    panel.alt.textContent = "";
    if (window.Plotly) window.Plotly.purge(panel.chart);
    return () => {};
  }
  const takeLatest = () => {
    if (panel.off) return;
    const updates = block.querySelectorAll(`.live-panel-update[data-panel="${data.name}"]`);
    const latest = updates[updates.length - 1];
    if (latest && latest.dataset.update !== panel.seen) {
      panel.seen = latest.dataset.update;
      show(panel, JSON.parse(panel.seen));
    }
  };
  const observer = new MutationObserver(takeLatest);
  observer.observe(block, { childList: true, subtree: true });
  takeLatest(); // an update may have arrived before this code ran (it loads asynchronously)
  return () => observer.disconnect();
}

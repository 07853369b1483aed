// Play / Pause / a timestep slider for the plotly animation drawn just before this component.
//
// Why: plotly's own buttons and slider are SVG (no Tab stop, no keys) and are laid out inside the
// figure, where at a narrow width the slider covered Pause. These are real HTML controls in a
// wrapping row under the chart: Tab reaches them, Space / Enter press them, and on the slider (or
// any of them) ← / → move one column. Columns are written right to left (t = 0 on the right), so
// the slider runs right to left too and ← moves to the next column, as the highlight moves.
// They drive the chart with window.Plotly.animate (the Plotly Streamlit loads for its charts).
// The row also reports its width (bucketed) so the server can lay the figure out for it.
//
// data: [{frames, version, frame_ms, rtl, labels: {group, play, pause, slider, at}, width: {used, step, cap} or null}]

const CSS = `
.anim-controls{display:flex;flex-wrap:wrap;align-items:center;gap:0.4rem 0.6rem;margin:0.1rem 0 0.2rem 0}
.anim-controls button{font:inherit;font-size:0.9rem;line-height:1.4;padding:0.25rem 0.75rem;border-radius:0.5rem;
  border:1px solid #7c3aed;background:rgba(124,58,237,0.12);color:inherit;cursor:pointer;white-space:nowrap}
.anim-controls button:hover{background:rgba(124,58,237,0.25)}
.anim-controls button:focus-visible,.anim-controls input:focus-visible{outline:2px solid #7c3aed;outline-offset:2px}
.anim-controls input[type=range]{flex:1 1 7rem;min-width:6rem;accent-color:#7c3aed;margin:0;height:1.6rem}
.anim-controls output{font-size:0.9rem;white-space:nowrap;font-variant-numeric:tabular-nums;opacity:0.85}
`;

function chartOf(parentElement) {
  // the plotly chart is in the closest element before this component's element container
  let el = parentElement.closest('[data-testid="stElementContainer"]');
  for (el = el && el.previousElementSibling; el; el = el.previousElementSibling) {
    const gd = el.querySelector(".js-plotly-plot");
    if (gd) return gd;
  }
  return null;
}

function at(c) {
  const n = c.d.frames;
  return c.d.labels.at.replace("{k}", c.k).replace("{last}", n - 1).replace("{n}", c.k + 1).replace("{total}", n);
}

function go(c, k, attempt = 0) {
  c.k = Math.max(0, Math.min(c.d.frames - 1, k));
  c.slider.value = String(c.k);
  const text = at(c);
  c.out.textContent = text;
  c.slider.setAttribute("aria-valuetext", text);
  const gd = chartOf(c.parent);
  if (!window.Plotly || !gd || !gd._transitionData) {
    if (attempt < 50) setTimeout(() => go(c, c.k, attempt + 1), 100); // the chart is still loading
    return;
  }
  window.Plotly.animate(gd, [String(c.k)], {
    frame: { duration: 0, redraw: true }, transition: { duration: 0 }, mode: "immediate",
  }).catch(() => {});
  // animate changes the traces in place; a redraw (Plotly.react) replaces gd.data
  c.shown = { data: gd.data, k: c.k };
}

function showing(c) {
  // whether the chart still shows frame c.k: nothing has redrawn it since go() animated it
  const gd = chartOf(c.parent);
  return !!(gd && c.shown && c.shown.data === gd.data && c.shown.k === c.k);
}

function stop(c) {
  clearTimeout(c.timer);
  c.timer = null;
  c.root.dataset.playing = "false";
}

function play(c) {
  stop(c);
  c.root.dataset.playing = "true";
  const last = c.d.frames - 1;
  const tick = () => {
    if (c.k >= last) return stop(c);
    go(c, c.k + 1);
    c.timer = setTimeout(tick, c.d.frame_ms);
  };
  go(c, c.k >= last ? 0 : c.k); // from the start when at the end, else from where it stands
  c.timer = setTimeout(tick, c.d.frame_ms);
}

function build(parentElement) {
  const root = document.createElement("div");
  root.className = "anim-controls";
  root.setAttribute("role", "group");
  const style = document.createElement("style");
  style.textContent = CSS;
  const playButton = document.createElement("button");
  playButton.type = "button";
  playButton.className = "anim-play";
  const pauseButton = document.createElement("button");
  pauseButton.type = "button";
  pauseButton.className = "anim-pause";
  const slider = document.createElement("input");
  slider.type = "range";
  slider.min = "0";
  slider.step = "1";
  const out = document.createElement("output");
  root.append(style, playButton, pauseButton, slider, out);
  parentElement.replaceChildren(root);
  const c = { root, parent: parentElement, playButton, pauseButton, slider, out, k: 0, timer: null, d: null };
  playButton.addEventListener("click", () => play(c));
  pauseButton.addEventListener("click", () => stop(c));
  slider.addEventListener("input", () => { stop(c); go(c, Number(slider.value)); });
  root.addEventListener("keydown", (e) => {
    // one column per key, in the direction the columns are written; handled here for the slider
    // too, so every browser moves the same way
    const dir = c.d.rtl ? -1 : 1;
    const moves = { ArrowLeft: -dir, ArrowRight: dir, Home: -Infinity, End: Infinity };
    if (!(e.key in moves) || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    e.stopPropagation(); // the page's own shortcuts do not also act on it
    stop(c);
    const m = moves[e.key];
    go(c, Number.isFinite(m) ? c.k + m : m < 0 ? 0 : c.d.frames - 1);
  });
  return c;
}

function watchWidth(c, setStateValue) {
  // report the row's width when it leaves the bucket the server laid the figure out for
  const report = () => {
    if (!c.d.width) return; // a figure that does not depend on the width
    const { used, step, cap } = c.d.width;
    const w = Math.min(Math.round(c.root.getBoundingClientRect().width), cap);
    if (!w) return;
    const bucket = Math.floor(w / step);
    if (used !== null && bucket === Math.floor(Math.min(used, cap) / step)) return;
    if (bucket === c.sent) return;
    c.sent = bucket;
    setStateValue("width", w);
  };
  let pending = null;
  const observer = new ResizeObserver(() => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      report();
      // a chart redrawn (new size, a rerun) shows its last frame: show c.k again, once; a chart
      // still on c.k is left alone (animating it again would draw that frame twice)
      if (c.k !== c.d.frames - 1 && !showing(c)) go(c, c.k);
    }, 200);
  });
  observer.observe(c.root);
  report();
  return () => { observer.disconnect(); clearTimeout(pending); };
}

export default function ({ data: [d], parentElement, setStateValue }) {
  let c = parentElement.rnnAnimControls;
  if (!c) c = parentElement.rnnAnimControls = build(parentElement);
  const fresh = c.d === null || c.d.version !== d.version;
  c.d = d;
  c.root.setAttribute("aria-label", d.labels.group);
  c.root.dir = "ltr";
  c.playButton.textContent = d.labels.play;
  c.pauseButton.textContent = d.labels.pause;
  c.slider.max = String(d.frames - 1);
  c.slider.dir = d.rtl ? "rtl" : "ltr";
  c.slider.setAttribute("aria-label", d.labels.slider);
  if (fresh) {
    // a new figure shows its last frame (the full picture)
    stop(c);
    c.sent = null;
    c.k = d.frames - 1;
    c.slider.value = String(c.k);
  }
  const text = at(c);
  c.out.textContent = text;
  c.slider.setAttribute("aria-valuetext", text);
  if (c.unwatch) c.unwatch(); // one observer per row, whether or not the last cleanup ran
  c.unwatch = watchWidth(c, setStateValue);
  return () => { if (c.unwatch) c.unwatch(); c.unwatch = null; };
}

// Keyboard and screen-reader support for every page (rnn_app.ui.a11y says what and why).
//
// Installed once per browser tab on the page's document (a component without an iframe), then
// told on every script run the viewer's language, the page and its words:
// - a skip link, the first Tab stop, that moves focus to the page's Train (or Pause) button;
// - shortcuts Space = Train / Pause, S = Step, R = Reset, ? = help: they click the page's real
//   Streamlit buttons (found by their key's class, st-key-<page>-button-<name>), so a shortcut
//   does exactly what a click does; never while typing in a box or with Ctrl / Alt / Cmd held;
// - focus kept: a button that was pressed and lost focus in the rerun (Train is disabled while
//   training) gives it back to itself, or to its replacement (Train <-> Pause);
// - one polite live region announcing each "Solved" / divergence once (the server emits a hidden
//   .rnn-announce element with a new id only in the run that shows it first);
// - Streamlit's markup that axe-core finds fault with, fixed in place: equation boxes that scroll
//   sideways get a Tab stop, a toast gets a name, the balloons an empty alt; <html data-rnn-theme>
//   says light or dark for the page's CSS.
//
// data: [{page, controls (bool), text: {skip, title, close, note, rows: [[keys, what], ...]}}]

const BUTTONS = ["train", "pause", "step", "reset"];
const REPLACEMENT = { train: "pause", pause: "train" };
const KEEP_MS = 20000; // how long after a press focus is given back to its button

function visibleButton(container) {
  if (!container) return null;
  const buttons = [...container.querySelectorAll("button")];
  return buttons.find((b) => b.getBoundingClientRect().width > 0) || buttons[0] || null;
}

function button(A, name) {
  // the newest one: a rerun's replacement may sit beside a stale copy for a moment
  const all = document.querySelectorAll(`.st-key-${A.cfg.page}-button-${name}:not([data-stale="true"])`);
  return visibleButton(all[all.length - 1]);
}

function enabled(b) {
  return b && !b.disabled && b.getAttribute("aria-disabled") !== "true";
}

function typing(el) {
  if (!el || !el.closest) return false;
  if (el.closest('textarea, select, [contenteditable=""], [contenteditable="true"], [role="textbox"], [role="combobox"]')) return true;
  const input = el.closest("input");
  return Boolean(input) && !["button", "checkbox", "radio", "range", "submit", "reset", "color", "file"].includes(input.type);
}

function interactive(el) {
  // Space on these does their own thing (press a button, tick a box, open a section)
  return Boolean(el && el.closest && el.closest(
    'button, a[href], input, select, textarea, summary, [role="button"], [role="slider"], [role="checkbox"], ' +
    '[role="switch"], [role="tab"], [role="radio"], [role="option"], [role="menuitem"], [role="link"]'));
}

function controlsTarget(A) {
  const train = button(A, "train");
  if (enabled(train)) return train;
  const pause = button(A, "pause");
  return enabled(pause) ? pause : train;
}

function press(A, name, event) {
  const b = button(A, name);
  if (!enabled(b)) return false;
  event.preventDefault();
  event.stopImmediatePropagation(); // Streamlit's own "R" (rerun) must not fire as well
  A.keep = b === document.activeElement ? { name, until: performance.now() + KEEP_MS } : null;
  A.pressing = true; // focus stays where the viewer was: on the button only if it was there
  try { b.click(); } finally { A.pressing = false; }
  return true;
}

function onKey(A, e) {
  if (A.overlay.hidden === false) {
    if (e.key === "Escape" || e.key === "?") {
      e.preventDefault();
      e.stopImmediatePropagation();
      closeHelp(A);
    } else if (e.key === "Tab") {
      e.preventDefault(); // one control inside: focus stays in the dialog
      A.close.focus();
    }
    return;
  }
  if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
  if (e.key === "?") {
    e.preventDefault();
    e.stopImmediatePropagation();
    openHelp(A);
    return;
  }
  if (e.shiftKey || !A.cfg.controls) return;
  const key = e.key === " " || e.key === "Spacebar" ? "space" : (e.key || "").toLowerCase();
  if (key === "space") {
    if (interactive(e.target)) return;
    if (!press(A, "train", e)) press(A, "pause", e);
  } else if (key === "s") {
    press(A, "step", e);
  } else if (key === "r") {
    press(A, "reset", e);
  }
}

function openHelp(A) {
  A.returnFocus = document.activeElement;
  const app = getComputedStyle(document.querySelector('[data-testid="stApp"]') || document.body);
  A.overlay.firstChild.style.background = app.backgroundColor; // the theme's (light or dark)
  A.overlay.firstChild.style.color = app.color;
  A.overlay.hidden = false;
  A.close.focus();
}

function closeHelp(A) {
  A.overlay.hidden = true;
  const back = A.returnFocus;
  A.returnFocus = null;
  if (back && back.isConnected && back !== document.body) back.focus();
}

function renderHelp(A) {
  const { text } = A.cfg;
  A.title.textContent = text.title;
  A.close.textContent = text.close;
  A.note.textContent = text.note;
  A.list.replaceChildren(...text.rows.map(([keys, what]) => {
    const row = document.createElement("div");
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    keys.forEach((k, i) => {
      if (i) dt.append(" / ");
      const kbd = document.createElement("kbd");
      kbd.textContent = k;
      dt.append(kbd);
    });
    dd.textContent = what;
    row.append(dt, dd);
    return row;
  }));
}

function giveFocusBack(A) {
  // a pressed button that lost focus in the rerun (disabled, or drawn anew) gets it back
  const keep = A.keep;
  if (!keep || performance.now() > keep.until) { A.keep = null; return; }
  const active = document.activeElement;
  if (active && active !== document.body && !(active.disabled)) return;
  let target = button(A, keep.name);
  if (!enabled(target) && REPLACEMENT[keep.name]) target = button(A, REPLACEMENT[keep.name]);
  if (enabled(target)) target.focus({ preventScroll: true });
}

function markTheme(A) {
  // light or dark (the viewer's system or the app menu): a data attribute the page's CSS can read;
  // looked at most once a second (a live chart changes the page four times a second)
  const now = performance.now();
  if (now - (A.themeAt || -1e9) < 1000) {
    A.themeLater = A.themeLater || setTimeout(() => { A.themeLater = null; markTheme(A); }, 1000);
    return;
  }
  A.themeAt = now;
  const app = document.querySelector('[data-testid="stApp"]');
  const rgb = app && getComputedStyle(app).backgroundColor.match(/[0-9.]+/g);
  if (!rgb) return;
  const dark = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] < 128;
  const theme = dark ? "dark" : "light";
  if (document.documentElement.dataset.rnnTheme !== theme) document.documentElement.dataset.rnnTheme = theme;
}

function nameToasts() {
  // Streamlit's toast is an alertdialog labelled by a title it never draws: it takes its text as
  // its name. Called from the MutationObserver itself (a microtask), so no one ever meets a
  // toast without a name, not even in the frame it appears
  for (const toast of document.querySelectorAll('[data-testid="stToast"]:not([aria-label])')) {
    const text = toast.querySelector('[data-testid="stToastText"]');
    if (text && text.textContent.trim()) toast.setAttribute("aria-label", text.textContent.trim());
  }
}

function scan(A) {
  A.scheduled = false;
  markTheme(A);
  for (const el of document.querySelectorAll(".rnn-announce[data-id]")) {
    if (A.announced.has(el.dataset.id)) continue;
    A.announced.add(el.dataset.id);
    A.live.textContent = ""; // the same words again (a second solve) are announced again
    setTimeout(() => { A.live.textContent = el.textContent; }, 100);
  }
  // Streamlit's balloons are decoration (empty alt)
  for (const img of document.querySelectorAll('[data-testid="stBalloons"] img:not([alt])')) img.setAttribute("alt", "");
  for (const box of document.querySelectorAll(".katex-display")) {
    if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
  }
  if (A.cfg.controls) {
    const target = button(A, "train")?.closest('[data-testid="stElementContainer"]');
    if (target && target.id !== "rnn-controls") {
      document.getElementById("rnn-controls")?.removeAttribute("id");
      target.id = "rnn-controls";
    }
  }
  giveFocusBack(A);
}

function install() {
  const A = { cfg: null, keep: null, announced: new Set(), scheduled: false, returnFocus: null };

  const skip = document.createElement("a");
  skip.className = "rnn-skip";
  skip.href = "#rnn-controls";
  skip.addEventListener("click", (e) => {
    e.preventDefault();
    const target = controlsTarget(A);
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.focus();
    }
  });
  A.skip = skip;

  const live = document.createElement("div");
  live.className = "rnn-sr-only";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.id = "rnn-announcer";
  A.live = live;

  const overlay = document.createElement("div");
  overlay.className = "rnn-help";
  overlay.hidden = true;
  const dialog = document.createElement("div");
  dialog.className = "rnn-help-dialog";
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-modal", "true");
  dialog.setAttribute("aria-labelledby", "rnn-help-title");
  const title = document.createElement("h2");
  title.id = "rnn-help-title";
  const list = document.createElement("dl");
  const note = document.createElement("p");
  const close = document.createElement("button");
  close.type = "button";
  close.addEventListener("click", () => closeHelp(A));
  overlay.addEventListener("click", (e) => { if (e.target === overlay) closeHelp(A); });
  dialog.append(title, list, note, close);
  overlay.append(dialog);
  Object.assign(A, { overlay, title, list, note, close });

  document.body.prepend(skip); // before Streamlit's root: the first Tab stop
  document.body.append(live, overlay);
  window.addEventListener("keydown", (e) => onKey(A, e), true);
  // a press of one of the page's buttons by keyboard or mouse: give it focus back after the rerun
  document.addEventListener("click", (e) => {
    if (A.pressing || !A.cfg || !A.cfg.controls || !e.target.closest) return;
    const name = BUTTONS.find((n) => e.target.closest(`.st-key-${A.cfg.page}-button-${n}`));
    if (name) A.keep = { name, until: performance.now() + KEEP_MS };
  }, true);
  document.addEventListener("focusin", (e) => {
    // the viewer went elsewhere: nothing to give back
    if (A.keep && A.cfg && !BUTTONS.some((n) => e.target.closest && e.target.closest(`.st-key-${A.cfg.page}-button-${n}`))) A.keep = null;
  });
  new MutationObserver(() => {
    nameToasts();
    if (!A.scheduled) { A.scheduled = true; requestAnimationFrame(() => scan(A)); }
  }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["disabled"] });
  nameToasts(); // a toast already there (the observer names every later one)
  return A;
}

export default function ({ data: [cfg] }) {
  const A = window.rnnA11y || (window.rnnA11y = install());
  A.cfg = cfg;
  A.themeAt = null; // a rerun may follow a theme switch from the app menu
  A.skip.textContent = cfg.text.skip;
  A.skip.hidden = !cfg.controls; // other pages: Streamlit's own "Skip to main content" comes first
  renderHelp(A);
  scan(A);
}

"""Helpers for real-browser end-to-end tests (Streamlit server + headless Chromium).

Not a test module: the fixtures in ``conftest.py`` wrap these helpers.

Environment overrides:
  RNN_LAB_APP       path of the Streamlit script to serve (default: <repo>/app.py)
  RNN_LAB_APP_CWD   working directory of the server (default: the script's folder)
  CHROMIUM_PATH     Chromium executable (default: /usr/bin/chromium)
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]

# Streamlit DOM hooks (checked against streamlit 1.67). The app root carries the
# script-run state: data-test-script-state = initial | running | notRunning |
# rerunRequested | stopRequested | compilationError, and
# data-test-connection-state = INITIAL | CONNECTING | CONNECTED | ...
APP_SELECTOR = '[data-testid="stApp"]'
IDLE_SELECTOR = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
)
# Elements left over from the previous run are marked stale until the run ends.
STALE_SELECTOR = '[data-stale="true"]'
# Top-right "Running..." indicator (only shown ~0.5 s after a run starts).
RUNNING_SELECTOR = '[data-testid="stStatusWidgetRunningIcon"]'
# Error box for an uncaught exception in the script.
EXCEPTION_SELECTOR = '[data-testid="stException"]'


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "<no log>"


@contextlib.contextmanager
def streamlit_server(
    app: str | os.PathLike[str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    port: int | None = None,
    timeout: float = 60.0,
    extra_args: list[str] | None = None,
) -> Iterator[str]:
    """Run ``streamlit run APP`` on 127.0.0.1:PORT and yield its base URL.

    Waits (polling) for ``/_stcore/health`` to answer ``ok``. The server runs in
    its own process group, which is killed on exit. Its output goes to a temp log
    file whose tail is included in the error if startup fails.
    """
    app_path = Path(app or os.environ.get("RNN_LAB_APP") or REPO_ROOT / "app.py").resolve()
    workdir = Path(cwd or os.environ.get("RNN_LAB_APP_CWD") or app_path.parent).resolve()
    if not app_path.is_file():
        raise FileNotFoundError(f"Streamlit app not found: {app_path}")
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app_path),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        *(extra_args or []),
    ]  # fmt: skip
    log_fd, log_name = tempfile.mkstemp(prefix="streamlit-", suffix=".log")
    log_path = Path(log_name)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with os.fdopen(log_fd, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + timeout
        while not _health_ok(f"{base_url}/_stcore/health"):
            if proc.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with code {proc.returncode} during startup.\n"
                    f"--- {log_path} (tail) ---\n{_tail(log_path)}"
                )
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"streamlit did not become healthy on {base_url} within {timeout:.0f}s.\n"
                    f"--- {log_path} (tail) ---\n{_tail(log_path)}"
                )
            time.sleep(0.1)
        yield base_url
    finally:
        _stop(proc)
        print(f"\n[streamlit log: {log_path}]")


def _stop(proc: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=grace)


def chromium_missing_reason() -> str | None:
    """None if Chromium is usable, else a human-readable reason."""
    if os.path.exists(CHROMIUM_PATH):
        return None
    return (
        f"Chromium not found at {CHROMIUM_PATH}. Install Debian's package with `make chromium` "
        "(apt-get install -y chromium); `playwright install` cannot download browsers here."
    )


def launch_chromium(playwright):
    """Launch headless system Chromium through a Playwright sync API instance."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM_PATH,
        headless=True,
        args=CHROMIUM_ARGS,
    )


def wait_for_streamlit(page, timeout: float = 30.0, allow_exception: bool = False) -> None:
    """Wait until the Streamlit page is connected and idle (no script run in progress).

    Use right after ``page.goto(url)``: the app root goes initial -> running ->
    notRunning, so waiting for ``notRunning`` waits for the first full run. After
    an interaction use ``expect_rerun`` instead (a click's rerun may not have
    started yet when this is called). Raises AssertionError if the page shows an
    uncaught script exception, unless ``allow_exception``.
    """
    ms = timeout * 1000
    page.wait_for_selector(IDLE_SELECTOR, state="attached", timeout=ms)
    page.wait_for_function(
        "(sel) => document.querySelectorAll(sel).length === 0",
        arg=STALE_SELECTOR,
        timeout=ms,
        polling=100,
    )
    if not allow_exception and page.locator(EXCEPTION_SELECTOR).count():
        raise AssertionError(
            "Streamlit script raised:\n" + page.locator(EXCEPTION_SELECTOR).first.inner_text()
        )


_RUN_COUNTER_JS = """() => {
    if (window.__stRunsDone === undefined) {
        window.__stRunsDone = 0;
        const app = document.querySelector('[data-testid="stApp"]');
        new MutationObserver((muts) => {
            for (const m of muts) {
                if (m.oldValue !== "notRunning" && app.dataset.testScriptState === "notRunning") {
                    window.__stRunsDone += 1;
                }
            }
        }).observe(app, {attributes: true, attributeOldValue: true,
                         attributeFilter: ["data-test-script-state"]});
    }
    return window.__stRunsDone;
}"""


@contextlib.contextmanager
def expect_rerun(page, timeout: float = 30.0, allow_exception: bool = False) -> Iterator[None]:
    """Wait for the script rerun triggered inside the block to finish.

        with expect_rerun(page):
            page.get_by_role("button", name="Train").click()

    Counts completed runs with a MutationObserver on the app root, so a rerun
    that starts and ends between two polls is not missed.
    """
    page.wait_for_selector(APP_SELECTOR, state="attached", timeout=timeout * 1000)
    before = page.evaluate(_RUN_COUNTER_JS)
    yield
    page.wait_for_function("(n) => window.__stRunsDone > n", arg=before, timeout=timeout * 1000, polling=50)
    wait_for_streamlit(page, timeout=timeout, allow_exception=allow_exception)

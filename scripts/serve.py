"""Serve the app from several processes: N `streamlit run app.py` replicas behind nginx.

    python scripts/serve.py --replicas 2 --port 8501      # or: make serve REPLICAS=2 PORT=8501

One Streamlit process runs every viewer's Python on one core (the GIL); N replicas use N cores.
Each replica listens on a free port of 127.0.0.1; nginx (Debian's `nginx` package) listens on
--address:--port in front of them, keeps each browser on one replica (a cookie it sets; see
deploy/nginx.conf.template) and proxies the websockets. The replicas share the run and class
stores: $RNN_LAB_DATA (SQLite, one host) or $DATABASE_URL (PostgreSQL, several hosts), so a
viewer whose replica died gets their run back from another one.

Prints the URL and one line per replica, restarts a replica that dies (unless --no-restart), and
stops everything on Ctrl-C (or SIGTERM). nginx runs in the foreground with a config generated
from the template into a temporary folder that also holds its pid, logs and temp files, and the
replicas' logs; no root and no system folders are needed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "deploy" / "nginx.conf.template"
COOKIE = "rnn_lab_replica"  # the sticky-session cookie nginx sets
START_TIMEOUT = 120.0  # seconds for a replica to answer /_stcore/health (slow on a loaded machine)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def render(template: str, **values: str) -> str:
    """The template with every {{name}} replaced; a placeholder without a value is an error."""
    for name, value in values.items():
        template = template.replace("{{" + name + "}}", value)
    if "{{" in template:
        start = template.index("{{")
        raise ValueError(f"no value for {template[start : template.index('}}', start) + 2]}")
    return template


def nginx_config(listen: str, replica_ports: list[int], prefix: Path) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in replica_ports)
    return render(TEMPLATE.read_text(), listen=listen, servers=servers, prefix=str(prefix), cookie=COOKIE)


def healthy(url: str) -> bool:
    with contextlib.suppress(OSError):
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return r.read().strip() == b"ok"
    return False


def _die_with_parent() -> None:
    """In the child: get SIGTERM when serve.py dies, even by kill -9 (Linux), so nothing is left."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Replica:
    def __init__(self, index: int, port: int, folder: Path, cookie_secret: str, app: str):
        self.index, self.port, self.folder = index, port, folder
        self.cookie_secret, self.app = cookie_secret, app
        self.proc: subprocess.Popen | None = None
        self.log = folder / f"replica-{index}.log"
        self.reported = False  # its death was told
        self.started = self.restart_at = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.started, self.reported = time.monotonic(), False
        cmd = [sys.executable, "-m", "streamlit", "run", self.app, "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
        # one cookie secret for all (Streamlit takes it only from the environment or a file): the
        # XSRF cookie of an upload is checked by whichever replica serves the browser after a failover
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret}
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         env=env,
                                         start_new_session=True, preexec_fn=_die_with_parent)  # fmt: skip

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        stop(self.proc, signal.SIGTERM)


def stop(proc: subprocess.Popen | None, sig: int, grace: float = 10.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(sig)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(grace)


def tail(path: Path, lines: int = 20) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def wait_healthy(url: str, procs: list, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(url):
            return True
        if any(p.poll() is not None for p in procs):
            return False
        time.sleep(0.2)
    return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=int(os.environ.get("REPLICAS") or 2),
                    help="Streamlit processes (about one per core)")  # fmt: skip
    ap.add_argument("--port", type=int, default=8501, help="the port viewers open (nginx)")
    ap.add_argument(
        "--address", default="0.0.0.0", help="the address nginx listens on (0.0.0.0: every interface)"
    )
    ap.add_argument("--app", default="app.py", help="the Streamlit script, relative to the repository")
    ap.add_argument("--no-restart", action="store_true", help="leave a replica that died dead (tests)")
    a = ap.parse_args()
    if a.replicas < 1:
        ap.error("--replicas is at least 1")
    nginx = nginx_binary()
    if nginx is None:
        print("nginx not found: install Debian's package (sudo apt-get install -y nginx)", file=sys.stderr)
        return 2

    folder = Path(tempfile.mkdtemp(prefix="rnn-lab-serve-"))
    folder.chmod(0o755)  # nginx's workers (user nobody when started as root) create temp folders in it
    stopping, serving = False, False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True
        if not serving:  # still starting: stop waiting for the replicas
            raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    # several hosts behind one balancer: give them all the same STREAMLIT_SERVER_COOKIE_SECRET
    secret = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)
    replicas = [Replica(i + 1, free_port(), folder, secret, a.app) for i in range(a.replicas)]
    proxy: subprocess.Popen | None = None
    try:
        for r in replicas:
            r.start()
        for r in replicas:
            if not wait_healthy(r.url, [r.proc], START_TIMEOUT):
                print(f"replica {r.index} did not start:\n{tail(r.log)}", file=sys.stderr)
                return 1
        conf = folder / "nginx.conf"
        listen = f"{a.address}:{a.port}" if a.address != "0.0.0.0" else str(a.port)
        conf.write_text(nginx_config(listen, [r.port for r in replicas], folder))
        proxy = subprocess.Popen([nginx, "-p", str(folder), "-c", str(conf), "-e", "stderr"],
                                 stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_parent)  # fmt: skip
        local = f"http://127.0.0.1:{a.port}"
        if not wait_healthy(local, [proxy], 30):
            print("nginx did not start (see its messages above)", file=sys.stderr)
            return 1
        shown = a.address if a.address != "0.0.0.0" else socket.gethostname()
        print(
            f"RNN Adder Lab: {a.replicas} replica(s) behind nginx at http://{shown}:{a.port}  (Ctrl-C stops)"
        )
        for r in replicas:
            print(f"  replica {r.index}: {r.url} pid {r.proc.pid} log {r.log}")
        print(f"  nginx pid {proxy.pid}, config {conf}", flush=True)
        serving = True

        while not stopping:
            time.sleep(0.5)
            if proxy.poll() is not None:
                print(f"nginx exited with code {proxy.returncode}; stopping", file=sys.stderr)
                return 1
            for r in replicas:
                if r.alive() or stopping or time.monotonic() < r.restart_at:
                    continue
                if not r.reported:
                    soon = time.monotonic() - r.started < 30  # it died young: wait before the next try
                    print(f"replica {r.index} (pid {r.proc.pid}) exited with code {r.proc.returncode}"
                          + ("" if a.no_restart else f"; restarting{' in 10 s' if soon else ''}"), flush=True)  # fmt: skip
                    r.reported, r.restart_at = True, time.monotonic() + (10 if soon else 0)
                elif not a.no_restart:
                    r.start()
                    print(f"  replica {r.index}: {r.url} pid {r.proc.pid}", flush=True)
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        print("stopping ...", flush=True)
        stop(proxy, signal.SIGTERM)  # nginx: fast shutdown (a graceful one would wait for the websockets)
        for r in replicas:
            r.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

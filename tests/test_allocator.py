"""rnn_app.allocator: the server's malloc settings really bound its arenas (glibc only).

Each case runs in a fresh interpreter: an arena limit only governs arenas not yet created, and
the test process has its own threads."""

import ctypes.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Eight threads allocate numpy buffers at once, then the script counts glibc's arenas in
# malloc_info's report. Printed: whether tune() applied the cap, and the arenas.
PROBE = r"""
import ctypes, json, os, tempfile, threading
import numpy as np
from rnn_app import allocator

applied = allocator.tune()
start = threading.Barrier(8)

def work():
    start.wait()
    blocks = [np.ones(1000 + i) for i in range(200)]  # small blocks: kept in the thread's arena
    big = np.ones(1 << 18)  # 2 MB
    return len(blocks), big.sum()

threads = [threading.Thread(target=work) for _ in range(8)]
for th in threads:
    th.start()
for th in threads:
    th.join()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
with tempfile.NamedTemporaryFile(suffix=".xml") as f:
    fp = libc.fopen(f.name.encode(), b"w")
    libc.malloc_info(0, fp)
    libc.fclose(fp)
    arenas = open(f.name).read().count("<heap nr=")
print(json.dumps({"applied": applied, "arenas": arenas}))
"""


def probe(**env: str) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "RNN_LAB_MALLOC"))}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env={**environ, **env}, capture_output=True,
                         text=True, timeout=120, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def glibc() -> bool:
    try:
        return hasattr(ctypes.CDLL(ctypes.util.find_library("c") or None), "malloc_info")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not glibc(), reason="glibc's malloc only")


def test_tuned_server_uses_at_most_two_arenas_for_eight_busy_threads():
    from rnn_app import allocator

    tuned = probe()
    assert tuned["applied"] is True
    assert 1 <= tuned["arenas"] <= allocator.ARENAS


def test_untuned_process_gives_each_thread_an_arena():
    """The control: without tune(), the same threads get arenas of their own, so the bound above
    is tune()'s doing."""
    untuned = probe(RNN_LAB_MALLOC="default")
    assert untuned["applied"] is False
    assert untuned["arenas"] > 4


def test_environment_settings_are_left_to_glibc():
    """An operator's MALLOC_ARENA_MAX wins: tune() does not override it."""
    env = probe(MALLOC_ARENA_MAX="4")
    assert env["applied"] is False
    assert 1 <= env["arenas"] <= 4

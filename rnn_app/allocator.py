"""The server process's memory allocator: glibc's malloc arenas capped at two for all threads.

Measured with benchmarks/load.py --soak (30 viewers, figures in the README): the memory the
pages use stays flat, but glibc's malloc keeps what thirty script threads free at once. When
the whole class solves together, thirty page reruns run at the same moment, each thread in a
malloc arena of its own (up to 8 per core); every arena keeps its high-water mark as free but
fragmented memory, and the server's RSS rose 24 MB for good. With the cap the same moment left
12 MB, and the class got as many live updates (Python allocates under the GIL anyway).

`mallopt` changes the setting at run time, so a hosted app, which cannot set MALLOC_ARENA_MAX
before its process starts, still gets it. It bounds the arenas created from then on; those made
before the first page run stay (6 when a class of 30 opens a freshly started server at once).
Off glibc (musl, macOS) nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os

M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
ARENAS = 2  # for every thread together: the server has two cores


@functools.cache
def tune() -> bool:
    """Cap glibc's arenas at ARENAS, once per process, unless the environment set MALLOC_ARENA_MAX
    (an operator's choice wins) or RNN_LAB_MALLOC=default (to measure without). Returns whether
    the cap was applied."""
    if "MALLOC_ARENA_MAX" in os.environ or os.environ.get("RNN_LAB_MALLOC") == "default":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        mallopt, _ = libc.mallopt, libc.malloc_info  # glibc has both; musl and macOS do not
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt(M_ARENA_MAX, ARENAS) == 1

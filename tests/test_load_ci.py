"""A class on one server, shortened for CI: 10 protocol-level viewers train for 10 s at once.

Each viewer (tests/stviewer.py: Streamlit's websocket protocol, no browser) opens the Train page
with the classic setup (thousands of steps: nobody solves in the window) and presses Train, one
after the other, so their step counters differ. Fails if any viewer gets an error, if a viewer's
live updates carry a step counter that is not its own (every session's counter only grows, and
starts near zero), or if the median viewer gets fewer than 3 updates per second (the page aims at
4). The full class benchmark stays in benchmarks/load.py.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import statistics
import time

import pytest
from browser import streamlit_server
from stviewer import Viewer

VIEWERS = 10
SECONDS = 10.0
WARMUP = 2.0  # s after the last Train click before the window opens
STAGGER = 0.3  # s between two viewers' Train clicks
MIN_MEDIAN_RATE = 3.0  # live updates per second of the median viewer


async def class_of(url: str) -> tuple[list[Viewer], float, float]:
    viewers = [Viewer(url, query="preset=classic") for _ in range(VIEWERS)]
    try:
        for v in viewers:
            await v.__aenter__()
        await asyncio.gather(*(v.wait_finished(120) for v in viewers))
        for v in viewers:
            await v.click("Train")
            await asyncio.sleep(STAGGER)
        await asyncio.sleep(WARMUP)
        t0 = time.monotonic()
        await asyncio.sleep(SECONDS)
        return viewers, t0, time.monotonic()
    finally:
        await asyncio.gather(*(v.__aexit__(None, None, None) for v in viewers), return_exceptions=True)


@pytest.fixture(scope="module")
def load_server(tmp_path_factory):
    with streamlit_server(env={"RNN_LAB_DATA": str(tmp_path_factory.mktemp("load-runs"))}) as url:
        yield url


def test_ten_viewers_train_at_once_each_with_its_own_run(load_server):
    # a thread of its own: Playwright's sync API (the browser tests before this one, in the same
    # pytest process) leaves an event loop set on the main thread
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        viewers, t0, t1 = pool.submit(asyncio.run, class_of(load_server)).result()
    problems = [f"viewer {i}: {p}" for i, v in enumerate(viewers) for p in v.exceptions + v.errors]
    assert not problems, problems
    for i, v in enumerate(viewers):
        assert v.steps, f"viewer {i} got no live update with a step counter"
        # its own counter: starts where its own training started and never goes back
        assert v.steps[0] <= 200, f"viewer {i}'s first update says step {v.steps[0]}"
        back = [(a, b) for a, b in zip(v.steps, v.steps[1:]) if b < a]
        assert not back, f"viewer {i}'s step counter went back: {back[:3]} (another viewer's?)"
    rates = sorted(sum(t0 <= t <= t1 for t in v.updates) / (t1 - t0) for v in viewers)
    print(f"\n{VIEWERS} viewers, {SECONDS:g} s: updates/s min {rates[0]:.2f} median {statistics.median(rates):.2f} "
          f"max {rates[-1]:.2f}")  # fmt: skip
    assert statistics.median(rates) >= MIN_MEDIAN_RATE, rates

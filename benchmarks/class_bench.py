"""What a class costs the server: the class store's report(), board() and pushed() (rnn_app.store.
classes) for classes of 30 and 200 students, each with a full report and a 200-point curve, in one
process and with two processes reporting at once while a teacher's board refreshes.

    python benchmarks/class_bench.py [--rounds 20]

Works in a temporary folder; prints one table of per-call times (median, 99th percentile, max).
The two-process rows: 200 members reported by two processes, paced (each once a second, as in
class) and flat out, while this process reads the whole board every 100 ms.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rnn_app.store import ClassStore, new_id  # noqa: E402

REPORT = {"cell": "lstm", "hidden": 24, "layers": 2, "lr": 0.0123, "optimizer": "adam", "batch": 64, "bits": 8,
          "loss": "bce", "activation": "tanh", "init": "xavier", "seed": 12345, "dropout": 0.5, "clip": 5.0,
          "step": 1234, "samples": 78976, "loss_value": 0.01234567, "exact": 0.987654, "solved_step": None,
          "train_seconds": 12.345, "running": True, "diverged": False, "sweep_value": 0.0123}  # fmt: skip


def curve(points: int, shift: int = 0) -> list[tuple[int, float, float]]:
    return [(s * 25 + shift, 5.0 / (s + 1.7) + 1e-3 * s, min(1.0, s / points)) for s in range(points)]


CURVES = {n: [curve(n, shift) for shift in range(8)] for n in (200, 2000)}  # made before timing


ROWS: list[tuple[str, list[float]]] = []


def record(label: str, seconds: list[float]) -> None:
    ROWS.append((label, sorted(s * 1e3 for s in seconds)))


def timed(op, n: int) -> list[float]:
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        op(i)
        times.append(time.perf_counter() - t0)
    return times


def a_class(store: ClassStore, n: int, points: int = 200):
    """A class of n members, each with one report and a curve of `points` points."""
    c = store.create_class()
    members = [new_id() for _ in range(n)]
    t = time.time()
    for m in members:
        store.join(c.code, m, now=t)
        store.report(c.code, m, REPORT, curve(points), now=t)
    return c, members


def one_class(store: ClassStore, n: int, rounds: int) -> None:
    c, members = a_class(store, n)
    clock = [time.time() + 10.0]

    def report(i, points):
        if i % n == 0:
            clock[0] += 1.0  # a new second: every member may report again
        assert store.report(c.code, members[i % n], REPORT, CURVES[points][i % 8], now=clock[0]).status == "saved"

    def kept(i):  # curve=None: the stored curve stays
        assert store.report(c.code, members[i % n], REPORT, now=clock[0] + 1 + i // n).status == "saved"

    record(f"report, {n} members, 200-point curve", timed(lambda i: report(i, 200), rounds * n))
    record(f"report, {n} members, 2000 points thinned", timed(lambda i: report(i, 2000), rounds * n))
    record(f"report, {n} members, curve=None (kept)", timed(kept, rounds * n))
    board = store.board(c.code, c.key)
    assert len(board.rows) == n and all(len(r.curve) == 200 for r in board.rows)
    record(f"board, {n} members x 200 points", timed(lambda i: store.board(c.code, c.key), rounds * 5))
    record(f"board, {n} members, curves=False", timed(lambda i: store.board(c.code, c.key, curves=False), rounds * 5))
    store.push(c.code, c.key, {"settings": dict(REPORT), "operands": [200, 55], "page": "train"}, "follow")
    record(f"pushed, a class of {n}", timed(lambda i: store.pushed(c.code), rounds * 100))
    store.sweep(c.code, c.key, "lr", [0.003, 0.01, 0.03, 0.1])
    record(f"assignment, a class of {n}", timed(lambda i: store.assignment(c.code, members[i % n]), rounds * 100))
    if n < 200:
        record(f"join, members {n + 1} to {n + 20}", timed(lambda i: store.join(c.code, new_id()), 20))


def one_process(folder: Path, rounds: int) -> None:
    store = ClassStore(folder / "classes.sqlite3", max_members=200)
    for n in (30, 200):
        one_class(store, n, rounds)
    record("create_class", timed(lambda i: store.create_class(), rounds * 5))


def _reporter(path, code: str, members: list[str], seconds: float, paced: bool) -> list[float]:
    """Report for every member in turn, one round per second (paced: in real time, like a class;
    else as fast as it goes, pretending a second passed), for `seconds` of wall time."""
    store = ClassStore(path)
    curves = CURVES[200]
    times, now, start = [], time.time(), time.perf_counter()
    while time.perf_counter() < start + seconds:
        now += 1.0
        for i, m in enumerate(members):
            t0 = time.perf_counter()
            assert store.report(code, m, REPORT, curves[i % 8], now=now).status == "saved"
            times.append(time.perf_counter() - t0)
        if paced:
            time.sleep(max(0.0, start + len(times) / len(members) - time.perf_counter()))
    return times


def two_processes(folder: Path, seconds: float, paced: bool) -> None:
    """200 members reported by two processes, 100 each (paced: each member once a second, as in
    class; else as fast as they go), while this process reads the board every 100 ms."""
    path = folder / f"two-{paced}.sqlite3"
    store = ClassStore(path)
    c, members = a_class(store, 200)
    how = "paced, 200/s" if paced else "flat out"
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        pool.starmap(_reporter, [(folder / "warm.sqlite3", "AAAAAA", [], 0.01, False)] * 2)  # start both
        jobs = pool.starmap_async(_reporter, [(path, c.code, half, seconds, paced) for half in (members[:100], members[100:])])
        boards = []
        while not jobs.ready():
            t0 = time.perf_counter()
            store.board(c.code, c.key)
            boards.append(time.perf_counter() - t0)
            time.sleep(0.1)
        results = jobs.get()
    done = sum(len(r) for r in results)
    record(f"report, 2 processes x 100 members, {how}", [t for r in results for t in r])
    record(f"board 200 x 200 meanwhile ({how})", boards)
    print(f"two processes, {how}: {done} reports in {seconds:.0f} s = {done / seconds:.0f} reports/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=5.0, help="of the two-process test")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        one_process(Path(folder), args.rounds)
        two_processes(Path(folder), args.seconds, paced=True)
        two_processes(Path(folder), args.seconds, paced=False)
    print(f"\n{'operation':<50} {'calls':>6} {'median':>9} {'p99':>9} {'max':>9}   (ms per call)")
    for label, ms in ROWS:
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        print(f"{label:<50} {len(ms):>6} {statistics.median(ms):>9.3f} {p99:>9.3f} {ms[-1]:>9.3f}")


if __name__ == "__main__":
    main()

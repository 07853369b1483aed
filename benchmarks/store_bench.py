"""What keeping runs costs: saves and claims of the run store (rnn_app.store), one process and two
processes writing at once, and the bytes of a run (rnn.saveload.to_bytes) that the store keeps.

    python benchmarks/store_bench.py [--saves 2000] [--kb 50]

Works in a temporary folder; prints per-operation times (median, 99th percentile, max) and rates.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rnn_app.store import RunStore, new_id, writer  # noqa: E402


def _stats(label: str, seconds: list[float]) -> None:
    ms = sorted(s * 1e3 for s in seconds)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    rate = len(ms) / (sum(ms) / 1e3)
    print(f"  {label:<34} median {statistics.median(ms):7.3f} ms   p99 {p99:7.3f} ms   max {ms[-1]:7.2f} ms"
          f"   {rate:8.0f} /s")  # fmt: skip


def _saves(path, n: int, kb: int, runs: int, who: int) -> list[float]:
    """n saves of kb-KB blobs over `runs` run ids of this writer; the time of each."""
    store = RunStore(path)
    ids = [new_id() for _ in range(runs)]
    blobs = [os.urandom(kb << 10) for _ in range(8)]  # incompressible, like a saved model
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        ok = store.save(ids[i % runs], "train", f"tab{who}", f"session{who}", blobs[i % 8], {"i": i, "speed": 3})
        times.append(time.perf_counter() - t0)
        assert ok
    return times


def one_process(folder: Path, n: int, kb: int) -> None:
    path = folder / "one.sqlite3"
    print(f"one process, {kb} KB runs")
    _stats("save (50 runs, rewritten)", _saves(path, n, kb, 50, 0))
    store = RunStore(path)
    ids = [new_id() for _ in range(50)]
    blob = os.urandom(kb << 10)
    for rid in ids:
        store.save(rid, "train", "tab", "s", blob, {})
    for label, op in [
        ("claim, own run (a rerun)", lambda rid: store.claim(rid, "train", "tab", "s")),
        ("claim, a reload (new session)", lambda rid: store.claim(rid, "train", "tab", new_id())),
        ("claim, busy (a copy to fork)", lambda rid: store.claim(rid, "train", "other tab", "s2")),
        ("claim, unknown id", lambda rid: store.claim(new_id(), "train", "tab", "s")),
        ("load", lambda rid: store.load(rid, "train")),
        ("renew", lambda rid: store.renew(rid, "train", "s")),
    ]:
        times = []
        for i in range(n // 2):
            t0 = time.perf_counter()
            op(ids[i % 50])
            times.append(time.perf_counter() - t0)
        _stats(label, times)
    # a full store: 256 MB of runs, the cap reached, each save evicts the oldest
    full = RunStore(folder / "full.sqlite3", max_bytes=256 << 20)
    filler = os.urandom(kb << 10)
    rows = (256 << 20) // (kb << 10)
    t0 = time.perf_counter()
    for _ in range(rows):
        full.save(new_id(), "train", "t", "s", filler, {})
    fill = time.perf_counter() - t0
    times = []
    for _ in range(n // 4):
        t0 = time.perf_counter()
        full.save(new_id(), "train", "t", "s", filler, {})
        times.append(time.perf_counter() - t0)
    _stats(f"save into a full store ({rows} runs)", times)
    print(f"  filling it: {rows} saves in {fill:.2f} s; opening it again:", end=" ")
    t0 = time.perf_counter()
    RunStore(folder / "full.sqlite3", max_bytes=256 << 20)
    print(f"{(time.perf_counter() - t0) * 1e3:.0f} ms (quick_check and expiry)")
    # the background writer: what submit costs the live loop (10 runs, submitted as fast as it goes)
    ids = [new_id() for _ in range(10)]
    times = []
    t_all = time.perf_counter()
    for i in range(n // 4):
        t0 = time.perf_counter()
        writer.submit(store, ids[i % 10], "train", "tab", "w", lambda: (blob, {"i": 1}))
        times.append(time.perf_counter() - t0)
    writer.flush(30)
    t_all = time.perf_counter() - t_all
    _stats("writer.submit (on the caller)", times)
    print(f"  writer: {n // 4} submitted, {writer.saved} saved, {writer.coalesced} coalesced, all in {t_all * 1e3:.0f} ms")


def two_processes(folder: Path, n: int, kb: int) -> None:
    path = folder / "two.sqlite3"
    RunStore(path)
    print(f"two processes writing at once, {n} saves each")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        pool.starmap(_saves, [(folder / "warm.sqlite3", 10, kb, 5, w) for w in (0, 1)])  # start both
        t0 = time.perf_counter()
        results = pool.starmap(_saves, [(path, n, kb, 50, w) for w in (0, 1)])
        wall = time.perf_counter() - t0
    for w, times in enumerate(results):
        _stats(f"save, process {w}", times)
    print(f"  together: {2 * n} saves in {wall:.2f} s = {2 * n / wall:.0f} saves/s")


def run_bytes() -> None:
    from rnn import Config, Trainer, saveload
    from rnn.classifier import ClassifierConfig, ClassifierTrainer

    print("the bytes of a run (rnn.saveload.to_bytes, on the writer thread)")
    for label, trainer in [
        ("adder, default", Trainer(Config())),
        ("adder, 2 x 64 LSTM", Trainer(Config(cell="lstm", hidden=64, layers=2))),
        ("digits, 128 LSTM", ClassifierTrainer(ClassifierConfig(cell="lstm", hidden=128))),
    ]:
        trainer.step(20)
        for compress in (True, False):
            best = float("inf")
            for _ in range(5):
                t0 = time.perf_counter()
                data = saveload.to_bytes(trainer, compress)
                best = min(best, time.perf_counter() - t0)
            how = "compressed" if compress else "stored"
            print(f"  {label:<20} {how:<10} {len(data) / 1024:7.1f} KB in {best * 1e3:6.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--saves", type=int, default=2000)
    ap.add_argument("--kb", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        one_process(Path(folder), args.saves, args.kb)
        two_processes(Path(folder), args.saves, args.kb)
    run_bytes()


if __name__ == "__main__":
    main()

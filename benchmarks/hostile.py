"""Hostile files against the importer's limits: time and peak memory for each, and the
same for an ordinary import next to them, so the limits' cost on normal files shows.

    .venv/bin/python benchmarks/hostile.py
    .venv/bin/python benchmarks/hostile.py --throughput-only   # the decoders alone

Each import goes through the service on a fresh SQLite file, from a thread that is not the
main one (as a web upload does), so files are decoded in decoder processes; peak memory is
sampled over the whole process tree (this process, the fork server and its workers) and
given above what the tree held before the import. Throughput: FIT, GPX and TCX read from
memory on one core, best of three, to set against ``benchmarks/import.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import threading
import time
import timeit
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "hostile"), str(ROOT / "tests" / "activities")]

from hostile_corpus import CORPUS  # noqa: E402
from live_server import PeakSampler, tree_rss_mb  # noqa: E402
from synthetic import synthetic_run, write_fit, write_gpx  # noqa: E402

REAL = ROOT / "tests" / "data" / "activity-files"


def calibration() -> float:
    """Microseconds for 1,000 iterations of an empty Python loop: this machine's speed now."""
    return min(timeit.repeat("for i in range(1000): pass", number=200, repeat=7)) / 200 * 1e6


def measured_import(paths: list[Path]) -> tuple[float, float, str]:
    """Seconds, peak extra MB of the process tree, and the report's summary."""
    from stridewell.service import Stridewell

    with tempfile.TemporaryDirectory() as folder:
        service = Stridewell(f"sqlite:///{Path(folder) / 'bench.db'}")
        service.upgrade_database()
        training = service.local().training
        outcome: list[str] = []

        def run() -> None:
            outcome.append(training.import_paths(paths).summary())

        baseline = tree_rss_mb(_pid())
        with PeakSampler(_pid()) as peak:
            began = time.perf_counter()
            worker = threading.Thread(target=run)
            worker.start()
            worker.join()
            seconds = time.perf_counter() - began
        service.close()
    return seconds, peak.peak - baseline, outcome[0] if outcome else "failed"


def _pid() -> int:
    import os

    return os.getpid()


def normal_history(folder: Path, runs: int) -> list[Path]:
    """``runs`` one-hour runs at 1 Hz, a third each as FIT, GPX and gzipped GPX."""
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2024, 1, 1, 7, 0, tzinfo=UTC)
    for i in range(runs):
        run = synthetic_run(i, start + timedelta(days=i), 3600)
        if i % 3 == 0:
            (folder / f"run-{i:03d}.fit").write_bytes(write_fit(run))
        else:
            (folder / f"run-{i:03d}.gpx").write_bytes(write_gpx(run))
    return [folder]


def throughput(title: str, files: list[bytes], read: Callable[[bytes], int]) -> None:
    if not files:
        return
    size = sum(len(d) for d in files) / 1e6
    records = sum(read(d) for d in files)
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        for data in files:
            read(data)
        best = min(best, time.perf_counter() - began)
    print(f"  {title:<28}{len(files):>6}{size:>9.1f}{records / best:>14,.0f}{size / best:>9.1f}")


def decoder_throughput() -> None:
    from stridewell.activities import ImportProblem, read_activities

    def read(data: bytes) -> int:
        with contextlib.suppress(ImportProblem):
            return sum(len(a.samples) for a in read_activities(io.BytesIO(data)))
        return 0

    start = datetime(2024, 1, 1, 7, 0, tzinfo=UTC)
    runs = [synthetic_run(i, start + timedelta(days=i), 3600) for i in range(20)]
    print(f"\n  {'decoder throughput':<28}{'files':>6}{'MB':>9}{'records/s':>14}{'MB/s':>9}")
    throughput("FIT, synthetic 1 Hz", [write_fit(r) for r in runs], read)
    throughput("GPX, synthetic 1 Hz", [write_gpx(r) for r in runs], read)
    for kind in ("fit", "gpx", "tcx"):
        folder = REAL / kind
        if folder.is_dir():
            files = [
                p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix.lower() == f".{kind}"
            ]
            throughput(f"{kind.upper()}, real files", files, read)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60, help="runs in the ordinary import")
    parser.add_argument("--throughput-only", action="store_true")
    args = parser.parse_args()
    print(f"{'machine: empty loop, 1,000 iterations (us)':48s} {calibration():10.1f}")
    if not args.throughput_only:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            print(f"\n  {'file':<26}{'size MB':>9}{'seconds':>9}{'peak +MB':>10}  report")
            seconds, extra, summary = measured_import(normal_history(root / "warm", 3))
            for item in CORPUS:
                path = root / item.name
                path.write_bytes(item.build())
                seconds, extra, summary = measured_import([path])
                size = path.stat().st_size / 1e6
                print(f"  {item.name:<26}{size:>9.2f}{seconds:>9.2f}{extra:>10.0f}  {summary}")
                path.unlink()
            history = normal_history(root / "history", args.runs)
            size = sum(p.stat().st_size for p in (root / "history").iterdir()) / 1e6
            seconds, extra, summary = measured_import(history)
            name = f"normal: {args.runs} runs"
            print(f"  {name:<26}{size:>9.2f}{seconds:>9.2f}{extra:>10.0f}  {summary}")
    decoder_throughput()
    sys.stdout.flush()


if __name__ == "__main__":
    main()

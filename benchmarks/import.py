"""Decode the same activity files with Stridewell and with the libraries a user would pick.

    .venv/bin/python benchmarks/make_history.py --runs 30 --out /tmp/stridewell-history
    .venv/bin/python benchmarks/import.py --synthetic /tmp/stridewell-history

FIT: Stridewell vs fitdecode and garmin-fit-sdk; GPX: vs gpxpy; TCX: vs tcxreader (all
benchmark-only dependencies). Every decoder reads the same bytes from memory, one file after
another on one core; the best of ``--repeat`` passes counts. Records are the samples
(FIT record messages, GPX track points, TCX trackpoints) as Stridewell counts them, so the
rates compare like with like. The lead will add ``--history`` (import into a database).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

from stridewell.activities import ImportProblem, read_activities

REAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "activity-files"


def ours(data: bytes) -> int:
    try:
        return sum(len(a.samples) for a in read_activities(io.BytesIO(data)))
    except ImportProblem:
        return 0


def fitdecode_read(data: bytes) -> None:
    import fitdecode  # type: ignore[import-untyped]

    with fitdecode.FitReader(
        io.BytesIO(data),
        check_crc=fitdecode.CrcCheck.WARN,
        error_handling=fitdecode.ErrorHandling.WARN,
    ) as reader:
        for _frame in reader:
            pass


def garmin_read(data: bytes) -> None:
    from garmin_fit_sdk import Decoder, Stream

    Decoder(Stream.from_byte_array(bytearray(data))).read()


def gpxpy_read(data: bytes) -> None:
    import gpxpy

    gpxpy.parse(data.decode("utf-8-sig"))


def tcxreader_read(data: bytes) -> None:
    from tcxreader.tcxreader import TCXReader  # type: ignore[import-untyped]

    # tcxreader only reads from a path.
    with tempfile.NamedTemporaryFile(suffix=".tcx") as handle:
        handle.write(data)
        handle.flush()
        TCXReader().read(handle.name)


def best_time(fn: Callable[[bytes], object], files: list[bytes], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        for data in files:
            # A library that fails on a broken file still spent its time on it.
            with contextlib.suppress(Exception):
                fn(data)
        best = min(best, time.perf_counter() - began)
    return best


def bench(title: str, files: list[bytes], rivals: Mapping[str, Callable[[bytes], object]],
          repeat: int) -> None:  # fmt: skip
    if not files:
        return
    records = sum(ours(d) for d in files)
    size = sum(len(d) for d in files) / 1e6
    ours_s = best_time(ours, files, repeat)
    print(f"\n{title}: {len(files)} files, {size:.1f} MB, {records:,} records")
    print(f"  {'decoder':<16}{'seconds':>9}{'records/s':>13}{'MB/s':>8}{'Stridewell is':>16}")
    rows = [("stridewell", ours_s)]
    rows += [(name, best_time(fn, files, repeat)) for name, fn in rivals.items()]
    for name, seconds in rows:
        ratio = "" if name == "stridewell" else f"{seconds / ours_s:.1f}x faster"
        print(f"  {name:<16}{seconds:>9.3f}{records / seconds:>13,.0f}{size / seconds:>8.1f}"
              f"{ratio:>16}")  # fmt: skip


def load(paths: list[Path], suffix: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted(paths) if p.name.lower().endswith(suffix)]


_HISTORY_CHILD = """
import json, os, resource, sys, threading, time
from stridewell.service import Stridewell

def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

def descendants(root):
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found

# The decoders run in worker processes (children of a fork server), which getrusage of
# this process does not see: sample the whole process tree instead.
peak = {"total": 0, "workers": 0}
done = threading.Event()
def sample():
    while not done.wait(0.1):
        workers = [rss_kb(pid) for pid in descendants(os.getpid())]
        peak["total"] = max(peak["total"], rss_kb(os.getpid()) + sum(workers))
        peak["workers"] = max([peak["workers"], *workers])
threading.Thread(target=sample, daemon=True).start()
with Stridewell(sys.argv[1]) as sw:
    sw.upgrade_database()
    began = time.perf_counter()
    report = sw.local().training.import_paths([sys.argv[2]])
    elapsed = time.perf_counter() - began
done.set()
print(json.dumps({"seconds": elapsed, "imported": report.imported,
                  "duplicates": len(report.duplicates), "set_aside": len(report.set_aside),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mb": peak["workers"] / 1024,
                  "tree_peak_mb": peak["total"] / 1024}))
"""


def history(folder: Path) -> None:
    """Import a synthetic history into a fresh SQLite database, then again (all duplicates).

    Each import runs in its own process, so its peak memory is its own.
    """
    import json
    import subprocess
    import tempfile

    files = sum(1 for _ in folder.iterdir())
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/history.db"
        for label in ("first import", "second import (all duplicates)"):
            done = subprocess.run([sys.executable, "-c", _HISTORY_CHILD, url, str(folder)],
                                  capture_output=True, text=True, check=True)  # fmt: skip
            result = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{label:32s} {files} files: {result['seconds']:7.1f} s, "
                  f"peak {result['peak_mb']:4.0f} MB main, {result['worker_peak_mb']:4.0f} MB per "
                  f"decoder process, {result['tree_peak_mb']:4.0f} MB all processes together, "
                  f"imported {result['imported']}, "
                  f"duplicates {result['duplicates']}, set aside {result['set_aside']}")  # fmt: skip
    print("targets: first import < 60 s and < 500 MB; second import < 10 s")
    print("(sampled every 0.1 s, so the all-processes figure may miss a brief peak)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=Path, help="folder written by make_history.py")
    parser.add_argument("--limit", type=int, default=30, help="synthetic files per format")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--history", type=Path, metavar="FOLDER",
                        help="import FOLDER into a fresh SQLite database (twice), time and memory")  # fmt: skip
    args = parser.parse_args()
    if args.history:
        history(args.history)
        return
    warnings.simplefilter("ignore")
    fit_rivals = {"fitdecode": fitdecode_read, "garmin-fit-sdk": garmin_read}
    if args.synthetic:
        files = sorted(args.synthetic.iterdir())
        bench("FIT, synthetic 1 Hz runs", load(files, ".fit")[: args.limit], fit_rivals,
              args.repeat)  # fmt: skip
        bench("GPX, synthetic 1 Hz runs", load(files, ".gpx")[: args.limit],
              {"gpxpy": gpxpy_read}, args.repeat)  # fmt: skip
    if REAL.is_dir():
        real_fit = [p for p in (REAL / "fit").iterdir() if p.suffix.lower() == ".fit"]
        bench("FIT, real files (tests/data/activity-files)", load(real_fit, ".fit"), fit_rivals,
              args.repeat)  # fmt: skip
        bench("GPX, real files", load(list((REAL / "gpx").iterdir()), ".gpx"),
              {"gpxpy": gpxpy_read}, args.repeat)  # fmt: skip
        bench("TCX, real files", load(list((REAL / "tcx").iterdir()), ".tcx"),
              {"tcxreader": tcxreader_read}, args.repeat)  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()

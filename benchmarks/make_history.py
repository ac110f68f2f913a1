"""Write a synthetic history of one-hour runs at 1 Hz, as FIT and GPX files.

    .venv/bin/python benchmarks/make_history.py --runs 1000 --out /tmp/stridewell-history

Each run starts one day after the previous one; the FIT and GPX of the same day are the
same run (so a second import of both formats finds duplicates). The FIT writer lives in
tests/activities/synthetic.py, shared with the tests.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "activities"))

from synthetic import synthetic_run, write_fit, write_gpx


def make_history(out: Path, runs: int, seconds: int, formats: list[str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    start = datetime(2020, 1, 1, 6, 30, tzinfo=UTC)
    written = 0
    for i in range(runs):
        run = synthetic_run(i, start + timedelta(days=i), seconds)
        if "fit" in formats:
            (out / f"run-{i:05d}.fit").write_bytes(write_fit(run))
            written += 1
        if "gpx" in formats:
            (out / f"run-{i:05d}.gpx").write_bytes(write_gpx(run))
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=3600, help="length of each run at 1 Hz")
    parser.add_argument("--out", type=Path, default=Path("/tmp/stridewell-history"))
    parser.add_argument("--formats", default="fit,gpx")
    args = parser.parse_args()
    began = time.perf_counter()
    count = make_history(args.out, args.runs, args.seconds, args.formats.split(","))
    print(f"wrote {count} files to {args.out} in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()

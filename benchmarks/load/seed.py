"""Seed a load-test database: runner accounts with the demo data and the shared activity
files, and a pool of Strava-export zips of synthetic runs for the uploaders.

Runs against whichever Stridewell is first on the path (this tree, or an earlier commit's
``src`` on PYTHONPATH), through its service only, so the same script seeds both sides of
a side-by-side run::

    PYTHONPATH=/tmp/sw-baseline/src .venv/bin/python benchmarks/load/seed.py URL --runners 20
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path("/work/shared/activity-files")
PASSWORD = "load-test-password-1"


def email(index: int) -> str:
    return f"runner{index:03d}@load.test"


def activity_files() -> list[Path]:
    """The real activity files: the shared collection, else the tests' own copy."""
    root = SHARED if SHARED.is_dir() else ROOT / "tests" / "data" / "activity-files"
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in (".fit", ".gpx", ".tcx"))


def write_zips(out: Path, count: int, runs: int, seconds: int) -> list[str]:
    """``count`` Strava-like export zips of ``runs`` one-run FIT files each, every zip
    of different days, so each upload decodes and stores new activities."""
    sys.path.insert(0, str(ROOT / "tests" / "activities"))
    from synthetic import synthetic_run, write_fit

    out.mkdir(parents=True, exist_ok=True)
    names = []
    start = datetime(2024, 1, 1, 6, 30, tzinfo=UTC)
    for z in range(count):
        path = out / f"export-{z:02d}.zip"
        if not path.exists():
            with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
                for i in range(runs):
                    run = synthetic_run(i, start + timedelta(days=z * runs + i), seconds)
                    archive.writestr(f"activities/{z:02d}{i:04d}.fit", write_fit(run))
        names.append(str(path))
    return names


def seed(url: str, runners: int, uploaders: int, sessions: Path | None) -> dict[str, object]:
    """Accounts with data (only those missing are added), and, if ``sessions`` names a
    file, a fresh sign-in session for every account written there (email: cookie)."""
    from stridewell.demo import load_demo
    from stridewell.service import Stridewell

    files = activity_files()
    with Stridewell(url) as service:
        service.upgrade_database()
        for index in range(runners):
            found = service.accounts.account_by_email(email(index))
            account = found or service.accounts.register(email(index), PASSWORD, f"Runner {index}")
            if found is not None:
                continue
            runner = service.for_runner(account.runner_id)
            load_demo(runner)
            runner.training.import_paths(files)
        for index in range(uploaders):
            address = f"uploader{index:03d}@load.test"
            if service.accounts.account_by_email(address) is None:
                service.accounts.register(address, PASSWORD, f"Uploader {index}")
        if sessions is not None:
            emails = [email(i) for i in range(runners)]
            emails += [f"uploader{i:03d}@load.test" for i in range(uploaders)]
            tokens = {}
            for address in emails:
                account = service.accounts.account_by_email(address)
                assert account is not None
                tokens[address] = service.accounts.start_session(account)
            sessions.write_text(json.dumps(tokens))
    return {"runners": runners, "files": len(files)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--runners", type=int, default=20)
    parser.add_argument("--uploaders", type=int, default=8)
    parser.add_argument("--sessions", type=Path, default=None, help="write sessions here")
    parser.add_argument("--zips", type=Path, default=None, help="folder for the upload zips")
    parser.add_argument("--zip-count", type=int, default=8)
    parser.add_argument("--zip-runs", type=int, default=40)
    parser.add_argument("--zip-seconds", type=int, default=3600)
    args = parser.parse_args()
    began = time.perf_counter()
    result = seed(args.url, args.runners, args.uploaders, args.sessions)
    if args.zips is not None:
        result["zips"] = write_zips(args.zips, args.zip_count, args.zip_runs, args.zip_seconds)
    result["seconds"] = round(time.perf_counter() - began, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""The load test: this tree against an earlier commit, on PostgreSQL, on 127.0.0.1 only.

    .venv/bin/python benchmarks/load/run.py [--baseline /tmp/sw-baseline] [--seconds 30]

Make the earlier commit's tree first, outside the repository::

    git worktree add /tmp/sw-baseline cef4131

Each side gets its own database (``sw_load_new``, ``sw_load_base`` on the server of
``STRIDEWELL_TEST_POSTGRES_URL``), seeded through its own code: runner accounts with the
demo data and the shared activity files, uploader accounts, and a pool of Strava-export
zips. Then, side by side and alternating (new, old, new, old ...):

1. **saturation**: N app processes, ``--users`` runners with no pause between requests
   (sign in, /today, /training, the report, /journal, /, check-ins): pages per second
   and p50/p95/p99 per page, errors.
2. **curve** (this tree): the same at 1, 2 and 4 app processes.
3. **import**: 100 pages per second arriving (``--paced-users`` users, 54 by default, at
   2 tasks a second) while uploaders import zips in a loop, each zip new to its uploader:
   p95 per page, imports completed, and the share of the measured time during which an
   import was in progress (checked, not assumed).
4. **kill** (this tree): the import run again, killing one app process and the import
   worker mid-run; then every acknowledged check-in must be in the database and every
   import complete.

Every Locust run is headless and bounded in users and time. Prints a table and writes
the figures as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
# `stridewell ...` of the tree on PYTHONPATH (the installed script may be another tree's).
STRIDEWELL = (PYTHON, "-c", "from stridewell.cli.entry import run; run()")
ADMIN_URL = os.environ.get(
    "STRIDEWELL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PAGES = ("/today", "/training", "/assessments/{id} (report)", "/journal", "/")
RUNNER_REQUESTS = (*PAGES, "check-in")
UPLOADER_SETS = 4  # runs with uploaders in one invocation: each has uploaders of its own
_uploader_sets = iter(range(UPLOADER_SETS))


@dataclass
class Side:
    """One code tree: its ``src``, its database and its data folder."""

    name: str
    src: Path
    database: str
    own_serve: bool  # has `serve --workers` (else uvicorn runs benchmarks/load/asgi.py)
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="sw-load-")))

    @property
    def sessions(self) -> Path:
        return self.data_dir / "sessions.json"

    @property
    def url(self) -> str:
        return make_url(ADMIN_URL).set(database=self.database).render_as_string(False)

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(self.src),
            "STRIDEWELL_DATABASE_URL": self.url,
            "STRIDEWELL_DATA_DIR": str(self.data_dir),
            "STRIDEWELL_CACHE_DIR": str(self.data_dir / "cache"),
        }

    def upload_path(self) -> str:
        if (self.src / "stridewell" / "web" / "api_imports.py").exists():
            return "/api/v1/imports"  # a job, imported by `stridewell worker`
        return "/api/v1/activities/import"  # imported inside the request

    def has_worker(self) -> bool:
        return (self.src / "stridewell" / "cli" / "worker.py").exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def ensure_database(name: str, fresh: bool) -> None:
    admin = create_engine(ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if fresh:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        found = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not found:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def reset_uploaders(side: Side) -> None:
    """Remove the uploaders (their runs cascade): every run then imports new runs, not
    duplicates of an earlier invocation's."""
    engine = create_engine(side.url, poolclass=NullPool)
    with engine.begin() as connection:
        if _has(connection, "accounts"):
            connection.execute(text(
                "DELETE FROM runners WHERE id IN (SELECT runner_id FROM accounts "
                "WHERE email LIKE 'uploader%@load.test')"))  # fmt: skip
    engine.dispose()


def seed(side: Side, args: argparse.Namespace, zips: Path) -> None:
    command = [PYTHON, str(HERE / "seed.py"), side.url, "--runners", str(args.runners),
               "--uploaders", str(args.uploaders * UPLOADER_SETS), "--zips", str(zips),
               "--zip-count", str(args.zip_count), "--zip-runs", str(args.zip_runs),
               "--sessions", str(side.sessions)]  # fmt: skip
    began = time.perf_counter()
    subprocess.run(command, env=side.env(), check=True, stdout=subprocess.DEVNULL)
    # Earlier invocations leave dead rows (removed uploaders, revised check-ins): both
    # sides start each invocation vacuumed and analysed, as a database that autovacuum
    # keeps up with. (--fresh starts from new databases altogether.)
    engine = create_engine(side.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM (ANALYZE)"))
    engine.dispose()
    print(f"  seeded {side.name} in {time.perf_counter() - began:.0f} s", flush=True)


class Server:
    """An app (``processes`` uvicorn workers on one port) and, if asked, import workers."""

    def __init__(
        self, side: Side, processes: int, import_workers: int, baseline_server: list[str]
    ) -> None:
        args_baseline_server = baseline_server
        self.side, self.port = side, free_port()
        env = side.env()
        if side.own_serve:
            command = [*STRIDEWELL, "serve", "--multi-user",
                       "--port", str(self.port), "--workers", str(processes),
                       "--trusted-proxy", "127.0.0.1"]  # fmt: skip
        else:
            command = [PYTHON, "-m", "uvicorn", "asgi:app", "--factory", "--app-dir", str(HERE),
                       "--port", str(self.port), "--workers", str(processes),
                       "--no-proxy-headers", *args_baseline_server]  # fmt: skip
        self.log = open(side.data_dir / f"server-{self.port}.log", "w")  # noqa: SIM115
        self.app = subprocess.Popen(command, env=env, stdout=self.log, stderr=self.log,
                                    start_new_session=True)  # fmt: skip
        self.workers = [self._worker() for _ in range(import_workers if side.has_worker() else 0)]
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/api/v1/health", timeout=2).close()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{side.name} did not start: see {self.log.name}")

    def _worker(self) -> subprocess.Popen[bytes]:
        command = [*STRIDEWELL, "worker", "--stalled-after", "5",
                   "--heartbeat", "1"]  # fmt: skip
        # In a session of its own, as systemd starts it: the worker lowers its priority
        # and its session's (`worker --nice`, 10 by default), so pages keep the cores.
        return subprocess.Popen(command, env=self.side.env(), stdout=self.log, stderr=self.log,
                                start_new_session=True)  # fmt: skip

    def app_processes(self) -> list[int]:
        children = Path(f"/proc/{self.app.pid}/task/{self.app.pid}/children")
        pids = [int(p) for p in children.read_text().split()] if children.exists() else []
        # uvicorn's supervisor also starts a resource tracker: the workers are the others.
        return [
            p for p in pids if b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes()
        ]

    def cpu_seconds(self) -> float:
        total = 0.0
        for pid in [self.app.pid, *self.app_processes()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def kill_one_app_process(self) -> int:
        victim = self.app_processes()[0]
        os.kill(victim, signal.SIGKILL)
        return victim

    def kill_import_worker(self) -> int | None:
        if not self.workers:
            return None
        victim = self.workers.pop(0)
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        self.workers.append(self._worker())
        return victim.pid

    def stop(self) -> None:
        for process in [self.app, *self.workers]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [self.app, *self.workers]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.log.close()


def locust(server: Server, users: int, seconds: int, args: argparse.Namespace, *,
           pace: float = 0.0, uploaders: int = 0, zips: list[str] | None = None,
           during: list[tuple[float, str]] | None = None) -> dict[str, object]:  # fmt: skip
    """One headless Locust run; returns the stats per request name (after the warm-up)."""
    out = Path(tempfile.mkdtemp(prefix="sw-locust-"))
    env = {**os.environ, "LOAD_RUNNERS": str(args.runners), "LOAD_PACE": str(pace),
           "LOAD_UPLOADERS": str(uploaders), "LOAD_ZIPS": ",".join(zips or []),
           "LOAD_LOG": str(out / "acknowledged.jsonl"), "LOAD_WARMUP": str(args.warmup),
           "LOAD_SESSIONS": str(server.side.sessions),
           "LOAD_UPLOAD_PATH": server.side.upload_path(),
           "LOAD_UPLOADER_FIRST": str(next(_uploader_sets) * uploaders if uploaders else 0)}  # fmt: skip
    classes = ["Runner", "Uploader"] if uploaders else ["Runner"]
    command = [PYTHON, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
               "-u", str(users), "-r", str(users), "-t", f"{seconds + args.warmup}s",
               "--host", server.base, "--csv", str(out / "run"), "--only-summary",
               "--stop-timeout", "30", "--loglevel", "WARNING", *classes]  # fmt: skip
    cpu_before = server.cpu_seconds()
    began = time.time()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=open(out / "locust.log", "w"))  # noqa: SIM115  # fmt: skip
    events: list[str] = []
    warm = False
    for at, action in sorted(during or []):
        while time.time() - began < args.warmup + at:
            time.sleep(0.1)
        if action == "app":
            events.append(f"killed app process {server.kill_one_app_process()} at {at:.0f} s")
        elif action == "worker":
            events.append(f"killed import worker {server.kill_import_worker()} at {at:.0f} s")
    while process.poll() is None:
        if not warm and time.time() - began >= args.warmup:
            cpu_before, warm = server.cpu_seconds(), True
        time.sleep(0.2)
    cpu = server.cpu_seconds() - cpu_before
    stats = read_stats(out / "run_stats.csv")
    acknowledged = [json.loads(line) for line in (out / "acknowledged.jsonl").open()] if (
        out / "acknowledged.jsonl").exists() else []  # fmt: skip
    runner_requests = sum(int(stats[n]["Request Count"]) for n in RUNNER_REQUESTS if n in stats)
    rate = sum(float(stats[n]["Requests/s"]) for n in RUNNER_REQUESTS if n in stats)
    return {
        "users": users, "seconds": seconds, "pace": pace, "uploaders": uploaders,
        "pages_per_s": round(rate, 1),
        "server_cpu_ms_per_request": round(1000 * cpu / max(runner_requests, 1), 2),
        "errors": sum(int(row["Failure Count"]) for name, row in stats.items() if name != "Aggregated"),
        "per_page": {n: {"count": int(stats[n]["Request Count"]), "p50": _ms(stats[n]["50%"]),
                         "p95": _ms(stats[n]["95%"]), "p99": _ms(stats[n]["99%"]),
                         "failures": int(stats[n]["Failure Count"])}
                     for n in stats if n != "Aggregated"},
        "imports_completed": sum(1 for a in acknowledged if a["kind"] == "import"),
        "imports_storing_runs": sum(1 for a in acknowledged if a["kind"] == "import"
                                    and (a.get("runs") or 0) > 0),
        "import_busy_share": import_busy_share(acknowledged, began + args.warmup,
                                               began + args.warmup + seconds),
        "checkins_acknowledged": [a for a in acknowledged if a["kind"] == "checkin"],
        "events": events, "started": began, "output": str(out),
    }  # fmt: skip


def import_busy_share(acknowledged: list[dict[str, Any]], start: float, end: float) -> float:
    """The share of the measured window during which at least one upload that stored runs
    was being imported (from its upload to its job's end): "while an import runs" checked,
    not assumed (an uploader that ran out of new zips would upload only duplicates)."""
    spans = sorted(
        (max(a["at"] - a["seconds"], start), min(a["at"], end))
        for a in acknowledged
        if a["kind"] == "import" and (a.get("runs") or 0) > 0
    )
    busy, reached = 0.0, start
    for begin, finish in spans:
        begin = max(begin, reached)
        if finish > begin:
            busy += finish - begin
            reached = finish
    return round(busy / (end - start), 2) if end > start else 0.0


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def read_stats(path: Path) -> dict[str, dict[str, str]]:
    with path.open() as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def check_database(side: Side, run: dict[str, object]) -> dict[str, object]:
    """After a kill: acknowledged check-ins stored, and no import left half done."""
    engine = create_engine(side.url, poolclass=NullPool)
    started = float(run["started"])  # type: ignore[arg-type]
    acknowledged = run.pop("checkins_acknowledged")
    assert isinstance(acknowledged, list)
    with engine.connect() as connection:
        stored = connection.scalar(
            text("SELECT count(*) FROM journal_revisions WHERE recorded_at >= to_timestamp(:t)"),
            {"t": started},
        )
        jobs = dict(connection.execute(
            text("SELECT status, count(*) FROM import_jobs GROUP BY status")).all()) if _has(
            connection, "import_jobs") else {}  # fmt: skip
        mismatched = connection.scalar(text(
            "SELECT count(*) FROM import_files f WHERE f.activities <> (SELECT count(*) FROM "
            "activities a WHERE a.runner_id = f.runner_id AND a.source_name = f.source_name)"))  # fmt: skip
    engine.dispose()
    return {
        "checkins_acknowledged": len(acknowledged),
        "checkin_revisions_stored": stored,
        "lost_checkins": max(0, len(acknowledged) - int(stored or 0)),
        "import_jobs": {str(k): int(v) for k, v in jobs.items()},
        "files_with_missing_activities": mismatched,
    }


def _has(connection: object, table: str) -> bool:
    found = connection.scalar(text("SELECT to_regclass(:t)"), {"t": table})  # type: ignore[attr-defined]
    return found is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, default=Path("/tmp/sw-baseline"))
    parser.add_argument("--tree", type=Path, default=ROOT, help="the tree to measure")
    parser.add_argument("--seconds", type=int, default=30, help="measured seconds per run")
    parser.add_argument("--warmup", type=int, default=8, help="seconds before measuring")
    parser.add_argument("--users", type=int, default=32, help="runners at saturation")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--curve", default="1,2,4")
    parser.add_argument("--rounds", type=int, default=2, help="alternations at saturation")
    # 54 users at 2 tasks a second offer 101 pages a second: one task in 16 is a sign-in
    # that makes a request once in 16 times.
    parser.add_argument("--paced-users", type=int, default=54, help="users at 2 tasks/s")
    parser.add_argument("--runners", type=int, default=20)
    parser.add_argument("--uploaders", type=int, default=2)
    parser.add_argument("--import-workers", type=int, default=2)
    # Enough different zips that no uploader repeats one (a repeat is all duplicates).
    parser.add_argument("--zip-count", type=int, default=48)
    parser.add_argument("--zip-runs", type=int, default=100)
    parser.add_argument(
        "--baseline-server",
        default="",
        help="uvicorn options for the earlier commit (default: the same uvicorn as this "
        "tree's; '--http h11 --loop asyncio' is what its own dependencies installed)",
    )
    parser.add_argument("--fresh", action="store_true", help="drop and seed the databases anew")
    parser.add_argument("--only", default="saturation,curve,import,kill")
    parser.add_argument("--out", type=Path, default=Path("/tmp/sw-load-results.json"))
    parser.add_argument("--markdown", type=Path, default=None, help="write the tables here")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    new = Side(f"this tree {_commit(args.tree)}", args.tree / "src", "sw_load_new", own_serve=True)
    sides = [new]
    if args.baseline.is_dir() and parts & {"saturation", "import"}:
        sides.append(Side(f"baseline {_commit(args.baseline)}", args.baseline / "src",
                          "sw_load_base", own_serve=False))  # fmt: skip
    zips_dir = Path(tempfile.gettempdir()) / "sw-load-zips"
    for side in sides:
        ensure_database(side.database, args.fresh)
        reset_uploaders(side)
        seed(side, args, zips_dir)
    zips = sorted(str(p) for p in zips_dir.glob("export-*.zip"))[: args.zip_count]
    results: dict[str, object] = {"machine": f"{os.cpu_count()} cores", "zips": len(zips),
                                  "zip_mb": round(Path(zips[0]).stat().st_size / 2**20, 1)}  # fmt: skip

    def run(side: Side, processes: int, workers: int, **kwargs: object) -> dict[str, object]:
        server = Server(side, processes, workers, args.baseline_server.split())
        try:
            result = locust(server, **kwargs)  # type: ignore[arg-type]
        finally:
            server.stop()
        if "kill" in str(kwargs.get("during", "")) or kwargs.get("during"):
            result["database"] = check_database(side, result)
        else:
            result.pop("checkins_acknowledged", None)
        print(f"  {side.name:>22}: {processes} proc  {result['pages_per_s']:7.1f} pages/s  "
              f"cpu {result['server_cpu_ms_per_request']:5.2f} ms/req  errors {result['errors']}  "
              f"imports {result['imports_completed']} (busy {result['import_busy_share']})", flush=True)  # fmt: skip
        return result

    if "saturation" in parts:
        print("saturation", flush=True)
        runs: dict[str, list[dict[str, object]]] = {s.name: [] for s in sides}
        for _ in range(args.rounds):
            for side in sides:
                runs[side.name].append(run(side, args.processes, 0, users=args.users,
                                           seconds=args.seconds, args=args))  # fmt: skip
        results["saturation"] = runs
    if "curve" in parts:
        print("curve (this tree)", flush=True)
        results["curve"] = {
            n: run(new, int(n), 0, users=args.users, seconds=args.seconds, args=args)
            for n in args.curve.split(",")
        }
    if "import" in parts:
        print("100 pages/s while importing", flush=True)
        results["import"] = {
            side.name: run(side, args.processes, args.import_workers, users=args.paced_users
                           + args.uploaders, seconds=args.seconds, args=args, pace=2.0,
                           uploaders=args.uploaders, zips=zips)
            for side in sides
        }  # fmt: skip
    if "kill" in parts:
        print("kill an app process and an import worker mid-run (this tree)", flush=True)
        third = args.seconds / 3
        results["kill"] = run(new, args.processes, args.import_workers,
                              users=args.paced_users + args.uploaders, seconds=args.seconds,
                              args=args, pace=2.0, uploaders=args.uploaders, zips=zips,
                              during=[(third, "app"), (2 * third, "worker")])  # fmt: skip
    args.out.write_text(json.dumps(results, indent=1, default=str))
    report = markdown(results, args)
    if args.markdown is not None:
        args.markdown.write_text(report)
    print(report)
    print(f"figures: {args.out}")


def markdown(results: dict[str, Any], args: argparse.Namespace) -> str:
    """The figures as the tables of benchmarks/load/RESULTS.md."""
    out = [f"# Load test ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})", "",
           f"`benchmarks/load/run.py`, {results['machine']} shared by PostgreSQL, the app, "
           f"the import workers and Locust; {args.runners} runners, {args.seconds} s measured "
           f"after {args.warmup} s; zips of {args.zip_runs} one-hour runs "
           f"({results['zip_mb']} MB).", ""]  # fmt: skip

    def page_rows(run: dict[str, Any]) -> list[str]:
        rows = []
        for name, page in sorted(run["per_page"].items()):
            if page["count"]:
                rows.append(f"| {name} | {page['count']} | {page['p50']} | {page['p95']} | "
                            f"{page['p99']} | {page['failures']} |")  # fmt: skip
        return ["| request | count | p50 ms | p95 ms | p99 ms | errors |", "|---|---|---|---|---|---|",
                *rows, ""]  # fmt: skip

    if "saturation" in results:
        out += [f"## Saturation: {args.processes} app processes, {args.users} users, no pause", "",
                "| side | pages/s per round | median | server CPU ms/request | errors |",
                "|---|---|---|---|---|"]  # fmt: skip
        medians = {}
        for side, runs in results["saturation"].items():
            rates = [r["pages_per_s"] for r in runs]
            medians[side] = round(statistics.median(rates), 1)
            cpu = round(statistics.median(r["server_cpu_ms_per_request"] for r in runs), 1)
            errors = sum(r["errors"] for r in runs)
            out.append(
                f"| {side} | {', '.join(map(str, rates))} | {medians[side]} | {cpu} | {errors} |"
            )
        if len(medians) == 2:
            new, old = medians.values()
            out += ["", f"Throughput ratio, this tree / earlier commit: **{new / old:.2f}x**"]
        for side, runs in results["saturation"].items():
            out += ["", f"Last round, {side}:", "", *page_rows(runs[-1])]
    if "curve" in results:
        out += ["## App processes (this tree, saturation)", "",
                "| processes | pages/s | server CPU ms/request | errors |", "|---|---|---|---|"]  # fmt: skip
        for n, run in results["curve"].items():
            out.append(
                f"| {n} | {run['pages_per_s']} | {run['server_cpu_ms_per_request']} | {run['errors']} |"
            )
        out.append("")
    if "import" in results:
        out += [f"## 100 pages/s arriving while {args.uploaders} uploaders import zips", ""]
        for side, run in results["import"].items():
            out += [f"{side}: {run['pages_per_s']} pages/s answered, {run['imports_completed']} "
                    f"imports completed ({run.get('imports_storing_runs')} storing new runs; an "
                    f"import in progress {100 * run.get('import_busy_share', 0):.0f} % of the "
                    f"measured time), {run['errors']} errors.", "", *page_rows(run)]  # fmt: skip
    if "kill" in results:
        run = results["kill"]
        out += ["## Killing an app process and an import worker mid-run (this tree)", "",
                f"{'; '.join(run['events'])}.", "",
                f"Database afterwards: `{json.dumps(run.get('database'))}`. Errors: "
                f"{run['errors']} (requests in flight on the killed process).", "",
                *page_rows(run)]  # fmt: skip
    return "\n".join(out) + "\n"


def _commit(tree: Path) -> str:
    found = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
                           capture_output=True, text=True, check=False)  # fmt: skip
    return found.stdout.strip() or tree.name


if __name__ == "__main__":
    main()

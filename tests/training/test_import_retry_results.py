"""A job attempt that stored its files and died before recording their results: the next
attempt reports each file as a clean run would, whether the file brought runs, only runs
stored before (a duplicate by its runs), or none at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from repo_paths import ACTIVITY_FILES
from stridewell.jobs.pipeline import FileResult, import_files
from stridewell.service import Stridewell
from stridewell.service.imports import originals_keeper

RUN_FIT = ACTIVITY_FILES / "fit" / "activity-small-fenix2-run.fit"
KORITA_GPX = ACTIVITY_FILES / "gpx" / "korita-zbevnica.gpx"


def _files(tmp_path: Path) -> list[Path]:
    """A run, a second file with exactly that run's bytes under another name, and a GPX."""
    folder = tmp_path / "upload"
    folder.mkdir()
    first = folder / "a-run.fit"
    first.write_bytes(RUN_FIT.read_bytes())
    again = folder / "b-same-run-other-name.fit"
    # Same run, different file digest: one more byte after the FIT file's end.
    again.write_bytes(RUN_FIT.read_bytes() + b"\0")
    gpx = folder / "c-hills.gpx"
    gpx.write_bytes(KORITA_GPX.read_bytes())
    return [first, again, gpx]


def _import(
    sw: Stridewell, runner: str, paths: list[Path], started: datetime | None
) -> list[tuple[str, str, int]]:
    got: list[FileResult] = []
    backend = sw._backend
    import_files(
        backend,
        runner,
        paths,
        names={str(p): p.name for p in paths},
        originals=originals_keeper(backend, runner),
        on_chunk=got.extend,
        started=started,
    )
    return [(r.name, r.result, r.runs) for r in sorted(got, key=lambda r: r.ordinal)]


def test_a_retry_after_an_attempt_died_reports_every_file_as_a_clean_run_does(
    tmp_path: Path,
) -> None:
    with Stridewell(f"sqlite:///{tmp_path / 'retry.db'}") as sw:
        sw.upgrade_database()
        clean = sw.accounts.register("clean@example.org", "correct horse battery", "C")
        retried = sw.accounts.register("retry@example.org", "correct horse battery", "R")
        paths = _files(tmp_path)
        expected = _import(sw, clean.runner_id, paths, None)

        started = datetime.now(UTC) - timedelta(seconds=1)
        _import(sw, retried.runner_id, paths, started)  # stored, results lost with the worker
        assert _import(sw, retried.runner_id, paths, started) == expected
        assert [result for _, result, _ in expected] == ["imported", "duplicate", "imported"]

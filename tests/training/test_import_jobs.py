"""Import jobs through the service: on SQLite they run in process; on PostgreSQL the uploads
are kept in the database with the job until a worker runs it. Either way the report lists
every file under the name the runner gave it, with its result, the plain reason and the
runs it added, and a second import of the same files adds nothing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pg_schemas import postgres_schema_url
from repo_paths import ACTIVITY_FILES
from stridewell.errors import NotFound
from stridewell.jobs.imports import run_job
from stridewell.service import Stridewell
from stridewell.service.imports import SAME_FILE, kept_originals

FENIX_RUN = ACTIVITY_FILES / "fit" / "activity-small-fenix2-run.fit"
KORITA_GPX = ACTIVITY_FILES / "gpx" / "korita-zbevnica.gpx"
SETTINGS_FIT = ACTIVITY_FILES / "fit" / "Settings.fit"
PASSWORD = "correct horse battery"


def uploads(tmp_path: Path) -> list[tuple[str, Path]]:
    """Three files as a browser would hand them over: our own paths, the runner's names."""
    named = {
        "Morning run.fit": FENIX_RUN,
        "Korita hills.gpx": KORITA_GPX,
        "watch settings.fit": SETTINGS_FIT,
    }
    found = []
    for index, (name, source) in enumerate(named.items()):
        path = tmp_path / f"upload-{index}{source.suffix}"
        path.write_bytes(source.read_bytes())
        found.append((name, path))
    return found


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stridewell]:
    if request.param == "sqlite":
        with Stridewell(f"sqlite:///{tmp_path / 'jobs.db'}") as sw:
            sw.upgrade_database()
            yield sw
        return
    with postgres_schema_url() as url, Stridewell(url) as sw:
        sw.upgrade_database()
        yield sw


def run_queued(service: Stridewell, job_id: str) -> None:
    """What a worker does with a queued job (PostgreSQL), here in the test's process."""
    if service.database_url.startswith("postgresql"):
        run_job(service._backend, job_id, "test-worker")


def test_the_report_lists_each_file_by_its_uploaded_name_with_result_reason_and_runs(
    service: Stridewell, tmp_path: Path
) -> None:
    runner = service.accounts.register("a@example.org", PASSWORD, "A").runner_id
    jobs = service.import_jobs(runner)

    job_id = jobs.submit(uploads(tmp_path))
    run_queued(service, job_id)
    view = jobs.status(job_id)

    assert view.status == "done" and view.finished
    rows = [(f.name, f.result, f.runs) for f in view.files]
    assert rows == [
        ("Morning run.fit", "imported", 1),
        ("Korita hills.gpx", "imported", 1),
        ("watch settings.fit", "skipped", 0),
    ]
    assert view.files[2].reason  # a plain reason, not an empty one
    assert (
        view.summary == "2 files imported (2 runs added), 0 duplicates skipped, 1 file not imported"
    )
    names = {a.source_name for a in service.for_runner(runner).training.activities(limit=None)}
    assert names == {"Morning run.fit", "Korita hills.gpx"}  # never "upload-0.fit"


def test_the_same_files_again_are_reported_as_duplicates_and_add_no_runs(
    service: Stridewell, tmp_path: Path
) -> None:
    runner = service.accounts.register("b@example.org", PASSWORD, "B").runner_id
    jobs = service.import_jobs(runner)
    run_queued(service, jobs.submit(uploads(tmp_path)))

    again = jobs.submit(uploads(tmp_path))
    run_queued(service, again)

    view = jobs.status(again)
    assert [(f.result, f.reason, f.runs) for f in view.files[:2]] == [
        ("duplicate", SAME_FILE, 0)
    ] * 2
    assert len(service.for_runner(runner).training.activities(limit=None)) == 2


def test_a_finished_job_run_again_changes_nothing(service: Stridewell, tmp_path: Path) -> None:
    runner = service.accounts.register("c@example.org", PASSWORD, "C").runner_id
    jobs = service.import_jobs(runner)
    job_id = jobs.submit(uploads(tmp_path))
    run_queued(service, job_id)
    before = jobs.status(job_id)

    run_job(service._backend, job_id, "late-retry")  # a retry arriving after the end

    assert jobs.status(job_id) == before


def test_another_runners_job_is_not_found(service: Stridewell, tmp_path: Path) -> None:
    owner = service.accounts.register("d@example.org", PASSWORD, "D").runner_id
    other = service.accounts.register("e@example.org", PASSWORD, "E").runner_id
    job_id = service.import_jobs(owner).submit(uploads(tmp_path))

    with pytest.raises(NotFound):
        service.import_jobs(other).status(job_id)


@pytest.mark.postgres
def test_on_postgresql_the_job_waits_with_its_files_in_the_database_and_keeps_originals_there(
    tmp_path: Path,
) -> None:
    with postgres_schema_url() as url, Stridewell(url) as service:
        service.upgrade_database()
        runner = service.accounts.register("f@example.org", PASSWORD, "F").runner_id
        files = uploads(tmp_path)
        job_id = service.import_jobs(runner).submit(files)
        for _, path in files:
            path.unlink()  # the web request's folder is gone: the job needs none of it

        assert service.import_jobs(runner).status(job_id).status == "queued"
        run_job(service._backend, job_id, "test-worker")

        assert service.import_jobs(runner).status(job_id).status == "done"
        stored = service._backend.run(lambda store: store.stored_files.names(runner, "upload"))
        assert stored == []  # the uploads go with the job's end
        kept = dict(kept_originals(service._backend, runner))
        assert sorted(kept.values()) == sorted([FENIX_RUN.read_bytes(), KORITA_GPX.read_bytes()])
        assert not service._backend.originals_dir(runner).exists()


@pytest.mark.postgres
def test_a_stored_file_comes_back_whole_from_its_chunks() -> None:
    from stridewell.storage.originals_repo import CHUNK_BYTES

    data = bytes(range(256)) * (CHUNK_BYTES * 5 // 512)  # two and a half chunks
    with postgres_schema_url() as url, Stridewell(url) as service:
        service.upgrade_database()
        runner = service.accounts.register("g@example.org", PASSWORD, "G").runner_id
        files = service._backend.store.stored_files

        assert files.put(runner, "original", "big.fit", data)
        assert not files.put(runner, "original", "big.fit", b"other")  # kept once

        assert len(list(files.iter_chunks(runner, "original", "big.fit"))) == 3
        assert files.read(runner, "original", "big.fit") == data
        assert files.read("local", "original", "big.fit") is None


def test_on_sqlite_an_import_job_never_loads_the_task_queue(tmp_path: Path) -> None:
    script = f"""
import sys
from pathlib import Path
from stridewell.service import Stridewell
with Stridewell("sqlite:///{tmp_path / "q.db"}") as sw:
    job = sw.import_jobs("local").submit([("run.gpx", Path({str(KORITA_GPX)!r}))])
    print(sw.import_jobs("local").status(job).status, "procrastinate" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["done", "False"]

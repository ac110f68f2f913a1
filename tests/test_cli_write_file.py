"""Files the CLI writes (run-plan's calendar and workout, handover's PDF): a path that
cannot be written gives one line saying so and the exit code of bad input, never a
traceback. In process on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridewell.cli.files import write_file
from stridewell.cli.main import app
from stridewell.errors import InvalidInput
from stridewell.service import Stridewell

START = ["run-plan", "--start", "--weekly-km", "30", "--runs-per-week", "3", "--long-run-km", "10"]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stridewell]:
    url = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"
    monkeypatch.setenv("STRIDEWELL_DATABASE_URL", url)
    with Stridewell(url) as service:
        service.upgrade_database()
        yield service


def _one_line_refusal(args: list[str], missing: Path) -> None:
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 2, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit)
    assert "Traceback" not in done.output
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"cannot write {missing}" in lines[0], done.stderr


def test_run_plan_says_in_one_line_when_the_calendar_cannot_be_written(
    database: Stridewell, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "plan.ics"
    _one_line_refusal([*START, "--ics", str(missing)], missing)


def test_run_plan_says_in_one_line_when_the_workout_cannot_be_written(
    database: Stridewell, tmp_path: Path
) -> None:
    assert CliRunner().invoke(app, START).exit_code == 0
    missing = tmp_path / "no-such-folder" / "run.fit"
    plan = database.local().running.require()
    run_day = next(d.day for d in plan.days() if d.run is not None)
    _one_line_refusal(["run-plan", "--fit", run_day.isoformat(), str(missing)], missing)


def test_write_file_writes_text_and_bytes_and_names_an_unwritable_path(tmp_path: Path) -> None:
    write_file(tmp_path / "a.txt", "héllo")
    write_file(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "héllo"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    with pytest.raises(InvalidInput, match=r"cannot write .*: Is a directory") as refused:
        write_file(tmp_path, "x", field="pdf")
    assert refused.value.field == "pdf"

"""`stridewell assess --json` runs without Typer, and behaves exactly as through Typer."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from stridewell.cli.assess_json import fast_path

CASE = {"locations": ["heel_bottom"], "pain_timing": ["first_steps_morning"], "pain_score": 4}


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["assess"],
        ["assess", "--json"],
        ["history"],
        ["assess", "--json", "a.json", "--bogus"],
        ["assess", "--json", "a.json", "--json", "b.json"],
        ["--help"],
        ["assess", "--help"],
    ],
)
def test_anything_but_a_plain_assess_json_call_goes_to_typer(argv: list[str]) -> None:
    assert fast_path(argv) is None


def _run(args: list[str], data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    script = (
        "import sys\n"
        "from stridewell.cli.entry import run\n"
        f"sys.argv = ['stridewell', *{args!r}]\n"
        "try:\n    run()\nfinally:\n"
        "    sys.stderr.write('typer loaded: %s\\n' % ('typer' in sys.modules))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        input=stdin,
        capture_output=True,
        text=True,
        env={"STRIDEWELL_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"},
    )


def test_the_fast_path_prints_the_report_without_loading_typer(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASE))
    done = _run(["assess", "--json", str(case), "--no-save"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["triage"]["level"]
    assert "typer loaded: False" in done.stderr


def test_the_fast_path_refuses_bad_input_with_exit_2_and_one_line(tmp_path: Path) -> None:
    done = _run(["assess", "--json", "-"], tmp_path, stdin='{"locations": ["nowhere"]}')
    assert done.returncode == 2
    assert done.stdout == ""
    lines = [line for line in done.stderr.splitlines() if not line.startswith("typer loaded")]
    assert len(lines) == 1 and "locations" in lines[0]


def test_help_still_goes_through_typer(tmp_path: Path) -> None:
    done = _run(["--help"], tmp_path)
    assert done.returncode == 0 and "assess" in done.stdout
    assert "typer loaded: True" in done.stderr


def _loaded_after(args: list[str], data_dir: Path, modules: tuple[str, ...]) -> list[str]:
    script = (
        "import sys\n"
        "from stridewell.cli.entry import run\n"
        f"sys.argv = ['stridewell', *{args!r}]\n"
        "try:\n    run()\nfinally:\n"
        f"    sys.stderr.write('loaded: %r\\n' % [m for m in {modules!r} if m in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"STRIDEWELL_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return [line for line in done.stderr.splitlines() if line.startswith("loaded: ")]


def test_saving_into_a_set_up_database_loads_neither_sqlalchemy_nor_other_service_areas(
    tmp_path: Path,
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASE))
    heavy = ("sqlalchemy", "stridewell.service.runner", "stridewell.service.journal", "typer")
    # The first run sets the database up (the full service stack); the second is quick.
    _loaded_after(["assess", "--json", str(case)], tmp_path, heavy)
    assert _loaded_after(["assess", "--json", str(case)], tmp_path, heavy) == ["loaded: []"]
    with sqlite3.connect(tmp_path / "stridewell.db") as db:
        (saved,) = db.execute("SELECT count(*) FROM assessments").fetchone()
    assert saved == 2

"""`stridewell assess --json`, `history` and `show`, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from repo_paths import DEV_VIGNETTES

VIGNETTES = yaml.safe_load(DEV_VIGNETTES.read_text())
STRIDEWELL = [sys.executable, "-m", "stridewell.cli.main"]


def run(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*STRIDEWELL, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )


def test_assess_json_from_stdin_prints_the_report_and_stores_it() -> None:
    case = VIGNETTES[0]
    done = run(["assess", "--json", "-"], stdin=json.dumps(case["assessment"]))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["triage"]["level"] == case["expect"]["triage"]
    assert report["conditions"][0]["id"] == case["expect"]["condition"]
    history = run(["history", "--json"])
    assert history.returncode == 0, history.stderr
    rows = json.loads(history.stdout)
    assert len(rows) == 1 and rows[0]["level"] == case["expect"]["triage"]
    shown = run(["show", rows[0]["id"], "--json"])
    assert json.loads(shown.stdout) == report


def test_assess_json_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"locations": ["achilles"], "felt_pop": True}))
    done = run(["assess", "--json", str(path), "--no-save"])
    assert done.returncode == 0
    assert json.loads(done.stdout)["triage"]["level"] == "emergency"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"locations": ["heel_bottom"], "shoe_size": 42}, "shoe_size"),
        ({"locations": ["heel_bottom"], "trend": "better"}, "trend"),
        ({"locations": ["heel_bottom"], "pain_score": -1}, "pain_score"),
        ({"locations": ["heel_bottom"], "history": {"weekly_km_change_pct": 5000}},
         "history.weekly_km_change_pct"),
    ],
)  # fmt: skip
def test_invalid_input_exits_2_with_one_line_naming_the_field(
    data: dict[str, Any], field: str
) -> None:
    done = run(["assess", "--json", "-"], stdin=json.dumps(data))
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0]


def test_broken_json_exits_2() -> None:
    done = run(["assess", "--json", "-"], stdin="{not json")
    assert done.returncode == 2 and done.stdout == ""
    assert "JSON" in done.stderr


def test_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    done = run(["assess", "--json", str(tmp_path / "nope.json")])
    assert done.returncode == 2 and "nope.json" in done.stderr


def test_show_unknown_id_exits_3() -> None:
    done = run(["show", "does-not-exist"])
    assert done.returncode == 3 and "does-not-exist" in done.stderr


def test_assess_json_works_in_process_on_every_dev_vignette() -> None:
    from typer.testing import CliRunner

    from stridewell.cli.main import app

    runner = CliRunner()
    for case in VIGNETTES:
        result = runner.invoke(
            app, ["assess", "--json", "-", "--no-save"], input=json.dumps(case["assessment"])
        )
        assert result.exit_code == 0, (case["id"], result.output)
        report = json.loads(result.stdout)
        order = ["self_care", "soon", "urgent", "emergency"]
        got, expected = report["triage"]["level"], case["expect"]["triage"]
        assert order.index(got) >= order.index(expected), case["id"]
        assert report["disclaimer"]


def test_cli_json_path_does_not_import_the_web_stack() -> None:
    code = (
        "import sys, io, json;"
        "sys.stdin = io.StringIO(json.dumps({'locations': ['arch']}));"
        "sys.argv = ['stridewell', 'assess', '--json', '-', '--no-save'];"
        "from stridewell.cli.main import app\n"
        "try:\n app()\nexcept SystemExit: pass\n"
        "bad = [m for m in ('fastapi', 'uvicorn', 'starlette', 'sqlalchemy') if m in sys.modules]\n"
        "sys.stderr.write(repr(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().endswith("[]"), done.stderr


def test_show_takes_a_unique_start_of_the_id() -> None:
    first = run(["assess", "--json", "-"], stdin=json.dumps({"locations": ["arch"]}))
    assert first.returncode == 0
    listed = json.loads(run(["history", "--json"]).stdout)
    full = listed[0]["id"]
    shown = run(["show", full[:8], "--json"])
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["triage"] == json.loads(first.stdout)["triage"]

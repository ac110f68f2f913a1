"""`stridewell handover`: the PDF and the FHIR file of the local runner's assessment."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from stridewell.cli.main import app
from stridewell.contract import Assessment
from stridewell.handover import parse_bundle

HEEL = {
    "side": "right",
    "locations": ["heel_bottom"],
    "onset": "gradual",
    "pain_score": 5,
    "duration_days": 30,
    "pain_timing": ["first_steps_morning"],
}


def _cli(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), input=stdin)


def test_without_an_assessment_it_exits_3_in_plain_words(tmp_path: Path) -> None:
    done = _cli("handover", "--pdf", str(tmp_path / "x.pdf"))
    assert done.exit_code == 3
    assert "no assessment yet" in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_without_a_file_to_write_it_says_what_to_give() -> None:
    done = _cli("handover")
    assert done.exit_code == 2 and "--pdf FILE" in done.stderr


def test_it_writes_the_pdf_with_the_level_and_the_questions(tmp_path: Path) -> None:
    assessed = _cli("assess", "--json", "-", stdin=json.dumps(HEEL))
    assert assessed.exit_code == 0, assessed.output
    level = json.loads(assessed.stdout)["triage"]["level"]
    out = tmp_path / "visit.pdf"
    done = _cli("handover", "--pdf", str(out), "--question", "Is it safe to cycle?",
                "--question", "How long until I race?")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True)
    words = " ".join(text.stdout.decode().split())
    expected = {"self_care": "Self-care", "soon": "Soon", "urgent": "Urgent"}[level]
    assert expected in words
    assert "Is it safe to cycle?" in words and "How long until I race?" in words


def test_it_writes_a_fhir_bundle_of_the_chosen_assessment(tmp_path: Path) -> None:
    first = json.loads(_cli("assess", "--json", "-", stdin=json.dumps(HEEL)).stdout)
    assert first["triage"]["level"]
    _cli("assess", "--json", "-", stdin=json.dumps({**HEEL, "side": "left"}))
    listed = json.loads(_cli("history", "--json").stdout)
    oldest = listed[-1]["id"]
    out = tmp_path / "visit.fhir.json"
    done = _cli("handover", "--fhir", str(out), "--id", oldest[:8])
    assert done.exit_code == 0, done.output
    back = parse_bundle(out.read_text(encoding="utf-8"))
    assert back == Assessment.model_validate(HEEL)
    assert _cli("handover", "--fhir", str(out), "--id", "zzzz").exit_code == 3

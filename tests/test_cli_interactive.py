"""`stridewell assess` with no arguments: the questionnaire in a terminal, scripted."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from rich.console import Console
from typer.testing import CliRunner

from repo_paths import DEV_VIGNETTES
from stridewell.cli.interactive import ReplyError, parse_reply, run_questionnaire
from stridewell.cli.main import app
from stridewell.cli.render import LEVEL_WORD
from stridewell.contract import Assessment, Level
from stridewell.knowledge import load_knowledge
from stridewell.knowledge.questions import Question, load_questionnaire
from stridewell.service import Stridewell
from stridewell.triage.questionnaire import answers_from_assessment

VIGNETTES = {c["id"]: c for c in yaml.safe_load(DEV_VIGNETTES.read_text())}
SCRIPTED = [
    "dev-plantar-fasciitis-classic",
    "dev-metatarsalgia-worn-shoes",
    "dev-fifth-metatarsal-after-twist",
]  # an emergency stops the questionnaire early: tests/triage/test_cli_emergency_stop.py


def reply_for(question: Question, value: Any) -> str:
    """What a runner would type to give `value` (None: not sure)."""
    if value is None:
        return "?"
    if question.kind == "bool":
        return "y" if value else "n"
    if question.kind == "choice":
        return str(question.option_values.index(value) + 1)
    if question.kind == "multi":
        return ", ".join(str(question.option_values.index(v) + 1) for v in value) or "0"
    return str(value)


class Script:
    """An injectable `ask`: replies from known answers, with optional extra replies first."""

    def __init__(self, known: dict[str, Any], first: dict[str, list[str]] | None = None) -> None:
        self.known = known
        self.first = {k: list(v) for k, v in (first or {}).items()}
        self.asked: list[str] = []

    def __call__(self, question: Question, prompt: str) -> str:
        self.asked.append(question.field)
        queued = self.first.get(question.field)
        if queued:
            return queued.pop(0)
        return reply_for(question, self.known.get(question.field))


@pytest.fixture
def service() -> Iterator[Stridewell]:
    with Stridewell() as svc:
        yield svc


def console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=80), out


def report_part(output: str) -> list[str]:
    lines = output.split("Your report", 1)[1].splitlines()[1:]
    return [line for line in lines if line.strip()]


@pytest.mark.parametrize("case_id", SCRIPTED)
def test_scripted_answers_reproduce_the_vignette_and_print_its_report(
    service: Stridewell, case_id: str
) -> None:
    case = VIGNETTES[case_id]
    con, out = console()
    result = run_questionnaire(
        service, save=True, console=con, ask=Script(answers_from_assessment(case["assessment"]))
    )
    expected = Assessment.model_validate(case["assessment"]).to_json_dict()
    assert result.id is not None
    assert service.local().assessments.get(result.id).assessment == expected
    level = Level(case["expect"]["triage"])
    assert result.report.triage.level is level
    text = out.getvalue()
    assert LEVEL_WORD[level] in report_part(text)[0]  # the level comes first
    names = {c.id: c.name for c in load_knowledge().conditions}
    assert names[case["expect"]["condition"]] in text
    assert f"stridewell show {result.id}" in text


def test_bone_questions_are_asked_for_forefoot_pain_but_not_for_the_achilles(
    service: Stridewell,
) -> None:
    forefoot, achilles = (
        Script({"locations": ["ball_of_foot"]}),
        Script({"locations": ["achilles"]}),
    )
    run_questionnaire(service, save=False, console=console()[0], ask=forefoot)
    run_questionnaire(service, save=False, console=console()[0], ask=achilles)
    assert {"bone_tenderness", "hop_test_painful"} <= set(forefoot.asked)
    assert not {"bone_tenderness", "hop_test_painful"} & set(achilles.asked)
    assert {"felt_pop", "push_off_weak"} <= set(achilles.asked)


def test_a_bad_number_is_asked_again_with_a_clear_message(service: Stridewell) -> None:
    script = Script({"locations": ["arch"]}, first={"pain_score": ["lots", "11", "4.5", "7"]})
    con, out = console()
    result = run_questionnaire(service, save=False, console=con, ask=script)
    assert script.asked.count("pain_score") == 4
    text = out.getvalue()
    assert "'lots' is not a number" in text
    assert text.count("expected a number from 0 to 10") == 1
    assert "expected a whole number" in text
    assert result.id is None and not service.local().assessments.history()
    assert any("pain score: 7" in r or "(0 to 10): 7" in r for r in text.splitlines())


def test_locations_cannot_be_skipped_and_choices_must_exist(service: Stridewell) -> None:
    script = Script({"locations": ["arch"]}, first={"locations": ["?", "", "0", "99", "5"]})
    con, out = console()
    run_questionnaire(service, save=False, console=con, ask=script)
    assert script.asked.count("locations") == 5
    assert out.getvalue().count("Sorry, that does not fit.") == 4


@pytest.mark.parametrize(("error", "code"), [(KeyboardInterrupt, 130), (EOFError, 1)])
def test_stopping_midway_exits_cleanly_and_saves_nothing(
    service: Stridewell, error: type[BaseException], code: int
) -> None:
    calls = []

    def ask(question: Question, prompt: str) -> str:
        calls.append(question.id)
        if len(calls) == 5:
            raise error()
        return reply_for(question, {"locations": ["heel_pad"]}.get(question.field))

    con, out = console()
    with pytest.raises(typer.Exit) as stopped:
        run_questionnaire(service, save=True, console=con, ask=ask)
    assert stopped.value.exit_code == code
    assert "Nothing was saved" in out.getvalue()
    assert service.local().assessments.history() == []


def test_the_assess_command_runs_the_questionnaire_and_stores_the_report() -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["assess"], input="4\n" + "?\n" * 80)
    assert done.exit_code == 0, done.output
    assert "Question 1 of about" in done.output and "Please note" in done.output
    listed = runner.invoke(app, ["history"])
    assert listed.exit_code == 0 and "Past assessments" in listed.output


def test_the_assess_command_without_input_ends_without_a_traceback() -> None:
    done = CliRunner().invoke(app, ["assess"], input="")
    assert done.exit_code == 1
    assert "Traceback" not in done.output and "Nothing was saved" in done.output


def _question(field: str) -> Question:
    return next(q for q in load_questionnaire().questions if q.field == field)


@pytest.mark.parametrize(
    ("field", "reply", "value"),
    [
        ("injury_event", " Yes ", True),
        ("injury_event", "n", False),
        ("injury_event", "not sure", None),
        ("trend", "3", "worsening"),
        ("trend", "worsening", "worsening"),
        ("pain_timing", "1, 3 3", ["first_steps_morning", "during_run"]),
        ("pain_timing", "0", []),
        ("history.shoe_km", "1,200 km", 1200),
        ("history.weekly_km_change_pct", "+30%", 30),
        ("history.weekly_km_change_pct", "-12.5", -12.5),
    ],
)
def test_replies_are_read_as_answers(field: str, reply: str, value: Any) -> None:
    assert parse_reply(_question(field), reply) == value


@pytest.mark.parametrize(
    ("field", "reply"),
    [("injury_event", "maybe"), ("trend", "4"), ("pain_timing", "1,x"), ("age", "old")],
)
def test_unreadable_replies_say_what_to_type(field: str, reply: str) -> None:
    with pytest.raises(ReplyError, match=r"(?i)type"):
        parse_reply(_question(field), reply)


def test_when_storage_fails_the_report_is_still_shown_with_a_warning(tmp_path: Path) -> None:
    broken = Stridewell(f"sqlite:///{tmp_path / 'missing' / 'folder' / 'x.db'}")
    con, out = console()
    result = run_questionnaire(broken, save=True, console=con, ask=Script({"locations": ["arch"]}))
    assert result.id is None
    assert "Warning: the assessment was not saved" in out.getvalue()
    assert "Please note" in out.getvalue()

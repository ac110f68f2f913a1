"""`stridewell assess` with no arguments: the questionnaire in a terminal, scripted."""

from __future__ import annotations

import io
import re
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
from stridewell.service import AssessmentResult, Stridewell
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
        self.ids: list[str] = []

    def __call__(self, question: Question, prompt: str) -> str:
        self.asked.append(question.field)
        self.ids.append(question.id)
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


# -- going back ------------------------------------------------------------------------------

BACK_HINT = "Type b to go back to the previous question."
URGENT_BANNER = "already need a clinician within one to two days"


def stored(service: Stridewell, result: AssessmentResult) -> dict[str, Any]:
    assert result.id is not None
    return service.local().assessments.get(result.id).assessment


def test_going_back_undoes_the_previous_answer_and_asks_it_again(service: Stridewell) -> None:
    # "1" picks the wrong spot; b at the next question takes it back and asks it again.
    script = Script({"locations": ["arch"]}, first={"locations": ["1"], "side": ["back"]})
    con, out = console()
    result = run_questionnaire(service, save=True, console=con, ask=script)
    assert script.asked[:4] == ["locations", "side", "locations", "side"]
    assert stored(service, result)["locations"] == ["arch"]  # the first answer is gone
    text = out.getvalue()
    assert "Sorry, that does not fit" not in text
    assert "your answer to this question is cleared" in text
    # the count goes back with the answer: question 1 is shown again, then question 2
    numbers = [line.split(" of about")[0] for line in text.splitlines() if " of about " in line]
    assert numbers[:4] == ["Question 1", "Question 2", "Question 1", "Question 2"]
    # the hint offers going back on every question but the first
    shown = re.split(r"Question (\d+) of about", text)[1:]
    for number, block in zip(shown[::2], shown[1::2], strict=True):
        assert (BACK_HINT in " ".join(block.split())) is (number != "1")


def test_going_back_past_a_conditional_question_recomputes_which_questions_follow(
    service: Stridewell,
) -> None:
    # A mistyped "yes, it started with an incident", corrected from the next question.
    script = Script(
        {"locations": ["top_of_foot"], "injury_event": False, "can_bear_weight": True},
        first={"injury_event": ["y"], "can_bear_weight": ["b"]},
    )
    result = run_questionnaire(service, save=True, console=console()[0], ask=script)
    assert script.asked.count("injury_event") == 2
    assert stored(service, result)["injury_event"] is False
    # the questions that only follow an incident are not asked; the others are
    assert "plantar_bruising" not in script.asked and "ottawa_bone_points" not in script.ids
    assert {"bone_points", "hop_test_painful"} <= set(script.ids)


def test_back_at_the_first_question_says_there_is_none_and_asks_again(
    service: Stridewell,
) -> None:
    script = Script({"locations": ["arch"]}, first={"locations": ["b", " Back "]})
    con, out = console()
    run_questionnaire(service, save=False, console=con, ask=script)
    assert script.asked[:4] == ["locations", "locations", "locations", "side"]
    text = out.getvalue()
    assert text.count("There is no earlier question: this is the first one.") == 2
    assert "Sorry, that does not fit" not in text


def test_going_back_from_an_urgent_answer_takes_the_warning_banner_away(
    service: Stridewell,
) -> None:
    script = Script(
        {"locations": ["ball_of_foot"], "penetrating_injury": False},
        first={"penetrating_injury": ["y"], "deformity": ["b"]},
    )
    con, out = console()
    result = run_questionnaire(service, save=False, console=con, ask=script)
    assert script.asked.count("penetrating_injury") == 2
    # shown once, over the question where the runner went back; never after the correction
    text = out.getvalue()
    assert text.count(URGENT_BANNER) == 1
    assert text.index(URGENT_BANNER) < text.index("your answer to this question is cleared")
    assert result.report.triage.level is not Level.urgent


def test_after_the_emergency_result_going_back_gives_the_report_on_the_corrected_answer(
    service: Stridewell,
) -> None:
    case = VIGNETTES["dev-metatarsalgia-worn-shoes"]
    assert case["expect"]["triage"] == "self_care"
    # "y" for a cold, pale foot by mistake: the emergency result shows, then b corrects it.
    script = Script(
        answers_from_assessment(case["assessment"]),
        first={"foot_cold_pale": ["y"], "after_emergency": ["b"]},
    )
    con, out = console()
    result = run_questionnaire(service, save=True, console=con, ask=script)
    text = out.getvalue()
    assert "type b to go back and change your last answer" in " ".join(text.split())
    assert "Get medical help today" in text
    assert script.asked.count("foot_cold_pale") == 2
    assert result.report.triage.level is Level.self_care
    assert LEVEL_WORD[Level.self_care] in report_part(text)[0]
    assert "foot_cold_pale" not in stored(service, result)


def test_no_question_reads_b_or_back_as_an_answer() -> None:
    # b and back always mean going back, so they must never be a valid reply.
    for question in load_questionnaire().questions:
        for reply in ("b", "back", "B", " Back "):
            with pytest.raises(ReplyError):
                parse_reply(question, reply)

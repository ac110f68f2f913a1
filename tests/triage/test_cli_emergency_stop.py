"""The terminal questionnaire stops at once on an emergency answer (contract 1.1)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from rich.console import Console

from stridewell.cli.interactive import run_questionnaire
from stridewell.contract import Level
from stridewell.knowledge.questions import Question
from stridewell.service import Stridewell


class Runner:
    """Types answers for the fields it knows, 'not sure' for the rest, and a fixed reply
    to the choice offered after an emergency."""

    def __init__(self, known: dict[str, Any], after_emergency: str = "") -> None:
        self.known = known
        self.after_emergency = after_emergency
        self.asked: list[str] = []

    def __call__(self, question: Question, prompt: str) -> str:
        self.asked.append(question.field)
        if question.field == "after_emergency":
            return self.after_emergency
        value = self.known.get(question.field)
        if value is None:
            return "?"
        if question.kind == "bool":
            return "y" if value else "n"
        if question.kind == "multi":
            return ", ".join(str(question.option_values.index(v) + 1) for v in value)
        if question.kind == "choice":
            return str(question.option_values.index(value) + 1)
        return str(value)


@pytest.fixture
def service() -> Iterator[Stridewell]:
    with Stridewell() as svc:
        yield svc


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=100), out


def test_an_emergency_answer_on_the_warning_signs_goes_straight_to_the_emergency_result(
    service: Stridewell,
) -> None:
    runner = Runner({"locations": ["toes"], "foot_cold_pale": True})
    con, out = _console()
    result = run_questionnaire(service, save=True, console=con, ask=runner)
    # nothing is asked after the cold, pale foot but the choice to see the full report
    assert runner.asked[-2:] == ["foot_cold_pale", "after_emergency"]
    assert "calf_pain_swelling" not in runner.asked
    text = out.getvalue()
    assert "Get medical help today" in text
    assert text.index("Get medical help today") < text.index("Your report")
    assert result.report.triage.level is Level.emergency
    assert result.id is not None


def test_after_an_emergency_the_runner_may_stop_without_the_full_report(
    service: Stridewell,
) -> None:
    runner = Runner({"locations": ["toes"], "foot_cold_pale": True}, after_emergency="q")
    con, out = _console()
    result = run_questionnaire(service, save=False, console=con, ask=runner)
    assert "Get medical help today" in out.getvalue()
    assert "Your report" not in out.getvalue()
    assert result.report.triage.level is Level.emergency


def test_after_an_urgent_answer_later_questions_carry_a_banner(service: Stridewell) -> None:
    runner = Runner({"locations": ["ball_of_foot"], "penetrating_injury": True})
    con, out = _console()
    run_questionnaire(service, save=False, console=con, ask=runner)
    text = out.getvalue()
    banner = "already need a clinician within one to two days"
    assert banner in text
    assert text.index("went through your shoe") < text.index(banner)


def test_not_sure_leaves_the_safety_question_unanswered_and_the_walk_goes_on(
    service: Stridewell,
) -> None:
    runner = Runner({"locations": ["achilles"]})
    result = run_questionnaire(service, save=False, console=_console()[0], ask=runner)
    assert {"felt_pop", "push_off_weak"} <= set(runner.asked)
    assert result.report.triage.level is not Level.emergency
    asked = {q.field for q in result.report.unanswered_safety_questions}
    assert "felt_pop" in asked  # "not sure" leaves it unknown, and the report says so

"""Walking the questionnaire: which question comes next, checking answers, building the
assessment. Pure logic with no input or output, shared by the terminal and the web app.

Answers are a plain mapping from assessment field path (`pain_score`,
`history.shoe_km`) to a value: a bool, an enum value (str), a list of enum values, a
number, or None for "not sure". A "not sure" answer counts as answered (the question is
not asked again) but leaves the field out of the assessment, which means "not known".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from stridewell.contract import Assessment, Level
from stridewell.errors import InvalidInput
from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.questions import Question, Questionnaire, load_questionnaire
from stridewell.knowledge.rules import compile_rule, facts_of
from stridewell.report import TriageReport
from stridewell.triage.engine import assess, compiled
from stridewell.triage.safety import safety_questions

Answers = Mapping[str, Any]

NOT_SURE: None = None
"""The answer value meaning "not sure": the field is left out of the assessment."""


class AnswerError(InvalidInput):
    """An answer that does not fit its question; the message says what would."""


def _facts(answers: Answers) -> dict[str, Any]:
    # The same shape `rules.facts_of` gives the engine: unknowns absent, lists as sets.
    facts: dict[str, Any] = {}
    for path, value in answers.items():
        if value is None:
            continue
        facts[path] = frozenset(value) if isinstance(value, list | tuple) else value
    return facts


def questions_for(answers: Answers, questionnaire: Questionnaire | None = None) -> list[Question]:
    """The questions that apply given `answers`, in asking order.

    A question applies when its `ask_if` holds over the answers to the applicable
    questions before it; only the first applicable question of a field is kept. Answers
    the listed questions do not cover are ignored (say, an Ottawa answer after the
    injury answer was changed to no). Unanswered questions count as "not known".

    Safety first: a question whose `ask_if` does not hold is still asked when its field
    is one of the report's `unanswered_safety_questions` for the answers so far (an answer
    to it could make the presentation more urgent).
    """
    questionnaire = questionnaire or load_questionnaire()
    chosen = _walk(answers, questionnaire, frozenset())
    safety = safety_fields(_assessment(answers, chosen))
    return _walk(answers, questionnaire, safety) if safety else chosen


def _walk(answers: Answers, questionnaire: Questionnaire, safety: frozenset[str]) -> list[Question]:
    facts: dict[str, Any] = {}
    chosen: list[Question] = []
    fields: set[str] = set()
    for question in questionnaire.questions:
        if question.field in fields:
            continue
        gated = question.rule is not None and not compile_rule(question.rule)(facts)
        if gated and question.field not in safety:
            continue
        chosen.append(question)
        fields.add(question.field)
        value = answers.get(question.field)
        if value is not None:
            facts.update(_facts({question.field: value}))
    return chosen


def safety_fields(assessment: Assessment | None) -> frozenset[str]:
    """The fields the report on these answers lists as unanswered safety questions."""
    if assessment is None:
        return frozenset()
    report = assess(assessment)
    return frozenset(q.field for q in report.unanswered_safety_questions)


def emergency_questions_open(
    answers: Answers, questionnaire: Questionnaire | None = None
) -> frozenset[str]:
    """The unanswered fields whose answer could make these answers an emergency (a
    presentation of an emergency warning sign already partly reported, nothing known
    ruling it out). The web questionnaire lets no one skip to the report past them."""
    questionnaire = questionnaire or load_questionnaire()
    assessment = _assessment(answers, questions_for(answers, questionnaire))
    if assessment is None:
        return frozenset()
    engine = compiled(load_knowledge())
    # The questions that could raise "urgent" are those of emergency presentations.
    open_now = safety_questions(engine).questions(facts_of(assessment), Level.urgent)
    return frozenset(q.field for q in open_now)


def level_so_far(answers: Answers, questionnaire: Questionnaire | None = None) -> Level | None:
    """The triage level the answers given so far already reach (None before a location).

    The interactive flows stop at once when this is `emergency`.
    """
    report = report_so_far(answers, questionnaire)
    return None if report is None else report.triage.level


def report_so_far(
    answers: Answers, questionnaire: Questionnaire | None = None
) -> TriageReport | None:
    """The triage of the answers given so far (None before a location): its level, and the
    warning signs behind it with their advice, for a care box before the questions end."""
    questionnaire = questionnaire or load_questionnaire()
    assessment = _assessment(answers, questions_for(answers, questionnaire))
    return None if assessment is None else assess(assessment)


def _assessment(answers: Answers, questions: list[Question]) -> Assessment | None:
    try:
        return _build(answers, questions)
    except AnswerError:
        return None


def next_question(answers: Answers, questionnaire: Questionnaire | None = None) -> Question | None:
    """The first applicable question not answered yet, or None when the questionnaire is done."""
    for question in questions_for(answers, questionnaire):
        if question.field not in answers:
            return question
    return None


def progress(answers: Answers, questionnaire: Questionnaire | None = None) -> tuple[int, int]:
    """(questions answered, questions that apply so far): the total may still change."""
    applicable = questions_for(answers, questionnaire)
    done = sum(1 for q in applicable if q.field in answers)
    return done, len(applicable)


def check_answer(question: Question, value: Any) -> Any:
    """The value normalised for the question's field, or AnswerError saying what fits."""
    if value is None:
        if question.required:
            raise AnswerError(f"{question.field}: an answer is needed here", field=question.field)
        return None
    kind = question.kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise AnswerError(f"{question.field}: expected yes or no", field=question.field)
        return value
    if kind == "choice":
        if not isinstance(value, str) or value not in question.option_values:
            raise AnswerError(
                f"{question.field}: expected one of {', '.join(question.option_values)}",
                field=question.field,
            )
        return value
    if kind == "multi":
        return _check_multi(question, value)
    return _check_number(question, value)


def _check_multi(question: Question, value: Any) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise AnswerError(f"{question.field}: expected a list of choices", field=question.field)
    items = list(value)
    wrong = [v for v in items if v not in question.option_values]
    if wrong:
        raise AnswerError(f"{question.field}: unknown choice {wrong[0]!r}", field=question.field)
    if len(set(items)) != len(items):
        raise AnswerError(f"{question.field}: a choice is repeated", field=question.field)
    if question.required and not items:
        raise AnswerError(f"{question.field}: choose at least one", field=question.field)
    order = question.option_values
    return sorted(items, key=order.index) if isinstance(value, set | frozenset) else items


def _check_number(question: Question, raw: Any) -> int | float:
    bounds = question.bounds
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise AnswerError(f"{question.field}: expected a number", field=question.field)
    value: int | float = raw
    if bounds.integer:
        if isinstance(value, float) and not value.is_integer():
            raise AnswerError(f"{question.field}: expected a whole number", field=question.field)
        value = int(value)
    if (bounds.minimum is not None and value < bounds.minimum) or (
        bounds.maximum is not None and value > bounds.maximum
    ):
        raise AnswerError(
            f"{question.field}: expected a number {describe_range(question)}", field=question.field
        )
    return value


def describe_range(question: Question) -> str:
    """The allowed range of a number question in words ('from 0 to 10', 'of 0 or more')."""
    bounds = question.bounds
    low = _show(bounds.minimum)
    high = _show(bounds.maximum)
    if low is not None and high is not None:
        return f"from {low} to {high}"
    if low is not None:
        return f"of {low} or more"
    if high is not None:
        return f"of {high} or less"
    return "of any size"


def _show(number: float | None) -> str | None:
    if number is None:
        return None
    return str(int(number)) if float(number).is_integer() else str(number)


def apply_answer(answers: Answers, question: Question, value: Any) -> dict[str, Any]:
    """A new answers dict with `value` (None: not sure) recorded for `question`."""
    return {**answers, question.field: check_answer(question, value)}


def to_assessment(answers: Answers, questionnaire: Questionnaire | None = None) -> Assessment:
    """The assessment the answers describe: "not sure" and unasked fields are left out.

    Raises AnswerError (an InvalidInput) if the answers break the contract, for example
    when no location was given.
    """
    return _build(answers, questions_for(answers, questionnaire))


def _build(answers: Answers, questions: list[Question]) -> Assessment:
    data: dict[str, Any] = {}
    history: dict[str, Any] = {}
    for question in questions:
        value = answers.get(question.field)
        if value is None:
            continue
        if question.field.startswith("history."):
            history[question.field.removeprefix("history.")] = value
        else:
            data[question.field] = list(value) if isinstance(value, tuple) else value
    if history:
        data["history"] = history
    try:
        return Assessment.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "locations"
        raise AnswerError(f"{where}: {first['msg']}", field=where) from exc


def answers_from_assessment(data: Mapping[str, Any]) -> dict[str, Any]:
    """The answers an assessment (contract JSON) amounts to, keyed by field path.

    Useful to prefill a form from a stored assessment; fields it leaves out stay
    unanswered.
    """
    answers: dict[str, Any] = {}
    for key, value in data.items():
        if key == "history" and isinstance(value, Mapping):
            answers.update({f"history.{k}": v for k, v in value.items()})
        else:
            answers[key] = value
    return answers


_SAFETY_LEVELS = frozenset({Level.emergency, Level.urgent})


def unasked_safety_fields(report: TriageReport, assessment: Mapping[str, Any]) -> list[str]:
    """Fields the questionnaire asks for these answers, left open, that an urgent or
    emergency warning sign reads (with the report's own unanswered safety questions):
    until they are answered, nobody can say that nothing needs a clinician. The web
    report and the clinician's handover both use this list."""
    from stridewell.knowledge.loader import load_knowledge
    from stridewell.knowledge.rules import fields_used

    answers = answers_from_assessment(assessment)
    safety: set[str] = {q.field for q in report.unanswered_safety_questions}
    for flag in load_knowledge().red_flags:
        if flag.level in _SAFETY_LEVELS:
            for presentation in flag.presentations:
                safety.update(fields_used(presentation.cues))
    asked = [q.field for q in questions_for(answers)]
    return [f for f in asked if f in safety and answers.get(f) is None and f != "locations"]

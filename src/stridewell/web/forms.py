"""The web questionnaire: pages of questions, form values into typed answers.

The questions, their order and when each is asked come from the same pure logic as the
terminal questionnaire (`triage.questionnaire`); this module only turns HTML form values
into answers and groups the next questions into a page (one section at a time).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stridewell.knowledge.questions import Question, load_questionnaire
from stridewell.triage.questionnaire import AnswerError, check_answer, questions_for

NOT_SURE = "not_sure"
NONE_OF_THESE = "__none__"
MAX_ANSWERS_JSON = 20_000


@dataclass(frozen=True)
class QuestionPage:
    section: str
    title: str
    questions: list[Question]


def load_answers(raw: str | None) -> dict[str, Any]:
    """The answers carried in the form's hidden field, each re-checked against its question.

    The field comes back from the browser, so nothing in it is trusted: unknown fields and
    values that do not fit their question are dropped (and would simply be asked again).
    """
    if not raw or len(raw) > MAX_ANSWERS_JSON:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    # Only the shapes an answer can have, before any rule looks at them.
    data = {k: v for k, v in data.items() if isinstance(k, str) and _answer_shaped(v)}
    answers: dict[str, Any] = {}
    for question in questions_for(data):
        if question.field not in data:
            continue
        try:
            answers[question.field] = check_answer(question, data[question.field])
        except AnswerError:
            continue
    return answers


def _answer_shaped(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | float | str):
        return True
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def dump_answers(answers: Mapping[str, Any]) -> str:
    return json.dumps(dict(answers), separators=(",", ":"), sort_keys=True)


def next_page(answers: Mapping[str, Any]) -> QuestionPage | None:
    """The unanswered questions that apply now, from the first section that has any."""
    pending = [q for q in questions_for(answers) if q.field not in answers]
    if not pending:
        return None
    section = pending[0].section
    titles = load_questionnaire().sections
    return QuestionPage(
        section=section,
        title=titles.get(section, section),
        questions=[q for q in pending if q.section == section],
    )


def page_answers(
    questions: list[Question], form: Mapping[str, Any], lists: Mapping[str, list[str]]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers to a page's questions from its form values, and an error per field.

    ``form`` maps a field to its single value, ``lists`` to all its values (checkboxes).
    An unanswered optional question counts as "not sure".
    """
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        try:
            value = _value(question, form.get(question.field), lists.get(question.field, []))
            answers[question.field] = check_answer(question, value)
        except AnswerError as exc:
            errors[question.field] = _plain(str(exc), question.field)
        except ValueError:
            errors[question.field] = "Please enter a number, or leave it empty if not sure."
    return answers, errors


def _value(question: Question, raw: Any, items: list[str]) -> Any:
    kind = question.kind
    text = raw.strip() if isinstance(raw, str) else ""
    if kind == "multi":
        if NONE_OF_THESE in items:
            return []
        return items or (None if not question.required else [])
    if not text or text == NOT_SURE:
        return None
    if kind == "bool":
        if text not in ("yes", "no"):
            raise AnswerError(f"{question.field}: expected yes or no", field=question.field)
        return text == "yes"
    if kind == "choice":
        return text
    number = float(text)
    return int(number) if number.is_integer() else number


def _plain(message: str, field: str) -> str:
    """'pain_score: expected a number from 0 to 10' -> 'Expected a number from 0 to 10.'"""
    text = message.removeprefix(f"{field}: ")
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")

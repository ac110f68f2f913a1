"""The web questionnaire: pages of questions, form values into typed answers.

The questions, their order and when each is asked come from the same pure logic as the
terminal questionnaire (`triage.questionnaire`); this module turns HTML form values into
answers and groups the questions that apply into pages, one section (one topic) a page.
A question's `ask_if` only reads earlier sections, so a page is complete when shown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stridewell.knowledge.questions import Question, load_questionnaire
from stridewell.knowledge.rules import fields_used
from stridewell.triage.questionnaire import AnswerError, check_answer, questions_for

NOT_SURE = "not_sure"
NONE_OF_THESE = "__none__"
MAX_ANSWERS_JSON = 20_000
# Form names of the two amounts a percentage question is asked as (field + suffix).
RECENT, BEFORE = "__recent", "__before"
PCT_LIMITS = (-100.0, 1000.0)


@dataclass(frozen=True)
class QuestionPage:
    section: str
    title: str
    questions: list[Question]
    safety: bool = False


@dataclass(frozen=True)
class PageCount:
    """Where a page stands: its number, the pages that apply so far, and whether answers
    still to come may add one (then the total is a floor, and the page says so)."""

    number: int
    total: int
    may_grow: bool


def pages_for(answers: Mapping[str, Any]) -> list[QuestionPage]:
    """Every page that applies given the answers so far, in asking order."""
    questionnaire = load_questionnaire()
    by_section: dict[str, list[Question]] = {}
    for question in questions_for(answers):
        by_section.setdefault(question.section, []).append(question)
    return [
        QuestionPage(
            section=section,
            title=questionnaire.sections.get(section, section),
            questions=by_section[section],
            safety=section in questionnaire.safety_sections,
        )
        for section in questionnaire.section_order()
        if section in by_section
    ]


def page_of(answers: Mapping[str, Any], section: str) -> QuestionPage | None:
    """The page of ``section`` as it applies now (None: unknown or no question applies)."""
    return next((p for p in pages_for(answers) if p.section == section), None)


def page_after(answers: Mapping[str, Any], section: str) -> QuestionPage | None:
    """The first page after ``section`` that applies, answered before or not."""
    order = load_questionnaire().section_order()
    if section not in order:
        return None
    later = set(order[order.index(section) + 1 :])
    return next((p for p in pages_for(answers) if p.section in later), None)


def clean_trail(raw: str, current: str) -> list[str]:
    """The pages shown before ``current`` in this walk, from the form (not trusted):
    known sections before it, in asking order, each once."""
    order = load_questionnaire().section_order()
    if current not in order:
        return []
    before = order[: order.index(current)]
    given = set(raw.split(","))
    return [section for section in before if section in given]


def count_pages(answers: Mapping[str, Any], trail: list[str], current: str) -> PageCount:
    """This page's number (pages shown before it plus one, never a page twice) and the
    total: those shown, this one and the later pages that apply to the answers so far."""
    order = load_questionnaire().section_order()
    applying = pages_for(answers)
    position = order.index(current) if current in order else 0
    later = [p for p in applying if order.index(p.section) > position]
    asked = {q.id for p in applying for q in p.questions}
    answered = {path for path, _ in answers.items()}
    may_grow = any(
        question.rule is not None and bool(fields_used(question.rule) - answered)
        for question in load_questionnaire().questions
        if question.id not in asked and order.index(question.section) > position
    )
    number = len(trail) + 1
    return PageCount(number=number, total=number + len(later), may_grow=may_grow)


def can_finish(trail: list[str], current: str) -> bool:
    """The runner may skip to the report once every safety page has been shown."""
    shown = {*trail, current}
    return all(section in shown for section in load_questionnaire().safety_sections)


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
    """The first page with a question that applies and is not answered yet."""
    for page in pages_for(answers):
        if any(q.field not in answers for q in page.questions):
            return page
    return None


def shown_values(questions: list[Question], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Form values that show earlier answers again (after Back): not sure included."""
    shown: dict[str, Any] = {}
    for question in questions:
        if question.field not in answers:
            continue
        value = answers[question.field]
        if value is None:
            shown[question.field] = [NOT_SURE] if question.kind == "multi" else NOT_SURE
        elif isinstance(value, bool):
            shown[question.field] = "yes" if value else "no"
        elif isinstance(value, list):
            shown[question.field] = value or [NONE_OF_THESE]
        else:
            shown[question.field] = str(value)
    return shown


def page_answers(
    questions: list[Question], form: Mapping[str, Any], lists: Mapping[str, list[str]]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers to a page's questions from its form values, and an error per field.

    ``form`` maps a field to its single value, ``lists`` to all its values (checkboxes).
    An unanswered optional question counts as "not sure" (None: not known, never "no").
    A percentage asked as two amounts (``field__recent``, ``field__before``) is worked out.
    """
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        try:
            raw = form.get(question.field)
            if question.compare is not None and (
                f"{question.field}{RECENT}" in form or f"{question.field}{BEFORE}" in form
            ):
                raw = _change_pct(
                    form.get(f"{question.field}{RECENT}"), form.get(f"{question.field}{BEFORE}")
                )
            value = _value(question, raw, lists.get(question.field, []))
            answers[question.field] = check_answer(question, value)
        except AnswerError as exc:
            errors[question.field] = _plain(str(exc), question.field)
        except ValueError:
            errors[question.field] = "Please enter a number, or leave it empty if not sure."
    return answers, errors


def _change_pct(recent: Any, before: Any) -> str:
    """The percentage change from two amounts typed in; empty (not sure) unless both are
    given and the earlier one is above zero."""
    texts = [v.strip() if isinstance(v, str) else "" for v in (recent, before)]
    if not all(texts):
        return ""
    now, then = float(texts[0]), float(texts[1])
    if now < 0 or then < 0:
        raise AnswerError("distances cannot be negative", field="distance")
    if then == 0:
        return "" if now == 0 else str(PCT_LIMITS[1])
    change = (now - then) / then * 100.0
    return str(round(min(max(change, PCT_LIMITS[0]), PCT_LIMITS[1]), 1))


def _value(question: Question, raw: Any, items: list[str]) -> Any:
    kind = question.kind
    text = raw.strip() if isinstance(raw, str) else ""
    if kind == "multi":
        if NOT_SURE in items:
            return None
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

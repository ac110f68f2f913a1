"""A plan day's words say each thing once and name the day it is (review 12, E): the
"book a clinician" task does not repeat its clinicians in brackets, and a calendar day
without a run is not titled "Pain-free test"."""

from __future__ import annotations

from datetime import date

from stridewell.export.ics import recovery_days
from stridewell.knowledge.vocabulary import vocabulary
from stridewell.levels import Level
from stridewell.plan.engine import build_plan
from stridewell.plan.model import RUNNING_PHASES, TaskKind
from stridewell.service import Stridewell

HEEL_THREE_WEEKS = {
    "age": 46, "pain_score": 6, "locations": ["heel_bottom"], "onset": "gradual",
    "duration_days": 21, "trend": "unchanged",
    "pain_timing": ["first_steps_morning", "after_rest", "eases_with_warmup"],
    "pain_quality": ["sharp"],
}  # fmt: skip
START = date(2026, 11, 2)


def _plan() -> object:
    report = Stridewell().triage(HEEL_THREE_WEEKS)
    assert report.triage.level is Level.soon  # the level with a standing clinician task
    return build_plan(report, START, [], START, duration_days=21)


def test_the_clinician_task_names_the_clinicians_once() -> None:
    plan = _plan()
    texts = {t.text for d in plan.days for t in d.tasks if t.kind is TaskKind.see_clinician}  # type: ignore[attr-defined]
    assert texts
    for text in texts:
        assert "(podiatrist" not in text, text
        assert text.count("podiatrist") == 1, text


def test_a_calendar_day_without_a_run_is_not_titled_as_a_run() -> None:
    plan = _plan()
    words = vocabulary()
    run_titles = {words.phase(p.value).label for p in RUNNING_PHASES}
    restful = [
        (d, c)
        for d, c in zip(plan.days, recovery_days(plan), strict=True)  # type: ignore[attr-defined]
        if d.phase in RUNNING_PHASES and d.run_minutes() is None
    ]
    assert restful, "the plan has days between runs"
    for day, shown in restful:
        title = shown.title.split(": ", 1)[1]
        assert title not in run_titles, (day.day_number, title)
        assert title == words.rule(day.rule.id).label

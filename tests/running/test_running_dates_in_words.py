"""The running plan names days in plain words ("3 Dec 2026"), never the ISO form a
machine reads ("2026-12-03"): in its reasons (web page, terminal, calendar) and in the
name a watch shows for a workout ("Run Thu 3 Dec, 5.0 km")."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import fitdecode
from running_builders import START

from stridewell.plan.model import ClinicianDecision
from stridewell.running import (
    Goal,
    Mode,
    build_running_plan,
    load_running_rules,
    typed_targets,
    workout_file,
)
from stridewell.running.clinician import follow_clinician
from stridewell.running.workouts import workout_for
from stridewell.text import day_words

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
RULES = load_running_rules()


def test_a_clinicians_no_running_date_reads_as_a_plain_date_in_the_running_plans_reason() -> None:
    until = START + timedelta(days=10)
    decision = ClinicianDecision(
        condition_id="plantar_fasciitis", restriction="no_running", until=until,
        recorded_on=START, author="Dr Cora",
    )  # fmt: skip
    held = follow_clinician(START, typed_targets(3, 20.0, 8.0), decision, RULES, reduced_pct=50)
    assert held.reason is not None
    assert f"until {day_words(until)}" in held.reason.text
    assert not ISO_DATE.search(held.reason.text)


def test_a_goals_day_and_its_earliest_reachable_day_read_as_plain_dates() -> None:
    soon = Goal(km=21.1, day=START + timedelta(days=19))
    plan = build_running_plan(START, START, typed_targets(3, 20.0, 8.0), mode=Mode.prevention,
                              goal=soon)  # fmt: skip
    check = plan.goal
    assert check is not None and not check.reachable and check.earliest is not None
    assert day_words(soon.day) in check.reason.text
    assert day_words(check.earliest) in check.reason.text
    assert not ISO_DATE.search(check.reason.text)


def test_a_workouts_name_on_the_watch_names_its_day_in_short_words() -> None:
    plan = build_running_plan(START, START, typed_targets(3, 20.0, 8.0), mode=Mode.prevention)
    day = next(d for d in plan.days() if d.run is not None)
    assert day.run is not None
    short = f"{day.day:%a} {day.day.day} {day.day:%b}"  # "Tue 2 Jun"
    assert workout_for(day).name == f"Run {short}, {day.run.km} km"
    created = datetime(2026, 5, 31, 20, 0, tzinfo=UTC)
    with fitdecode.FitReader(workout_file(day, created=created)) as reader:
        names = [
            frame.get_value("wkt_name")
            for frame in reader
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "workout"
        ]
    assert names == [f"Run {short}, {day.run.km} km"]

"""The running plan leaves Stridewell as FIT workout files and an iCalendar file; both
are read back with independent libraries (Garmin's FIT SDK, fitdecode, icalendar)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import fitdecode
import icalendar
import pytest
from garmin_fit_sdk import Decoder, Stream
from running_builders import START, on

from stridewell.running import (
    DoneRun,
    Mode,
    RunDay,
    RunningPlan,
    build_running_plan,
    load_running_rules,
    running_calendar,
    typed_targets,
    workout_file,
)
from stridewell.text import day_words

CREATED = datetime(2026, 5, 31, 20, 0, tzinfo=UTC)
RULES = load_running_rules()


def _new_runner_plan() -> RunningPlan:
    """No run in 30 days: the plan restarts with walk-run days."""
    return build_running_plan(START, START, typed_targets(3, 20.0, 8.0), mode=Mode.prevention)


def _continuous_plan() -> RunningPlan:
    history = [DoneRun(day=START - timedelta(days=b), km=6.0, minutes=36) for b in (2, 4, 6)]
    return build_running_plan(
        START, START, typed_targets(3, 20.0, 8.0), history, mode=Mode.prevention
    )


def _first_run(plan: RunningPlan) -> RunDay:
    return next(d for d in plan.days() if d.run is not None)


def _expected_steps(day: RunDay) -> list[dict[str, Any]]:
    """The steps a watch should show, from the plan day and the rules."""
    assert day.run is not None
    lim, words = RULES.limits, RULES.workout
    steps: list[dict[str, Any]] = [
        {"name": words.warm_up, "intensity": "warmup", "duration_type": "time",
         "value": lim.warm_up_minutes * 60}
    ]  # fmt: skip
    if day.run.run_interval is not None and day.run.walk_interval is not None:
        rounds = -(-day.run.minutes // day.run.run_interval)
        steps += [
            {"name": words.run, "intensity": "active", "duration_type": "time",
             "value": day.run.run_interval * 60},
            {"name": words.walk, "intensity": "recovery", "duration_type": "time",
             "value": day.run.walk_interval * 60},
            {"name": words.repeat.format(times=rounds), "intensity": "active",
             "duration_type": "repeat_until_steps_cmplt", "value": 1, "repeats": rounds},
        ]  # fmt: skip
    else:
        steps.append(
            {"name": words.run, "intensity": "active", "duration_type": "distance",
             "value": round(day.run.km * 1000)}
        )  # fmt: skip
    steps.append(
        {"name": words.cool_down, "intensity": "cooldown", "duration_type": "time",
         "value": lim.cool_down_minutes * 60}
    )  # fmt: skip
    return steps


def _garmin_steps(data: bytes) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    steps = []
    for m in messages["workout_step_mesgs"]:
        kind = m["duration_type"]
        value = {
            "time": m.get("duration_time"),
            "distance": m.get("duration_distance"),
            "repeat_until_steps_cmplt": m.get("duration_step"),
        }[kind]
        step = {"name": m["wkt_step_name"], "intensity": m["intensity"], "duration_type": kind,
                "value": round(value)}  # fmt: skip
        if kind == "repeat_until_steps_cmplt":
            step["repeats"] = m["repeat_steps"]
        steps.append(step)
    return messages["file_id_mesgs"][0], messages["workout_mesgs"][0], steps


def _fitdecode_steps(data: bytes) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                found.setdefault(frame.name, []).append({f.name: f.value for f in frame.fields})
    steps = []
    for m in found["workout_step"]:
        kind = m["duration_type"]
        value = {
            "time": m.get("duration_time"),
            "distance": m.get("duration_distance"),
            "repeat_until_steps_cmplt": m.get("duration_step"),
        }[kind]
        step = {"name": m["wkt_step_name"], "intensity": m["intensity"], "duration_type": kind,
                "value": round(value)}  # fmt: skip
        if kind == "repeat_until_steps_cmplt":
            step["repeats"] = m["repeat_steps"]
        steps.append(step)
    return found["file_id"][0], found["workout"][0], steps


@pytest.mark.parametrize("plan_of", [_new_runner_plan, _continuous_plan])
def test_workout_fit_files_decode_with_the_garmin_sdk_into_the_planned_steps(plan_of) -> None:  # type: ignore[no-untyped-def]
    day = _first_run(plan_of())
    file_id, workout, steps = _garmin_steps(workout_file(day, created=CREATED))
    assert file_id["type"] == "workout" and file_id["time_created"] == CREATED
    assert workout["sport"] == "running" and workout["num_valid_steps"] == len(steps)
    assert day.run is not None
    shown = day_words(day.day, weekday=True, year=False)
    assert workout["wkt_name"] == RULES.workout.name.format(day=shown, km=day.run.km)
    assert steps == _expected_steps(day)


@pytest.mark.parametrize("plan_of", [_new_runner_plan, _continuous_plan])
def test_workout_fit_files_decode_with_fitdecode_into_the_planned_steps(plan_of) -> None:  # type: ignore[no-untyped-def]
    day = _first_run(plan_of())
    file_id, workout, steps = _fitdecode_steps(workout_file(day, created=CREATED))
    assert file_id["type"] == "workout"
    assert workout["sport"] == "running" and workout["num_valid_steps"] == len(steps)
    assert steps == _expected_steps(day)


def test_walk_run_days_become_a_repeat_of_run_and_walk_steps() -> None:
    day = _first_run(_new_runner_plan())
    assert day.run is not None and day.run.run_interval == RULES.limits.restart_run_interval
    _, _, steps = _garmin_steps(workout_file(day, created=CREATED))
    repeat = steps[3]
    assert repeat["duration_type"] == "repeat_until_steps_cmplt"
    assert repeat["value"] == 1  # back to the first running step
    assert repeat["repeats"] * RULES.limits.restart_run_interval >= day.run.minutes


def test_a_damaged_workout_file_fails_its_crc() -> None:
    data = bytearray(workout_file(_first_run(_continuous_plan()), created=CREATED))
    data[40] ^= 0xFF
    assert not Decoder(Stream.from_byte_array(data)).check_integrity()
    with (
        pytest.raises(fitdecode.FitCRCError),
        fitdecode.FitReader(io.BytesIO(bytes(data)), check_crc=fitdecode.CrcCheck.RAISE) as reader,
    ):
        for _ in reader:
            pass


def test_a_day_without_a_run_has_no_workout() -> None:
    plan = _continuous_plan()
    rest = next(d for d in plan.days() if d.run is None)
    with pytest.raises(ValueError, match="no run planned"):
        workout_file(rest, created=CREATED)


def test_the_running_calendar_parses_with_icalendar_one_event_per_active_day() -> None:
    plan = _continuous_plan()
    data = running_calendar(plan, "p1", stamp=CREATED)
    calendar = icalendar.Calendar.from_ical(data)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    active = [d for d in plan.days() if d.run or any(s.kind != "rest" for s in d.sessions)]
    assert len(events) == len(active) > 0
    by_day = {e.decoded("dtstart"): e for e in events}
    first = _first_run(plan)
    event = by_day[first.day]
    assert str(event["summary"]) == RULES.title(first.run.kind.value, first.run.km)  # type: ignore[union-attr]
    assert first.run.text in str(event["description"])  # type: ignore[union-attr]
    assert str(event["uid"]) == f"run-p1-{first.day.isoformat()}@stridewell"
    assert on(1) <= min(by_day) and max(by_day) <= plan.days()[-1].day

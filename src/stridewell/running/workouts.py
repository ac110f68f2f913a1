"""A planned run as a watch workout: warm-up walk, the run (or walk-run intervals as a
repeat), cool-down walk; and the FIT file of it. Step names come from running.yaml."""

from __future__ import annotations

from datetime import datetime

from stridewell.export.fit_workout import Intensity, Repeat, Step, Workout, workout_fit
from stridewell.running.model import RunDay
from stridewell.running.rules import RunningRules, load_running_rules
from stridewell.text import day_words


def workout_for(day: RunDay, rules: RunningRules | None = None) -> Workout:
    """The workout of a plan day with a run (ValueError without one)."""
    if day.run is None:
        raise ValueError(f"no run planned on {day_words(day.day)}")
    rules = rules or load_running_rules()
    lim, words = rules.limits, rules.workout
    run = day.run
    items: list[Step | Repeat] = []
    if lim.warm_up_minutes:
        items.append(Step(words.warm_up, Intensity.warmup, seconds=lim.warm_up_minutes * 60))
    if run.run_interval is not None and run.walk_interval is not None:
        rounds = max(1, -(-run.minutes // run.run_interval))
        running = Step(words.run, Intensity.active, seconds=run.run_interval * 60)
        walking = Step(words.walk, Intensity.recovery, seconds=run.walk_interval * 60)
        items.append(Repeat(rounds, (running, walking), words.repeat.format(times=rounds)))
    else:
        notes = words.run_notes.format(km=run.km, minutes=run.minutes)
        items.append(Step(words.run, Intensity.active, metres=round(run.km * 1000), notes=notes))
    if lim.cool_down_minutes:
        items.append(Step(words.cool_down, Intensity.cooldown, seconds=lim.cool_down_minutes * 60))
    name = words.name.format(day=day_words(day.day, weekday=True, year=False), km=run.km)
    return Workout(name=name, items=tuple(items))


def workout_file(day: RunDay, *, created: datetime, rules: RunningRules | None = None) -> bytes:
    """The FIT workout file of a plan day's run (`created`: tz-aware, the file's stamp)."""
    return workout_fit(workout_for(day, rules), created=created)

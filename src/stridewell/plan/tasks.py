"""The tasks of each kind of plan day, assembled from the plan rules and the knowledge base.

A day's tasks come from the plan file (phase groups, warm-up, cool-down, strength), the
leading condition (its exercises with their doses, its cautions and shoe features) and
the triage report (what is safe while waiting to be seen). Exercises that would press on
the painful part, or that the condition rules out, are left out everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from stridewell.contract import Assessment, Level, Region
from stridewell.knowledge.rules import compile_rule, facts_of
from stridewell.knowledge.schema import Condition, KnowledgeBase
from stridewell.plan.model import Task, TaskKind
from stridewell.plan.rules import PlanRules, RunStep, TaskSpec
from stridewell.report import TriageReport
from stridewell.triage.scoring import RedFlagHit

# Kinds kept while waiting to be seen: gentle movement, nothing that needs the foot to
# take impact or firm pressure on a possibly injured bone.
_WAITING_KINDS = frozenset({TaskKind.mobility})


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _dedupe(tasks: Iterable[Task]) -> list[Task]:
    # One exercise once a day: the first mention (the phase's own dose) wins.
    seen: set[str] = set()
    kept = []
    for task in tasks:
        if task.exercise_id is not None:
            if task.exercise_id in seen:
                continue
            seen.add(task.exercise_id)
        kept.append(task)
    return kept


def main_region(condition: Condition | None) -> list[Region]:
    """The leading condition's main region, standing in when the assessment's locations
    are not known (the red-flag rules and the adjustments need one)."""
    if condition is None:
        return [Region.arch]
    regions = condition.regions
    return [max(regions, key=lambda r: regions[r])]


def avoided_exercises(
    rules: PlanRules, condition: Condition | None, locations: list[Region]
) -> set[str]:
    """Exercises ruled out by the leading condition or by where it hurts."""
    avoid: set[str] = set()
    if condition is not None and condition.id in rules.conditions:
        avoid.update(rules.conditions[condition.id].avoid_exercises)
    facts = facts_of(Assessment(locations=locations))
    for adjustment in rules.adjustments:
        if compile_rule(adjustment.rule)(facts):
            avoid.update(adjustment.avoid_exercises)
    return avoid


class TaskBook:
    """Builds the task list of each kind of day for one plan."""

    def __init__(
        self,
        rules: PlanRules,
        kb: KnowledgeBase,
        report: TriageReport,
        condition: Condition | None,
        avoid: set[str],
    ) -> None:
        self.rules = rules
        self.report = report
        self.condition = condition
        self.avoid = avoid
        self.exercises = {e.id: e for e in kb.exercises}
        self.advice = {a.id: a for a in kb.self_care}
        self.shoes = {s.id: s for s in kb.shoe_features}
        self.standing: list[Task] = []
        if report.triage.level is Level.soon:
            # A clinician is due soon, but self-care goes on meanwhile: a standing reminder.
            self.standing = [self.clinician_task(Level.soon, ["seed_brief"])]

    # --- building blocks ------------------------------------------------------------------

    def _dose(self, exercise_id: str, resting: bool) -> str:
        """The exercise's dose; on days without running, its rest dose if it has one."""
        ex = self.exercises[exercise_id]
        return (ex.rest_dose or ex.dose) if resting else ex.dose

    def _one_stretch(self, tasks: list[Task]) -> list[Task]:
        # A day without running stretches the calf once: the first stretch stands for all.
        same = set(self.rules.one_stretch_while_resting)
        first = next((t.exercise_id for t in tasks if t.exercise_id in same), None)
        return [t for t in tasks if t.exercise_id not in same or t.exercise_id == first]

    def _task(self, spec: TaskSpec, resting: bool = False) -> Task | None:
        if spec.exercise is None:
            assert spec.text is not None  # the schema requires text or exercise
            return Task(kind=spec.kind, text=spec.text, minutes=spec.minutes, sources=spec.sources)
        if spec.exercise in self.avoid:
            return None
        ex = self.exercises[spec.exercise]
        return Task(
            kind=spec.kind,
            text=spec.text or ex.name,
            exercise_id=ex.id,
            dose=spec.dose or self._dose(ex.id, resting),
            minutes=spec.minutes,
            sources=_unique([*spec.sources, *ex.sources]),
        )

    def group(self, name: str, *, resting: bool = False) -> list[Task]:
        tasks = (self._task(s, resting) for s in self.rules.tasks[name])
        return [t for t in tasks if t is not None]

    def condition_exercises(self, between_runs: bool, *, resting: bool = False) -> list[Task]:
        """The leading condition's exercises; those dosed every other day only between runs."""
        if self.condition is None:
            return []
        tasks = []
        for ex_id in self.condition.exercises:
            if ex_id in self.avoid:
                continue
            if ex_id in self.rules.every_other_day and not between_runs:
                continue
            ex = self.exercises[ex_id]
            tasks.append(
                Task(
                    kind=TaskKind.exercise,
                    text=ex.name,
                    exercise_id=ex.id,
                    dose=self._dose(ex.id, resting),
                    sources=list(ex.sources),
                )
            )
        return tasks

    def cautions(self) -> list[Task]:
        if self.condition is None:
            return []
        return [
            Task(
                kind=TaskKind.caution,
                text=self.advice[a].text,
                sources=list(self.advice[a].sources),
            )
            for a in self.condition.cautions
        ]

    def shoe_tasks(self) -> list[Task]:
        if self.condition is None:
            return []
        tasks = []
        for shoe_id in self.condition.shoe_features:
            shoe = self.shoes[shoe_id]
            tasks.append(
                Task(
                    kind=TaskKind.footwear,
                    text=f"Shoes for running again ({shoe.pain_type}): {shoe.features} "
                    f"Style: {shoe.shoe_style}.",
                    sources=list(shoe.sources),
                )
            )
        return tasks

    def run_task(self, step: RunStep, minutes: int) -> Task:
        text = step.text.format(minutes=minutes, run=step.run_interval, walk=step.walk_interval)
        kind = TaskKind.test_jog if step.id == self.rules.run_steps[0].id else TaskKind.run
        sources = [*step.sources, "single_session_spike_2025"]
        return Task(kind=kind, text=text, minutes=minutes, sources=_unique(sources))

    def clinician_task(self, level: Level, sources: list[str]) -> Task:
        # The text names who to see already (plan.yaml `clinician_tasks`): no bracket
        # repeating them.
        text = self.rules.clinician_tasks[level]
        return Task(kind=TaskKind.see_clinician, text=text, sources=_unique(sources))

    def _report_advice(self) -> list[Task]:
        # The triage engine already chose what is safe while waiting at this level.
        tasks = []
        for item in self.report.advice:
            if item.kind != "self_care":
                continue
            kind = self.rules.advice_kinds.get(item.id, TaskKind.caution)
            tasks.append(Task(kind=kind, text=item.text, sources=list(item.sources)))
        return tasks

    # --- days ----------------------------------------------------------------------------

    def protect(self, *, acute: bool = True) -> list[Task]:
        """Days 1-3: care for a fresh injury only when the pain is fresh (`acute`)."""
        group = self.group("protect" if acute else "settle", resting=True)
        return self._one_stretch(_dedupe([*self.standing, *group, *self.cautions()]))

    def mobilise(self, day_number: int) -> list[Task]:
        # No runs yet, so exercises dosed every other day fall on alternate days.
        alternate = day_number % 2 == 0
        tasks = [
            *self.standing,
            *self.group("mobilise", resting=True),
            *self.condition_exercises(between_runs=alternate, resting=True),
            *self.cautions(),
        ]
        return self._one_stretch(_dedupe(tasks))

    def pause(self, day_number: int) -> list[Task]:
        return _dedupe([*self.group("pause"), *self.mobilise(day_number)])

    def run_day(self, step: RunStep, minutes: int) -> list[Task]:
        tasks = [
            *self.standing,
            *self.group("warm_up"),
            self.run_task(step, minutes),
            *self.group("cool_down"),
            *self.group("run_day"),
            *self.condition_exercises(between_runs=False),
            *self.cautions(),
        ]
        if step.id == self.rules.run_steps[0].id:
            tasks += self.shoe_tasks()
        return _dedupe(tasks)

    def between_runs(self) -> list[Task]:
        return _dedupe(
            [
                *self.standing,
                *self.group("strength"),
                *self.condition_exercises(between_runs=True),
                *self.group("between_runs"),
                *self.cautions(),
            ]
        )

    def see_clinician(
        self, level: Level, sources: list[str], from_report: bool, hits: list[RedFlagHit]
    ) -> list[Task]:
        """A day of waiting to be seen: the booking first, then only what is safe."""
        tasks = [self.clinician_task(level, sources)]
        tasks += [
            Task(kind=TaskKind.caution, text=h.flag.advice, sources=list(h.flag.sources))
            for h in hits
        ]
        if from_report:
            tasks += self._report_advice()
        if level is Level.emergency:
            return _dedupe(tasks)
        tasks += self.group("see_clinician")
        if level is Level.soon:
            waiting = [t for t in self.group("mobilise") if t.kind in _WAITING_KINDS]
            tasks += [*waiting, *self.group("keep_moving")]
        return _dedupe([*tasks, *self.cautions()])

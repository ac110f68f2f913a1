"""The running plan of one runner: back to their usual running after the recovery plan, or
towards a goal for a runner without pain.

What is stored is how the plan started (mode, first day, targets, goal); the weeks are
rebuilt each time from the journal, the imported runs and the shoes (`running/`), so a
check-in or an imported run moves the plan on, holds it or steps it back at once.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stridewell.errors import Conflict, InvalidInput, NotFound
from stridewell.service.assessments import AssessmentService
from stridewell.service.backend import Backend
from stridewell.service.journal import JournalService
from stridewell.service.plans import PlanService
from stridewell.service.training import run_log
from stridewell.text import day_words

if TYPE_CHECKING:
    from stridewell.running import DoneRun, Goal, RunningPlan, Targets
    from stridewell.shoes.model import Shoe
    from stridewell.storage.running_repo import StoredRunningPlan

NO_RUNNING_PLAN = "no running plan yet: start one first"
NOT_FINISHED = (
    "your recovery plan has not finished yet: the running plan starts once you have run "
    "30 minutes without stopping, with the pain settled by the next morning"
)
NEED_TARGETS = (
    "there are too few runs from before the pain to work out your usual week: type it in "
    "(weekly distance, runs a week and the long run)"
)
HIDDEN_BY_RECOVERY = (
    "a newer recovery plan is in charge: the running plan waits until it has done its job, "
    "so its targets cannot be changed now"
)
# How far back the journal and the imported runs are read: the recovery plan's journal
# before the first day, and the 30 days the single-run rule looks back on.
LOOKBACK_DAYS = 70


class TargetsInput(BaseModel):
    """The runner's usual week, typed in: what the plan builds back up to."""

    model_config = ConfigDict(extra="forbid")

    weekly_km: float = Field(gt=0, le=300, description="usual distance a week, km")
    runs_per_week: int = Field(ge=1, le=7)
    long_run_km: float = Field(gt=0, le=100, description="usual long run, km")
    usual_runs_per_week: int = Field(default=0, ge=0, le=6, description="harder runs a week")
    long_run_weekday: int | None = Field(default=None, ge=0, le=6, description="0 = Monday")


class GoalInput(BaseModel):
    """A distance to run on a day (prevention mode)."""

    model_config = ConfigDict(extra="forbid")

    km: float = Field(gt=0, le=100)
    day: date


def _invalid(exc: ValidationError, prefix: str) -> InvalidInput:
    from stridewell.validation import describe_validation_error

    field, message = describe_validation_error(exc)
    return InvalidInput(f"{prefix}{field}: {message}", field=field)


class RunningService:
    """One runner's running plan."""

    def __init__(
        self,
        backend: Backend,
        runner_id: str,
        *,
        plans: PlanService,
        journal: JournalService,
        assessments: AssessmentService,
    ) -> None:
        self._backend = backend
        self.runner_id = runner_id
        self._plans = plans
        self._journal = journal
        self._assessments = assessments

    # -- where the runner is --------------------------------------------------------------

    def recovery_finished(self) -> date | None:
        """The day after the active recovery plan has done its job (its first day of 30
        minutes of continuous running), or None while it has not (or there is none)."""
        from stridewell.running import start_after_recovery

        recovery = self._plans.current()
        return None if recovery is None else start_after_recovery(recovery)

    def suggested_targets(self) -> Targets | None:
        """The runner's usual week from their imported runs before the pain, with the
        method stated; None when there are too few runs to tell."""
        from stridewell.running import NotEnoughHistory, targets_from_history

        try:
            return targets_from_history(self._imported_runs(), self._onset())
        except NotEnoughHistory:
            return None

    # -- starting and changing ------------------------------------------------------------

    def start(
        self, targets: TargetsInput | None = None, goal: GoalInput | None = None
    ) -> RunningPlan:
        """Start (or start again) the running plan.

        After a recovery plan that has done its job, the plan starts the day after it
        (back-to-running mode, pain-gated); a runner without a recovery plan starts today
        (prevention mode). Targets are the ones typed in, else the runner's usual week
        from their imported history."""
        from stridewell.running import Mode, start_after_recovery

        today = self._backend.today(self.runner_id)
        recovery = self._plans.current()
        if recovery is not None:
            finished = start_after_recovery(recovery)
            if finished is None:
                raise Conflict(NOT_FINISHED)
            mode, first_day = Mode.back_to_running, finished
        else:
            mode, first_day = Mode.prevention, today
        if goal is not None and goal.day <= today:
            raise InvalidInput("the goal day must be after today", field="goal.day")
        chosen = self._typed(targets) if targets is not None else self.suggested_targets()
        if chosen is None:
            raise InvalidInput(NEED_TARGETS, field="targets")
        locations, flags = self._assessed() if recovery is not None else ([], [])
        backend, runner_id = self._backend, self.runner_id
        backend.run(
            lambda store: store.running.save_running_plan(
                runner_id,
                mode=mode.value,
                start_date=first_day,
                targets=chosen.model_dump(mode="json"),
                goal_km=None if goal is None else goal.km,
                goal_day=None if goal is None else goal.day,
                locations=locations,
                known_flags=flags,
                now=backend.clock(),
            )
        )
        return self.require()

    def change_targets(self, targets: TargetsInput) -> RunningPlan:
        """Change the targets the plan builds up to; the weeks follow at once. What is not
        typed (the long-run weekday, harder runs a week, the easy pace) stays as stored."""
        from stridewell.running import Targets

        runner_id = self.runner_id
        stored = self._backend.run(lambda store: store.running.running_plan(runner_id))
        if stored is None:
            raise NotFound(NO_RUNNING_PLAN)
        # Checked before writing: a plan a newer recovery plan hides is not changed.
        if self._hidden(stored):
            raise Conflict(HIDDEN_BY_RECOVERY)
        chosen = self._typed(targets, keep=Targets.model_validate(stored.targets))
        backend = self._backend
        changed = backend.run(
            lambda store: store.running.update_targets(
                runner_id, chosen.model_dump(mode="json"), now=backend.clock()
            )
        )
        if changed is None:
            raise NotFound(NO_RUNNING_PLAN)
        return self.require()

    # -- the plan -------------------------------------------------------------------------

    def current(self, *, today: date | None = None) -> RunningPlan | None:
        """The plan as of today, rebuilt from the journal, imported runs and shoes."""
        stored = self._stored()
        if stored is None:
            return None
        return self._build(stored, today or self._backend.today(self.runner_id))

    def require(self, *, today: date | None = None) -> RunningPlan:
        plan = self.current(today=today)
        if plan is None:
            raise NotFound(NO_RUNNING_PLAN)
        return plan

    def ics(self) -> bytes:
        """The plan as an iCalendar file: one all-day event per day with something on."""
        from stridewell.running import running_calendar

        plan = self.require()
        plan_id = hashlib.sha256(self.runner_id.encode()).hexdigest()[:12]
        return running_calendar(plan, f"{plan_id}-{plan.start:%Y%m%d}", stamp=self._backend.clock())

    def workout_fit(self, day: date) -> bytes:
        """The FIT workout file of the run planned on `day` (walk-run steps included)."""
        from stridewell.running import workout_file

        plan_day = self.require().day_of(day)
        if plan_day is None or plan_day.run is None:
            raise NotFound(f"no run planned on {day_words(day)}")
        return workout_file(plan_day, created=self._backend.clock())

    # -- helpers --------------------------------------------------------------------------

    def _stored(self) -> StoredRunningPlan | None:
        """The stored plan, unless a recovery plan was started after it (a new pain, a
        new assessment): that plan is in charge then, and this one waits for its end."""
        runner_id = self.runner_id
        stored = self._backend.run(lambda store: store.running.running_plan(runner_id))
        if stored is None:
            return None
        return None if self._hidden(stored) else stored

    def _hidden(self, stored: StoredRunningPlan) -> bool:
        """Whether a recovery plan started after this running plan is in charge."""
        runner_id = self.runner_id
        recovery = self._backend.run(lambda store: store.plans.active_plan(runner_id))
        return recovery is not None and recovery.created_at > stored.created_at

    def _episode_start(self, stored: StoredRunningPlan) -> datetime:
        """From when a clinician's note counts for this plan: back to running, the start of
        the recovery plan it follows; in prevention mode (or with that plan gone), its own
        start."""
        from stridewell.running import Mode
        from stridewell.service.plans import episode_start

        own = episode_start(
            stored.start_date, stored.created_at, self._backend.zone(self.runner_id)
        )
        if stored.mode != Mode.back_to_running.value:
            return own
        recovery = self._plans.episode_start()
        return own if recovery is None else min(own, recovery)

    def _typed(self, targets: TargetsInput, *, keep: Targets | None = None) -> Targets:
        """The typed targets; with `keep`, the fields not typed come from it."""
        from stridewell.running import typed_targets

        given = targets.model_fields_set
        harder, weekday = targets.usual_runs_per_week, targets.long_run_weekday
        pace = None
        if keep is not None:
            if "usual_runs_per_week" not in given:
                # At least the long run stays easy, also with fewer runs a week.
                harder = min(keep.usual_runs_per_week, targets.runs_per_week - 1)
            if "long_run_weekday" not in given or weekday is None:
                weekday = keep.long_run_weekday
            pace = keep.easy_pace_s_per_km
        try:
            return typed_targets(
                targets.runs_per_week,
                targets.weekly_km,
                targets.long_run_km,
                usual_runs_per_week=harder,
                long_run_weekday=weekday,
                easy_pace_s_per_km=pace,
            )
        except ValidationError as exc:
            raise _invalid(exc, "targets.") from exc

    def _build(self, stored: StoredRunningPlan, today: date) -> RunningPlan:
        from stridewell.contract import Region
        from stridewell.plan.rules import load_plan_rules
        from stridewell.running import Goal, Mode, Targets, build_running_plan, load_running_rules
        from stridewell.running.clinician import follow_clinician
        from stridewell.service.clinician import latest_decision

        since = stored.start_date - timedelta(days=LOOKBACK_DAYS)
        entries = [s.entry for s in self._journal.entries(since=since)]
        goal: Goal | None = None
        if stored.goal_km is not None and stored.goal_day is not None:
            goal = Goal(km=stored.goal_km, day=stored.goal_day)
        shoes, shoe_km = self._shoes()
        locations = [Region(r) for r in stored.locations if r in Region.__members__]
        # A clinician's running restriction wins over the runner's start day and targets;
        # the runner's own targets stay on the plan (the form and run-plan show them).
        targets = Targets.model_validate(stored.targets)
        restricted = follow_clinician(
            stored.start_date,
            targets,
            latest_decision(self._backend, self.runner_id, since=self._episode_start(stored)),
            load_running_rules(),
            reduced_pct=load_plan_rules().limits.reduced_running_pct,
        )
        plan = build_running_plan(
            restricted.start,
            today,
            restricted.reduced or targets,
            self._imported_runs(since=since),
            entries,
            mode=Mode(stored.mode),
            goal=goal,
            shoes=shoes,
            shoe_km=shoe_km,
            locations=locations,
            known_flags=stored.known_flags,
        )
        if restricted.reason is None:
            return plan
        return plan.model_copy(
            update={
                "targets": targets,
                "restricted_targets": restricted.reduced,
                "notes": [restricted.reason, *plan.notes],
            }
        )

    def _imported_runs(self, *, since: date | None = None) -> list[DoneRun]:
        """Imported runs with a distance, on their local day."""
        from datetime import datetime, time

        from stridewell.running import DoneRun

        tz = self._backend.zone(self.runner_id)
        first = None if since is None else datetime.combine(since, time.min, tzinfo=tz)
        backend, runner_id = self._backend, self.runner_id
        rows = backend.run(
            lambda store: store.activities.list_activities(
                runner_id, since=first, until=None, sport="running", limit=None, offset=0
            )
        )
        return sorted(
            (
                DoneRun(
                    day=a.start_time.astimezone(tz).date(),
                    km=round(a.distance_m / 1000.0, 3),
                    minutes=min(round(a.moving_time_s / 60.0, 1), 3000.0),
                    shoe_id=a.shoe_id,
                )
                for a in rows
                if 0 < a.distance_m <= 500_000
            ),
            key=lambda r: r.day,
        )

    def _shoes(self) -> tuple[list[Shoe], dict[str, float]]:
        """The runner's pairs and the kilometres on each, for the rotation advice."""
        runner_id = self.runner_id
        if not self._backend.run(lambda store: store.shoes.list_shoes(runner_id)):
            return [], {}  # and no NumPy import for runners without shoes
        from stridewell.shoes.mileage import mileage

        log, shoes = run_log(self._backend, runner_id)
        return shoes, dict(mileage(shoes, log).km)

    def _onset(self) -> date:
        """When the pain started: the assessment's duration before it was made, else the
        recovery plan's first day; today for a runner without a recovery plan."""
        recovery = self._plans.current()
        if recovery is None:
            return self._backend.today(self.runner_id)
        assessment_id = self._plans.assessment_id()
        if assessment_id is not None:
            record = self._assessments.get(assessment_id)
            days = record.assessment.get("duration_days")
            if isinstance(days, int) and days >= 0:
                created = record.created_at.astimezone(self._backend.zone(self.runner_id))
                return created.date() - timedelta(days=days)
        return recovery.start

    def _assessed(self) -> tuple[list[str], list[str]]:
        """Where it hurt, and the warning signs already known, from the recovery plan's
        assessment (so they do not end the running plan as if new)."""
        assessment_id = self._plans.assessment_id()
        if assessment_id is None:
            return [], []
        record = self._assessments.get(assessment_id)
        regions = record.assessment.get("locations", [])
        locations = [str(r) for r in regions] if isinstance(regions, list) else []
        hits = record.report.get("red_flags", [])
        if not isinstance(hits, list):
            return locations, []
        return locations, [str(h["id"]) for h in hits if isinstance(h, dict) and "id" in h]

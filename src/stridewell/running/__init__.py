"""Back to your running: a pain-gated plan from the recovery plan to the runner's usual
training (or a goal), under the single-run rule and a stated weekly bound. Pure code: no
I/O, no clock; dates and tz-aware datetimes are passed in. Rules and texts live in
`knowledge/data/running.yaml`.
"""

from stridewell.running.build import build_running_plan, start_after_recovery
from stridewell.running.calendar import running_calendar
from stridewell.running.history import (
    NotEnoughHistory,
    all_runs,
    runs_from_activities,
    runs_from_journal,
    targets_from_history,
    typed_targets,
)
from stridewell.running.model import (
    Bound,
    DoneRun,
    Ending,
    Goal,
    GoalCheck,
    Mode,
    PlannedRun,
    Reason,
    RunDay,
    RunningPlan,
    Session,
    SessionKind,
    ShoeAdvice,
    Targets,
    Week,
)
from stridewell.running.rules import RunningRules, load_running_rules
from stridewell.running.workouts import workout_file, workout_for

__all__ = [
    "Bound",
    "DoneRun",
    "Ending",
    "Goal",
    "GoalCheck",
    "Mode",
    "NotEnoughHistory",
    "PlannedRun",
    "Reason",
    "RunDay",
    "RunningPlan",
    "RunningRules",
    "Session",
    "SessionKind",
    "ShoeAdvice",
    "Targets",
    "Week",
    "all_runs",
    "build_running_plan",
    "load_running_rules",
    "running_calendar",
    "runs_from_activities",
    "runs_from_journal",
    "start_after_recovery",
    "targets_from_history",
    "typed_targets",
    "workout_file",
    "workout_for",
]

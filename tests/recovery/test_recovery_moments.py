"""A check-in for a moment already logged replaces it (real SQLite, the service).

The earlier score is kept in the entry's history, never deleted; the journal, the trend,
the chart's points and the plan see only the newest.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from stridewell.journal.model import JournalEntry
from stridewell.journal.supersede import DayEntry, merge, supersede
from stridewell.service import Stridewell
from stridewell.storage.records import LOCAL_RUNNER_ID
from stridewell.storage.repository import Store

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TODAY = NOW.astimezone().date()
HEEL = {"age": 38, "pain_score": 4, "locations": ["heel_bottom"], "onset": "gradual",
        "duration_days": 3, "pain_timing": ["first_steps_morning"]}  # fmt: skip


def _service(path: Path) -> Stridewell:
    sw = Stridewell(f"sqlite:///{path.as_posix()}", clock=lambda: NOW)
    sw.upgrade_database()
    return sw


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    sw = _service(tmp_path / "moments.db")
    yield sw
    sw.close()


def _log(service: Stridewell, day: date = TODAY, **fields: object) -> str:
    return service.local().journal.log_entry({"day": day.isoformat(), **fields}).id


def test_the_same_moment_logged_twice_keeps_the_newer_score_and_the_history(
    service: Stridewell,
) -> None:
    first = _log(service, pain_morning=6)
    second = _log(service, pain_morning=3)
    assert second == first
    [entry] = service.local().journal.entries()
    assert (entry.revision, entry.entry.pain_morning) == (2, 3)
    history = service.local().journal.entry_history(first)
    assert [h.entry.pain_morning for h in history] == [6, 3]


def test_other_moments_and_other_days_stay_separate_check_ins(service: Stridewell) -> None:
    _log(service, pain_morning=4)
    _log(service, pain_after=2)
    _log(service, TODAY - timedelta(days=1), pain_morning=5)
    entries = service.local().journal.entries()
    assert len(entries) == 3
    assert all(e.revision == 1 for e in entries)


def test_one_moment_corrects_a_full_check_in_and_keeps_its_other_answers(
    service: Stridewell,
) -> None:
    _log(service, pain_rest=1, pain_morning=4, pain_after=3, activity="run",
         activity_minutes=20, notes="felt fine")  # fmt: skip
    _log(service, pain_morning=2)
    [entry] = service.local().journal.entries()
    e = entry.entry
    assert (e.pain_rest, e.pain_morning, e.pain_after) == (1, 2, 3)
    assert (e.activity, e.activity_minutes, e.notes) == ("run", 20, "felt fine")


def test_the_trend_and_the_chart_see_only_the_newest_score(service: Stridewell) -> None:
    for back, pain in ((3, 5), (2, 4), (1, 4)):
        _log(service, TODAY - timedelta(days=back), pain_morning=pain)
    _log(service, pain_morning=9)  # a slip of the finger
    _log(service, pain_morning=3)  # corrected
    points, _ = service.local().plans.pain_series()
    assert [p.worst for p in points] == [5, 4, 4, 3]
    assert service.local().journal.pain_trend().direction == "improving"


def test_the_plan_is_built_from_the_corrected_score_alone(tmp_path: Path) -> None:
    def plan_after(path: Path, *scores: int) -> object:
        with _service(path) as sw:
            sw.assess(HEEL)
            sw.local().plans.start(start=TODAY - timedelta(days=3))
            for back in (3, 2, 1):
                _log(sw, TODAY - timedelta(days=back), pain_rest=0, pain_morning=2)
            for score in scores:
                _log(sw, pain_rest=score, pain_morning=score)
            plan = sw.local().plans.current()
            assert plan is not None
            return plan.trend.direction, [(d.day, d.phase, d.rule.id) for d in plan.days]

    corrected = plan_after(tmp_path / "a.db", 9, 1)
    assert corrected == plan_after(tmp_path / "b.db", 1)
    assert corrected != plan_after(tmp_path / "c.db", 9)  # the slip alone changes the plan


def test_a_moment_logged_twice_before_this_change_is_scored_once_from_now(
    service: Stridewell,
) -> None:
    # Two entries for one moment, as the journal stored them before (written directly).
    with Store(service.database_url) as store:
        for pain in (7, 6):
            store.journal.add_journal_entry(
                runner_id=LOCAL_RUNNER_ID, day=TODAY, recorded_at=NOW,
                data=JournalEntry(day=TODAY, pain_morning=pain).model_dump(mode="json"),
            )  # fmt: skip
    _log(service, pain_morning=2)
    mornings = [e.entry.pain_morning for e in service.local().journal.entries()]
    assert sorted(mornings, key=lambda p: p is None) == [2, None]
    points, _ = service.local().plans.pain_series()
    assert [p.worst for p in points] == [2]


def test_merge_replaces_the_activity_with_its_minutes_and_adds_warning_signs() -> None:
    earlier = JournalEntry(day=TODAY, pain_during=3, activity="run", activity_minutes=20,
                           checkin={"numbness_tingling": False}, exercises_done=["calf_raise"])  # fmt: skip
    new = JournalEntry(day=TODAY, pain_during=2, activity="walk",
                       checkin={"redness_warmth": True}, exercises_done=["towel_curl"])  # fmt: skip
    merged = merge(earlier, new)
    assert (merged.pain_during, merged.activity, merged.activity_minutes) == (2, "walk", None)
    assert merged.checkin.numbness_tingling is False and merged.checkin.redness_warmth is True
    assert merged.exercises_done == ["calf_raise", "towel_curl"]


def test_an_entry_without_scores_never_replaces_another() -> None:
    run = JournalEntry(day=TODAY, activity="run", activity_minutes=10)
    outcome = supersede(run, [DayEntry("a", JournalEntry(day=TODAY, pain_morning=3))])
    assert outcome.add == run and outcome.revise == ()

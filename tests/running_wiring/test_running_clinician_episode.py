"""The running plan under a clinician's word, through the runner services on a real SQLite
file: a "no running until" day is bounded, a reduction does not compound, a note counts only
for the episode it was recorded in; changing targets keeps what was not typed; check-ins
without an assessed place are judged everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from running_wiring_seed import finish_recovery

from stridewell.errors import Conflict, InvalidInput
from stridewell.service import Stridewell
from stridewell.service.running import TargetsInput
from stridewell.storage.clinician_records import ClinicianNoteToStore
from stridewell.storage.repository import Store
from stridewell.web.app import create_app

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
USUAL = TargetsInput(
    weekly_km=30, runs_per_week=3, long_run_km=12, usual_runs_per_week=1, long_run_weekday=2
)
HEEL = {
    "locations": ["heel_bottom"],
    "onset": "gradual",
    "pain_score": 4,
    "duration_days": 20,
    "pain_timing": ["first_steps_morning"],
}


class Clock:
    """A clock the test moves on."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(tmp_path: Path, clock: Clock) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{tmp_path / 'sw.db'}", clock=clock)
    sw.upgrade_database()
    yield sw
    sw.close()


def _club(service: Stridewell) -> tuple[str, str]:
    runner = service.accounts.register("ann@example.org", PASSWORD, "Ann").runner_id
    coach = service.accounts.register("cora@example.org", PASSWORD, "Dr Cora", role="coach")
    ann = service.for_runner(runner)
    service.for_runner(coach.runner_id).sharing.accept_invite(ann.sharing.invite_coach())
    return runner, coach.runner_id


def _reduce(service: Stridewell, runner: str, coach: str) -> None:
    service.for_runner(coach).clinician.record_for(
        runner, condition="plantar_fasciitis", restriction="reduced"
    )


# -- #2: the "no running until" day ---------------------------------------------------------


@pytest.mark.parametrize("days", [-1, 367, 3_000_000])
def test_no_running_until_a_day_before_today_or_over_a_year_ahead_is_refused(
    service: Stridewell, days: int
) -> None:
    runner, coach = _club(service)
    until = date.max if days > 400 else service.today() + timedelta(days=days)
    with pytest.raises(InvalidInput) as refused:
        service.for_runner(coach).clinician.record_for(
            runner, condition="plantar_fasciitis", restriction="no_running", until=until
        )
    assert refused.value.field == "until"
    assert service.for_runner(runner).clinician.notes() == []


def test_no_running_until_today_or_a_year_ahead_is_taken(service: Stridewell) -> None:
    runner, coach = _club(service)
    for days in (0, 366):
        service.for_runner(coach).clinician.record_for(
            runner,
            condition="plantar_fasciitis",
            restriction="no_running",
            until=service.today() + timedelta(days=days),
        )
    assert len(service.for_runner(runner).clinician.notes()) == 2


def _far_note(service: Stridewell, runner: str, coach: str) -> None:
    """A note as an older version could store it: no running until the end of time."""
    with Store(service.database_url) as store:
        store.clinician.add_note(
            runner,
            ClinicianNoteToStore(
                author_id=coach,
                author_name="Dr Cora",
                condition_id="plantar_fasciitis",
                condition_text="",
                restriction="no_running",
                restrict_until=date(9999, 12, 31),
                note="",
                recorded_at=service.clock(),
            ),
        )


def test_a_far_stored_until_day_does_not_break_the_running_plan(
    service: Stridewell, clock: Clock
) -> None:
    runner, coach = _club(service)
    ann = service.for_runner(runner)
    ann.running.start(USUAL)
    clock.now = START + timedelta(hours=1)
    _far_note(service, runner, coach)
    plan = ann.running.require()
    assert plan.notes and plan.start <= service.today() + timedelta(days=366)
    assert ann.running.ics().startswith(b"BEGIN:VCALENDAR")


def test_a_far_stored_until_day_leaves_today_the_running_page_and_its_api_working(
    service: Stridewell, clock: Clock
) -> None:
    runner, coach = _club(service)
    service.for_runner(runner).running.start(USUAL)
    clock.now = START + timedelta(hours=1)
    _far_note(service, runner, coach)
    with TestClient(create_app(service, multi_user=True), follow_redirects=False) as client:
        client.get("/login")
        form = {"email": "ann@example.org", "password": PASSWORD,
                "csrf_token": client.cookies["sw_csrf"]}  # fmt: skip
        assert client.post("/login", data=form).status_code == 303
        for url in ("/today", "/running", "/api/v1/running-plan", "/api/v1/running-plan.ics"):
            assert client.get(url).status_code == 200, url


def test_a_far_stored_until_day_does_not_break_the_recovery_plan(
    service: Stridewell, clock: Clock
) -> None:
    runner, coach = _club(service)
    ann = service.for_runner(runner)
    ann.plans.start(ann.assessments.assess(HEEL).id)
    clock.now = START + timedelta(hours=1)
    _far_note(service, runner, coach)
    plan = ann.plans.require()
    assert plan.clinician is not None
    assert ann.plans.ics().startswith(b"BEGIN:VCALENDAR")


# -- #6: reduced running does not compound ---------------------------------------------------


def test_reduced_running_keeps_the_runners_targets_and_restricts_alongside(
    service: Stridewell,
) -> None:
    runner, coach = _club(service)
    ann = service.for_runner(runner)
    ann.running.start(USUAL)
    _reduce(service, runner, coach)
    plan = ann.running.require()
    assert (plan.targets.weekly_km, plan.targets.long_run_km) == (30.0, 12.0)
    assert plan.restricted_targets is not None
    assert (plan.restricted_targets.weekly_km, plan.restricted_targets.long_run_km) == (15.0, 6.0)
    assert all(w.planned_km <= 15.0 + 1e-9 for w in plan.weeks)
    # Saving the shown targets unchanged does not halve them again.
    shown = plan.targets
    again = ann.running.change_targets(
        TargetsInput(
            weekly_km=shown.weekly_km,
            runs_per_week=shown.runs_per_week,
            long_run_km=shown.long_run_km,
        )
    )
    assert (again.targets.weekly_km, again.targets.long_run_km) == (30.0, 12.0)
    assert again.restricted_targets is not None
    assert again.restricted_targets.weekly_km == 15.0


def test_the_targets_form_shows_the_runners_targets_and_the_page_the_reduced_ones(
    service: Stridewell,
) -> None:
    runner, coach = _club(service)
    service.for_runner(runner).running.start(USUAL)
    _reduce(service, runner, coach)
    with TestClient(create_app(service, multi_user=True), follow_redirects=False) as client:
        client.get("/login")
        form = {"email": "ann@example.org", "password": PASSWORD,
                "csrf_token": client.cookies["sw_csrf"]}  # fmt: skip
        assert client.post("/login", data=form).status_code == 303
        page = client.get("/running").text
    assert 'name="weekly_km" type="number" min="1" max="300" step="any" value="30.0"' in page
    assert 'value="12.0"' in page
    assert 'id="restricted-targets"' in page and "15.0 km a week" in page


def test_without_a_restriction_there_are_no_restricted_targets(service: Stridewell) -> None:
    runner, _ = _club(service)
    plan = service.for_runner(runner).running.start(USUAL)
    assert plan.restricted_targets is None


# -- #7: changing targets keeps what was not typed -------------------------------------------


def test_changing_the_distance_keeps_the_long_run_day_harder_runs_and_easy_pace(
    service: Stridewell,
) -> None:
    runner, _ = _club(service)
    ann = service.for_runner(runner)
    before = ann.running.start(USUAL).targets
    after = ann.running.change_targets(
        TargetsInput(weekly_km=40, runs_per_week=3, long_run_km=12)
    ).targets
    assert after.weekly_km == 40.0
    assert (after.long_run_weekday, after.usual_runs_per_week) == (2, 1)
    assert after.easy_pace_s_per_km == before.easy_pace_s_per_km
    typed = ann.running.change_targets(
        TargetsInput(
            weekly_km=40, runs_per_week=3, long_run_km=12, long_run_weekday=5, usual_runs_per_week=0
        )
    ).targets
    assert (typed.long_run_weekday, typed.usual_runs_per_week) == (5, 0)


# -- #8: changing targets while a newer recovery plan is in charge ---------------------------


def test_changing_targets_under_a_newer_recovery_plan_is_a_conflict_and_writes_nothing(
    service: Stridewell, clock: Clock
) -> None:
    runner, _ = _club(service)
    ann = service.for_runner(runner)
    ann.running.start(USUAL)
    clock.now = START + timedelta(days=3)
    ann.plans.start(ann.assessments.assess(HEEL).id)
    with pytest.raises(Conflict, match="recovery plan"):
        ann.running.change_targets(TargetsInput(weekly_km=40, runs_per_week=3, long_run_km=12))
    with Store(service.database_url) as store:
        stored = store.running.running_plan(runner)
    assert stored is not None and stored.targets["weekly_km"] == 30.0


def test_the_api_answers_409_in_plain_words_when_a_recovery_plan_hides_the_running_plan(
    service: Stridewell, clock: Clock
) -> None:
    runner = service.local()
    runner.running.start(USUAL)
    clock.now = START + timedelta(days=3)
    runner.plans.start(runner.assessments.assess(HEEL).id)
    with TestClient(create_app(service)) as client:
        client.get("/")
        answer = client.put(
            "/api/v1/running-plan/targets",
            json={"weekly_km": 40, "runs_per_week": 3, "long_run_km": 12},
            headers={"x-csrf-token": client.cookies["sw_csrf"]},
        )
    assert answer.status_code == 409
    assert "recovery plan is in charge" in answer.json()["error"]["message"]


# -- #5: a note counts only for its episode --------------------------------------------------


def test_a_note_from_before_a_prevention_plan_started_does_not_steer_it(
    service: Stridewell, clock: Clock
) -> None:
    runner, coach = _club(service)
    _reduce(service, runner, coach)
    clock.now = START + timedelta(days=2)
    plan = service.for_runner(runner).running.start(USUAL)
    assert plan.restricted_targets is None and plan.notes == []
    assert max(w.planned_km for w in plan.weeks) > 15.0
    clock.now = START + timedelta(days=3)
    _reduce(service, runner, coach)
    later = service.for_runner(runner).running.require()
    assert later.restricted_targets is not None and later.notes


def test_back_to_running_follows_the_word_on_the_recovery_plans_episode_only(
    service: Stridewell, clock: Clock
) -> None:
    runner, coach = _club(service)
    ann = service.for_runner(runner)
    clock.now = START - timedelta(days=200)
    _reduce(service, runner, coach)
    clock.now = START
    finish_recovery(service, ann, service.today())
    plan = ann.running.start(USUAL)
    assert plan.mode.value == "back_to_running"
    assert plan.restricted_targets is None and plan.notes == []
    # A word recorded during the recovery plan (after its first day) carries over.
    with Store(service.database_url) as store:
        store.clinician.add_note(
            runner,
            ClinicianNoteToStore(
                author_id=coach, author_name="Dr Cora", condition_id="plantar_fasciitis",
                condition_text="", restriction="reduced", restrict_until=None, note="",
                recorded_at=START - timedelta(days=40),
            ),
        )  # fmt: skip
    followed = ann.running.require()
    assert followed.restricted_targets is not None and followed.notes


def test_a_note_from_an_earlier_episode_does_not_steer_a_new_recovery_plan(
    service: Stridewell, clock: Clock
) -> None:
    runner, coach = _club(service)
    ann = service.for_runner(runner)
    _reduce(service, runner, coach)
    clock.now = START + timedelta(days=30)
    ann.plans.start(ann.assessments.assess(HEEL).id)
    plan = ann.plans.require()
    assert plan.clinician is None
    clock.now = START + timedelta(days=31)
    _reduce(service, runner, coach)
    followed = ann.plans.require()
    assert followed.clinician is not None and followed.clinician.restriction == "reduced"


def test_a_note_recorded_after_the_assessment_steers_the_plan_started_from_it(
    service: Stridewell, clock: Clock
) -> None:
    runner, coach = _club(service)
    ann = service.for_runner(runner)
    assessed = ann.assessments.assess(HEEL).id
    clock.now = START + timedelta(hours=2)
    _reduce(service, runner, coach)
    clock.now = START + timedelta(days=1)
    plan = ann.plans.start(assessed)
    assert plan.clinician is not None and plan.clinician.restriction == "reduced"


# -- #19: check-ins in prevention mode --------------------------------------------------------


def test_a_prevention_check_in_with_a_hot_swollen_joint_stops_the_plan_for_it(
    service: Stridewell,
) -> None:
    runner = service.local()
    runner.running.start(USUAL)
    runner.journal.log_entry(
        {
            "day": service.today().isoformat(),
            "pain_morning": 1,
            "swelling": "marked",
            "checkin": {"redness_warmth": True},
        }
    )
    plan = runner.running.require()
    assert plan.ending is not None
    assert "Hot, swollen joint" in plan.ending.reason.text

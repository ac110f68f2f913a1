"""build_summary: the presentation in clinical words, the six weeks of journal and training,
shoes, the plan so far and the runner's questions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from handover_cases import ASSESSED_AT, TODAY, Run, dev_cases, journal, runs, shoes, summary_for

from stridewell.contract import Assessment
from stridewell.handover import build_summary
from stridewell.journal.model import JournalEntry
from stridewell.triage.engine import assess


def _case(case_id: str) -> dict[str, Any]:
    return next(c for c in dev_cases() if c["id"] == case_id)


def test_the_presentation_is_told_in_clinical_words() -> None:
    p = summary_for(_case("dev-plantar-fasciitis-classic")).presentation
    assert p.sites == ["plantar medial heel"]
    assert "first-step pain on rising" in p.timing
    assert p.onset == "gradual"
    assert p.duration == "21 days (about 3 weeks)"
    assert p.course == "unchanged"
    assert p.patient == "46 y, female"
    assert "tight calves" in p.background


def test_self_tests_say_positive_or_negative_the_way_a_clinician_reads_them() -> None:
    assessment = Assessment(locations=["heel_bottom"], heel_squeeze_painful=True,
                            can_bear_weight=True, hop_test_painful=False)  # fmt: skip
    s = build_summary(assessment_id="x", assessment=assessment, report=assess(assessment),
                      assessed_at=ASSESSED_AT, today=TODAY)  # fmt: skip
    results = {t.field: t.result for t in s.presentation.self_tests}
    assert results == {
        "heel_squeeze_painful": "positive",
        "can_bear_weight": "negative",  # can walk: the reassuring answer
        "hop_test_painful": "negative",
    }
    details = {t.field: t.detail for t in s.presentation.self_tests}
    assert details["can_bear_weight"] == "able to bear weight"


def test_training_covers_six_iso_weeks_and_finds_the_long_run_spike() -> None:
    t = summary_for(_case("dev-plantar-fasciitis-classic")).training
    assert [w.monday.weekday() for w in t.weeks] == [0] * 6
    assert t.weeks[-1].monday <= TODAY < t.weeks[-1].monday + timedelta(days=7)
    # The 21 km long run against 14 km the month before: +50 %, one spike in its week.
    [spike] = t.spikes
    assert (spike.km, spike.previous_longest_km, spike.pct) == (21.0, 14.0, 50.0)
    week = next(w for w in t.weeks if w.monday <= spike.day < w.monday + timedelta(days=7))
    assert week.spikes == 1 and week.longest_km == 21.0
    assert sum(w.km for w in t.weeks) == pytest.approx(t.total_km, abs=0.5)
    # Cycling adds no running distance; surfaces come from the files.
    assert {s.surface for s in t.surfaces} == {"trail", "treadmill", "road or other outdoor"}


def test_weekly_distance_adds_up_the_runs_of_each_week() -> None:
    t = summary_for(_case("dev-plantar-fasciitis-classic")).training
    for week in t.weeks:
        expected = sum(r.distance_m for r in runs() if r.sport == "running"
                       and week.monday <= r.start_time.date() < week.monday + timedelta(days=7))  # fmt: skip
        assert week.km == pytest.approx(expected / 1000, abs=0.05)


def test_shoe_distance_counts_every_run_and_what_the_pair_had_before() -> None:
    rows = {r.id: r for r in summary_for(_case("dev-plantar-fasciitis-classic")).shoes}
    daily_km = sum(r.distance_m for r in runs() if r.shoe_id == "daily") / 1000
    assert rows["daily"].km == pytest.approx(560 + daily_km, abs=0.1)
    assert rows["daily"].status == "check"  # past 500 km, not yet 800
    assert rows["trail"].status == "ok"
    assert rows["trail"].name == 'Salomon Speedcross 6 "mud"'


def test_the_journal_keeps_the_six_weeks_and_one_worst_score_a_day() -> None:
    case = _case("dev-plantar-fasciitis-classic")
    s = summary_for(case)
    old = JournalEntry(day=s.window_start - timedelta(days=1), pain_morning=9)
    twice = JournalEntry(day=ASSESSED_AT.date(), pain_after=8)
    assessment = Assessment.model_validate(case["assessment"])
    s2 = build_summary(assessment_id="x", assessment=assessment, report=assess(assessment),
                       assessed_at=ASSESSED_AT, today=TODAY,
                       entries=[old, *journal(), twice])  # fmt: skip
    assert s2.journal.days[0].day == ASSESSED_AT.date()
    assert s2.journal.days[0].worst == 8
    assert s2.journal.check_ins == len(journal()) + 1
    assert s.journal.trend == "getting better"


def test_what_has_been_tried_counts_exercise_days_against_the_plan() -> None:
    t = summary_for(_case("dev-plantar-fasciitis-classic")).tried
    assert t.plan_start == ASSESSED_AT.date()
    assert [p.phase for p in t.phases][:1] == ["protect"]
    assert t.phases[-1].last == TODAY
    assert 0 < t.exercise_days_done < t.exercise_days_prescribed
    assert t.adherence_pct == round(100 * t.exercise_days_done / t.exercise_days_prescribed)


def test_causes_carry_their_findings_and_snomed_codes_in_rank_order() -> None:
    s = summary_for(_case("dev-plantar-fasciitis-classic"))
    first = s.causes[0]
    assert (first.rank, first.id, first.snomed_code) == (1, "plantar_fasciitis", "202882003")
    assert first.for_ and first.snomed_match == "exact"
    assert [c.likelihood for c in s.causes] == sorted(
        (c.likelihood for c in s.causes), reverse=True
    )


def test_the_runners_questions_are_kept_in_their_words_and_trimmed() -> None:
    case = _case("dev-heel-fat-pad")
    assessment = Assessment.model_validate(case["assessment"])
    s = build_summary(assessment_id="x", assessment=assessment, report=assess(assessment),
                      assessed_at=ASSESSED_AT, today=TODAY,
                      questions=["  Is it   my shoes? ", "", "x" * 500])  # fmt: skip
    assert s.questions == ["Is it my shoes?", "x" * 300]


def test_a_summary_without_any_history_is_complete() -> None:
    s = summary_for(_case("dev-heel-fat-pad"), with_history=False)
    assert s.journal.days == [] and s.training.total_km == 0 and s.shoes == []
    assert s.tried.plan_start is None and s.tried.adherence_pct is None
    assert s.level_words.startswith("Self-care")


def test_a_naive_assessment_time_is_refused() -> None:
    assessment = Assessment(locations=["arch"])
    with pytest.raises(ValueError, match="timezone"):
        build_summary(assessment_id="x", assessment=assessment, report=assess(assessment),
                      assessed_at=datetime(2026, 3, 4, 7, 30), today=TODAY)  # fmt: skip


def test_storage_activity_summaries_are_accepted_as_runs() -> None:
    from stridewell.storage.records import ActivitySummary

    stored = [
        ActivitySummary(id=str(i), start_time=r.start_time, sport=r.sport, sub_sport=r.sub_sport,
                        is_indoor=r.is_indoor, distance_m=r.distance_m, duration_s=r.duration_s,
                        shoe_id=r.shoe_id, gear=r.gear)
        for i, r in enumerate(runs())
    ]  # fmt: skip
    case = _case("dev-plantar-fasciitis-classic")
    assessment = Assessment.model_validate(case["assessment"])
    common: dict[str, Any] = dict(assessment_id="x", assessment=assessment,
                                  report=assess(assessment), assessed_at=ASSESSED_AT,
                                  today=TODAY, shoes=shoes())  # fmt: skip
    from_storage = build_summary(runs=stored, **common)
    from_files = build_summary(runs=runs(), **common)
    assert from_storage.training == from_files.training
    assert from_storage.shoes == from_files.shoes


def test_runs_of_another_sport_add_no_running_distance() -> None:
    ride = Run(datetime(2026, 3, 17, 7, tzinfo=ASSESSED_AT.tzinfo), "cycling", None, False,
               40000, 5400, None)  # fmt: skip
    assessment = Assessment(locations=["arch"])
    s = build_summary(assessment_id="x", assessment=assessment, report=assess(assessment),
                      assessed_at=ASSESSED_AT, today=date(2026, 3, 18), runs=[ride])  # fmt: skip
    assert s.training.total_km == 0 and s.training.surfaces == []


def test_warning_signs_say_their_findings_in_words_not_field_names() -> None:
    s = summary_for(_case("dev-diabetic-foot"))
    because = [b for w in s.warning_signs for b in w.because]
    assert "red and warm: yes" in because
    assert not any(b.startswith("redness_warmth") for b in because)


def _self_care_summary(answers: dict[str, Any]) -> Any:
    assessment = Assessment.model_validate(answers)
    report = assess(assessment)
    summary = build_summary(
        assessment_id="x",
        assessment=assessment,
        report=report,
        assessed_at=ASSESSED_AT,
        today=TODAY,
    )
    return report, summary


def test_with_warning_sign_questions_left_open_the_handover_never_says_nothing_needs_a_clinician() -> (
    None
):
    # Only where it hurts is known: a blank is "not known", so nothing may be ruled out.
    report, summary = _self_care_summary({"locations": ["arch"]})
    assert report.triage.level.value == "self_care"
    assert "Nothing suggests" not in summary.report_summary
    assert "unanswered" in summary.report_summary
    assert summary.unanswered_safety_questions  # what the clinician should ask first

"""The handover of an emergency the runner corrected (a changed answer after the emergency
page): the summary, the PDF and the FHIR Bundle of either assessment say so plainly, with
the answer that changed; an assessment nobody corrected says nothing of the kind."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from stridewell.service import Stridewell
from stridewell.service.zones import MACHINE_ZONE
from stridewell.text import time_words
from stridewell.triage.correction import changed_answers

NOW = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
HEEL: dict[str, Any] = {
    "side": "left",
    "locations": ["heel_bottom"],
    "onset": "gradual",
    "pain_score": 5,
    "duration_days": 21,
    "pain_timing": ["first_steps_morning"],
}
COLD = {**HEEL, "foot_cold_pale": True}
NOT_COLD = {**HEEL, "foot_cold_pale": False}
MARK = "Emergency result; the runner changed an answer afterwards (see the assessment of"
CORRECTS = "The runner changed an answer after an emergency result (see the assessment of"
CHANGE = "”: yes at first, then no."


class Clock:
    def __init__(self) -> None:
        self.now = NOW

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


@pytest.fixture
def corrected(service: Stridewell, clock: Clock) -> tuple[str, str]:
    """An emergency, and five minutes later the assessment that corrects it."""
    assessments = service.local().assessments
    emergency = assessments.assess(COLD)
    assert emergency.report.triage.level.value == "emergency"
    clock.now += timedelta(minutes=5)
    correction = assessments.assess(NOT_COLD, corrects=emergency.id)
    assert correction.corrects == emergency.id
    return str(emergency.id), str(correction.id)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "handover.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def _impression_notes(bundle: str) -> list[str]:
    entries = json.loads(bundle)["entry"]
    [impression] = [
        e["resource"] for e in entries if e["resource"]["resourceType"] == "ClinicalImpression"
    ]
    return [n["text"] for n in impression["note"]]


def _when(moment: datetime) -> str:
    return time_words(moment.astimezone(MACHINE_ZONE))


def test_the_summary_of_the_corrected_emergency_marks_it_and_names_the_changed_answer(
    service: Stridewell, corrected: tuple[str, str]
) -> None:
    emergency, correction = corrected
    summary = service.local().handover.summary(emergency)

    assert summary.level.value == "emergency"  # the emergency stays as it was answered
    assert summary.correction is not None
    assert summary.correction.role == "corrected"
    assert summary.correction.other_assessment_id == correction
    assert summary.correction.text == f"{MARK} {_when(NOW + timedelta(minutes=5))})."
    [change] = summary.correction.changes
    assert (change.before, change.after) == ("yes", "no")
    assert change.question.startswith("Is the foot cold, pale or bluish")


def test_the_summary_of_the_correcting_assessment_points_back_at_the_emergency(
    service: Stridewell, corrected: tuple[str, str]
) -> None:
    emergency, _ = corrected
    summary = service.local().handover.summary()  # the latest: the corrected answers

    assert summary.level.value != "emergency"
    assert summary.correction is not None and summary.correction.role == "corrects"
    assert summary.correction.other_assessment_id == emergency
    assert summary.correction.text.startswith(f"{CORRECTS} {_when(NOW)}")
    assert [c.words.endswith(CHANGE) for c in summary.correction.changes] == [True]


def test_the_pdf_of_either_assessment_says_an_emergency_answer_was_changed(
    service: Stridewell, corrected: tuple[str, str], tmp_path: Path
) -> None:
    emergency, correction = corrected
    handover = service.local().handover

    first = _pdf_text(handover.pdf(emergency), tmp_path)
    assert f"{MARK} {_when(NOW + timedelta(minutes=5))})." in first
    assert CHANGE in first and correction in first
    then = _pdf_text(handover.pdf(correction), tmp_path)
    assert CORRECTS in then and emergency in then


def test_the_fhir_impression_notes_the_corrected_emergency_first(
    service: Stridewell, corrected: tuple[str, str]
) -> None:
    emergency, correction = corrected
    handover = service.local().handover

    notes = _impression_notes(handover.fhir_json(emergency))
    assert notes[0].startswith(MARK) and CHANGE in notes[0] and notes[0].endswith(correction)
    later = _impression_notes(handover.fhir_json(correction))
    assert later[0].startswith(CORRECTS) and later[0].endswith(emergency)


def test_an_assessment_nobody_corrected_hands_over_no_correction(
    service: Stridewell, tmp_path: Path
) -> None:
    result = service.local().assessments.assess(COLD)
    handover = service.local().handover

    assert handover.summary(result.id).correction is None
    assert "changed an answer" not in _pdf_text(handover.pdf(result.id), tmp_path)
    assert not any("changed an answer" in n for n in _impression_notes(handover.fhir_json()))


def test_changed_answers_compare_nested_history_lists_and_unanswered_fields() -> None:
    before = {"locations": ["heel_bottom"], "foot_cold_pale": True, "history": {"new_shoes": True}}
    after = {"locations": ["heel_bottom", "arch"], "history": {"new_shoes": False}}

    changes = {c.field: (c.before, c.after) for c in changed_answers(before, after)}

    assert changes["foot_cold_pale"] == ("yes", "not answered")
    assert changes["history.new_shoes"] == ("yes", "no")
    assert changes["locations"][0] != changes["locations"][1]
    assert "heel_bottom" not in changes["locations"][0]  # the questionnaire's words, no ids


def test_a_chain_of_corrected_emergencies_hands_over_every_emergency_answer(
    service: Stridewell, clock: Clock
) -> None:
    # A possible clot, corrected to an answer that was still an emergency (a cold
    # foot), corrected again: the clinician reads both emergency answers.
    assessments = service.local().assessments
    clot = {
        **HEEL,
        "locations": ["inner_ankle"],
        "swelling": "mild",
        "recent_travel_or_immobility": True,
    }
    first = assessments.assess(clot)
    clock.now += timedelta(minutes=2)
    second = assessments.assess(
        {**clot, "recent_travel_or_immobility": False, "foot_cold_pale": True}, corrects=first.id
    )
    clock.now += timedelta(minutes=2)
    final = assessments.assess(
        {**clot, "recent_travel_or_immobility": False, "foot_cold_pale": False}, corrects=second.id
    )
    assert first.report.triage.level.value == second.report.triage.level.value == "emergency"
    assert (second.corrects, final.corrects) == (first.id, second.id)

    summary = service.local().handover.summary()  # the final assessment
    assert summary.correction is not None and summary.correction.role == "corrects"
    assert summary.correction.other_assessment_id == first.id  # the first emergency
    changes = {c.question.split("?")[0]: (c.before, c.after) for c in summary.correction.changes}
    travel = next(q for q in changes if "journey" in q)
    cold = next(q for q in changes if q.startswith("Is the foot cold"))
    assert changes[travel] == ("yes", "no")
    assert changes[cold] == ("not answered", "yes, then no")
    opening = service.local().handover.summary(str(first.id))
    assert opening.correction is not None and opening.correction.other_assessment_id == final.id


def test_training_filled_in_from_runs_is_never_taken_for_a_changed_answer(
    service: Stridewell, clock: Clock
) -> None:
    from stridewell.triage.correction import answers_given

    stored = {**COLD, "history": {"weekly_km_change_pct": 35, "surface": "road"}}
    report = {"history_from_data": {"weekly_km_change_pct": 35}}
    assert answers_given(stored, report) == {**COLD, "history": {"surface": "road"}}
    assert answers_given({**COLD, "history": {"weekly_km_change_pct": 35}}, report) == COLD

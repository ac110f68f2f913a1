"""The handover and the clinician's word through the runner services, on a real SQLite file."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from stridewell.contract import Assessment
from stridewell.errors import Forbidden, InvalidInput, NotFound
from stridewell.handover import parse_bundle
from stridewell.service import Stridewell

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
HEEL = {
    "side": "left",
    "locations": ["heel_bottom"],
    "onset": "gradual",
    "pain_score": 5,
    "duration_days": 21,
    "pain_timing": ["first_steps_morning"],
}
ACHILLES = {
    "locations": ["achilles"],
    "onset": "gradual",
    "pain_score": 4,
    "duration_days": 20,
    "pain_timing": ["eases_with_warmup"],
}


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{tmp_path / 'sw.db'}", clock=lambda: NOW)
    sw.upgrade_database()
    yield sw
    sw.close()


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "handover.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def test_the_pdf_of_the_latest_assessment_holds_its_level_and_the_questions(
    service: Stridewell, tmp_path: Path
) -> None:
    runner = service.local()
    result = runner.assessments.assess(HEEL)
    day = service.today()
    for back in range(5):
        runner.journal.log_entry(
            {"day": (day - timedelta(days=back)).isoformat(), "pain_morning": 4 - back % 3}
        )
    runner.shoes.add({"brand": "Acme", "model": "Glide"})
    pdf = runner.handover.pdf(questions=["Can I run the half marathon in March?"])
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "Self-care" in text or "Soon" in text or "Urgent" in text
    assert result.report.conditions[0].name.split(" (")[0] in text
    assert "half marathon in March" in text
    assert "Glide" in text
    assert runner.handover.summary("latest").assessment_id == result.id


def test_the_fhir_export_validates_and_reads_back_the_same_answers(service: Stridewell) -> None:
    runner = service.local()
    result = runner.assessments.assess(HEEL)
    exported = runner.handover.fhir_json(result.id)
    assert '"resourceType":"Bundle"' in exported.replace(" ", "")
    stored = runner.assessments.get(str(result.id)).assessment
    assert parse_bundle(exported) == Assessment.model_validate(stored)


def test_no_assessment_yet_is_not_found_in_plain_words(service: Stridewell) -> None:
    with pytest.raises(NotFound, match="no assessment yet"):
        service.local().handover.pdf()
    with pytest.raises(NotFound):
        service.local().handover.fhir_json("not-an-id")


@pytest.fixture
def club(service: Stridewell) -> dict[str, str]:
    ids = {
        "runner": service.accounts.register("ann@example.org", PASSWORD, "Ann").runner_id,
        "other": service.accounts.register("ben@example.org", PASSWORD, "Ben").runner_id,
        "coach": service.accounts.register(
            "cora@example.org", PASSWORD, "Dr Cora", role="coach"
        ).runner_id,
    }
    ann = service.for_runner(ids["runner"])
    ann.plans.start(ann.assessments.assess(ACHILLES).id, start=service.today() - timedelta(7))
    service.for_runner(ids["coach"]).sharing.accept_invite(ann.sharing.invite_coach())
    return ids


def test_a_shared_clinician_confirms_a_diagnosis_and_the_plan_follows_it(
    service: Stridewell, club: dict[str, str]
) -> None:
    ann = service.for_runner(club["runner"])
    before = ann.plans.require()
    assert before.condition_id != "plantar_fasciitis" and before.clinician is None
    coach = service.for_runner(club["coach"])
    coach.clinician.record_for(
        club["runner"], condition="plantar_fasciitis", restriction="reduced", note="Seen today."
    )
    plan = ann.plans.require()
    assert plan.condition_id == "plantar_fasciitis"
    assert plan.clinician is not None and plan.clinician.restriction == "reduced"
    assert plan.clinician.author == "Dr Cora"
    ahead = [d for d in plan.days if d.run_minutes()]
    assert ahead and all(d.rule.id == "clinician.reduced_running" for d in ahead)
    [note] = ann.clinician.notes()
    assert (note.author_name, note.condition_id, note.note) == (
        "Dr Cora", "plantar_fasciitis", "Seen today."
    )  # fmt: skip


def test_the_note_outlives_the_share_but_the_clinician_loses_access(
    service: Stridewell, club: dict[str, str]
) -> None:
    ann, coach = service.for_runner(club["runner"]), service.for_runner(club["coach"])
    until = service.today() + timedelta(days=10)
    coach.clinician.record_for(club["runner"], condition="other", other_text="cuboid syndrome",
                               restriction="no_running", until=until)  # fmt: skip
    for share in ann.sharing.shares():
        ann.sharing.revoke(share.id)
    with pytest.raises(NotFound):
        coach.clinician.record_for(club["runner"], condition="plantar_fasciitis")
    [note] = ann.clinician.notes()
    assert (note.author_name, note.condition_text, note.restrict_until) == (
        "Dr Cora", "cuboid syndrome", until
    )  # fmt: skip
    plan = ann.plans.require()
    assert plan.condition_id is None
    assert not [d for d in plan.days if d.day < until and d.run_minutes()]


def test_only_a_shared_coach_account_can_record_and_only_known_answers(
    service: Stridewell, club: dict[str, str]
) -> None:
    with pytest.raises(Forbidden):
        service.for_runner(club["other"]).clinician.record_for(
            club["runner"], condition="plantar_fasciitis"
        )
    coach = service.for_runner(club["coach"])
    with pytest.raises(NotFound):
        coach.clinician.record_for(club["other"], condition="plantar_fasciitis")
    for bad in (
        {"condition": "no_such_condition"},
        {"condition": "other", "other_text": "  "},
        {"condition": "plantar_fasciitis", "restriction": "no_running"},
        {"condition": "plantar_fasciitis", "restriction": "a little"},
    ):
        with pytest.raises(InvalidInput):
            coach.clinician.record_for(club["runner"], **bad)  # type: ignore[arg-type]
    assert service.for_runner(club["runner"]).clinician.notes() == []


def test_recording_time_is_the_services_clock(service: Stridewell, club: dict[str, str]) -> None:
    coach = service.for_runner(club["coach"])
    note = coach.clinician.record_for(club["runner"], condition="plantar_fasciitis")
    assert note.recorded_at == NOW
    assert service.for_runner(club["runner"]).clinician.latest() == note
    assert isinstance(note.recorded_at.date(), date)


@pytest.mark.parametrize(
    ("field", "bad"), [("note", "stretch\x00twice"), ("other_text", "cuboid \ud800 syndrome")]
)
def test_a_note_or_diagnosis_with_nul_or_a_lone_surrogate_is_refused_naming_it(
    service: Stridewell, club: dict[str, str], field: str, bad: str
) -> None:
    coach = service.for_runner(club["coach"])
    texts = {"note": "", "other_text": "cuboid syndrome", field: bad}
    with pytest.raises(InvalidInput) as refused:
        coach.clinician.record_for(
            club["runner"], condition="other", other_text=texts["other_text"], note=texts["note"]
        )
    assert refused.value.field == field
    assert service.for_runner(club["runner"]).clinician.notes() == []

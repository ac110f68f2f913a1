"""The terminal report and history table (cli/render.py)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from stridewell.cli.render import LEVEL_WORD, history_table, likelihood_bar, print_report
from stridewell.contract import TriageReport
from stridewell.knowledge import load_knowledge
from stridewell.service import Stridewell
from stridewell.service.zones import MACHINE_ZONE
from stridewell.storage.records import StoredAssessment

# Several red flags at once (a clot sign, a high-risk bone, slow recovery).
ALARMING = {
    "locations": ["inner_midfoot"],
    "bone_tenderness": ["navicular"],
    "pain_score": 8,
    "duration_days": 12,
    "calf_pain_swelling": True,
}
MILD = {"locations": ["heel_bottom"], "pain_timing": ["first_steps_morning"]}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def report_for(data: dict[str, Any]) -> TriageReport:
    return Stridewell().triage(data)


def render(report: TriageReport, **options: Any) -> str:
    out = io.StringIO()
    print_report(report, Console(file=out, width=80, **options))
    return out.getvalue()


def flat(text: str) -> str:
    """The words of the output, without box lines and line breaks."""
    return " ".join(re.sub(r"[│┃╭╮╰╯┏┓┗┛━─]", " ", ANSI.sub("", text)).split())


def test_the_report_opens_with_the_level_and_shows_every_flag_condition_and_the_disclaimer() -> (
    None
):
    report = report_for(ALARMING)
    text = render(report)
    first = next(line for line in text.splitlines() if line.strip())
    assert f"{LEVEL_WORD[report.triage.level]}: Get medical help today" in first
    words = flat(text)
    names = {f.id: f.name for f in load_knowledge().red_flags}
    assert len(report.red_flags) >= 3
    for flag in report.red_flags:
        assert names[flag.id] in words
        assert flat(flag.advice) in words
    for cond in report.conditions:
        assert cond.name in words
    assert "Because: calf pain or swelling: yes" in words
    assert flat(report.disclaimer) in words
    assert f"Knowledge base {report.knowledge_base.version}" in words


def test_the_report_lists_advice_exercises_and_sources() -> None:
    report = report_for(MILD)
    words = flat(render(report))
    assert report.self_care and report.exercises and report.sources
    for item in [*report.self_care, *report.exercises, *report.shoe_features]:
        assert flat(item) in words
    for source in report.sources:
        assert flat(source.title) in words
    assert "Why: hurts most with the first steps in the morning" in words
    assert words.index("SELF-CARE") < words.index("Likely causes") < words.index("What to do now")


@pytest.mark.parametrize("data", [ALARMING, MILD])
def test_the_report_fits_80_columns(data: dict[str, Any]) -> None:
    lines = render(report_for(data)).splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80


def test_colour_marks_the_level_and_no_color_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    report = report_for(ALARMING)
    coloured = render(report, force_terminal=True, color_system="truecolor")
    assert ANSI.search(coloured) and "\x1b[1;31m" in coloured  # emergency in bold red
    monkeypatch.setenv("NO_COLOR", "1")
    plain = render(report, force_terminal=True, color_system="truecolor")
    assert not re.search(r"\x1b\[[0-9;]*3[0-9](;|m)", plain)  # no foreground colours
    assert "EMERGENCY" in plain


def test_a_report_read_back_from_storage_renders_the_same() -> None:
    report = report_for(ALARMING)
    again = TriageReport.model_validate(report.to_json_dict())
    assert render(again) == render(report)


def test_likelihood_bar_shows_a_share_and_a_percentage() -> None:
    assert likelihood_bar(0.61) == "██████░░░░  61%"
    assert likelihood_bar(1.2) == "██████████ 100%"
    assert likelihood_bar(0.0) == "░░░░░░░░░░   0%"


def _record(rid: str, level: str, top: str | None, when: datetime) -> StoredAssessment:
    return StoredAssessment(
        id=rid,
        runner_id="local",
        created_at=when,
        assessment={"locations": ["arch"]},
        report={},
        level=level,
        top_condition=top,
        kb_version="2026.11.2",
        rules_fired=[],
    )


def test_history_table_lists_each_record_with_local_time_level_and_cause() -> None:
    when = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    records = [
        _record("a" * 32, "urgent", "navicular_stress_fracture", when),
        _record("b" * 32, "self_care", None, when),
    ]
    out = io.StringIO()
    history_table(records, Console(file=out, width=80), zone=MACHINE_ZONE)
    text = out.getvalue()
    assert "a" * 32 in text and "b" * 32 in text
    local = when.astimezone()
    assert f"{local.day} {local:%b %Y}, {local:%H:%M}" in text
    flat_text = " ".join(text.split())
    assert "See a clinician within one to two days" in flat_text or "clinician" in flat_text
    assert "Manage it at home" in flat_text
    assert "self_care" not in text and "self-care" not in text and " urgent " not in text
    assert "Navicular stress fracture" in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80


def test_history_table_shows_each_time_on_the_runners_clock() -> None:
    # 23:30 UTC is already the next morning in Auckland (NZDT, UTC+13 in March).
    records = [_record("c" * 32, "self_care", None, datetime(2026, 3, 14, 23, 30, tzinfo=UTC))]
    out = io.StringIO()
    history_table(records, Console(file=out, width=100), zone=ZoneInfo("Pacific/Auckland"))
    assert re.search(r"15 Mar 2026,? 12:30", out.getvalue())


def test_history_table_of_stored_assessments_and_of_none() -> None:
    with Stridewell() as service:
        saved = service.assess(MILD)
        out = io.StringIO()
        local = service.local()
        history_table(local.assessments.history(), Console(file=out, width=80), zone=local.zone())
    assert saved.id is not None and saved.id in out.getvalue()
    assert "Plantar fasciitis" in out.getvalue()
    empty = io.StringIO()
    history_table([], Console(file=empty, width=80), zone=MACHINE_ZONE)
    assert "No assessments yet" in empty.getvalue()


def test_the_printed_report_asks_the_open_safety_questions_in_the_questionnaires_words() -> None:
    from stridewell.contract import Assessment
    from stridewell.triage.engine import assess

    out = io.StringIO()
    print_report(
        assess(Assessment.model_validate({"locations": ["achilles"], "onset": "sudden"})),
        Console(file=out, width=100),
    )
    text = out.getvalue()
    assert "Questions that could change this" in text
    assert "pop or a snap" in text and "felt_pop" not in text


def test_history_table_marks_an_emergency_the_runner_corrected_and_no_other() -> None:
    at = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
    plain = StoredAssessment(
        id="a" * 32, runner_id="local", created_at=at, assessment={}, report={},
        level="emergency", top_condition=None, kb_version="x", rules_fired=[],
    )  # fmt: skip
    corrected = replace(plain, id="b" * 32, corrected_by_id="c" * 32, corrected_at=at)
    out = io.StringIO()

    history_table([corrected, plain], Console(file=out, width=200), zone=ZoneInfo("Asia/Tokyo"))

    text = " ".join(out.getvalue().split())
    assert text.count("you changed an answer afterwards") == 1
    assert (
        "Emergency result; you changed an answer afterwards (see the assessment of 3 Dec 2026, 23:05)."
        in text  # in the runner's zone
    )

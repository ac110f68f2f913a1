"""The report's summary card, the one running rule, care per country and a plan that fits
the age of the pain (issue 12: the runner's experience)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from stridewell.errors import KnowledgeBaseError
from stridewell.knowledge.care import care_for
from stridewell.knowledge.loader import data_dir
from stridewell.knowledge.vocabulary import (
    VocabularyFile,
    known_identifiers,
    load_vocabulary_file,
    vocabulary,
)
from stridewell.levels import Level
from stridewell.plan.engine import build_plan
from stridewell.plan.model import Phase, TaskKind
from stridewell.plan.rules import load_plan_rules
from stridewell.plan.running_rule import running_rule_for_plan, running_rule_for_report
from stridewell.service import Stridewell
from stridewell.web.report_view import report_view

HEEL_THREE_WEEKS = {
    "age": 46, "pain_score": 6, "locations": ["heel_bottom"], "onset": "gradual",
    "duration_days": 21, "trend": "unchanged",
    "pain_timing": ["first_steps_morning", "after_rest", "eases_with_warmup"],
    "pain_quality": ["sharp"],
}  # fmt: skip
FRESH_SPRAIN = {
    "locations": ["outer_ankle"], "onset": "sudden", "injury_event": True,
    "duration_days": 1, "can_bear_weight": True, "swelling": "mild", "pain_score": 4,
}  # fmt: skip
STRESS = {
    "locations": ["top_of_foot"], "bone_tenderness": ["metatarsal_shaft"],
    "hop_test_painful": True, "pain_score": 6, "duration_days": 10, "onset": "gradual",
}  # fmt: skip
ONLY_WHERE = {"locations": ["heel_bottom"]}
START = date(2026, 11, 2)


def triage(data: dict[str, Any]) -> Any:
    return Stridewell().triage(data)


# --- the card ---------------------------------------------------------------------------


def test_the_likely_cause_is_said_in_words_and_unlikely_ones_are_set_apart() -> None:
    view = report_view(triage(HEEL_THREE_WEEKS), HEEL_THREE_WEEKS)
    assert view.cause is not None and view.cause.name.startswith("Plantar fasciitis")
    assert view.cause.words == "most likely"
    assert view.other_causes, "near-zero causes go under other possibilities"
    for cause in view.other_causes:
        assert cause.words == "less likely"
    effectively_zero = [c for c in view.other_causes if not c.show_findings]
    assert effectively_zero, "a cause under 2 % lists no findings"


def test_the_report_page_shows_no_percentages_and_folds_the_details(client: TestClient) -> None:
    stored = client.app.state.service.local().assessments.assess(HEEL_THREE_WEEKS)  # type: ignore[attr-defined]
    page = client.get(f"/assessments/{stored.id}").text
    card = page[page.index('class="verdict summary-card') : page.index("</section>")]
    assert "Most likely" in card and "Running:" in card and "Start my recovery plan" in card
    assert "Find care" in card and "Share with a coach or clinician" in card
    assert not re.search(r"\d\s?%", card)
    assert "Other possibilities" in page
    assert page.count("<details") >= 5


def test_skipped_safety_questions_are_named_instead_of_promising_nothing_is_wrong(
    client: TestClient,
) -> None:
    report = triage(ONLY_WHERE)
    assert report.triage.level is Level.self_care
    view = report_view(report, ONLY_WHERE)
    assert "cannot say that nothing needs a clinician" in view.now
    assert any("fever" in q for q in view.not_known)
    assert any("four steps" in q for q in view.not_known)
    stored = client.app.state.service.local().assessments.assess(ONLY_WHERE)  # type: ignore[attr-defined]
    page = client.get(f"/assessments/{stored.id}").text
    assert "What we do not know yet" in page
    assert "nothing suggests" not in page.lower()
    assert "Nothing you told us" not in page


def test_a_fully_answered_self_care_report_says_what_to_do_without_open_questions() -> None:
    answers = dict(HEEL_THREE_WEEKS, duration_days=3, trend="improving", pain_score=3)
    assessment = {
        **answers, "side": "left", "injury_event": False, "can_bear_weight": True,
        "penetrating_injury": False, "deformity": False, "foot_cold_pale": False,
        "redness_warmth": False, "open_wound": False, "fever_or_unwell": False,
        "calf_pain_swelling": False, "recent_travel_or_immobility": False,
        "saddle_or_bladder_symptoms": False, "steroid_injection": False, "swelling": "none",
        "numbness_tingling": False, "sciatica_symptoms": False, "diabetes": False,
        "heel_squeeze_painful": False, "hop_test_painful": False, "bone_tenderness": [],
    }  # fmt: skip
    report = triage(assessment)
    assert report.triage.level is Level.self_care
    view = report_view(report, assessment)
    assert view.not_known == []
    assert view.now == vocabulary().level(Level.self_care).now


# --- one running rule ---------------------------------------------------------------------


def test_each_level_has_one_running_rule_and_a_possible_bone_stress_injury_waits_for_a_clinician() -> (
    None
):
    words = vocabulary()
    rules = {level: words.running_rule(level) for level in Level}
    assert len(set(rules.values())) == len(Level)
    stress = triage(STRESS)
    assert "No running until a clinician" in running_rule_for_report(stress)
    heel = triage(HEEL_THREE_WEEKS)
    assert running_rule_for_report(heel) == rules[heel.triage.level]


def test_the_plan_states_the_same_running_rule_as_the_report_it_came_from() -> None:
    for data in (HEEL_THREE_WEEKS, STRESS, FRESH_SPRAIN):
        report = triage(data)
        plan = build_plan(report, START, [], START, duration_days=data.get("duration_days"))
        assert running_rule_for_plan(plan) == running_rule_for_report(report)


def test_no_other_advice_names_its_own_days_off_running() -> None:
    report = triage(HEEL_THREE_WEEKS)
    advice = " ".join(report.self_care).lower()
    assert "two or three days" not in advice
    assert "running rule at the top" in advice


def test_no_running_in_the_first_week_as_the_rule_says() -> None:
    plan = build_plan(triage(HEEL_THREE_WEEKS), START, [], START, duration_days=21)
    first_week = plan.days[:7]
    assert all(d.run_minutes() is None for d in first_week)
    assert "first week" in running_rule_for_plan(plan)


# --- the first days fit the age of the pain ------------------------------------------------


def _first_day_kinds(data: dict[str, Any]) -> set[TaskKind]:
    plan = build_plan(triage(data), START, [], START, duration_days=data.get("duration_days"))
    assert plan.days[0].phase is Phase.protect
    return {t.kind for t in plan.days[0].tasks}


def test_three_weeks_of_heel_pain_does_not_start_with_ice_compression_and_elevation() -> None:
    kinds = _first_day_kinds(HEEL_THREE_WEEKS)
    assert not kinds & {TaskKind.ice, TaskKind.compression, TaskKind.elevation}
    assert TaskKind.rest in kinds and TaskKind.log_pain in kinds
    plan = build_plan(triage(HEEL_THREE_WEEKS), START, [], START, duration_days=21)
    assert plan.days[0].rule.id == "phase.settle"


def test_a_fresh_injury_starts_with_cold_and_compression() -> None:
    kinds = _first_day_kinds(FRESH_SPRAIN)
    assert {TaskKind.ice, TaskKind.compression, TaskKind.elevation} <= kinds


# --- care per country ----------------------------------------------------------------------


def test_the_emergency_number_follows_the_locale_and_can_be_overridden() -> None:
    assert care_for({"LANG": "en_GB.UTF-8"}).emergency == "999"
    assert care_for({"LC_ALL": "en_US.UTF-8"}).emergency == "911"
    assert care_for({"LANG": "en_AU.UTF-8"}).emergency == "000"
    assert care_for({"STRIDEWELL_COUNTRY": "nz", "LANG": "en_GB.UTF-8"}).emergency == "111"
    assert care_for({}).emergency == "112"  # the default: the European number
    assert care_for({"STRIDEWELL_COUNTRY": "ZZ"}).emergency == "112"
    assert care_for({"LANG": "en_GB.UTF-8", "STRIDEWELL_EMERGENCY_NUMBER": "0118"}).emergency == (
        "0118"
    )
    assert care_for({"STRIDEWELL_EMERGENCY_NUMBER": "call me"}).emergency == "112"


def test_the_report_page_shows_the_configured_emergency_number(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRIDEWELL_COUNTRY", "US")
    stored = client.app.state.service.local().assessments.assess(HEEL_THREE_WEEKS)  # type: ignore[attr-defined]
    page = client.get(f"/assessments/{stored.id}").text
    assert '<a class="emergency-number" href="tel:911">911</a>' in page
    assert "apma.org" in page


# --- the vocabulary ------------------------------------------------------------------------


def test_every_plan_rule_phase_and_trend_has_a_label_and_an_explanation() -> None:
    words = vocabulary()
    for rule_id in load_plan_rules().rules:
        assert words.rule(rule_id).label and words.rule(rule_id).explanation
    for phase in Phase:
        assert "_" not in words.phase(phase.value).label and words.phase(phase.value).explanation
    for direction in ("improving", "unchanged", "worsening", "not_enough_data"):
        assert "_" not in words.trend(direction).label
    for path in ("bone_tenderness", "history.shoe_km", "duration_days"):
        assert "_" not in words.field(path).label and words.field(path).explanation
    assert words.finding("bone_tenderness: metatarsal_shaft").startswith("tender bone: ")


def test_a_vocabulary_file_with_a_level_missing_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load((data_dir() / "vocabulary.yaml").read_text(encoding="utf-8"))
    del raw["levels"]["urgent"]
    with pytest.raises(ValueError, match="levels"):
        VocabularyFile.model_validate(raw)
    assert load_vocabulary_file().version


def test_known_identifiers_cover_the_contract_and_the_plan() -> None:
    names = known_identifiers()
    assert {"bone_tenderness", "refer.triage_level", "not_enough_data", "test_jog"} <= names
    assert "arch" not in names  # one plain word is a word, not an identifier


def test_a_broken_care_file_names_the_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stridewell.knowledge import care

    broken = tmp_path / "care.yaml"
    broken.write_text('version: "2026.11.1"\ndefault: XX\ncountries: {}\n', encoding="utf-8")
    monkeypatch.setattr(care, "data_dir", lambda: tmp_path)
    care.load_care.cache_clear()
    try:
        with pytest.raises(KnowledgeBaseError, match=r"care\.yaml"):
            care.load_care()
    finally:
        care.load_care.cache_clear()

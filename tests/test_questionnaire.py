"""The questionnaire as data and its pure walking logic (triage/questionnaire.py)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml

from repo_paths import DEV_VIGNETTES
from stridewell.contract import Assessment, Level, Region
from stridewell.errors import InvalidInput, KnowledgeBaseError
from stridewell.knowledge import load_knowledge
from stridewell.knowledge.questions import (
    load_questionnaire,
    load_questionnaire_from,
    questions_file,
)
from stridewell.knowledge.rules import FIELDS, facts_of, fields_used
from stridewell.triage.engine import assess, compiled
from stridewell.triage.questionnaire import (
    AnswerError,
    answers_from_assessment,
    apply_answer,
    next_question,
    progress,
    questions_for,
    to_assessment,
)

VIGNETTES = yaml.safe_load(DEV_VIGNETTES.read_text())

# Red-flag fields that are not asked of everyone, and why skipping them is safe. The
# property test below checks the claim; this list must name exactly the gated ones.
GATED_RED_FLAG_FIELDS = {
    "felt_pop": "the rupture flag needs Achilles or back-of-heel pain, and then it is asked",
    "push_off_weak": "the rupture flag needs Achilles or back-of-heel pain, and then it is asked",
    "bone_tenderness": "asked after any injury and for every region with a bone under it",
    "hop_test_painful": "its flag needs no injury; unable to bear weight is urgent already",
    "heel_squeeze_painful": "a heel-bone test, asked whenever any part of the heel hurts",
    "steroid_injection": "its tear presentation needs heel or arch pain, and then it is asked",
    "plantar_bruising": "its Lisfranc presentation needs an injury, and then it is asked",
}
# Where skipping a gated question may leave a red flag unreached, and why that is right.
_NOT_HEEL = set(Region) - {Region.heel_bottom, Region.heel_pad, Region.heel_back}
ACCEPTED_HIDDEN: dict[str, tuple[set[Region], str]] = {
    # Issue 2: only the Achilles tendon hurts, so there is no foot bone to press or hop on.
    "bone_tenderness": ({Region.achilles}, "no bone lies under the Achilles tendon"),
    "hop_test_painful": ({Region.achilles}, "no bone lies under the Achilles tendon"),
    # A heel squeeze can only hurt where the heel hurts, and then the runner says so.
    "heel_squeeze_painful": (_NOT_HEEL, "a painful heel squeeze means heel pain"),
}


def walk(known: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """Answer every question from `known` (not sure when absent): asked ids and answers."""
    answers: dict[str, Any] = {}
    asked: list[str] = []
    while (question := next_question(answers)) is not None:
        asked.append(question.id)
        answers = apply_answer(answers, question, known.get(question.field))
    return asked, answers


def asked_ids(answers: dict[str, Any]) -> set[str]:
    return {q.id for q in questions_for(answers)}


def test_every_contract_field_has_a_question_and_a_plain_name() -> None:
    questionnaire = load_questionnaire()
    assert {q.field for q in questionnaire.questions} == set(FIELDS)
    assert set(questionnaire.names) == set(FIELDS)


def test_question_kinds_and_number_ranges_come_from_the_contract() -> None:
    by_id = {q.id: q for q in load_questionnaire().questions}
    assert by_id["injury_event"].kind == "bool"
    assert by_id["trend"].kind == "choice"
    assert by_id["locations"].kind == "multi"
    pain = by_id["pain_score"].bounds
    assert (pain.minimum, pain.maximum, pain.integer) == (0, 10, True)
    shoe = by_id["shoe_km"].bounds
    assert (shoe.minimum, shoe.maximum, shoe.integer) == (0, 10000, False)


def test_forefoot_pain_gets_bone_tenderness_and_hop_questions() -> None:
    ids = asked_ids({"locations": ["ball_of_foot"], "injury_event": False, "can_bear_weight": True})
    assert {"bone_points", "hop_test_painful", "forefoot_squeeze_click"} <= ids
    assert "ottawa_bone_points" not in ids


def test_a_pure_achilles_case_skips_bone_questions_but_asks_about_a_pop_and_push_off() -> None:
    ids = asked_ids({"locations": ["achilles"], "injury_event": False, "can_bear_weight": True})
    assert not {"bone_points", "ottawa_bone_points", "hop_test_painful"} & ids
    assert {"felt_pop", "push_off_weak", "tendon_thickening"} <= ids


@pytest.mark.parametrize("injury", [False, None])
def test_ottawa_questions_come_only_after_an_injury(injury: bool | None) -> None:
    base = {"locations": ["outer_ankle"], "can_bear_weight": True}
    after_injury = asked_ids({**base, "injury_event": True})
    assert "ottawa_bone_points" in after_injury
    assert "hop_test_painful" not in after_injury  # no hopping on a fresh injury
    assert "ottawa_bone_points" not in asked_ids({**base, "injury_event": injury})


def _cue_fields() -> set[str]:
    """Fields whose answer can fire a red flag (rule-outs can only keep one quiet)."""
    return {
        name
        for flag in load_knowledge().red_flags
        for p in flag.presentations
        for name in fields_used(p.cue_rule)
    }


def test_every_red_flag_field_is_asked_of_everyone_unless_listed_as_safely_gated() -> None:
    red_flag_fields = _cue_fields()
    gated = {
        field
        for field in red_flag_fields
        if all(q.rule is not None for q in load_questionnaire().questions if q.field == field)
    }
    assert gated == set(GATED_RED_FLAG_FIELDS)
    for field in red_flag_fields - gated:
        asked, _ = walk({"locations": ["arch"]})
        assert any(q.field == field for q in load_questionnaire().questions if q.id in asked)


def _worst(field: str) -> Any:
    spec = FIELDS[field]
    if spec.kind == "bool":
        return True
    if spec.kind == "list":
        return sorted(spec.values)
    raise AssertionError(f"a red-flag field {field} ({spec.kind}) is gated: add a worst value")


def _fired(data: dict[str, Any]) -> dict[str, Level]:
    """The red flags the answers raise, each at the level of its most urgent presentation
    that fired (a flag's less urgent presentations set a lower level than the flag's)."""
    facts = facts_of(Assessment.model_validate(data))
    return {hit.flag.id: hit.level for hit in compiled(load_knowledge()).red_flag_hits(facts)}


@pytest.mark.parametrize("region", list(Region))
def test_a_skipped_question_never_hides_a_more_urgent_red_flag(region: Region) -> None:
    """Give each skipped red-flag question its most alarming answer: no red flag more
    urgent than what the asked questions allow may appear, bar the accepted cases."""
    flag_fields = _cue_fields()
    for injury, weight, onset in itertools.product(
        [True, False, None], [True, False, None], ["sudden", "gradual", None]
    ):
        gate = {"locations": [region.value], "injury_event": injury, "can_bear_weight": weight}
        gate["onset"] = onset
        skipped = flag_fields - {q.field for q in questions_for(gate)}
        known = {k: v for k, v in gate.items() if v is not None}
        # what the answers given already reach (flags, conditions, warning signs added up)
        ceiling = assess(Assessment.model_validate(known)).triage.level.rank
        for field in sorted(skipped):
            filled = _fired({**known, field: _worst(field)})
            hidden = {fid for fid, level in filled.items() if level.rank > ceiling}
            regions, _ = ACCEPTED_HIDDEN.get(field, (set(), ""))
            assert not hidden or region in regions, (
                f"skipping {field} hides {sorted(hidden)} for {gate}"
            )


def test_the_property_check_would_catch_a_skipped_calf_question() -> None:
    # Guard against a vacuous property test: the DVT flag is found when its field is skipped.
    fired = _fired({"locations": ["arch"], "calf_pain_swelling": _worst("calf_pain_swelling")})
    assert fired == {"possible_dvt": Level.emergency}


@pytest.mark.parametrize("case", VIGNETTES, ids=[c["id"] for c in VIGNETTES])
def test_every_dev_vignette_can_be_told_through_the_questionnaire(case: dict[str, Any]) -> None:
    _, answers = walk(answers_from_assessment(case["assessment"]))
    expected = Assessment.model_validate(case["assessment"]).to_json_dict()
    assert to_assessment(answers).to_json_dict() == expected


def test_not_sure_answers_are_left_out_of_the_assessment() -> None:
    _, answers = walk({"locations": ["heel_pad"], "pain_score": 4})
    assert answers["trend"] is None and answers["calf_pain_swelling"] is None
    assert to_assessment(answers).to_json_dict() == {"locations": ["heel_pad"], "pain_score": 4}


def test_answers_to_questions_that_no_longer_apply_are_dropped() -> None:
    answers = {"locations": ["top_of_foot"], "injury_event": False, "hop_test_painful": True}
    assert to_assessment(answers).hop_test_painful is True
    changed = {**answers, "injury_event": True}
    assert to_assessment(changed).hop_test_painful is None


def test_apply_answer_returns_a_new_dict_and_leaves_the_old_one_alone() -> None:
    question = next_question({})
    assert question is not None and question.field == "locations"
    before: dict[str, Any] = {}
    after = apply_answer(before, question, ["arch"])
    assert before == {} and after == {"locations": ["arch"]}
    assert progress(after)[0] == 1


@pytest.mark.parametrize(
    ("question_id", "value"),
    [
        ("pain_score", 11),
        ("pain_score", 4.5),
        ("pain_score", True),
        ("age", 4),
        ("shoe_km", -1),
        ("trend", "better"),
        ("injury_event", "yes"),
        ("pain_timing", ["first_steps_morning", "first_steps_morning"]),
        ("pain_timing", "at_rest"),
        ("ottawa_bone_points", ["kneecap"]),
        ("locations", []),
        ("locations", None),
    ],
)
def test_apply_answer_rejects_values_that_do_not_fit_the_field(
    question_id: str, value: Any
) -> None:
    question = next(q for q in load_questionnaire().questions if q.id == question_id)
    with pytest.raises(AnswerError) as caught:
        apply_answer({"locations": ["arch"]}, question, value)
    assert isinstance(caught.value, InvalidInput) and caught.value.field == question.field


def test_to_assessment_without_a_location_names_the_field() -> None:
    with pytest.raises(AnswerError, match="locations"):
        to_assessment({"pain_score": 3})


def _broken(tmp_path: Path, change: Any) -> Path:
    raw = yaml.safe_load(questions_file().read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "questions.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def _question(raw: dict[str, Any], qid: str) -> dict[str, Any]:
    return next(q for q in raw["questions"] if q["id"] == qid)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: _question(raw, "trend").update(field="tendency"), "tendency"),
        (lambda raw: _question(raw, "ottawa_bone_points")["options"].append("kneecap"), "kneecap"),
        (lambda raw: raw["labels"]["swelling"].pop("marked"), "marked"),
        (lambda raw: _question(raw, "felt_pop").update(ask_if={"pop": True}), "pop"),
        (lambda raw: _question(raw, "onset").update(ask_if={"felt_pop": True}), "felt_pop"),
        (
            lambda raw: raw["questions"].append(
                dict(_question(raw, "side"), id="late", section="training")
            ),
            "last",
        ),
        (lambda raw: _question(raw, "diabetes").update(section="nowhere"), "nowhere"),
    ],
    ids=[
        "unknown-field",
        "unknown-option",
        "missing-label",
        "bad-ask-if",
        "ask-if-reads-later",
        "history-not-last",
        "unknown-section",
    ],
)
def test_a_broken_questionnaire_file_fails_loudly(
    tmp_path: Path, change: Any, message: str
) -> None:
    assert load_questionnaire_from(_broken(tmp_path, lambda raw: None)).questions
    with pytest.raises(KnowledgeBaseError, match=message):
        load_questionnaire_from(_broken(tmp_path, change))

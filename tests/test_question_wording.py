"""An open question is worded for the answers given: a runner who said there was no injury
is never asked "Since it was an injury: ..." in the list of what is not known yet."""

from __future__ import annotations

from stridewell.contract import Assessment
from stridewell.knowledge.questions import load_questionnaire
from stridewell.knowledge.rules import facts_of

INJURY_WORDING = "Since it was an injury"


def test_a_field_asked_two_ways_is_worded_for_a_runner_without_an_injury() -> None:
    questions = load_questionnaire()
    no_injury = facts_of(Assessment.model_validate({"locations": ["arch"], "injury_event": False}))
    prompt = questions.prompt_for("bone_tenderness", no_injury)
    assert not prompt.startswith(INJURY_WORDING)
    assert prompt.startswith("Press firmly on the bones near the pain")


def test_the_same_field_keeps_its_injury_wording_after_an_injury() -> None:
    questions = load_questionnaire()
    injury = facts_of(Assessment.model_validate({"locations": ["arch"], "injury_event": True}))
    assert questions.prompt_for("bone_tenderness", injury).startswith(INJURY_WORDING)


def test_without_answers_the_first_wording_is_kept() -> None:
    questions = load_questionnaire()
    assert questions.prompt_for("bone_tenderness").startswith(INJURY_WORDING)

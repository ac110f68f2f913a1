"""The plan rules file: it loads, every reference resolves, and mistakes fail loudly."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml

from stridewell.errors import KnowledgeBaseError
from stridewell.knowledge.loader import data_dir, load_knowledge
from stridewell.plan.model import Phase
from stridewell.plan.rules import PLAN_FILE, RULE_IDS, load_plan_rules, load_plan_rules_from

KB = load_knowledge()
RULES = load_plan_rules()


def raw() -> dict[str, Any]:
    with (data_dir() / PLAN_FILE).open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / PLAN_FILE
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_every_source_the_plan_cites_is_in_the_citations() -> None:
    assert RULES.citation_ids_used() <= {c.id for c in KB.citations}
    assert RULES.problems_with(KB) == []


def test_every_exercise_the_plan_names_is_in_the_exercises() -> None:
    assert RULES.exercise_ids_used() <= {e.id for e in KB.exercises}


def test_every_rule_the_engine_can_use_is_explained() -> None:
    assert set(RULES.rules) == RULE_IDS
    assert all(len(rule.why) > 20 for rule in RULES.rules.values())


def test_the_brief_timeline_is_what_the_file_says() -> None:
    limits = RULES.limits
    assert (limits.protect_last_day, limits.mobilise_last_day) == (3, 7)
    assert limits.acceptable_pain_during == 5
    assert limits.single_run_cap_pct == 110
    assert limits.lookback_days == 30


def test_the_ladder_starts_with_the_test_jog_and_never_grows_beyond_the_cap() -> None:
    ladder = RULES.ladder()
    assert ladder[0][0].phase is Phase.test_jog
    assert 5 <= ladder[0][1] <= 10  # the brief's 5-10 minute pain-free test
    assert ladder[-1][0].phase is Phase.continuous_running
    for (_, before), (_, after) in itertools.pairwise(ladder):
        assert before < after <= before * 1.1


def test_the_packaged_file_loads_from_a_copy(tmp_path: Path) -> None:
    assert load_plan_rules_from(write(tmp_path, raw()), KB) == RULES


def test_an_unknown_citation_is_refused(tmp_path: Path) -> None:
    data = raw()
    data["tasks"]["protect"][0]["sources"] = ["no_such_paper"]
    with pytest.raises(KnowledgeBaseError, match="no_such_paper"):
        load_plan_rules_from(write(tmp_path, data), KB)


def test_an_unknown_exercise_is_refused(tmp_path: Path) -> None:
    data = raw()
    data["tasks"]["strength"][0]["exercise"] = "toe_origami"
    with pytest.raises(KnowledgeBaseError, match="toe_origami"):
        load_plan_rules_from(write(tmp_path, data), KB)


def test_a_ladder_step_above_the_single_run_cap_is_refused(tmp_path: Path) -> None:
    data = raw()
    data["run_steps"][1]["minutes"] = 12  # the test jog is 10: 12 is a 20 % spike
    with pytest.raises(KnowledgeBaseError, match="single-run cap"):
        load_plan_rules_from(write(tmp_path, data), KB)


def test_a_missing_rule_explanation_is_refused(tmp_path: Path) -> None:
    data = raw()
    del data["rules"]["refer.red_flag"]
    with pytest.raises(KnowledgeBaseError, match=r"refer\.red_flag"):
        load_plan_rules_from(write(tmp_path, data), KB)


def test_a_typo_in_an_adjustment_rule_is_refused(tmp_path: Path) -> None:
    data = raw()
    data["adjustments"][0]["when"] = {"locations": ["heel_botom"]}
    with pytest.raises(KnowledgeBaseError, match="adjustments"):
        load_plan_rules_from(write(tmp_path, data), KB)


def test_run_days_without_a_rest_day_between_are_refused(tmp_path: Path) -> None:
    data = raw()
    data["limits"]["run_days_of_week"] = [1, 2, 5]
    with pytest.raises(KnowledgeBaseError, match="run_days_of_week"):
        load_plan_rules_from(write(tmp_path, data), KB)

"""The knowledge base is data: these tests keep it whole and honest."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from repo_paths import CONTRACT_SCHEMA, SHARED
from stridewell.contract import Region
from stridewell.errors import KnowledgeBaseError
from stridewell.knowledge import load_knowledge
from stridewell.knowledge.loader import data_dir, load_from
from stridewell.knowledge.rules import RuleError, parse_rule

KB = load_knowledge()

CONTRACT_CONDITIONS = {
    "plantar_fasciitis", "heel_fat_pad_syndrome", "calcaneal_stress_fracture",
    "achilles_tendinopathy", "insertional_achilles_tendinopathy", "achilles_rupture",
    "metatarsalgia", "morton_neuroma", "metatarsal_stress_fracture",
    "navicular_stress_fracture", "fifth_metatarsal_fracture", "extensor_tendinopathy",
    "dorsal_compression", "posterior_tibial_tendinopathy", "peroneal_tendinopathy",
    "sesamoiditis", "tarsal_tunnel_syndrome", "ankle_sprain", "foot_infection",
    "deep_vein_thrombosis",
    # contract 1.1
    "lisfranc_injury", "posterior_tibial_tendon_rupture", "peroneal_tendon_injury",
    "plantar_fascia_rupture", "gout", "septic_arthritis", "compartment_syndrome",
    "calcaneal_apophysitis", "lumbar_radiculopathy", "hallux_rigidus", "subungual_haematoma",
    "ingrown_toenail",
}  # fmt: skip
# Minimum levels the contract 1.1 names (examples in "How red flags read the answers").
CONTRACT_MINIMUMS = {
    "achilles_rupture": "emergency", "deep_vein_thrombosis": "emergency",
    "compartment_syndrome": "emergency", "septic_arthritis": "emergency",
    "calcaneal_stress_fracture": "urgent", "metatarsal_stress_fracture": "urgent",
    "navicular_stress_fracture": "urgent", "lisfranc_injury": "urgent",
    "posterior_tibial_tendon_rupture": "urgent", "plantar_fascia_rupture": "urgent",
}  # fmt: skip


def test_knowledge_base_has_a_version_for_reports() -> None:
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d+", KB.version)


def test_every_condition_of_the_contract_exists() -> None:
    assert {c.id for c in KB.conditions} >= CONTRACT_CONDITIONS


def test_every_citation_is_used_and_every_used_citation_exists() -> None:
    defined = {c.id for c in KB.citations}
    used = KB.citation_ids_used()
    assert used <= defined, f"unknown: {sorted(used - defined)}"
    assert defined <= used, f"never cited: {sorted(defined - used)}"


def test_citations_name_where_to_find_them() -> None:
    for citation in KB.citations:
        assert citation.published_in and citation.authors
        if citation.kind != "brief":
            assert citation.doi or citation.url or citation.published_in, citation.id


def test_every_exercise_and_advice_a_condition_names_exists() -> None:
    exercises = {e.id for e in KB.exercises}
    advice = {a.id for a in KB.self_care}
    shoes = {s.id for s in KB.shoe_features}
    for cond in KB.conditions:
        assert set(cond.exercises) <= exercises, cond.id
        assert set(cond.self_care + cond.cautions) <= advice, cond.id
        assert set(cond.shoe_features) <= shoes, cond.id


def test_the_brief_exercises_carry_their_doses() -> None:
    by_id = {e.id: e for e in KB.exercises}
    assert "15" in by_id["towel_scrunches"].dose and "3" in by_id["towel_scrunches"].dose
    assert "10" in by_id["marble_pickups"].dose and "2" in by_id["marble_pickups"].dose
    assert "10" in by_id["band_toe_flexes"].dose
    assert "30" in by_id["heel_walks"].dose


def test_the_brief_shoe_table_is_in_the_knowledge_base() -> None:
    by_id = {s.id: s for s in KB.shoe_features}
    for shoe_id in (
        "heel_pain_shoes",
        "arch_pain_shoes",
        "top_of_foot_shoes",
        "ball_of_foot_shoes",
    ):
        assert shoe_id in by_id


def test_every_condition_and_red_flag_cites_a_source_and_has_plain_text() -> None:
    for cond in KB.conditions:
        assert cond.sources and cond.name and len(cond.summary) > 40, cond.id
        for finding in cond.findings:
            assert finding.text and finding.weight != 0, f"{cond.id}.{finding.id}"
    for flag in KB.red_flags:
        assert flag.sources and len(flag.advice) > 40, flag.id


def test_every_condition_has_findings_for_and_against() -> None:
    for cond in KB.conditions:
        assert any(f.weight > 0 for f in cond.findings), cond.id
        assert any(f.weight < 0 for f in cond.findings), cond.id


def test_condition_regions_are_contract_regions() -> None:
    for cond in KB.conditions:
        assert set(cond.regions) <= set(Region)


def test_knowledge_files_match_the_contract_schema_enums() -> None:
    schema = json.loads(CONTRACT_SCHEMA.read_text())
    regions = set(schema["properties"]["locations"]["items"]["enum"])
    assert regions == {r.value for r in Region}


def test_a_misspelt_field_in_a_rule_is_refused() -> None:
    with pytest.raises(RuleError, match="unknown assessment field 'pain_scroe'"):
        parse_rule({"pain_scroe": {"gte": 3}})


def test_a_wrong_enum_value_in_a_rule_is_refused() -> None:
    with pytest.raises(RuleError, match="'heel' is not one of"):
        parse_rule({"locations": "heel"})


def test_an_operator_that_does_not_fit_the_field_is_refused() -> None:
    with pytest.raises(RuleError, match="does not apply"):
        parse_rule({"injury_event": {"gte": 1}})


def test_a_broken_knowledge_file_fails_to_load_with_the_place_named(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    conditions = yaml.safe_load((folder / "conditions.yaml").read_text())
    conditions[0]["exercises"].append("no_such_exercise")
    (folder / "conditions.yaml").write_text(yaml.safe_dump(conditions))
    with pytest.raises(KnowledgeBaseError, match="no_such_exercise"):
        load_from(folder)


def test_an_unknown_citation_fails_to_load(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    flags = yaml.safe_load((folder / "red_flags.yaml").read_text())
    flags[0]["sources"] = ["nobody_2099"]
    (folder / "red_flags.yaml").write_text(yaml.safe_dump(flags))
    with pytest.raises(KnowledgeBaseError, match="nobody_2099"):
        load_from(folder)


def test_no_sentence_of_the_domain_brief_is_copied_into_the_knowledge_base() -> None:
    if SHARED is None:
        # The brief is the project's, not the repository's: a user's clone has no copy.
        pytest.skip("the domain brief (../shared/seed) is not beside this checkout")
    brief = (SHARED / "seed" / "foot-pain-after-jogging.txt").read_text(encoding="utf-8").lower()
    words = re.findall(r"[a-z0-9']+", brief)
    grams = {" ".join(words[i : i + 9]) for i in range(len(words) - 8)}
    for path in sorted(data_dir().glob("*.yaml")):
        text = re.findall(r"[a-z0-9']+", path.read_text(encoding="utf-8").lower())
        copied = [" ".join(text[i : i + 9]) for i in range(len(text) - 8)]
        hits = [g for g in copied if g in grams]
        assert not hits, f"{path.name} repeats the brief: {hits[:3]}"


def test_every_condition_declares_a_cited_minimum_level_in_plain_words() -> None:
    for cond in KB.conditions:
        assert cond.minimum_sources and len(cond.minimum_reason) > 20, cond.id
    by_id = {c.id: c.minimum_level.value for c in KB.conditions}
    for cond_id, level in CONTRACT_MINIMUMS.items():
        assert by_id[cond_id] == level, cond_id


def test_every_red_flag_presentation_is_cited_and_told_in_plain_words() -> None:
    for flag in KB.red_flags:
        assert len(flag.why_ask) > 30, flag.id
        for p in flag.presentations:
            assert p.sources and len(p.text) > 10, f"{flag.id}.{p.id}"
            assert "_" not in p.text, f"{flag.id}.{p.id}: a field name in runner-facing text"


def test_a_rule_out_that_reads_a_blank_as_no_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    flags = yaml.safe_load((folder / "red_flags.yaml").read_text())
    flags[0]["presentations"][0]["unless"] = {"fever_or_unwell": {"is_not": True}}
    (folder / "red_flags.yaml").write_text(yaml.safe_dump(flags))
    with pytest.raises(KnowledgeBaseError, match="only read answers given"):
        load_from(folder)


def test_an_aggregation_that_counts_an_unknown_sign_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    meta = yaml.safe_load((folder / "meta.yaml").read_text())
    meta["aggregation"][0]["signs"].append("no_such_flag")
    (folder / "meta.yaml").write_text(yaml.safe_dump(meta))
    with pytest.raises(KnowledgeBaseError, match="unknown signs"):
        load_from(folder)


def test_a_warning_sign_that_points_to_a_more_urgent_condition_is_refused(
    tmp_path: Path,
) -> None:
    # A suggestion ranks a cause; it must never raise the level by making an
    # emergency-minimum condition lead where the warning sign itself is only urgent.
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    flags = yaml.safe_load((folder / "red_flags.yaml").read_text())
    joint = next(f for f in flags if f["id"] == "hot_swollen_joint")
    joint["presentations"][0]["suggests"] = ["septic_arthritis"]
    (folder / "red_flags.yaml").write_text(yaml.safe_dump(flags))
    with pytest.raises(KnowledgeBaseError, match="suggests septic_arthritis"):
        load_from(folder)


def test_a_warning_sign_that_points_to_an_unknown_condition_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    flags = yaml.safe_load((folder / "red_flags.yaml").read_text())
    flags[0]["presentations"][0]["suggests"] = ["no_such_condition"]
    (folder / "red_flags.yaml").write_text(yaml.safe_dump(flags))
    with pytest.raises(KnowledgeBaseError, match="no_such_condition"):
        load_from(folder)


def test_the_aggregation_and_top_three_rules_are_cited() -> None:
    for agg in KB.meta.aggregation:
        assert agg.sources and agg.reason
    for danger in KB.meta.danger_in_top_three:
        assert danger.sources and danger.reason

"""The cited SNOMED CT mapping (knowledge/data/snomed.yaml) and its schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stridewell.errors import KnowledgeBaseError
from stridewell.handover.snomed import is_concept_id, load_snomed, load_snomed_from, snomed_file
from stridewell.knowledge.loader import load_knowledge

# Contract 1.1, "New condition ids": the clinical knowledge base adds them; the mapping
# must cover them from the start.
CONTRACT_1_1_CONDITIONS = {
    "lisfranc_injury", "posterior_tibial_tendon_rupture", "peroneal_tendon_injury",
    "plantar_fascia_rupture", "gout", "septic_arthritis", "compartment_syndrome",
    "calcaneal_apophysitis", "lumbar_radiculopathy", "hallux_rigidus", "subungual_haematoma",
    "ingrown_toenail",
}  # fmt: skip


def test_every_condition_of_the_knowledge_base_has_a_snomed_mapping() -> None:
    mapped = {m.condition for m in load_snomed().mappings}
    missing = sorted({c.id for c in load_knowledge().conditions} - mapped)
    assert missing == []


def test_the_contract_1_1_conditions_are_mapped_too() -> None:
    mapped = {m.condition for m in load_snomed().mappings}
    assert CONTRACT_1_1_CONDITIONS - mapped == set()


def test_every_source_is_a_citation_or_a_reference_of_the_file() -> None:
    citations = {c.id for c in load_knowledge().citations}
    assert load_snomed().unknown_sources(citations) == []


def test_references_waiting_for_citations_have_real_urls() -> None:
    refs = {r.id: r.url for r in load_snomed().references}
    assert refs["loinc_72514_3"] == "https://loinc.org/72514-3"
    assert refs["hl7_fhir_r4"].startswith("https://hl7.org/fhir/R4")
    assert all(url.startswith("https://") for url in refs.values())


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("202882003", True),  # plantar fasciitis
        ("128053003", True),  # deep venous thrombosis
        ("202882004", False),  # one digit off: the check digit catches it
        ("202882030", False),  # transposed digits
        ("202882013", False),  # description partition, not a concept
        ("0202882003", False),
        ("12345", False),
    ],
)
def test_concept_ids_are_checked_by_their_verhoeff_digit_and_partition(
    code: str, valid: bool
) -> None:
    assert is_concept_id(code) is valid


def _write(tmp_path: Path, change: str, to: str) -> Path:
    text = snomed_file().read_text(encoding="utf-8")
    assert change in text
    path = tmp_path / "snomed.yaml"
    path.write_text(text.replace(change, to, 1), encoding="utf-8")
    return path


def test_a_mistyped_code_makes_the_file_invalid(tmp_path: Path) -> None:
    path = _write(tmp_path, 'code: "202882003"', 'code: "202882004"')
    with pytest.raises(KnowledgeBaseError, match="not a SNOMED CT concept id"):
        load_snomed_from(path)


def test_a_condition_mapped_twice_makes_the_file_invalid(tmp_path: Path) -> None:
    path = _write(tmp_path, "condition: heel_fat_pad_syndrome", "condition: plantar_fasciitis")
    with pytest.raises(KnowledgeBaseError, match="mapped twice"):
        load_snomed_from(path)


def test_the_packaged_file_is_plain_yaml_with_a_mapping_per_condition() -> None:
    raw = yaml.safe_load(snomed_file().read_text(encoding="utf-8"))
    assert len(raw["mappings"]) == len(load_snomed().mappings) >= 32
    assert {m["match"] for m in raw["mappings"]} == {"exact", "broader"}

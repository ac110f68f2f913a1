"""The clinical vignettes: the shared development set and the project's own blind set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from repo_paths import DEV_VIGNETTES
from stridewell.contract import Assessment, Level
from stridewell.triage.engine import assess

REPO = Path(__file__).resolve().parents[1]

DEV = DEV_VIGNETTES
BLIND = [REPO / "tests" / "vignettes" / name for name in ("extra.yaml", "sparse.yaml")]


def _load(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        pytest.fail(f"vignette file missing: {path}")
    cases: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return cases


def _outcome(case: dict[str, Any]) -> dict[str, Any]:
    report = assess(Assessment.model_validate(case["assessment"]))
    expect = case["expect"]
    ids = [c.id for c in report.conditions]
    return {
        "id": case["id"],
        "first": expect["condition"] is None or ids[:1] == [expect["condition"]],
        "top3": expect["condition"] is None or expect["condition"] in ids[:3],
        "level_ok": report.triage.level.value == expect["triage"],
        "under": report.triage.level.rank < Level(expect["triage"]).rank,
        "missing_flags": set(expect.get("red_flags") or []) - {f.id for f in report.red_flags},
        "got": (ids[:3], report.triage.level.value),
    }


DEV_CASES = _load(DEV)


@pytest.mark.parametrize("case", DEV_CASES, ids=[c["id"] for c in DEV_CASES])
def test_dev_vignette_is_never_under_triaged_and_raises_its_red_flags(case: dict[str, Any]) -> None:
    outcome = _outcome(case)
    assert not outcome["under"], f"under-triage: {outcome['got']}"
    assert not outcome["missing_flags"], outcome
    assert outcome["top3"], f"expected {case['expect']['condition']} in top 3: {outcome['got']}"


def test_dev_vignettes_meet_the_acceptance_thresholds() -> None:
    outcomes = [_outcome(c) for c in DEV_CASES]
    assert len(outcomes) == 30
    first = sum(o["first"] for o in outcomes)
    level = sum(o["level_ok"] for o in outcomes)
    misses = [(o["id"], o["got"]) for o in outcomes if not (o["first"] and o["level_ok"])]
    assert first >= 27, misses
    assert level >= 27, misses
    assert all(o["top3"] for o in outcomes), misses


@pytest.mark.parametrize("path", BLIND, ids=[p.name for p in BLIND])
def test_blind_vignettes_are_never_under_triaged_and_mostly_ranked_right(path: Path) -> None:
    """Cases written without looking at the knowledge base: a check on generalisation."""
    outcomes = [_outcome(c) for c in _load(path)]
    under = [(o["id"], o["got"]) for o in outcomes if o["under"] or o["missing_flags"]]
    assert not under
    top3 = sum(o["top3"] for o in outcomes) / len(outcomes)
    level = sum(o["level_ok"] for o in outcomes) / len(outcomes)
    misses = [(o["id"], o["got"]) for o in outcomes if not (o["top3"] and o["level_ok"])]
    assert top3 >= 0.9, misses
    assert level >= 0.85, misses

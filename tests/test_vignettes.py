"""The clinical vignettes: the shared development set and the project's own sets.

Every set in tests/vignettes/ is scored the way tests/vignettes and
shared/clinical/blind-cases.md describe (contract 1.1):
- level right: one of `acceptable_levels` (or `triage`);
- under-triage: less urgent than the least urgent acceptable level; emergencies
  under-triaged are counted apart, and the target for them is zero;
- over-triage by two: two levels more urgent than the most urgent acceptable level;
- right cause: the expected condition (or one in `also`) among the first three, over the
  cases whose cause has an id.
The figures are printed per set (`pytest -s`), and each set must meet the targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from repo_paths import DEV_VIGNETTES
from stridewell.contract import Assessment, Level
from stridewell.triage.engine import assess

SETS_DIR = DEV_VIGNETTES.parent
SETS = sorted(SETS_DIR.glob("*.yaml"))

# Targets of issue 10, on every set.
MAX_UNDER_TRIAGED_EMERGENCIES = 0
MAX_UNDER_TRIAGE = 0.03
MAX_OVER_TRIAGE_BY_TWO = 0.05
MIN_CAUSE_IN_TOP_THREE = 0.90


def _load(path: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return cases


@dataclass(frozen=True)
class Outcome:
    id: str
    level: Level
    acceptable: tuple[Level, ...]
    expected_emergency: bool
    causes: tuple[str, ...]  # expected cause and accepted alternatives (empty: none named)
    ranked: tuple[str, ...]
    missing_flags: frozenset[str]

    @property
    def level_ok(self) -> bool:
        return self.level in self.acceptable

    @property
    def under(self) -> bool:
        return self.level.rank < min(a.rank for a in self.acceptable)

    @property
    def over_by_two(self) -> bool:
        return self.level.rank >= max(a.rank for a in self.acceptable) + 2

    @property
    def cause_in_top_three(self) -> bool:
        return bool(set(self.causes) & set(self.ranked[:3]))

    @property
    def cause_first(self) -> bool:
        return not self.causes or self.ranked[0] in self.causes

    def __str__(self) -> str:
        return f"{self.id}: got {self.level.value} {list(self.ranked[:3])}"


def outcome(case: dict[str, Any]) -> Outcome:
    report = assess(Assessment.model_validate(case["assessment"]))
    expect = case["expect"]
    acceptable = [
        Level(expect["triage"]),
        *(Level(x) for x in expect.get("acceptable_levels") or []),
    ]
    causes = [expect["condition"], *(expect.get("also") or [])] if expect.get("condition") else []
    return Outcome(
        id=case["id"],
        level=report.triage.level,
        acceptable=tuple(dict.fromkeys(acceptable)),
        expected_emergency=expect["triage"] == "emergency",
        causes=tuple(causes),
        ranked=tuple(c.id for c in report.conditions),
        missing_flags=frozenset(expect.get("red_flags") or []) - {f.id for f in report.red_flags},
    )


@dataclass(frozen=True)
class Figures:
    name: str
    cases: int
    level_ok: int
    under: int
    under_emergencies: int
    over_by_two: int
    with_cause: int
    cause_top_three: int

    def __str__(self) -> str:
        top3 = self.cause_top_three / self.with_cause if self.with_cause else 1.0
        return (
            f"{self.name}: {self.cases} cases, level right {self.level_ok}, "
            f"under-triaged {self.under} ({self.under / self.cases:.1%}), "
            f"emergencies under-triaged {self.under_emergencies}, "
            f"over-triaged by two {self.over_by_two} ({self.over_by_two / self.cases:.1%}), "
            f"right cause in top 3 {self.cause_top_three}/{self.with_cause} ({top3:.0%})"
        )


def figures(name: str, outcomes: list[Outcome]) -> Figures:
    named = [o for o in outcomes if o.causes]
    return Figures(
        name=name,
        cases=len(outcomes),
        level_ok=sum(o.level_ok for o in outcomes),
        under=sum(o.under for o in outcomes),
        under_emergencies=sum(o.under and o.expected_emergency for o in outcomes),
        over_by_two=sum(o.over_by_two for o in outcomes),
        with_cause=len(named),
        cause_top_three=sum(o.cause_in_top_three for o in named),
    )


def test_every_vignette_set_is_found() -> None:
    assert {"dev.yaml", "extra.yaml", "sparse.yaml"} <= {p.name for p in SETS}


@pytest.mark.parametrize("path", SETS, ids=[p.name for p in SETS])
def test_each_vignette_set_meets_the_safety_targets(path: Path) -> None:
    outcomes = [outcome(c) for c in _load(path)]
    found = figures(path.name, outcomes)
    print(f"\n{found}")
    under = [str(o) for o in outcomes if o.under]
    over = [str(o) for o in outcomes if o.over_by_two]
    missed = [str(o) for o in outcomes if o.causes and not o.cause_in_top_three]
    assert found.under_emergencies <= MAX_UNDER_TRIAGED_EMERGENCIES, under
    assert found.under <= MAX_UNDER_TRIAGE * found.cases, under
    assert found.over_by_two <= MAX_OVER_TRIAGE_BY_TWO * found.cases, over
    assert found.cause_top_three >= MIN_CAUSE_IN_TOP_THREE * found.with_cause, missed


DEV_CASES = _load(DEV_VIGNETTES)


@pytest.mark.parametrize("case", DEV_CASES, ids=[c["id"] for c in DEV_CASES])
def test_dev_vignette_is_never_under_triaged_and_raises_its_red_flags(case: dict[str, Any]) -> None:
    found = outcome(case)
    assert not found.under, str(found)
    assert not found.missing_flags, (str(found), sorted(found.missing_flags))
    assert not found.causes or found.cause_in_top_three, str(found)


def test_dev_vignettes_meet_the_acceptance_thresholds() -> None:
    outcomes = [outcome(c) for c in DEV_CASES]
    assert len(outcomes) == 30
    misses = [str(o) for o in outcomes if not (o.cause_first and o.level_ok)]
    assert sum(o.cause_first for o in outcomes) >= 27, misses
    assert sum(o.level_ok for o in outcomes) >= 27, misses


@pytest.mark.parametrize(
    "path", [p for p in SETS if p.name != DEV_VIGNETTES.name], ids=lambda p: p.name
)
def test_own_vignettes_raise_their_red_flags_and_mostly_get_the_level_right(path: Path) -> None:
    outcomes = [outcome(c) for c in _load(path)]
    missing = [(str(o), sorted(o.missing_flags)) for o in outcomes if o.missing_flags]
    assert not missing
    level = sum(o.level_ok for o in outcomes) / len(outcomes)
    assert level >= 0.85, [str(o) for o in outcomes if not o.level_ok]


def test_the_scoring_counts_under_and_over_triage_the_way_the_method_says() -> None:
    case = {
        "id": "t",
        "assessment": {"locations": ["toes"], "foot_cold_pale": True},
        "expect": {"condition": None, "triage": "soon", "acceptable_levels": ["self_care"]},
    }
    found = outcome(case)
    assert found.level is Level.emergency and found.over_by_two and not found.under
    case["expect"] = {"condition": "plantar_fasciitis", "triage": "emergency"}
    case["assessment"] = {"locations": ["heel_bottom"], "pain_timing": ["first_steps_morning"]}
    found = outcome(case)
    assert found.under and found.expected_emergency and found.cause_in_top_three

"""Assessments built from the red-flag definitions: one that fires each presentation, and
near misses that change a single cue. Generated from the knowledge base, so that every
presentation added later is tested the same way."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from stridewell.knowledge import load_knowledge
from stridewell.knowledge.rules import FIELDS, AllOf, AnyOf, Leaf, NotOf, Rule
from stridewell.knowledge.schema import Presentation, RedFlag

# Whole-number fields and their bounds in the contract.
_BOUNDS = {"age": (5, 110), "pain_score": (0, 10), "duration_days": (0, 10_000)}
DEFAULT_LOCATION = "arch"


@dataclass(frozen=True)
class PresentationCase:
    flag: RedFlag
    presentation: Presentation

    @property
    def id(self) -> str:
        return f"{self.flag.id}.{self.presentation.id}"


def presentation_cases() -> list[PresentationCase]:
    return [
        PresentationCase(flag, p) for flag in load_knowledge().red_flags for p in flag.presentations
    ]


def satisfy(rule: Rule) -> dict[str, Any]:
    """Answers (field path -> value) that make `rule` hold, leaving blanks where it can."""
    if isinstance(rule, AllOf):
        out: dict[str, Any] = {}
        for part in rule.parts:
            out = merge(out, satisfy(part))
        return out
    if isinstance(rule, AnyOf):
        return satisfy(rule.parts[0])
    if isinstance(rule, NotOf):
        return {}
    return _leaf_value(rule, want=True)


def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        if isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = sorted(set(out[key]) | set(value))
        else:
            out[key] = value
    return out


def _leaf_value(leaf: Leaf, *, want: bool) -> dict[str, Any]:
    spec = FIELDS[leaf.field]
    values = sorted(leaf.value) if isinstance(leaf.value, frozenset) else [leaf.value]
    others = sorted(spec.values - set(values))
    match leaf.op, want:
        case ("eq" | "in", True):
            return {leaf.field: values[0]}
        case ("eq" | "in", False):
            if spec.kind == "bool":
                return {leaf.field: not values[0]}
            return {leaf.field: others[0]} if others else {}
        case ("has" | "has_any", True):
            return {leaf.field: values[:1]}
        case ("has_all", True):
            return {leaf.field: values}
        case ("has" | "has_any" | "has_all", False):
            return {leaf.field: others[:1]} if others else {}
        case ("nonempty", True):
            return {leaf.field: sorted(spec.values)[:1]}
        case ("nonempty", False):
            return {leaf.field: []}
        case ("lacks", True):
            return {leaf.field: others[:1]}
        case ("lacks", False):
            return {leaf.field: values[:1]}
        case ("is_not", True):
            return {}
        case ("is_not", False):
            return {leaf.field: values[0]}
        case ("known", w):
            return {leaf.field: True} if (leaf.value is True) == w else {}
    return _number(leaf, want)


def _number(leaf: Leaf, want: bool) -> dict[str, Any]:
    v = leaf.value
    step = {"gte": 0, "gt": 1, "lte": 0, "lt": -1}[leaf.op] if want else {
        "gte": -1, "gt": 0, "lte": 1, "lt": 0,
    }[leaf.op]  # fmt: skip
    value = v + step
    low, high = _BOUNDS.get(leaf.field.removeprefix("history."), (-100, 1000))
    if leaf.field in _BOUNDS:
        value = int(value)
    return {leaf.field: max(low, min(high, value))}


def positive_leaves(rule: Rule) -> Iterator[Leaf]:
    """Cues that must be answered for the rule to hold (the branches taken by `satisfy`)."""
    if isinstance(rule, AllOf):
        for part in rule.parts:
            yield from positive_leaves(part)
    elif isinstance(rule, AnyOf):
        yield from positive_leaves(rule.parts[0])
    elif isinstance(rule, Leaf) and rule.op not in ("is_not", "known"):
        yield rule


def negative_leaves(rule: Rule) -> Iterator[Leaf]:
    """`is_not` cues: a blank fits them, a known value does not."""
    if isinstance(rule, AllOf):
        for part in rule.parts:
            yield from negative_leaves(part)
    elif isinstance(rule, AnyOf):
        yield from negative_leaves(rule.parts[0])
    elif isinstance(rule, Leaf) and rule.op == "is_not":
        yield rule


def to_assessment(answers: dict[str, Any]) -> dict[str, Any]:
    """Contract JSON from answers keyed by field path."""
    data: dict[str, Any] = {}
    for path, value in answers.items():
        if path.startswith("history."):
            data.setdefault("history", {})[path.removeprefix("history.")] = value
        else:
            data[path] = value
    data.setdefault("locations", [DEFAULT_LOCATION])
    if not data["locations"]:
        data["locations"] = [DEFAULT_LOCATION]
    return data


def firing(case: PresentationCase) -> dict[str, Any]:
    """An assessment with exactly the presentation's cues answered."""
    return to_assessment(satisfy(case.presentation.cue_rule))


def near_misses(case: PresentationCase) -> Iterator[tuple[str, dict[str, Any]]]:
    """One changed cue at a time: (what changed, assessment)."""
    base = satisfy(case.presentation.cue_rule)
    for leaf in positive_leaves(case.presentation.cue_rule):
        flipped = _leaf_value(leaf, want=False)
        answers = {k: v for k, v in base.items() if k != leaf.field} | flipped
        yield f"{leaf.field} {leaf.op} fails", to_assessment(answers)
    for leaf in negative_leaves(case.presentation.cue_rule):
        yield f"{leaf.field} is {leaf.value}", to_assessment(base | _leaf_value(leaf, want=False))
    unless = case.presentation.unless_rule
    if unless is not None:
        yield "ruled out by a known answer", to_assessment(merge(base, satisfy(unless)))

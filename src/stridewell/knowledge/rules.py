"""The declarative rule language of the knowledge base.

Rules are YAML mappings, never code. A mapping's keys are either combinators
(`all`, `any`, `not`) or assessment field paths (`locations`, `history.shoe_km`); several
keys in one mapping must all hold. A field's value is an operator mapping or a shorthand:

    {locations: heel_bottom}                  # list field: contains
    {locations: [heel_bottom, heel_pad]}      # list field: contains any
    {injury_event: true}                      # scalar field: equals (missing never matches)
    {onset: [sudden, gradual]}                # scalar field: one of
    {history.shoe_km: {gte: 800}}             # numbers: gte, gt, lte, lt
    {injury_event: {is_not: true}}            # false *or not reported*
    {pain_timing: {lacks: first_steps_morning}}  # answered, and does not contain
    {bone_tenderness: {nonempty: true}}       # answered with at least one item
    {swelling: {known: true}}                 # answered at all

A missing field means "not known": apart from `is_not` and `known: false`, no operator
matches a missing field. Every field name and enum value is checked at load time against
the contract models, so a typo in the knowledge base fails loudly instead of never firing.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from stridewell.contract import Assessment, History

Facts = Mapping[str, Any]
Predicate = Callable[[Facts], bool]

_LIST_OPS = {"has", "has_any", "has_all", "lacks", "nonempty"}
_SCALAR_OPS = {"eq", "in"}
_NUMBER_OPS = {"gte", "gt", "lte", "lt"}
_ANY_OPS = {"is_not", "known"}


class RuleError(ValueError):
    """A rule in the knowledge base is malformed."""


@dataclass(frozen=True)
class FieldSpec:
    path: str
    kind: str  # list, enum, bool, number
    values: frozenset[str] = frozenset()


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            annotation = args[0]
    if get_origin(annotation) is Annotated:  # StrictBool, StrictInt
        annotation = get_args(annotation)[0]
    return annotation


def _spec_for(path: str, annotation: Any) -> FieldSpec:
    annotation = _unwrap_optional(annotation)
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        return FieldSpec(path, "list", frozenset(m.value for m in item))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return FieldSpec(path, "enum", frozenset(m.value for m in annotation))
    if annotation is bool:
        return FieldSpec(path, "bool")
    return FieldSpec(path, "number")


def _field_specs(model: type[BaseModel], prefix: str = "") -> dict[str, FieldSpec]:
    specs: dict[str, FieldSpec] = {}
    for name, info in model.model_fields.items():
        if _unwrap_optional(info.annotation) is History:
            specs.update(_field_specs(History, prefix="history."))
            continue
        specs[prefix + name] = _spec_for(prefix + name, info.annotation)
    return specs


FIELDS: dict[str, FieldSpec] = _field_specs(Assessment)


@dataclass(frozen=True)
class Leaf:
    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Rule, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Rule, ...]


@dataclass(frozen=True)
class NotOf:
    part: Rule


Rule = Leaf | AllOf | AnyOf | NotOf


def parse_rule(raw: Any) -> Rule:
    """Parse the YAML form of a rule into a typed tree, checking fields and values."""
    if not isinstance(raw, Mapping) or not raw:
        raise RuleError(f"a rule must be a non-empty mapping, got {raw!r}")
    parts: list[Rule] = []
    for key, value in raw.items():
        if key == "all":
            parts.append(AllOf(tuple(parse_rule(v) for v in _as_list(key, value))))
        elif key == "any":
            parts.append(AnyOf(tuple(parse_rule(v) for v in _as_list(key, value))))
        elif key == "not":
            parts.append(NotOf(parse_rule(value)))
        else:
            parts.append(_parse_leaf(str(key), value))
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _as_list(key: str, value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise RuleError(f"'{key}' takes a non-empty list of rules")
    return value


def _parse_leaf(path: str, raw: Any) -> Leaf:
    spec = FIELDS.get(path)
    if spec is None:
        raise RuleError(f"unknown assessment field '{path}'")
    if isinstance(raw, Mapping):
        if len(raw) != 1:
            raise RuleError(f"'{path}': one operator per field, got {sorted(raw)}")
        ((op, value),) = raw.items()
    elif spec.kind == "list":
        op, value = ("has_any", raw) if isinstance(raw, list) else ("has", raw)
    else:
        op, value = ("in", raw) if isinstance(raw, list) else ("eq", raw)
    _check_operator(spec, str(op), value)
    if isinstance(value, list):
        value = frozenset(value)
    return Leaf(path, str(op), value)


def _check_operator(spec: FieldSpec, op: str, value: Any) -> None:
    allowed = _ANY_OPS | (
        _LIST_OPS
        if spec.kind == "list"
        else _SCALAR_OPS | (_NUMBER_OPS if spec.kind == "number" else set())
    )
    if op not in allowed:
        raise RuleError(f"'{spec.path}': operator '{op}' does not apply to a {spec.kind} field")
    if op in ("known", "nonempty"):
        if not isinstance(value, bool):
            raise RuleError(f"'{spec.path}': '{op}' takes true or false")
        return
    values = value if isinstance(value, list) else [value]
    for item in values:
        _check_value(spec, op, item)


def _check_value(spec: FieldSpec, op: str, item: Any) -> None:
    if spec.kind in ("list", "enum") and item not in spec.values:
        raise RuleError(f"'{spec.path}': '{item}' is not one of {sorted(spec.values)}")
    if spec.kind == "bool" and not isinstance(item, bool):
        raise RuleError(f"'{spec.path}': expected true or false, got {item!r}")
    if spec.kind == "number" and (isinstance(item, bool) or not isinstance(item, int | float)):
        raise RuleError(f"'{spec.path}': expected a number, got {item!r}")
    if op in _NUMBER_OPS and spec.kind != "number":
        raise RuleError(f"'{spec.path}': '{op}' needs a number field")


def fields_used(rule: Rule) -> set[str]:
    """Every assessment field a rule reads (for the questionnaire and for tests)."""
    if isinstance(rule, Leaf):
        return {rule.field}
    if isinstance(rule, NotOf):
        return fields_used(rule.part)
    return set().union(*(fields_used(p) for p in rule.parts))


def required_fields(rule: Rule) -> frozenset[str]:
    """Fields that must be answered for the rule to have any chance of holding.

    The engine uses this to skip rules about questions that were not answered.
    """
    if isinstance(rule, Leaf):
        negative = rule.op == "is_not" or (rule.op == "known" and rule.value is False)
        return frozenset() if negative else frozenset([rule.field])
    if isinstance(rule, NotOf):
        return frozenset()
    parts = [required_fields(p) for p in rule.parts]
    if isinstance(rule, AllOf):
        return frozenset().union(*parts)
    return frozenset.intersection(*parts)


@functools.cache
def compile_rule(rule: Rule) -> Predicate:
    """Turn a rule tree into a fast predicate over a facts mapping (built once per rule)."""
    if isinstance(rule, AllOf | AnyOf):
        preds = [compile_rule(p) for p in rule.parts]
        return _all_of(preds) if isinstance(rule, AllOf) else _any_of(preds)
    if isinstance(rule, NotOf):
        pred = compile_rule(rule.part)
        return lambda facts: not pred(facts)
    return _compile_leaf(rule)


def _all_of(preds: list[Predicate]) -> Predicate:
    # Unrolled for the common short cases: generator-based all() costs more than the rule.
    if len(preds) == 1:
        return preds[0]
    if len(preds) == 2:
        a, b = preds
        return lambda facts: a(facts) and b(facts)
    head, rest = preds[0], _all_of(preds[1:])
    return lambda facts: head(facts) and rest(facts)


def _any_of(preds: list[Predicate]) -> Predicate:
    if len(preds) == 1:
        return preds[0]
    if len(preds) == 2:
        a, b = preds
        return lambda facts: a(facts) or b(facts)
    head, rest = preds[0], _any_of(preds[1:])
    return lambda facts: head(facts) or rest(facts)


def _compile_leaf(leaf: Leaf) -> Predicate:
    f, v = leaf.field, leaf.value
    match leaf.op:
        case "eq":
            return lambda facts: facts.get(f) == v
        case "in":
            return lambda facts: facts.get(f) in v
        case "is_not":
            return lambda facts: facts.get(f) != v
        case "known":
            return lambda facts: (facts.get(f) is not None) is v
        case "has":
            return lambda facts: v in facts.get(f, ())
        case "has_any":
            return lambda facts: not v.isdisjoint(facts.get(f, ()))
        case "has_all":
            return lambda facts: v <= facts.get(f, frozenset())
        case "lacks":
            values = v if isinstance(v, frozenset) else frozenset([v])
            return lambda facts: f in facts and values.isdisjoint(facts[f])
        case "nonempty":
            return lambda facts: f in facts and bool(facts[f]) is v
        case "gte":
            return lambda facts: f in facts and facts[f] >= v
        case "gt":
            return lambda facts: f in facts and facts[f] > v
        case "lte":
            return lambda facts: f in facts and facts[f] <= v
        case "lt":
            return lambda facts: f in facts and facts[f] < v
    raise RuleError(f"unknown operator '{leaf.op}'")  # pragma: no cover - parse checks ops


def evidence(rule: Rule, facts: Facts) -> list[str]:
    """The positive findings that make a (true) rule hold, as 'field: value' strings.

    Negative parts (`not`, `is_not`, `lacks`) explain nothing a runner reported, so they
    add no evidence; only branches that hold are followed.
    """
    if isinstance(rule, AllOf):
        return [item for p in rule.parts for item in evidence(p, facts)]
    if isinstance(rule, AnyOf):
        return [item for p in rule.parts if compile_rule(p)(facts) for item in evidence(p, facts)]
    if isinstance(rule, NotOf) or rule.op in ("is_not", "lacks", "known"):
        return []
    value = facts.get(rule.field)
    if rule.op in ("has_any", "has_all", "has", "nonempty"):
        wanted = rule.value if isinstance(rule.value, frozenset) else None
        items = sorted(value or ()) if wanted is None else sorted(wanted & (value or frozenset()))
        if rule.op == "has":
            items = [rule.value]
        return [f"{rule.field}: {item}" for item in items]
    return [f"{rule.field}: {_show(value)}"]


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def facts_of(assessment: Assessment) -> dict[str, Any]:
    """Flatten an assessment into the facts mapping the predicates read.

    Missing fields are absent (not None), lists become frozensets of their string values.
    """
    facts = {name: value for name, value in assessment.__dict__.items() if value is not None}
    for name in _LIST_NAMES.intersection(facts):  # same keys again: the order stays
        facts[name] = frozenset(facts[name])
    history = facts.pop("history", None)  # the last field: its items keep their place
    if history is not None:
        for hname, hvalue in history.__dict__.items():
            if hvalue is not None:
                facts["history." + hname] = hvalue
    return facts


_LIST_NAMES = frozenset(name for name, spec in FIELDS.items() if spec.kind == "list")
assert list(Assessment.model_fields)[-1] == "history", "facts_of keeps history last"


def reads_blank_as_no(rule: Rule) -> bool:
    """True when the rule can hold on a field that was never answered.

    Rule-outs must not: only an answer given may rule a red flag out.
    """
    if isinstance(rule, Leaf):
        return rule.op == "is_not" or (rule.op == "known" and rule.value is False)
    if isinstance(rule, NotOf):
        return True
    return any(reads_blank_as_no(p) for p in rule.parts)


# Three-valued reading of a rule over partial answers: None = cannot hold whatever the
# blanks turn out to be; an empty set = holds now; otherwise the blank fields whose
# answers could still make it hold.
Open = frozenset[str] | None
_HOLDS: frozenset[str] = frozenset()


def open_fields(rule: Rule, facts: Facts) -> Open:
    """Which unanswered fields could still make `rule` hold (see `Open`)."""
    if isinstance(rule, Leaf):
        if rule.field in facts or rule.op in ("is_not", "known"):
            return _HOLDS if compile_rule(rule)(facts) else None
        return frozenset([rule.field])
    if isinstance(rule, NotOf):
        inner = open_fields(rule.part, facts)
        if inner is None:
            return _HOLDS
        return inner if inner else None
    parts = [open_fields(p, facts) for p in rule.parts]
    if isinstance(rule, AllOf):
        if any(p is None for p in parts):
            return None
        return frozenset().union(*(p for p in parts if p is not None))
    if any(p == _HOLDS for p in parts):
        return _HOLDS
    still = [p for p in parts if p is not None]
    return frozenset().union(*still) if still else None


def anchored(rule: Rule, facts: Facts) -> bool:
    """At least one positive cue of the rule is among the answers given (it is in play)."""
    if isinstance(rule, Leaf):
        negative = rule.op in ("is_not", "known", "lacks")
        return not negative and rule.field in facts and compile_rule(rule)(facts)
    if isinstance(rule, NotOf):
        return False
    return any(anchored(p, facts) for p in rule.parts)

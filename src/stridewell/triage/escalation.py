"""The triage level from red flags and the ranked conditions (contract 1.1), with reasons.

Each step can only raise the level, never lower it:
1. the most urgent red flag that fired;
2. warning signs add up: enough lesser signs together raise the level (`meta.aggregation`);
3. the level is never below the minimum level of the condition ranked first;
4. a dangerous condition second or third, likely enough, raises it too
   (`meta.danger_in_top_three`).
Every rule is declared, cited and worded in the knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stridewell.knowledge.rules import Facts, Predicate, Rule, compile_rule
from stridewell.knowledge.schema import KnowledgeBase
from stridewell.levels import Level
from stridewell.triage.scoring import ConditionScore, RedFlagHit, level_of

TOP = 3
# compiled `when` rules of the aggregation, by identity (rules live as long as their base)
_PREDICATES: dict[int, tuple[Rule, Predicate]] = {}


class _RuleIds(dict[str, str]):
    def __missing__(self, key: str) -> str:
        value = self[key] = f"red_flag:{key}"
        return value


_RED_FLAG_RULE = _RuleIds()


def _predicate(rule: Rule) -> Predicate:
    found = _PREDICATES.get(id(rule))
    if found is None or found[0] is not rule:
        found = _PREDICATES[id(rule)] = (rule, compile_rule(rule))
    return found[1]


@dataclass(slots=True)
class Escalation:
    level: Level
    reasons: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)

    def raise_to(self, level: Level) -> bool:
        if level.rank > self.level.rank:
            self.level = level
            return True
        return False


def escalate(
    kb: KnowledgeBase, facts: Facts, hits: list[RedFlagHit], scores: list[ConditionScore]
) -> Escalation:
    """The level and why, from the red flags fired and the ranked conditions."""
    out = Escalation(level_of(hits))
    for hit in hits:
        out.rules.append(_RED_FLAG_RULE[hit.flag.id])
        out.reasons.append(hit.reason)
    if hits:
        _add_up(kb, facts, hits, out)
    leading = scores[0].condition
    if out.raise_to(leading.minimum_level):
        out.reasons.append(f"{leading.name} is the most likely cause: {leading.minimum_reason}")
        out.rules.append(f"minimum_level:{leading.id}")
        out.cited += [*leading.sources, *leading.minimum_sources]
    for s in scores[1:TOP]:
        for danger in kb.meta.danger_in_top_three:
            if (
                s.condition.minimum_level is danger.minimum_level
                and s.likelihood >= danger.min_likelihood
                and out.raise_to(danger.raise_to)
            ):
                reason = " ".join(danger.reason.split())
                out.reasons.append(f"{s.condition.name} {reason}")
                out.rules.append(f"danger_in_top_three:{s.condition.id}")
                out.cited += [*s.condition.minimum_sources, *danger.sources]
    return out


def _add_up(kb: KnowledgeBase, facts: Facts, hits: list[RedFlagHit], out: Escalation) -> None:
    """Warning signs add up: raise the level when enough lesser signs fired together."""
    fired = {h.flag.id: h for h in hits}
    signs = frozenset().union(*(h.signs for h in hits))
    for rule in kb.meta.aggregation:
        counted = [s for s in rule.signs if s in signs]
        if len(counted) < rule.min_signs:
            continue
        if rule.rule is not None and not _predicate(rule.rule)(facts):
            continue
        if out.raise_to(rule.raise_to):
            names = dict.fromkeys(fired[s.split(".")[0]].flag.name.lower() for s in counted)
            out.reasons.append(f"{' '.join(rule.reason.split())} ({', '.join(names)})")
            out.rules.append(f"aggregation:{rule.id}")
            out.cited += rule.sources

"""Score conditions and evaluate red flags over an assessment's facts.

The knowledge base is compiled once into predicates (no eval: closures built from the
declarative rules). Scores are log-odds: a condition's prior, plus the weight of the best
matching pain region (a penalty when none matches), plus the weights of its findings that
hold. A softmax turns scores into likelihoods that sum to one across conditions.

Speed matters (a clinic re-triages thousands of stored assessments when the knowledge
base changes), so findings are indexed: a finding that only asks "does this answer have
this value" is found by a dictionary lookup on the answer; the rest are evaluated only
when every field they need was answered.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from stridewell.contract import Level
from stridewell.knowledge.rules import (
    FIELDS,
    Facts,
    Leaf,
    Predicate,
    compile_rule,
    evidence,
    fields_used,
    required_fields,
)
from stridewell.knowledge.schema import Condition, KnowledgeBase, Presentation, RedFlag
from stridewell.report import AdviceItem, SourceRef

# Each further painful region a condition explains adds a little: spreading pain fits
# some conditions (tarsal tunnel), but one region must carry the weight.
EXTRA_REGION_WEIGHT = 0.3
# Softmax temperature: scores are summed log-odds of findings that are not independent,
# so they are flattened a little before turning them into likelihoods.
TEMPERATURE = 1.6
# Only the best-ranked conditions get their full explanation built.
DETAILED = 5
# Explanations are cached per combination of the facts behind them; bounded so that a
# long-running server cannot grow without limit (numbers make many combinations).
EXPLAINED_CACHE_SIZE = 20_000


# Compared and hashed by identity (eq=False): each finding is compiled once per knowledge
# base, and the explanation caches key on tuples of them, which would otherwise hash every
# field (rule closure and text included) on each assessment.
@dataclass(frozen=True, slots=True, eq=False)
class CompiledFinding:
    id: str
    weight: float
    text: str
    sources: tuple[str, ...]
    holds: Predicate
    needs: frozenset[str]
    rule_id: str  # "finding:<condition>.<finding>", as listed in rules_fired


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    model: Condition
    regions: dict[str, float]
    findings: tuple[CompiledFinding, ...]


@dataclass(frozen=True, slots=True)
class CompiledPresentation:
    flag: RedFlag
    model: Presentation
    level: Level
    holds: Predicate  # cues hold and nothing known rules it out
    needs: frozenset[str]
    order: int  # position within its flag


@dataclass(frozen=True, slots=True)
class CompiledRedFlag:
    model: RedFlag
    presentations: tuple[CompiledPresentation, ...]
    reads: tuple[str, ...]


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build, and this is hot
class ConditionScore:
    condition: Condition
    score: float
    likelihood: float
    supporting: tuple[CompiledFinding, ...]
    opposing: tuple[CompiledFinding, ...]
    region_match: bool


@dataclass(frozen=True, slots=True)
class RedFlagHit:
    flag: RedFlag
    because: tuple[str, ...]
    level: Level  # the most urgent of the presentations that fired
    presentations: tuple[str, ...]  # ids of the presentations that fired
    reason: str  # for triage.reasons: the flag's name and the answers that raised it
    signs: frozenset[str]  # "flag" and "flag.presentation": what the aggregation counts


# (condition index, the finding's rank within its condition, the finding)
_Entry = tuple[int, int, CompiledFinding]


class CompiledKnowledge:
    """The knowledge base turned into predicates and indexes, built once."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.conditions = tuple(_compile_condition(c) for c in kb.conditions)
        self.red_flags = tuple(_compile_red_flag(f) for f in kb.red_flags)
        # Presentations indexed by one field they need (the last in contract order): only
        # those whose field was answered are evaluated. The flag's position keeps the
        # knowledge-base order of the hits.
        self._presentations_by_field: dict[str, list[tuple[int, CompiledPresentation]]] = {}
        for fi, flag in enumerate(self.red_flags):
            for pres in flag.presentations:
                if not pres.needs:  # the schema's cues always need an answer; stay safe
                    raise ValueError(f"{flag.model.id}.{pres.model.id}: cues need an answer")
                # later contract fields (exam, 1.1 fields) are answered less often
                key = max(pres.needs, key=_FIELD_ORDER.__getitem__)
                self._presentations_by_field.setdefault(key, []).append((fi, pres))
        self.prevention = tuple(
            (p, compile_rule(p.rule), required_fields(p.rule), tuple(sorted(fields_used(p.rule))))
            if p.rule is not None
            else (p, None, frozenset[str](), ())
            for p in kb.prevention
        )
        self.prevention_reads = tuple(sorted({r for *_, reads in self.prevention for r in reads}))
        # Explanations depend on a few facts only (those a rule reads, or which findings
        # held), and the same combinations recur: each is worked out once and reused.
        self.explained: dict[Hashable, Any] = {}
        self.soreness = compile_rule(kb.meta.soreness.rule)
        self.source_refs = {
            c.id: SourceRef(id=c.id, title=c.title, url=c.url) for c in kb.citations
        }
        self._advice_texts = {
            **{("self_care", a.id): (a.text, a.sources) for a in kb.self_care},
            **{("exercise", e.id): (f"{e.name}: {e.dose}", e.sources) for e in kb.exercises},
            **{
                ("shoe_feature", f.id): (
                    f"{f.pain_type}: {f.features} ({f.shoe_style})",
                    f.sources,
                )
                for f in kb.shoe_features
            },
            **{("prevention", p.id): (p.text, p.sources) for p in kb.prevention},
        }
        self._advice_items: dict[tuple[str, str, str], AdviceItem] = {}
        # Care advice per (level, leading, second, bone), built by the engine (`engine.Care`).
        self.care_cache: dict[tuple[Level, str, str | None, bool], Any] = {}
        self._base = [c.model.prior + c.model.off_site_penalty for c in self.conditions]
        self._by_region: dict[str, list[tuple[int, float]]] = {}
        # Region scores depend on the set of painful regions only; there are few such sets.
        self._regional: dict[frozenset[str], tuple[list[float], list[bool]]] = {}
        for ci, cond in enumerate(self.conditions):
            for region, weight in cond.regions.items():
                self._by_region.setdefault(region, []).append((ci, weight))
        # field -> value -> the findings that value satisfies
        self._by_value: dict[str, dict[Hashable, list[_Entry]]] = {}
        self._by_field: dict[str, list[_Entry]] = {}
        self._always: list[_Entry] = []
        self._multi: dict[tuple[str, Hashable], list[_Entry]] = {}
        self._suggested = self._suggestions(kb)
        for ci, cond in enumerate(self.conditions):
            # Rank = where the finding is listed in a report: strongest evidence first,
            # knowledge-base order breaking ties. Sorting by it later is one int compare.
            ranked = sorted(enumerate(cond.findings), key=lambda pf: (-abs(pf[1].weight), pf[0]))
            for rank, (pos, finding) in enumerate(ranked):
                self._index(ci, pos, rank, finding)

    def _suggestions(self, kb: KnowledgeBase) -> dict[tuple[str, str], tuple[_Entry, ...]]:
        """Per fired presentation, the findings it adds to the conditions it points to."""
        index = {c.model.id: ci for ci, c in enumerate(self.conditions)}
        meta = kb.meta.suggested_by_warning_sign
        found: dict[tuple[str, str], tuple[_Entry, ...]] = {}
        for flag in kb.red_flags:
            finding = {
                cid: CompiledFinding(
                    id=f"{cid}.warning_sign_{flag.id}",
                    weight=meta.weight,
                    text=f"{meta.text}: {flag.name[0].lower()}{flag.name[1:]}",
                    sources=tuple(meta.sources),
                    holds=_always_true,
                    needs=frozenset(),
                    rule_id=f"finding:{cid}.warning_sign_{flag.id}",
                )
                for p in flag.presentations
                for cid in p.suggests
            }
            for p in flag.presentations:
                # Rank -1: listed first among what speaks for the condition.
                found[(flag.id, p.id)] = tuple((index[c], -1, finding[c]) for c in p.suggests)
        return found

    def _index(self, ci: int, pos: int, rank: int, finding: CompiledFinding) -> None:
        entry = (ci, rank, finding)
        rule = self.conditions[ci].model.findings[pos].rule
        if isinstance(rule, Leaf) and rule.op in ("has", "has_any", "eq", "in"):
            values = rule.value if isinstance(rule.value, frozenset) else [rule.value]
            # a finding two answers of a list can both meet is kept apart, to count once
            several = len(values) > 1 and rule.field in _LIST_FIELDS
            for value in values:
                if several:
                    self._multi.setdefault((rule.field, value), []).append(entry)
                else:
                    table = self._by_value.setdefault(rule.field, {})
                    table.setdefault(value, []).append(entry)
        elif finding.needs:
            self._by_field.setdefault(min(finding.needs), []).append(entry)
        else:
            self._always.append(entry)

    def advice_item(self, kind: str, item_id: str, because: str) -> AdviceItem:
        """The (immutable, shared) advice item; reports reuse them instead of rebuilding."""
        key = (kind, item_id, because)
        item = self._advice_items.get(key)
        if item is None:
            text, sources = self._advice_texts[(kind, item_id)]
            item = AdviceItem(kind, item_id, text, tuple(sources), because)
            if len(self._advice_items) < 10_000:  # `because` can carry numbers: stay bounded
                self._advice_items[key] = item
        return item

    def red_flag_hits(self, facts: Facts) -> list[RedFlagHit]:
        """Red flags that fire, most urgent first (knowledge-base order breaks ties).

        A flag fires when any of its presentations does: its cues hold on the answers
        given and no known answer rules it out.
        """
        present = frozenset(facts)
        fired: dict[int, list[CompiledPresentation]] = {}
        by_field = self._presentations_by_field
        for name in facts:
            for fi, pres in by_field.get(name, ()):
                if pres.needs <= present and pres.holds(facts):
                    fired.setdefault(fi, []).append(pres)
        if not fired:
            return []
        flags = self.red_flags
        hits = [
            self._red_flag_hit(flags[fi], sorted(fired[fi], key=_position), facts)
            for fi in sorted(fired)
        ]
        hits.sort(key=_urgency)
        return hits

    def _red_flag_hit(
        self, flag: CompiledRedFlag, fired: list[CompiledPresentation], facts: Facts
    ) -> RedFlagHit:
        key = (flag.model.id, *map(facts.get, flag.reads))
        hit: RedFlagHit | None = self.explained.get(key)
        if hit is None:
            because = dict.fromkeys(
                item for p in fired for item in evidence(p.model.cue_rule, facts)
            )
            level = max((p.level for p in fired), key=lambda lvl: lvl.rank)
            ids = tuple(p.model.id for p in fired)
            name = flag.model.name
            # The questionnaire's words are only needed once a flag fires (and then the
            # hit is cached): importing them lazily keeps `assess --json` quick to start.
            from stridewell.knowledge.questions import load_questionnaire

            words = "; ".join(map(load_questionnaire().plain_finding, because))
            reason = f"{name} ({words})" if because else name
            signs = frozenset([flag.model.id, *(f"{flag.model.id}.{i}" for i in ids)])
            hit = RedFlagHit(flag.model, tuple(because), level, ids, reason, signs)
            if len(self.explained) < EXPLAINED_CACHE_SIZE:
                self.explained[key] = hit
        return hit

    def _matching(self, facts: Facts) -> list[_Entry]:
        """Every finding that holds for these facts, each once (in no particular order)."""
        by_value, by_field, multi = self._by_value, self._by_field, self._multi
        matched: list[_Entry] = []
        add = matched.append
        seen: set[int] = set()
        list_fields = _LIST_FIELDS
        for field, value in facts.items():
            table = by_value.get(field, _EMPTY)
            if field in list_fields:
                for item in value:
                    matched.extend(table.get(item, ()))
                    for entry in multi.get((field, item), ()):
                        # met by two answers of a list, it still counts once
                        key = id(entry)  # entries live as long as this object
                        if key not in seen:
                            seen.add(key)
                            add(entry)
            else:
                matched.extend(table.get(value, ()))
        present = frozenset(facts)
        for field in facts:  # in the facts' order: the sums stay the same bit for bit
            for entry in by_field.get(field, ()):
                if entry[2].needs <= present and entry[2].holds(facts):
                    add(entry)
        for entry in self._always:
            if entry[2].holds(facts):
                add(entry)
        return matched

    def _region_scores(self, locations: frozenset[str]) -> tuple[list[float], list[bool]]:
        """Prior plus region weight per condition for a set of painful regions."""
        scores = list(self._base)
        best: dict[int, float] = {}
        count: dict[int, int] = {}
        for region in locations:
            for ci, weight in self._by_region.get(region, ()):
                count[ci] = count.get(ci, 0) + 1
                best[ci] = max(best.get(ci, weight), weight)
        for ci, n in count.items():
            off_site = self.conditions[ci].model.off_site_penalty
            scores[ci] += best[ci] + EXTRA_REGION_WEIGHT * (n - 1) - off_site
        return scores, [ci in count for ci in range(len(scores))]

    def score(self, facts: Facts, hits: Sequence[RedFlagHit] = ()) -> list[ConditionScore]:
        """The best-ranked conditions with scores, likelihoods and explanations. Red flags
        that fired (`hits`) add weight to the conditions their presentations point to."""
        locations = facts["locations"]
        regional = self._regional.get(locations)
        if regional is None:
            regional = self._regional[locations] = self._region_scores(locations)
        base, matched_region = regional
        scores = list(base)
        # One pass: add each finding's weight and group the findings by condition.
        found_by: dict[int, list[_Entry]] = {}
        for entry in self._matching(facts):
            ci = entry[0]
            scores[ci] += entry[2].weight
            group = found_by.get(ci)
            if group is None:
                found_by[ci] = [entry]
            else:
                group.append(entry)
        if hits:
            self._add_suggested(hits, scores, found_by)
        top = max(scores)
        inverse = 1.0 / TEMPERATURE
        exp = math.exp
        weights = [exp((s - top) * inverse) for s in scores]
        total = math.fsum(weights)
        # Stable sort (reverse keeps it stable): equal scores keep knowledge-base order.
        order = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)[:DETAILED]
        result = []
        conditions = self.conditions
        for ci in order:
            found = found_by.get(ci, [])
            found.sort()  # (condition, rank, ...): one condition, so by rank; ranks are unique
            result.append(
                ConditionScore(
                    conditions[ci].model,
                    scores[ci],
                    weights[ci] / total,
                    tuple([e[2] for e in found if e[2].weight > 0]),
                    tuple([e[2] for e in found if e[2].weight < 0]),
                    matched_region[ci],
                )
            )
        return result

    def _add_suggested(
        self, hits: Sequence[RedFlagHit], scores: list[float], found_by: dict[int, list[_Entry]]
    ) -> None:
        """Each condition a fired presentation points to gains the weight once."""
        suggested = self._suggested
        done: set[int] = set()
        for hit in hits:
            for pid in hit.presentations:
                for entry in suggested.get((hit.flag.id, pid), ()):
                    ci = entry[0]
                    if ci not in done:
                        done.add(ci)
                        scores[ci] += entry[2].weight
                        found_by.setdefault(ci, []).append(entry)


def _always_true(facts: Facts) -> bool:
    return True


_LIST_FIELDS = frozenset(name for name, spec in FIELDS.items() if spec.kind == "list")
_EMPTY: dict[Hashable, list[_Entry]] = {}
_FIELD_ORDER = {name: i for i, name in enumerate(FIELDS)}


def _position(pres: CompiledPresentation) -> int:
    return pres.order


def _urgency(hit: RedFlagHit) -> int:
    return -hit.level.rank


def _compile_red_flag(flag: RedFlag) -> CompiledRedFlag:
    presentations = tuple(
        CompiledPresentation(
            flag, p, flag.level_of(p), compile_rule(p.rule), required_fields(p.rule), i
        )
        for i, p in enumerate(flag.presentations)
    )
    return CompiledRedFlag(flag, presentations, tuple(sorted(fields_used(flag.rule))))


def _compile_condition(cond: Condition) -> CompiledCondition:
    findings = tuple(
        CompiledFinding(
            id=f"{cond.id}.{f.id}",
            weight=f.weight,
            text=f.text,
            sources=tuple(f.sources or cond.sources),
            holds=compile_rule(f.rule),
            needs=required_fields(f.rule),
            rule_id=f"finding:{cond.id}.{f.id}",
        )
        for f in cond.findings
    )
    return CompiledCondition(cond, {r.value: w for r, w in cond.regions.items()}, findings)


def level_of(hits: list[RedFlagHit]) -> Level:
    return hits[0].level if hits else Level.self_care

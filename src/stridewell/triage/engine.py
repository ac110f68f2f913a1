"""The triage engine: `assess(assessment) -> TriageReport`. Pure: no I/O, no clock.

Order of reasoning, safety first:
1. red flags are evaluated before anything else; the level starts at the most urgent one;
2. conditions are scored and ranked with the findings for and against each;
3. warning signs add up, and the ranked conditions may raise the level, never lower it
   (`escalation`); the unanswered questions that could raise it are listed (`safety`);
4. advice is chosen for the level: at `emergency` and `urgent` only what is safe while
   waiting to be seen; exercises wait for a clinician.
"""

from __future__ import annotations

from itertools import chain

from stridewell.contract import Assessment, Level
from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.rules import evidence, facts_of
from stridewell.knowledge.schema import Condition, KnowledgeBase
from stridewell.report import (
    AdviceItem,
    KnowledgeRef,
    RankedCondition,
    SourceRef,
    Triage,
    TriageReport,
)
from stridewell.report import RedFlagHit as RedFlagOut
from stridewell.triage.escalation import escalate
from stridewell.triage.safety import safety_questions
from stridewell.triage.scoring import (
    EXPLAINED_CACHE_SIZE,
    CompiledKnowledge,
    ConditionScore,
    RedFlagHit,
)

MAX_CONDITIONS = 5
MIN_LIKELIHOOD = 0.02
# The second condition's self-care joins the leading one's when it is this likely.
SECOND_CONDITION_ADVICE = 0.2
# Below this likelihood the summary does not name a most likely cause.
NAMED_CAUSE_MIN_LIKELIHOOD = 0.35
SORENESS_ID = "training_soreness"
BONE_FLAGS = {"suspected_bone_stress_injury", "high_risk_stress_fracture_site"}
# Advice that is safe while a runner waits to be seen at `urgent`.
SAFE_WHILE_WAITING = {
    "stop_running_bone",
    "relative_rest",
    "ice",
    "compression_elevation",
    "seek_care_today",
    "diabetic_foot_care",
    "wound_care",
    "energy_availability",
    "sprain_early_care",
}


_COMPILED: dict[int, CompiledKnowledge] = {}


def compiled(kb: KnowledgeBase) -> CompiledKnowledge:
    """The compiled form of `kb`, built once (the entry keeps `kb` alive, so ids stay unique)."""
    found = _COMPILED.get(id(kb))
    if found is None or found.kb is not kb:
        found = _COMPILED[id(kb)] = CompiledKnowledge(kb)
    return found


def assess(assessment: Assessment, kb: KnowledgeBase | None = None) -> TriageReport:
    """Triage one assessment against the knowledge base (the packaged one by default)."""
    return _Assessor(compiled(kb or load_knowledge()), assessment).report()


class _Assessor:
    def __init__(self, ck: CompiledKnowledge, assessment: Assessment) -> None:
        self.ck = ck
        self.kb = ck.kb
        self.facts = facts_of(assessment)
        self.rules: list[str] = []
        self.cited: dict[str, None] = {}  # ordered set of citation ids

    def _cite(self, sources: tuple[str, ...] | list[str]) -> list[str]:
        self.cited.update(dict.fromkeys(sources))
        return list(sources)

    def report(self) -> TriageReport:
        hits = self.ck.red_flag_hits(self.facts)
        scores = self.ck.score(self.facts, hits)
        leading = scores[0]
        soreness = not hits and self._is_soreness(leading)
        level, reasons = self._level(hits, scores, soreness)
        conditions = self._conditions(scores, soreness)
        care = self._care(level, hits, scores)
        prevention = self._prevention()
        unanswered = list(safety_questions(self.ck).questions(self.facts, level))
        return TriageReport(
            triage=Triage(level=level, reasons=reasons),
            summary=self._summary(level, hits, leading, soreness, open_questions=bool(unanswered)),
            red_flags=[
                RedFlagOut(
                    id=h.flag.id,
                    name=h.flag.name,
                    level=h.level,
                    because=list(h.because),
                    advice=h.flag.advice,
                    sources=self._cite(h.flag.sources),
                )
                for h in hits
            ],
            conditions=conditions,
            self_care=list(care.self_care),
            shoe_features=list(care.shoe_features),
            exercises=list(care.exercises),
            prevention=[a.text for a in prevention],
            advice=[*care.items, *prevention],
            disclaimer=self.kb.meta.disclaimer,
            knowledge_base=KnowledgeRef(version=self.kb.version, rules_fired=self.rules),
            sources=self._sources(),
            unanswered_safety_questions=unanswered,
        )

    def _is_soreness(self, leading: ConditionScore) -> bool:
        meta = self.kb.meta.soreness
        return self.ck.soreness(self.facts) and leading.likelihood <= meta.max_leading_likelihood

    def _level(
        self, hits: list[RedFlagHit], scores: list[ConditionScore], soreness: bool
    ) -> tuple[Level, list[str]]:
        decided = escalate(self.kb, self.facts, hits, scores)
        self.rules += decided.rules
        self._cite(decided.cited)
        reasons = decided.reasons
        if not reasons:
            reasons.append(self.kb.meta.no_flag_reason)
            self._cite(self.kb.meta.sources)
        if soreness:
            self.rules.append("soreness")
        return decided.level, reasons

    def _conditions(self, scores: list[ConditionScore], soreness: bool) -> list[RankedCondition]:
        shown = [s for s in scores if s.likelihood >= MIN_LIKELIHOOD][:MAX_CONDITIONS]
        if len(shown) < 3:  # always offer three to weigh against each other
            shown = scores[:3]
        scale = 0.5 if soreness else 1.0
        ranked = [self._ranked(s, scale) for s in shown]
        if soreness:
            meta = self.kb.meta.soreness
            ranked.insert(
                0,
                RankedCondition(
                    id=SORENESS_ID,
                    name="Ordinary training soreness",
                    likelihood=0.5,
                    for_=evidence(meta.rule, self.facts),
                    against=[],
                    sources=self._cite(meta.sources),
                    summary=meta.text,
                ),
            )
        return ranked

    def _ranked(self, s: ConditionScore, scale: float) -> RankedCondition:
        cond = s.condition
        key = (cond.id, s.supporting, s.opposing, s.region_match)
        explained = self.ck.explained.get(key)
        if explained is None:
            explained = _explain(s)
            if len(self.ck.explained) < EXPLAINED_CACHE_SIZE:
                self.ck.explained[key] = explained
        for_, against, sources, rule_ids = explained
        self.rules += rule_ids
        self.cited.update(dict.fromkeys(sources))
        return RankedCondition(
            id=cond.id,
            name=cond.name,
            likelihood=round(s.likelihood * scale, 4),
            for_=list(for_),
            against=list(against),
            sources=list(sources),
            summary=cond.summary,
        )

    def _care(self, level: Level, hits: list[RedFlagHit], scores: list[ConditionScore]) -> Care:
        leading = scores[0].condition
        second = None
        if len(scores) > 1 and scores[1].likelihood >= SECOND_CONDITION_ADVICE:
            second = scores[1].condition
        bone = any(h.flag.id in BONE_FLAGS for h in hits)
        # Care advice depends on these four things only, so it is worked out once per
        # combination and shared (the items are immutable).
        key = (level, leading.id, second.id if second else None, bone)
        care: Care | None = self.ck.care_cache.get(key)
        if care is None:
            care = self.ck.care_cache[key] = Care(
                _care_items(self.ck, level, leading, second, bone)
            )
        self.rules += care.rules
        self.cited.update(care.cited)
        return care

    def _prevention(self) -> list[AdviceItem]:
        # Which prevention advice applies, and why, depends only on the facts its rules
        # read: worked out once per combination of those facts and reused.
        ck = self.ck
        key = ("prevention", *map(self.facts.get, ck.prevention_reads))
        found: tuple[tuple[AdviceItem, ...], tuple[str, ...], tuple[str, ...]] | None
        found = ck.explained.get(key)
        if found is None:
            found = self._work_out_prevention()
            if len(ck.explained) < EXPLAINED_CACHE_SIZE:
                ck.explained[key] = found
        items, rules, cited = found
        self.rules += rules
        self.cited.update(dict.fromkeys(cited))
        return list(items)

    def _work_out_prevention(
        self,
    ) -> tuple[tuple[AdviceItem, ...], tuple[str, ...], tuple[str, ...]]:
        items = []
        rules = []
        cited: dict[str, None] = {}
        facts = self.facts
        present = frozenset(facts)
        for prevention, holds, needs, _reads in self.ck.prevention:
            if holds is not None and not (needs <= present and holds(facts)):
                continue
            rules.append(_PREVENTION_RULE[prevention.id])
            rule = prevention.rule
            because = "; ".join(evidence(rule, facts)) if rule is not None else ""
            items.append(self.ck.advice_item("prevention", prevention.id, because))
            cited.update(dict.fromkeys(prevention.sources))
        return tuple(items), tuple(rules), tuple(cited)

    def _summary(
        self,
        level: Level,
        hits: list[RedFlagHit],
        leading: ConditionScore,
        soreness: bool,
        *,
        open_questions: bool,
    ) -> str:
        text = self.kb.meta.levels[level]
        parts = [f"{text.headline}."]
        if hits:
            parts.append(f"Warning sign: {hits[0].flag.name.lower()}.")
        if soreness:
            parts.append(self.kb.meta.soreness.text)
        elif leading.region_match and leading.likelihood >= NAMED_CAUSE_MIN_LIKELIHOOD:
            parts.append(f"Most likely cause: {leading.condition.name}.")
        action = text.action_with_open_questions if open_questions else None
        parts.append(action or text.action)
        return " ".join(parts)

    def _sources(self) -> list[SourceRef]:
        return [self.ck.source_refs[i] for i in self.cited]


def _explain(
    s: ConditionScore,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Findings for and against, sources and rule ids of a scored condition."""
    cond = s.condition
    held = s.supporting + s.opposing
    against = [f.text for f in s.opposing]
    if not s.region_match:
        against.insert(0, "the pain is not where this condition usually hurts")
    sources = tuple(dict.fromkeys(chain(cond.sources, *(f.sources for f in held))))
    return (
        tuple(f.text for f in s.supporting),
        tuple(against),
        sources,
        tuple(f.rule_id for f in held),
    )


class _PreventionRuleIds(dict[str, str]):
    def __missing__(self, key: str) -> str:
        value = self[key] = f"prevention:{key}"
        return value


_PREVENTION_RULE = _PreventionRuleIds()


class Care:
    """Self-care, shoe features and exercises for one combination, with what a report
    takes from them precomputed (shared between reports: nothing here is changed)."""

    __slots__ = ("cited", "exercises", "items", "rules", "self_care", "shoe_features")

    def __init__(self, items: tuple[AdviceItem, ...]) -> None:
        self.items = items
        self.rules = tuple(f"{_RULE_PREFIX[item.kind]}:{item.id}" for item in items)
        self.cited = dict.fromkeys(chain.from_iterable(item.sources for item in items))
        self.self_care = tuple(a.text for a in items if a.kind == "self_care")
        self.shoe_features = tuple(a.text for a in items if a.kind == "shoe_feature")
        self.exercises = tuple(a.text for a in items if a.kind == "exercise")


_RULE_PREFIX = {"self_care": "advice", "shoe_feature": "shoe", "exercise": "exercise"}


def _care_items(
    ck: CompiledKnowledge,
    level: Level,
    leading: Condition,
    second: Condition | None,
    bone: bool,
) -> tuple[AdviceItem, ...]:
    """Self-care, shoe features and exercises for a level and the leading conditions."""
    if level is Level.emergency:
        # Nothing else matters until a clinician has seen the foot today.
        return (ck.advice_item("self_care", "seek_care_today", leading.id),)
    advisers = [leading] if second is None else [leading, second]
    self_care_ids = ["stop_running_bone"] if bone else []
    for cond in advisers:
        self_care_ids += cond.cautions + cond.self_care
    if level.rank >= Level.urgent.rank:
        self_care_ids = [i for i in self_care_ids if i in SAFE_WHILE_WAITING]
    items = [ck.advice_item("self_care", i, leading.id) for i in dict.fromkeys(self_care_ids)]
    wanted = {i for c in advisers for i in c.shoe_features}
    items += [
        ck.advice_item("shoe_feature", f.id, "") for f in ck.kb.shoe_features if f.id in wanted
    ]
    if level.rank < Level.urgent.rank:  # exercises wait for a clinician at urgent and above
        items += [ck.advice_item("exercise", e, leading.id) for e in leading.exercises]
    return tuple(items)

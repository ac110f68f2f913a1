"""Unanswered safety questions: the blank answers that could make this presentation more urgent.

Worked out from the red-flag definitions, never from a hand list: a presentation of a red
flag more urgent than the current level is still open when some of its cues are already
answered and fit, nothing known rules it out, and blank fields could complete it
(three-valued reading, `rules.open_fields`). Those blank fields are the questions, most
urgent presentation first, each with its flag's plain-words reason.
"""

from __future__ import annotations

from collections.abc import Hashable

from stridewell.knowledge.rules import FIELDS, Facts, anchored, compile_rule, open_fields
from stridewell.levels import Level
from stridewell.report import SafetyQuestion
from stridewell.triage.scoring import CompiledKnowledge, CompiledPresentation

# Field order of the contract: ties within one presentation are asked in this order.
_FIELD_ORDER = {name: i for i, name in enumerate(FIELDS)}
CACHE_SIZE = 20_000


class SafetyQuestions:
    """The open presentations of a knowledge base, compiled once, with a bounded cache."""

    def __init__(self, ck: CompiledKnowledge) -> None:
        ranked = [p for flag in ck.red_flags for p in flag.presentations]
        # most urgent first; knowledge-base order breaks ties (sort is stable)
        self.presentations: tuple[CompiledPresentation, ...] = tuple(
            sorted(ranked, key=lambda p: -p.level.rank)
        )
        self._cache: dict[Hashable, tuple[SafetyQuestion, ...]] = {}

    def questions(self, facts: Facts, level: Level) -> tuple[SafetyQuestion, ...]:
        """The unanswered fields that could raise `level`, most important first."""
        if level is Level.emergency:
            return ()
        # the same answers in the same order (facts follow the contract's field order)
        key = (level, *facts.items())
        found = self._cache.get(key)
        if found is None:
            found = self._work_out(facts, level)
            if len(self._cache) < CACHE_SIZE:
                self._cache[key] = found
        return found

    def _work_out(self, facts: Facts, level: Level) -> tuple[SafetyQuestion, ...]:
        asked: dict[str, SafetyQuestion] = {}
        for p in self.presentations:
            if p.level.rank <= level.rank:
                break  # sorted by urgency: nothing further can raise the level
            unless = p.model.unless_rule
            if unless is not None and compile_rule(unless)(facts):
                continue  # a known answer rules it out
            cues = p.model.cue_rule
            waiting = open_fields(cues, facts)
            if not waiting or not anchored(cues, facts):
                continue  # cannot hold, holds already, or nothing of it was reported
            for name in sorted(waiting, key=_FIELD_ORDER.__getitem__):
                if name not in asked:
                    asked[name] = SafetyQuestion(field=name, why=_why(p))
        return tuple(asked.values())


def _why(p: CompiledPresentation) -> str:
    return " ".join(p.flag.why_ask.split())


_BY_KNOWLEDGE: dict[int, tuple[CompiledKnowledge, SafetyQuestions]] = {}


def safety_questions(ck: CompiledKnowledge) -> SafetyQuestions:
    """The (cached) safety questions of a compiled knowledge base."""
    found = _BY_KNOWLEDGE.get(id(ck))
    if found is None or found[0] is not ck:
        found = _BY_KNOWLEDGE[id(ck)] = (ck, SafetyQuestions(ck))
    return found[1]

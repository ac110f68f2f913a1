"""The report page's view: a summary card first, the details folded below it.

The card holds the level, what to do now, the one running rule, the likely cause in words
("most likely", "possible", "less likely"; never a percentage) and the actions. Causes
below the vocabulary's threshold go under "other possibilities", and causes that are
effectively ruled out list no findings. When questions that could make it more urgent
were left open, a self-care report says what is not known and which questions would
settle it instead of promising that nothing needs a clinician. Every word comes from the
knowledge base (`knowledge.vocabulary`, `knowledge.care`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stridewell.knowledge.care import Care, care_for
from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.vocabulary import Vocabulary, vocabulary
from stridewell.levels import Level
from stridewell.plan.running_rule import is_soreness, running_rule_for_report
from stridewell.report import RankedCondition, TriageReport
from stridewell.triage.questionnaire import unasked_safety_fields

# Ordinary training soreness needs a few easy days, not care for an injury or measures
# for pain that has lasted weeks: these self-care items are left out of its card.
_NOT_FOR_SORENESS = frozenset(
    {"ice", "compression_elevation", "low_dye_taping", "night_splint", "heel_cushion",
     "heel_lift", "metatarsal_pad", "contrast_baths"}
)  # fmt: skip

# Red flags at these levels decide whether "nothing needs a clinician" can be said.
_SAFETY_LEVELS = frozenset({Level.emergency, Level.urgent})


@dataclass(frozen=True, slots=True)
class CauseView:
    name: str
    words: str  # "most likely", "possible", "less likely"
    summary: str
    for_: list[str]
    against: list[str]
    show_findings: bool


@dataclass(frozen=True, slots=True)
class FlagView:
    name: str
    level: str
    because: list[str]
    advice: str


@dataclass(frozen=True, slots=True)
class ReportView:
    level: str
    level_label: str
    level_explanation: str
    running_rule: str
    now: str
    cause: CauseView | None
    causes: list[CauseView]
    other_causes: list[CauseView]
    flags: list[FlagView]
    reasons: list[str]
    open_questions: list[tuple[str, str]]  # (question, why it matters)
    not_known: list[str]  # questions left open that could make it more urgent
    not_known_title: str
    not_known_text: str
    not_known_settle: str
    care: Care
    self_care: list[str] = field(default_factory=list)
    care_first: bool = False  # emergency or urgent: care is the main action, the plan after

    @property
    def tel(self) -> str:
        """The emergency number as a `tel:` link."""
        return tel_link(self.care)


def _self_care(report: TriageReport) -> list[str]:
    if not is_soreness(report):
        return list(report.self_care)
    left_out = {a.text for a in load_knowledge().self_care if a.id in _NOT_FOR_SORENESS}
    return [text for text in report.self_care if text not in left_out]


def tel_link(care: Care) -> str:
    return "tel:" + care.emergency.replace(" ", "")


def _cause(c: RankedCondition, words: Vocabulary) -> CauseView:
    return CauseView(
        name=c.name or words.condition(c.id).label,
        words=words.likelihood(c.likelihood).words,
        summary=c.summary,
        for_=[words.finding(f) for f in c.for_],
        against=[words.finding(f) for f in c.against],
        show_findings=not words.without_findings(c.likelihood),
    )


def leading_sign_now(report: TriageReport) -> str | None:
    """What to do now in the words of the warning sign that sets the level, when that
    sign has its own (an injury that cannot bear weight: care today)."""
    level = report.triage.level
    flags = {f.id: f for f in load_knowledge().red_flags}
    for fired in report.red_flags:
        flag = flags.get(fired.id)
        if fired.level is level and flag is not None and flag.now:
            return flag.now
    return None


def report_view(
    report: TriageReport | Mapping[str, Any],
    assessment: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
) -> ReportView:
    """The view of `report` (as stored, or built) and the answers behind it, when known."""
    if not isinstance(report, TriageReport):
        report = TriageReport.from_json_dict(report)
    words = vocabulary()
    level = report.triage.level
    level_words = words.level(level)
    ranked = [_cause(c, words) for c in report.conditions]
    shown = [
        v for v, c in zip(ranked, report.conditions, strict=True) if not words.hidden(c.likelihood)
    ]
    others = [
        v for v, c in zip(ranked, report.conditions, strict=True) if words.hidden(c.likelihood)
    ]
    not_known: list[str] = []
    if level.rank <= Level.soon.rank:
        fields = (
            unasked_safety_fields(report, assessment)
            if assessment is not None
            else [q.field for q in report.unanswered_safety_questions]  # answers not known
        )
        not_known = list(dict.fromkeys(words.question(f) for f in fields))
    now, explanation = leading_sign_now(report) or level_words.now, level_words.explanation
    if not_known and level is Level.self_care:
        # Questions left open: never promise that nothing needs a clinician.
        now = explanation = words.not_known.text
    return ReportView(
        level=level.value,
        level_label=level_words.label,
        level_explanation=explanation,
        running_rule=running_rule_for_report(report),
        now=now,
        cause=shown[0] if shown else None,
        causes=shown,
        other_causes=others,
        flags=[
            FlagView(
                name=f.name or words.flag(f.id).label,
                level=words.level(f.level).label,
                because=[words.finding(b) for b in f.because],
                advice=f.advice,
            )
            for f in report.red_flags
        ],
        reasons=list(report.triage.reasons),
        open_questions=[
            (words.question(q.field), q.why) for q in report.unanswered_safety_questions
        ],
        not_known=not_known,
        not_known_title=words.not_known.title,
        not_known_text=words.not_known.text,
        not_known_settle=words.not_known.settle,
        care=care_for(env),
        self_care=_self_care(report),
        care_first=level in _SAFETY_LEVELS,
    )


__all__ = ["CauseView", "FlagView", "ReportView", "report_view", "tel_link"]

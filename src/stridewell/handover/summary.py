"""`build_summary`: the handover summary from an assessment, its report and the runner's data.

Pure: no I/O and no clock. `today` is passed in; the window is the six ISO weeks ending
with today's week, for the journal and the training alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo

from stridewell.contract import Assessment
from stridewell.journal.model import ExerciseLog, JournalEntry
from stridewell.journal.trend import daily_scores, pain_trend
from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.questions import load_questionnaire
from stridewell.knowledge.rules import Facts, facts_of
from stridewell.knowledge.vocabulary import vocabulary
from stridewell.levels import Level
from stridewell.plan.model import DayStatus, Plan
from stridewell.report import TriageReport
from stridewell.shoes import Shoe
from stridewell.text import day_words
from stridewell.triage.correction import Correction as Corrected
from stridewell.triage.questionnaire import unasked_safety_fields

from .model import (
    AnswerChanged,
    Cause,
    Correction,
    HandoverSummary,
    Journal,
    PainDay,
    PhaseReached,
    Presentation,
    SelfTest,
    Tried,
    WarningSign,
)
from .snomed import SnomedTable, load_snomed
from .terms import (
    ASSOCIATED,
    BACKGROUND,
    BONE_POINT,
    COURSE,
    HISTORY_BACKGROUND,
    LEVEL_WORDS,
    QUALITY,
    SELF_TEST_YES_IS_NORMAL,
    SELF_TESTS,
    SIDE,
    SITE,
    SURFACE,
    TIMING,
)
from .training import RunLike, shoe_rows, training_in, window_start

WINDOW_WEEKS = 6
MAX_QUESTIONS = 10
MAX_QUESTION_CHARS = 300


def _duration(days: int | None) -> str | None:
    if days is None:
        return None
    if days == 0:
        return "less than a day"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 90:
        return f"{days} days (about {round(days / 7)} weeks)"
    return f"{days} days (about {round(days / 30.4)} months)"


def _onset(a: Assessment) -> str | None:
    parts: list[str] = []
    if a.onset is not None:
        parts.append(a.onset.value)
    if a.injury_event:
        parts.append("with a specific incident (twist, fall, landing or blow)")
    elif a.injury_event is False:
        parts.append("no specific incident")
    if a.felt_pop:
        parts.append("a pop or snap felt at onset")
    return ", ".join(parts) or None


def _self_tests(a: Assessment) -> list[SelfTest]:
    tests = []
    for field, name in SELF_TESTS.items():
        answer = getattr(a, field)
        if answer is None:
            continue
        normal = answer if field in SELF_TEST_YES_IS_NORMAL else not answer
        detail = ""
        if field == "can_bear_weight":
            detail = "able to bear weight" if answer else "unable to bear weight"
        result = "negative" if normal else "positive"
        tests.append(SelfTest(field=field, name=name, result=result, detail=detail))
    return tests


def presentation(a: Assessment) -> Presentation:
    """The assessment's answers in clinical words."""
    associated = [words for field, words in ASSOCIATED.items() if getattr(a, field) is True]
    denied = [words for field, words in ASSOCIATED.items() if getattr(a, field) is False]
    background = [words for field, words in BACKGROUND.items() if getattr(a, field) is True]
    if a.history is not None:
        h = a.history
        background += [w for f, w in HISTORY_BACKGROUND.items() if getattr(h, f) is True]
        if h.arch_type is not None:
            background.append(f"{h.arch_type.value} arches (self-reported)")
    patient = ", ".join(
        p for p in (f"{a.age} y" if a.age is not None else "", a.sex.value if a.sex else "") if p
    )
    return Presentation(
        side=SIDE[a.side] if a.side else None,
        sites=[SITE[r] for r in a.locations],
        pain_score=a.pain_score,
        onset=_onset(a),
        duration=_duration(a.duration_days),
        course=COURSE[a.trend] if a.trend else None,
        timing=[TIMING[t] for t in a.pain_timing or ()],
        quality=[QUALITY[q] for q in a.pain_quality or ()],
        swelling=None if a.swelling is None else a.swelling.value,
        associated=associated,
        denied=denied,
        self_tests=_self_tests(a),
        bone_tenderness=[BONE_POINT[b] for b in a.bone_tenderness or ()],
        background=background,
        patient=patient or None,
    )


def finding_words(finding: str) -> str:
    """'redness_warmth: yes' as 'red and warm: yes': the field in the questionnaire's words."""
    return load_questionnaire().plain_finding(finding)


def causes(report: TriageReport, table: SnomedTable) -> list[Cause]:
    words = vocabulary()
    out = []
    for rank, c in enumerate(report.conditions, start=1):
        mapping = table.mapped(c.id)
        out.append(
            Cause(
                rank=rank,
                id=c.id,
                name=c.name,
                likelihood=c.likelihood,
                likelihood_words=words.likelihood(c.likelihood).words,
                for_=[finding_words(f) for f in c.for_],
                against=[finding_words(f) for f in c.against],
                snomed_code=mapping.code if mapping else None,
                snomed_term=mapping.term if mapping else None,
                snomed_match=mapping.match if mapping else None,
            )
        )
    return out


def journal(entries: Sequence[JournalEntry], start: date, today: date) -> Journal:
    inside = [e for e in entries if start <= e.day <= today]
    worst = daily_scores(inside, "worst")
    morning = daily_scores(inside, "morning")
    rest = daily_scores(inside, "rest")
    days = [
        PainDay(day=d, worst=worst[d], morning=morning.get(d), rest=rest.get(d))
        for d in sorted(worst)
    ]
    trend = pain_trend(list(inside), today, window_days=14)
    return Journal(
        days=days,
        check_ins=len(inside),
        trend=vocabulary().trend(trend.direction.value).label,
        trend_method=trend.method,
        latest=days[-1] if days else None,
    )


def tried(plan: Plan | None, logs: Sequence[ExerciseLog], entries: Sequence[JournalEntry]) -> Tried:
    """Phases reached so far and the days with prescribed exercises that saw some done."""
    if plan is None:
        return Tried(
            plan_start=None,
            phases=[],
            current_phase=None,
            exercise_days_prescribed=0,
            exercise_days_done=0,
            referral=None,
        )
    done_on: dict[date, set[str]] = {}
    for log in logs:
        if log.sets_done > 0:
            done_on.setdefault(log.day, set()).add(log.exercise_id)
    for entry in entries:
        done_on.setdefault(entry.day, set()).update(entry.exercises_done)
    spans: list[PhaseReached] = []
    prescribed = done = 0
    for day in plan.days:
        if day.status is DayStatus.ahead:
            continue
        if spans and spans[-1].phase == day.phase.value:
            spans[-1] = spans[-1].model_copy(update={"last": day.day})
        else:
            words = vocabulary().phase(day.phase.value).label
            spans.append(
                PhaseReached(phase=day.phase.value, words=words, first=day.day, last=day.day)
            )
        wanted = {t.exercise_id for t in day.tasks if t.exercise_id is not None}
        if wanted:
            prescribed += 1
            done += bool(wanted & done_on.get(day.day, set()))
    referral = None
    if plan.referral is not None:
        # Its reasons are the report's warning signs, listed on their own.
        level = vocabulary().level(plan.referral.level).label
        referral = f"{level} since {day_words(plan.referral.since)}"
    return Tried(
        plan_start=plan.start,
        phases=spans,
        current_phase=plan.phase.value,
        exercise_days_prescribed=prescribed,
        exercise_days_done=done,
        referral=referral,
    )


def _questions(questions: Sequence[str]) -> list[str]:
    # The runner's own words, trimmed; empty lines dropped and the list kept to one page.
    kept = [" ".join(q.split())[:MAX_QUESTION_CHARS] for q in questions]
    return [q for q in kept if q][:MAX_QUESTIONS]


def build_summary(
    *,
    assessment_id: str,
    assessment: Assessment,
    report: TriageReport,
    assessed_at: datetime,
    today: date,
    entries: Sequence[JournalEntry] = (),
    runs: Sequence[RunLike] = (),
    shoes: Sequence[Shoe] = (),
    plan: Plan | None = None,
    exercise_logs: Sequence[ExerciseLog] = (),
    questions: Sequence[str] = (),
    tz: tzinfo = UTC,
    snomed: SnomedTable | None = None,
    correction: Corrected | None = None,
) -> HandoverSummary:
    """The handover summary. `runs` should be all the runner's runs: shoe distances count
    every run, the training table the six weeks; `entries` and logs may be any superset.
    `correction`: how this assessment stands to an emergency the runner corrected."""
    if assessed_at.tzinfo is None:
        raise ValueError("assessed_at must be timezone-aware")
    table = snomed or load_snomed()
    start = window_start(today, WINDOW_WEEKS)
    history = assessment.history
    stated = SURFACE[history.surface] if history and history.surface else None
    open_fields = unasked_safety_fields(report, assessment.to_json_dict())
    return HandoverSummary(
        assessment_id=assessment_id,
        assessed_at=assessed_at.astimezone(tz),  # the day the runner was assessed on
        prepared_on=today,
        window_start=start,
        assessment=assessment,
        level=report.triage.level,
        level_words=LEVEL_WORDS[report.triage.level],
        level_reasons=list(report.triage.reasons),
        report_summary=_summary_text(report, open_fields),
        presentation=presentation(assessment),
        warning_signs=[
            WarningSign(
                id=f.id,
                name=f.name or f.id.replace("_", " "),
                level=f.level,
                level_words=vocabulary().level(f.level).label,
                because=[finding_words(b) for b in f.because],
                advice=f.advice,
            )
            for f in report.red_flags
        ],
        unanswered_safety_questions=_unanswered(report, open_fields, facts_of(assessment)),
        causes=causes(report, table),
        journal=journal(entries, start, today),
        training=training_in(runs, start, today, tz, stated),
        shoes=shoe_rows(shoes, runs, tz),
        tried=tried(plan, exercise_logs, entries),
        questions=_questions(questions),
        disclaimer=report.disclaimer,
        kb_version=report.knowledge_base.version,
        correction=None if correction is None else _correction(correction, tz),
    )


def _correction(correction: Corrected, tz: tzinfo) -> Correction:
    """The corrected emergency as the clinician reads it ("the runner changed ...")."""
    return Correction(
        role=correction.role,
        other_assessment_id=correction.other_id,
        other_assessed_at=correction.other_at,
        text=correction.sentence(tz),
        changes=[
            AnswerChanged(question=c.question, before=c.before, after=c.after, words=c.words)
            for c in correction.changes
        ],
    )


def _unanswered(report: TriageReport, open_fields: list[str], facts: Facts) -> list[str]:
    """Why each open warning-sign question matters, then the other questions left open
    that a warning sign reads, in plain words (worded for the runner's answers, never
    "Since it was an injury" to one who had none): what the clinician should ask first."""
    questions = load_questionnaire()
    why = [q.why for q in report.unanswered_safety_questions]
    named = {q.field for q in report.unanswered_safety_questions}
    rest = [questions.prompt_for(f, facts) for f in open_fields if f not in named]
    return list(dict.fromkeys([*why, *rest]))


def _summary_text(report: TriageReport, open_fields: list[str]) -> str:
    """The report's summary; at self-care with warning-sign questions open, it says that
    a problem needing a clinician cannot be ruled out yet (a blank is "not known")."""
    text = load_knowledge().meta.levels[Level.self_care]
    if report.triage.level is not Level.self_care or not open_fields:
        return report.summary
    if text.action_with_open_questions is None or text.action_with_open_questions in (
        report.summary
    ):
        return report.summary
    return report.summary.replace(text.action, text.action_with_open_questions)


__all__ = ["WINDOW_WEEKS", "build_summary", "presentation"]

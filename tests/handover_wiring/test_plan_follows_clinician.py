"""The recovery plan follows a clinician's confirmed condition and running restriction."""

from __future__ import annotations

from datetime import date

from plan_journals import START, follow, on, report, run_days, steady

from stridewell.plan.model import ClinicianDecision, Phase, TaskKind
from stridewell.plan.rules import load_plan_rules
from stridewell.report import TriageReport
from stridewell.text import day_words


def _achilles_report() -> TriageReport:
    # The questionnaire ranks Achilles tendinopathy first for these answers.
    return report(locations=["achilles"], onset="gradual", pain_timing=["eases_with_warmup"])


def _confirmed(restriction: str = "none", until: date | None = None) -> ClinicianDecision:
    return ClinicianDecision(
        condition_id="plantar_fasciitis",
        restriction=restriction,
        until=until,
        recorded_on=START,
        author="Dr Cora",
    )


def test_a_confirmed_condition_replaces_the_questionnaires_leading_one() -> None:
    questionnaire = _achilles_report()
    assert questionnaire.conditions[0].id != "plantar_fasciitis"
    plan, _ = follow(questionnaire, steady, days=3, clinician=_confirmed())
    assert plan.condition_id == "plantar_fasciitis"
    assert plan.clinician is not None and plan.clinician.author == "Dr Cora"
    without, _ = follow(questionnaire, steady, days=3)
    assert without.condition_id == questionnaire.conditions[0].id and without.clinician is None


def test_other_diagnosis_drops_the_questionnaires_condition() -> None:
    other = ClinicianDecision(
        condition_id=None, condition_text="cuboid syndrome", recorded_on=START, author="Dr Cora"
    )
    plan, _ = follow(_achilles_report(), steady, days=3, clinician=other)
    assert plan.condition_id is None
    assert plan.clinician is not None and plan.clinician.condition_text == "cuboid syndrome"


def test_no_running_until_a_date_leaves_no_run_task_before_it() -> None:
    until = on(20)
    plan, _ = follow(_achilles_report(), steady, days=22, horizon_days=7,
                     clinician=_confirmed("no_running", until))  # fmt: skip
    before = [d for d in plan.days if d.day < until]
    assert before and all(
        t.kind not in (TaskKind.run, TaskKind.test_jog) for d in before for t in d.tasks
    )
    held = [d for d in before if d.rule.id == "clinician.no_running"]
    assert held and all(day_words(until) in d.rule.detail for d in held)
    # Running comes back from that day on, with the pain-free test first, and the
    # wait is not taken for slow recovery (no referral).
    after = [d for d in plan.days if d.day >= until and d.run_minutes()]
    assert after and after[0].phase is Phase.test_jog
    assert plan.referral is None


def test_reduced_running_halves_every_run_and_says_why() -> None:
    pct = load_plan_rules().limits.reduced_running_pct
    assert pct == 50
    free, _ = follow(_achilles_report(), steady, days=20, clinician=_confirmed())
    reduced, _ = follow(_achilles_report(), steady, days=20, clinician=_confirmed("reduced"))
    full, cut = run_days(free), run_days(reduced)
    assert full and cut
    # Half of what the plan gives without the restriction, run for run: the cut does not
    # compound through the single-run cap.
    assert cut == {n: max(1, minutes * pct // 100) for n, minutes in full.items()}
    capped = [d for d in reduced.days if d.rule.id == "clinician.reduced_running"]
    assert capped and "instead of" in capped[0].rule.detail
    assert max(cut.values()) <= max(full.values()) * pct // 100 + 1
    assert load_plan_rules().rules["clinician.reduced_running"].sources

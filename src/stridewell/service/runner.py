"""The services of one runner: everything a page, an API route or a CLI command may do,
bound to that runner when it is built, so no call can reach another runner's data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, tzinfo

from stridewell.service.accounts import AccountService
from stridewell.service.assessments import AssessmentService
from stridewell.service.backend import Backend, Clock
from stridewell.service.clinician import ClinicianService
from stridewell.service.handover import HandoverService
from stridewell.service.journal import JournalService
from stridewell.service.plans import PlanService
from stridewell.service.running import RunningService
from stridewell.service.sharing import SharingService
from stridewell.service.shoes import ShoeService
from stridewell.service.training import TrainingService


@dataclass(frozen=True, slots=True)
class RunnerServices:
    """One runner's services, by area; each holds the store, the clock and the runner."""

    runner_id: str
    clock: Clock
    assessments: AssessmentService
    journal: JournalService
    plans: PlanService
    training: TrainingService
    shoes: ShoeService
    account: AccountService
    sharing: SharingService
    running: RunningService
    handover: HandoverService
    clinician: ClinicianService

    @classmethod
    def build(
        cls, backend: Backend, runner_id: str, open_runner: Callable[[str], RunnerServices]
    ) -> RunnerServices:
        training = TrainingService(backend, runner_id)
        assessments = AssessmentService(backend, runner_id, training)
        # The journal rebuilds the plan after each change; the plan reads the journal.
        journal = JournalService(backend, runner_id, after_change=lambda: plans.refresh())
        plans = PlanService(backend, runner_id, assessments=assessments, journal=journal)
        shoes = ShoeService(backend, runner_id)
        account = AccountService(
            backend,
            runner_id,
            assessments=assessments,
            journal=journal,
            training=training,
            shoes=shoes,
        )
        sharing = SharingService(backend, runner_id, open_runner=open_runner)
        running = RunningService(
            backend, runner_id, plans=plans, journal=journal, assessments=assessments
        )
        return cls(
            runner_id,
            backend.clock,
            assessments,
            journal,
            plans,
            training,
            shoes,
            account,
            sharing,
            running,
            HandoverService(
                backend, runner_id, assessments=assessments, journal=journal, plans=plans
            ),
            ClinicianService(backend, runner_id, open_runner=open_runner),
        )

    def zone(self) -> tzinfo:
        """The runner's time zone: their own, else the machine's (``account.set_zone``)."""
        return self.account.zone()

    def today(self) -> date:
        """Today's date where the runner is (in their time zone)."""
        return self.clock().astimezone(self.zone()).date()

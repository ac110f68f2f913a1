"""``Store``: the one door to the database for the rest of Stridewell.

Callers pass plain values in and get frozen dataclasses (``records``) back; no ORM object
or SQLAlchemy exception escapes. Every write runs in a single transaction. Each area has
its repository, an attribute of the store: ``store.assessments``, ``store.journal``,
``store.plans``, ``store.exercises``, ``store.activities``, ``store.files``,
``store.shoes``, ``store.accounts`` and ``store.running``.
"""

from __future__ import annotations

from stridewell.storage.account_repo import AccountRepository
from stridewell.storage.activity_repo import ActivityRepository
from stridewell.storage.assessment_repo import AssessmentRepository
from stridewell.storage.clinician_repo import ClinicianNoteRepository
from stridewell.storage.core import StoreCore
from stridewell.storage.demo_repo import DemoRepository
from stridewell.storage.exercise_repo import ExerciseRepository
from stridewell.storage.import_files_repo import ImportFileRepository, ImportJobRepository
from stridewell.storage.journal_repo import JournalRepository
from stridewell.storage.limiter_repo import LimiterRepository
from stridewell.storage.originals_repo import StoredFileRepository
from stridewell.storage.plan_repo import PlanRepository
from stridewell.storage.running_repo import RunningPlanRepository
from stridewell.storage.shoe_repo import ShoeRepository
from stridewell.storage.token_repo import TokenRepository


class Store(StoreCore):
    """Persistence for runners' assessments, pain journals, recovery plans, exercise
    logs, imported activities and source files, shoes, and their accounts, sessions and
    shares with coaches, on SQLite (default) or PostgreSQL.

    Use as a context manager, or call ``close()``, to release the connection pool.
    Reads of another runner's records find nothing (None, [] or False), exactly as for
    ids that do not exist, so a runner cannot learn what others have stored.
    """

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.assessments = AssessmentRepository(self)
        self.journal = JournalRepository(self)
        self.plans = PlanRepository(self)
        self.exercises = ExerciseRepository(self)
        self.activities = ActivityRepository(self)
        self.files = ImportFileRepository(self)
        self.import_jobs = ImportJobRepository(self)
        self.stored_files = StoredFileRepository(self)
        self.shoes = ShoeRepository(self)
        self.accounts = AccountRepository(self)
        self.limiter = LimiterRepository(self)
        self.tokens = TokenRepository(self)
        self.clinician = ClinicianNoteRepository(self)
        self.running = RunningPlanRepository(self)
        self.demo = DemoRepository(self)

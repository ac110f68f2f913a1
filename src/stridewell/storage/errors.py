"""Errors raised by the storage package, in Stridewell's one hierarchy
(``stridewell.errors``): a missing runner is a ``NotFound``, a taken email a
``Conflict``, anything else a ``StorageUnavailable``.

Kept free of SQLAlchemy so that the CLI and the web app can catch storage failures
without paying for (or depending on) the database libraries.
"""

from __future__ import annotations

from stridewell.errors import Conflict, NotFound, StorageUnavailable

UPGRADE_HINT = "run `stridewell db upgrade`"


class StorageError(StorageUnavailable):
    """Base class for every error the storage package raises on purpose."""


class DatabaseNotInitialised(StorageError):
    """The database has no schema yet, or an older one than this code expects."""

    def __init__(self, current_revision: str | None, expected_revision: str) -> None:
        self.current_revision = current_revision
        self.expected_revision = expected_revision
        if current_revision is None:
            state = "has not been initialised"
        else:
            state = f"is at schema revision {current_revision}, expected {expected_revision}"
        super().__init__(f"The Stridewell database {state}; {UPGRADE_HINT} first.")


class UnknownSchemaRevision(StorageError):
    """The database was migrated by a newer Stridewell than the one running now."""

    def __init__(self, current_revision: str) -> None:
        self.current_revision = current_revision
        super().__init__(
            f"The Stridewell database is at schema revision {current_revision}, which this "
            "version of Stridewell does not know; upgrade Stridewell."
        )


class UnknownRunner(NotFound, StorageError):
    """A write referred to a runner that does not exist."""

    def __init__(self, runner_id: str) -> None:
        self.runner_id = runner_id
        super().__init__(f"No runner with id {runner_id!r}.")


class UnknownAssessment(NotFound, StorageError):
    """A write referred to an assessment that does not exist or is another runner's.

    The two cases read the same on purpose: the message must not reveal that another
    runner has an assessment with that id.
    """

    def __init__(self, assessment_id: str) -> None:
        self.assessment_id = assessment_id
        super().__init__(f"No assessment with id {assessment_id!r}.")


class DatabaseError(StorageError):
    """The database failed in a way the caller cannot fix by changing its input.

    The original driver error is chained as ``__cause__`` for logs and debugging.
    """


class UnknownShoe(NotFound, StorageError):
    """A write referred to a shoe that does not exist or is another runner's.

    As for assessments, the two cases read the same on purpose.
    """

    def __init__(self, shoe_id: str) -> None:
        self.shoe_id = shoe_id
        super().__init__(f"No shoe with id {shoe_id!r}.")


class EmailTaken(Conflict, StorageError):
    """An account with this email (compared lower-cased) already exists.

    The message names no email, so it can be shown or logged as is.
    """

    def __init__(self) -> None:
        super().__init__("An account with this email already exists.")

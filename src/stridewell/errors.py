"""Every error Stridewell reports to a person, and the one table that translates them
into exit codes (CLI) and HTTP statuses (web).

One hierarchy: storage errors (``stridewell.storage.errors``) derive from these classes
too, so callers catch ``NotFound`` or ``Conflict`` whichever layer raised it, and the
table below needs no knowledge of the layers.
"""

from __future__ import annotations


class StridewellError(Exception):
    """Base of every error Stridewell reports to a person."""


class InvalidInput(StridewellError):
    """Input that breaks the contract; the message names the field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(StridewellError):
    """No such thing for this runner (another runner's things read as missing too)."""


class Forbidden(StridewellError):
    """Signed in, but this account may not do that."""


class Conflict(StridewellError):
    """The request clashes with what is stored (an email already taken)."""


class Unauthorized(StridewellError):
    """Not signed in, or wrong email or password (which of the two is not said)."""


class TooManyRequests(StridewellError):
    """Too many attempts in a short time; ``retry_after`` says how many seconds to wait."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class KnowledgeBaseError(StridewellError):
    """The packaged knowledge base is broken: a bug, never the runner's fault."""


class StorageUnavailable(StridewellError):
    """The database cannot do what was asked (not set up, unreachable, failing)."""


# The one translation: (exit code, HTTP status) by class; a subclass takes the entry of
# its first listed ancestor (``UnknownRunner(NotFound, StorageError)`` is a NotFound).
CODES: dict[type[StridewellError], tuple[int, int]] = {
    InvalidInput: (2, 422),
    NotFound: (3, 404),
    Forbidden: (4, 403),
    Conflict: (5, 409),
    Unauthorized: (6, 401),
    TooManyRequests: (7, 429),
    KnowledgeBaseError: (70, 500),
    StorageUnavailable: (75, 503),
    StridewellError: (1, 500),
}
UNEXPECTED = (1, 500)


def codes_for(exc: BaseException) -> tuple[int, int]:
    """Exit code and HTTP status of an error (a crash for anything not ours)."""
    for cls in type(exc).__mro__:
        if cls in CODES:
            return CODES[cls]
    return UNEXPECTED


def exit_code_for(exc: BaseException) -> int:
    return codes_for(exc)[0]


def http_status_for(exc: BaseException) -> int:
    return codes_for(exc)[1]


def is_reportable(exc: BaseException) -> bool:
    """Errors whose message is meant for a person (not a crash with a traceback)."""
    return isinstance(exc, StridewellError)

"""Domain errors, and the one place that maps them to exit codes and HTTP statuses."""

from __future__ import annotations


class StridewellError(Exception):
    """Base of every error Stridewell reports to a person."""

    exit_code = 1
    http_status = 500


class InvalidInput(StridewellError):
    """Input that breaks the contract; the message names the field."""

    exit_code = 2
    http_status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(StridewellError):
    exit_code = 3
    http_status = 404


class Forbidden(StridewellError):
    exit_code = 4
    http_status = 403


class Conflict(StridewellError):
    exit_code = 5
    http_status = 409


class Unauthorized(StridewellError):
    """Not signed in, or wrong email or password (which of the two is not said)."""

    exit_code = 6
    http_status = 401


class TooManyRequests(StridewellError):
    """Too many attempts in a short time; ``retry_after`` says how many seconds to wait."""

    exit_code = 7
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class KnowledgeBaseError(StridewellError):
    """The packaged knowledge base is broken: a bug, never the runner's fault."""

    exit_code = 70
    http_status = 500


class StorageUnavailable(StridewellError):
    exit_code = 75
    http_status = 503


def _storage_codes(exc: BaseException) -> tuple[int, int] | None:
    """Exit code and HTTP status of a storage error (storage keeps its own hierarchy)."""
    from stridewell.storage import errors as storage

    if isinstance(exc, storage.UnknownRunner | storage.UnknownAssessment | storage.UnknownShoe):
        return NotFound.exit_code, NotFound.http_status
    if isinstance(exc, storage.EmailTaken):
        return Conflict.exit_code, Conflict.http_status
    if isinstance(exc, storage.StorageError):
        return StorageUnavailable.exit_code, StorageUnavailable.http_status
    return None


def exit_code_for(exc: BaseException) -> int:
    if isinstance(exc, StridewellError):
        return exc.exit_code
    codes = _storage_codes(exc)
    return codes[0] if codes else 1


def http_status_for(exc: BaseException) -> int:
    if isinstance(exc, StridewellError):
        return exc.http_status
    codes = _storage_codes(exc)
    return codes[1] if codes else 500


def is_reportable(exc: BaseException) -> bool:
    """Errors whose message is meant for a person (not a crash with a traceback)."""
    from stridewell.storage.errors import StorageError

    return isinstance(exc, StridewellError | StorageError)

"""Every error Stridewell reports to a person, and the one table that translates them
into exit codes (CLI) and HTTP statuses (web).

One hierarchy: storage errors (``stridewell.storage.errors``) derive from these classes
too, so callers catch ``NotFound`` or ``Conflict`` whichever layer raised it, and the
table below needs no knowledge of the layers.
"""

from __future__ import annotations

from collections.abc import Mapping


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


def field_message(field: str | None, problem: str) -> str:
    """'Pain at rest: must be 10 or less': the field as the vocabulary names it, or by its
    id where it has no label (an assessment field of the JSON contract, say)."""
    if not field or field in ("(root)", "(body)"):
        return problem
    from stridewell.knowledge.vocabulary import vocabulary

    label = vocabulary().input_field(field)
    return f"{label}: {problem}" if label else f"field '{field}': {problem}"


# Pydantic's error types in plain words, with its limits filled in (ctx).
_PROBLEMS: dict[str, str] = {
    "less_than_equal": "must be {le} or less",
    "less_than": "must be less than {lt}",
    "greater_than_equal": "must be {ge} or more",
    "greater_than": "must be more than {gt}",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "bool_parsing": "must be yes or no",
    "date_parsing": "must be a date (year-month-day)",
    "date_from_datetime_parsing": "must be a date (year-month-day)",
    "date_type": "must be a date (year-month-day)",
    "missing": "is needed",
    "extra_forbidden": "is not a field this takes",
    "string_too_long": "is too long (at most {max_length} characters)",
    "string_too_short": "is too short",
    "enum": "must be one of {expected}",
    "literal_error": "must be one of {expected}",
}


def validation_problem(error_type: str, message: str, ctx: Mapping[str, object] | None) -> str:
    """One validation error (pydantic's type, message and limits) in plain words."""
    template = _PROBLEMS.get(error_type)
    if template is not None:
        try:
            return template.format(**(ctx or {}))
        except (KeyError, IndexError, ValueError):
            pass
    return message.removeprefix("Value error, ")

"""The one exception the importers raise: a file set aside, with a reason a person can read."""

from __future__ import annotations


class ImportProblem(Exception):
    """A file (or archive member) that could not be imported.

    ``reason`` names the problem in plain words ("FIT file is truncated at byte 1234
    (expected 5678)", "not an activity: FIT file type is 'settings'"); ``source`` is the
    file or member name when the caller knows it. Every parser turns unexpected exceptions
    into this one, so callers never need a bare ``except Exception``.
    """

    def __init__(self, reason: str, source: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}" if self.source else self.reason

    def with_source(self, source: str) -> ImportProblem:
        """The same problem, naming the file it came from (keeps the first name given)."""
        return self if self.source else ImportProblem(self.reason, source)


OUT_OF_MEMORY = "needs more memory to read than a decoder may use: set aside"


class NotAnActivityFile(ImportProblem):
    """A file of another type found in a folder or archive: listed in the report, not read."""

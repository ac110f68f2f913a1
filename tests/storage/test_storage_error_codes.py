"""Storage errors are in Stridewell's one error hierarchy, and one table translates them."""

from __future__ import annotations

import pytest

from stridewell.errors import Conflict, NotFound, StorageUnavailable, codes_for, is_reportable
from stridewell.storage.errors import (
    DatabaseError,
    DatabaseNotInitialised,
    EmailTaken,
    UnknownAssessment,
    UnknownRunner,
    UnknownShoe,
)


@pytest.mark.parametrize(
    ("error", "family", "codes"),
    [
        (UnknownRunner("r"), NotFound, (3, 404)),
        (UnknownAssessment("a"), NotFound, (3, 404)),
        (UnknownShoe("s"), NotFound, (3, 404)),
        (EmailTaken(), Conflict, (5, 409)),
        (DatabaseError("down"), StorageUnavailable, (75, 503)),
        (DatabaseNotInitialised(None, "0009"), StorageUnavailable, (75, 503)),
    ],
)
def test_a_storage_error_is_caught_and_translated_as_its_domain_family(
    error: Exception, family: type[Exception], codes: tuple[int, int]
) -> None:
    assert isinstance(error, family)
    assert is_reportable(error)
    assert codes_for(error) == codes


def test_an_error_that_is_not_ours_is_a_crash() -> None:
    assert not is_reportable(ValueError("bug"))
    assert codes_for(ValueError("bug")) == (1, 500)

"""Where the tests find their data: everything lives in this repository.

The project's shared folder (`../shared`, beside a developer's checkout) is the source of
the contract and the development vignettes. A user's clone does not have it, so the tests
read the repository's copies; `test_shared_mirror.py` checks them against the source when
the source is there.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"

CONTRACT_PAGE = REPO / "docs" / "contract.md"
CONTRACT_SCHEMA = Path(str(files("stridewell").joinpath("assessment.schema.json")))
DEV_VIGNETTES = TESTS / "vignettes" / "dev.yaml"
ACTIVITY_FILES = TESTS / "data" / "activity-files"

_shared = REPO.parent / "shared"
# None in a user's clone: only the domain-brief test and the mirror check need it.
SHARED: Path | None = _shared if (_shared / "contract").is_dir() else None

# Three FIT files of the shared collection may not be passed on (tests/data/activity-files/
# README.md): they are tested only where the shared folder is beside the checkout, and there
# the shared folder, the source of the repository's copies, is read.
NOT_REDISTRIBUTED = frozenset(
    {"ActivityDevFields.fit", "HrmPluginTestActivity.fit", "WithGearChangeData.fit"}
)
REAL_ACTIVITY_FILES = SHARED / "activity-files" if SHARED is not None else ACTIVITY_FILES


def available(names: Iterable[str]) -> list[str]:
    """The names of a table of real files that this checkout has, sorted."""
    return sorted(n for n in names if SHARED is not None or n not in NOT_REDISTRIBUTED)

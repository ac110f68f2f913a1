"""Shared paths for the activity importer tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# The real files live beside the clone (../shared/activity-files), never in the package.
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "activity-files"

# synthetic.py is a helper module next to the tests, imported by name.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"real activity files not found at {SHARED}")
    return SHARED

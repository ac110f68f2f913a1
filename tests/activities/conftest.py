"""Shared fixtures for the activity importer tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from repo_paths import REAL_ACTIVITY_FILES

HERE = Path(__file__).resolve().parent

# synthetic.py is a helper module next to the tests, imported by name.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The folder of real activity files (fit/, gpx/, tcx/)."""
    return REAL_ACTIVITY_FILES

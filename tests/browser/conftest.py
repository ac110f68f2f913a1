"""Fixtures of the browser tests: one Chromium and one seeded server of each kind for the
whole run (per xdist worker); the tests that write to them only add (assessments, an
import), so every test still finds what was seeded.

(test_browser_flows.py keeps its own unseeded servers: its flows start from nothing.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Seeded, seed_club, seed_single, serve


@pytest.fixture(scope="session")
def chromium(shared_chromium: Any) -> Any:
    """The one Chromium of the run (tests/conftest.py): Playwright's sync API allows one
    instance a thread."""
    return shared_chromium


@pytest.fixture(scope="session")
def browser(chromium: Any) -> Any:
    return chromium


@pytest.fixture(scope="session")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """One person, no sign-in: heel pain with a plan, a stress fracture, an emergency."""
    data_dir = tmp_path_factory.mktemp("seeded-data")
    seeded = seed_single(data_dir)
    for base in serve(data_dir, [], upgrade=False):
        seeded.base = base
        yield seeded


@pytest.fixture(scope="session")
def seeded_club(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """Accounts: a runner who shares with a coach, one with a running plan, the coach."""
    data_dir = tmp_path_factory.mktemp("seeded-club")
    seeded = seed_club(data_dir)
    for base in serve(data_dir, ["--multi-user"], upgrade=False):
        seeded.base = base
        yield seeded

"""Shared test fixtures: every test gets its own data folder, never the user's."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]

# Starlette's TestClient sends "Host: testserver": one more name the app answers to (set
# at import, so that module-scoped fixtures building an app see it too).
os.environ["STRIDEWELL_ALLOWED_HOSTS"] = "testserver"


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "stridewell-data"
    data.mkdir()
    monkeypatch.setenv("STRIDEWELL_DATA_DIR", str(data))
    # The knowledge files' parse cache too: tests never write to the user's cache.
    monkeypatch.setenv("STRIDEWELL_CACHE_DIR", str(tmp_path / "stridewell-cache"))
    monkeypatch.delenv("STRIDEWELL_DATABASE_URL", raising=False)
    yield data


CHROMIUM = Path("/usr/bin/chromium")


def browser_unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests may not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_chromium() -> Iterator[Any]:
    """The run's one headless Chromium (per xdist worker), for the browser tests of every
    folder. Playwright's sync API runs one instance per thread: a second one started
    while the first lives fails ("using Playwright Sync API inside the asyncio loop"),
    so no test module may start its own."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("playwright is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        browser_unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()

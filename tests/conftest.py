"""Shared test fixtures: every test gets its own data folder, never the user's."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

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

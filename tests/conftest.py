"""Shared test fixtures: every test gets its own data folder, never the user's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "stridewell-data"
    data.mkdir()
    monkeypatch.setenv("STRIDEWELL_DATA_DIR", str(data))
    monkeypatch.delenv("STRIDEWELL_DATABASE_URL", raising=False)
    yield data

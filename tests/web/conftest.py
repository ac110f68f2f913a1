"""Fixtures for the web pages: the app in process on a migrated SQLite file."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stridewell.service import Stridewell
from stridewell.web.app import create_app

HIDDEN = re.compile(r'<input type="hidden" name="([\w.]+)" value="([^"]*)">')


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    service = Stridewell(f"sqlite:///{(tmp_path / 'web.db').as_posix()}")
    service.upgrade_database()
    with TestClient(create_app(service)) as test_client:
        yield test_client
    service.close()


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of the first form on a page (token, carried answers)."""
    return {name: html.unescape(value) for name, value in HIDDEN.findall(page)}


def walk_assessment(client: TestClient, wanted: dict[str, Any]) -> tuple[str, list[str]]:
    """Answer every question page from ``wanted`` (field -> form value or list), leaving
    the rest empty (not sure); returns the report URL and the fields asked, in order."""
    page = client.get("/assess")
    assert page.status_code == 200
    asked: list[str] = []
    for _ in range(20):
        fields = hidden_fields(page.text)
        names = [f for f in fields["page_fields"].split(",") if f]
        asked += names
        data: dict[str, Any] = dict(fields)
        for name in names:
            value = wanted.get(name)
            if isinstance(value, list):
                data[name] = value
            elif value is not None:
                data[name] = str(value)
        page = client.post("/assess", data=data, follow_redirects=False)
        if page.status_code == 303:
            return page.headers["location"], asked
        assert page.status_code == 200, page.text
    raise AssertionError("the questionnaire did not end")

"""Helpers for the web page tests: read a page's hidden fields, walk the questionnaire.

A module of its own (not conftest) so that tests import it by a name no other test
folder uses.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

HIDDEN = re.compile(r'<input type="hidden" name="([\w.]+)" value="([^"]*)">')


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


class Clock:
    """A clock a test can move: `clock.now += timedelta(...)`."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

"""The REST API, in process, against a real SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from repo_paths import DEV_VIGNETTES
from stridewell.service import Stridewell
from stridewell.web.app import create_app

VIGNETTES = yaml.safe_load(DEV_VIGNETTES.read_text())


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    service = Stridewell(f"sqlite:///{tmp_path / 'api.db'}")
    service.upgrade_database()
    with TestClient(create_app(service), headers={"Origin": "http://testserver"}) as test_client:
        yield test_client
    service.close()


def test_post_assessment_returns_the_report_and_get_reads_it_back(client: TestClient) -> None:
    case = VIGNETTES[4]
    posted = client.post("/api/v1/assessments", json=case["assessment"])
    assert posted.status_code == 201
    body = posted.json()
    assert body["triage"]["level"] == case["expect"]["triage"]
    assert body["conditions"][0]["id"] == case["expect"]["condition"]
    assert posted.headers["location"] == f"/api/v1/assessments/{body['id']}"
    got = client.get(posted.headers["location"])
    assert got.status_code == 200
    assert got.json()["triage"] == body["triage"]
    assert got.json()["assessment"]["locations"] == case["assessment"]["locations"]
    listed = client.get("/api/v1/assessments").json()
    assert [row["id"] for row in listed] == [body["id"]]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"locations": ["heel_bottom"], "unexpected": 1}, "unexpected"),
        ({"locations": ["heel_bottom"], "sex": "unknown"}, "sex"),
        ({"locations": ["heel_bottom"], "age": 200}, "age"),
        ({"locations": ["heel_bottom"], "history": {"shoe_km": -5}}, "history.shoe_km"),
        ({"locations": ["wrist"]}, "locations.0"),
    ],
)
def test_bad_input_gets_422_naming_the_field(
    client: TestClient, data: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/assessments", json=data)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    assert client.get("/api/v1/assessments").json() == [], "nothing is stored on bad input"


def test_unknown_assessment_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/assessments/nope")
    assert response.status_code == 404
    assert "nope" in response.json()["error"]["message"]


def test_openapi_describes_the_assessment_contract(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/assessments" in spec["paths"]
    schema = spec["components"]["schemas"]["Assessment"]
    assert "locations" in schema["required"]


def test_home_page_lists_recent_assessments(client: TestClient) -> None:
    client.post("/api/v1/assessments", json=VIGNETTES[0]["assessment"])
    page = client.get("/")
    assert page.status_code == 200
    assert "Stridewell" in page.text and "soon" in page.text


def test_triage_endpoint_does_not_store(client: TestClient) -> None:
    response = client.post("/api/v1/triage", json=VIGNETTES[1]["assessment"])
    assert response.status_code == 200
    assert client.get("/api/v1/assessments").json() == []


def test_knowledge_endpoint_lists_version_and_citations(client: TestClient) -> None:
    body = client.get("/api/v1/knowledge").json()
    assert body["version"] and body["citations"]

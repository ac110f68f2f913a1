"""The OpenAPI document describes every response body of the REST API."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from stridewell.service import Stridewell
from stridewell.web.app import create_app


def _undocumented(document: dict[str, dict[str, dict[str, object]]]) -> list[str]:
    """Operations with no 2xx response whose content has a schema (204: no body, fine)."""
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert isinstance(operation, dict)
            responses = operation["responses"]
            success = {code: r for code, r in responses.items() if code.startswith("2")}
            if "204" in success:
                continue
            schemas = [
                media.get("schema")
                for response in success.values()
                for media in response.get("content", {}).values()
            ]
            if not any(schemas):  # FastAPI writes {} for a route without a response model
                missing.append(f"{method.upper()} {path}")
    return missing


def test_every_api_route_has_a_2xx_response_schema(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    api_operations = [p for p in document["paths"] if p.startswith("/api/v1/")]
    assert len(api_operations) >= 20
    assert _undocumented(document) == []


def test_a_route_without_a_response_model_is_caught(tmp_path: Path) -> None:
    app = create_app(Stridewell(f"sqlite:///{(tmp_path / 'unused.db').as_posix()}"))

    @app.get("/api/v1/untyped", response_model=None)
    def untyped() -> dict[str, bool]:
        return {"anything": True}

    document = TestClient(app).get("/openapi.json").json()
    assert _undocumented(document) == ["GET /api/v1/untyped"]

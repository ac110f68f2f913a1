"""Schemathesis over the OpenAPI document, in process, on SQLite and on PostgreSQL:
whatever a client sends that the schema allows (and much that it does not: NUL, lone
surrogates, huge numbers, ancient dates), no operation may answer with a server error.

The examples per operation are bounded (``EXAMPLES``) and derandomised, so the run is the
same every time and the whole suite stays within about a minute on both databases. The
requests carry an API token of the local runner, as a script would: writes are tried,
not refused by the same-origin check.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings

from pg_schemas import postgres_schema_url
from stridewell.service import Stridewell
from stridewell.web.app import create_app

EXAMPLES = int(os.environ.get("STRIDEWELL_FUZZ_EXAMPLES", "12"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
# Every request of the run, by backend: (operation, status); printed with -s at the end.
SEEN: dict[str, list[tuple[str, int]]] = {"sqlite": [], "postgres": []}


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    """The run's figures, shown with ``pytest -s`` (per process under xdist)."""
    yield
    for backend, seen in SEEN.items():
        if seen:
            operations = len({label for label, _ in seen})
            errors = sum(status >= 500 for _, status in seen)
            print(
                f"\nfuzz {backend}: {operations} operations, {len(seen)} requests, "
                f"{errors} server errors"
            )


def _app(url: str) -> tuple[FastAPI, Stridewell, str]:
    service = Stridewell(url)
    service.upgrade_database()
    local = service.local()
    local.assessments.assess({"locations": ["heel_bottom"]})
    local.shoes.add({"brand": "Acme", "model": "Fuzz"})
    token = local.account.tokens.create("fuzz").secret
    return create_app(service), service, token


@pytest.fixture(scope="module")
def sqlite_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, str]]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    app, service, token = _app(f"sqlite:///{path.as_posix()}")
    yield app, token
    service.close()


@pytest.fixture(scope="module")
def postgres_app() -> Iterator[tuple[FastAPI, str]]:
    with postgres_schema_url() as url:
        app, service, token = _app(url)
        yield app, token
        service.close()


@pytest.fixture(scope="module")
def sqlite_schema(sqlite_app: tuple[FastAPI, str]) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", sqlite_app[0])


@pytest.fixture(scope="module")
def postgres_schema(postgres_app: tuple[FastAPI, str]) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", postgres_app[0])


def _labels() -> list[str]:
    """Every operation of the OpenAPI document (read from an app on a scratch database:
    producing the document touches no database)."""
    app = create_app(Stridewell("sqlite:///:memory:"))
    return sorted(
        f"{method.upper()} {path}"
        for path, item in app.openapi()["paths"].items()
        for method in item
    )


OPERATIONS = _labels()


def _fuzz(schema: schemathesis.BaseSchema, label: str, token: str, backend: str) -> None:
    method, path = label.split(" ", 1)
    operation = schema[path][method]

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy())
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        SEEN[backend].append((label, response.status_code))
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} answered {response.status_code}: "
            f"{response.text[:500]}"
        )

    before = len(SEEN[backend])
    run()
    assert len(SEEN[backend]) > before, f"{label}: no request was made"


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_operation_answers_a_server_error_on_sqlite(
    label: str, sqlite_app: tuple[FastAPI, str], sqlite_schema: schemathesis.BaseSchema
) -> None:
    _fuzz(sqlite_schema, label, sqlite_app[1], "sqlite")


@pytest.mark.postgres
@pytest.mark.parametrize("label", OPERATIONS)
def test_no_operation_answers_a_server_error_on_postgres(
    label: str, postgres_app: tuple[FastAPI, str], postgres_schema: schemathesis.BaseSchema
) -> None:
    _fuzz(postgres_schema, label, postgres_app[1], "postgres")

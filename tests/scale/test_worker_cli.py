"""`stridewell worker` and `stridewell db upgrade` for the import queue."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from pg_schemas import postgres_schema_url
from stridewell.cli.main import app
from stridewell.jobs.queue import conninfo


def test_a_worker_on_sqlite_says_plainly_that_none_is_needed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'one.db'}"
    done = CliRunner().invoke(app, ["worker"], env={"STRIDEWELL_DATABASE_URL": url})
    assert done.exit_code == 2
    assert "imports run in the app itself and no worker is needed" in done.output


@pytest.mark.postgres
def test_db_upgrade_on_postgresql_makes_the_import_queue() -> None:
    with postgres_schema_url() as url:
        done = CliRunner().invoke(app, ["db", "upgrade"], env={"STRIDEWELL_DATABASE_URL": url})
        assert done.exit_code == 0, done.output
        with psycopg.connect(conninfo(url)) as connection:
            found = connection.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
        assert found is not None and found[0] is not None
        again = CliRunner().invoke(app, ["db", "upgrade"], env={"STRIDEWELL_DATABASE_URL": url})
        assert again.exit_code == 0, again.output  # a second upgrade leaves the queue be

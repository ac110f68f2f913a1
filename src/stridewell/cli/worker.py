"""`stridewell worker`: run imports queued by the web app and the API (PostgreSQL only).

Start as many as you like, on any machine that reaches the database; each takes the next
job. A worker stopped with SIGINT or SIGTERM finishes its running job first; one killed
outright leaves its job to the others, which take it up after ``--stalled-after`` seconds.
"""

from __future__ import annotations

from typing import Annotated

import typer

from stridewell.cli.errors import reports_errors


def register(app: typer.Typer) -> None:
    app.command()(reports_errors(worker))


def worker(
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, help="Imports this worker runs at once.")
    ] = 1,
    heartbeat: Annotated[
        float, typer.Option(min=0.1, help="Seconds between the worker's signs of life.")
    ] = 10.0,
    stalled_after: Annotated[
        float,
        typer.Option(
            min=0.5,
            help="Seconds without a sign of life after which a worker counts as gone, "
            "and its jobs are handed to another.",
        ),
    ] = 30.0,
    nice: Annotated[
        int,
        typer.Option(
            min=0,
            max=19,
            help="CPU priority to lower the worker to (0 keeps it; 19 is the lowest): "
            "an import then takes only the cores that pages leave free.",
        ),
    ] = 10,
) -> None:
    """Run queued imports (PostgreSQL only: with SQLite, imports run in the app itself)."""
    from stridewell.cli.services import open_stridewell

    url = open_stridewell().database_url
    if not url.startswith("postgresql"):
        typer.echo(
            "A worker needs a PostgreSQL database (STRIDEWELL_DATABASE_URL): with SQLite, "
            "imports run in the app itself and no worker is needed.",
            err=True,
        )
        raise typer.Exit(2)
    from stridewell.cpu_priority import lower_process
    from stridewell.jobs.queue import run_worker

    lowered = lower_process(nice)
    priority = f", {' and '.join(lowered)}" if lowered else ""
    typer.echo(f"Stridewell worker: running queued imports (concurrency {concurrency}{priority}).")
    run_worker(url, concurrency=concurrency, heartbeat=heartbeat, stalled_after=stalled_after)

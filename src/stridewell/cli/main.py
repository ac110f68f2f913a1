"""The `stridewell` command. Thin: it parses arguments and calls the service facade.

Heavy imports (the web stack, SQLAlchemy, Rich rendering) happen inside the commands
that need them, so `stridewell --help` and `stridewell assess --json` start fast.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from stridewell import __version__
from stridewell.cli import handover, recovery, run_plan, settings, tokens, training, worker
from stridewell.cli.errors import reports_errors
from stridewell.cli.services import local_runner, open_stridewell

if TYPE_CHECKING:
    from stridewell.service.assessments import AssessmentService

app = typer.Typer(
    name="stridewell",
    help="Stridewell: foot-pain triage, recovery and training load for runners.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Set up and inspect the database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.command()
@reports_errors
def assess(
    json_source: Annotated[
        str | None,
        typer.Option(
            "--json",
            metavar="FILE|-",
            help="Read the assessment as JSON from FILE (or - for standard input) "
            "and print the triage report as JSON.",
        ),
    ] = None,
    save: Annotated[bool, typer.Option(help="Store the assessment and its report.")] = True,
) -> None:
    """Assess foot pain: an interactive questionnaire, or a JSON assessment with --json."""
    if json_source is not None:
        from stridewell.cli.assess_json import assess_json

        assess_json(json_source, save=save, service=open_stridewell())
        return
    from stridewell.cli.interactive import run_questionnaire

    run_questionnaire(open_stridewell(), save=save)


@app.command()
@reports_errors
def history(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many to list.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List past assessments, newest first."""
    runner = local_runner()
    records = runner.assessments.history(limit=limit)
    if as_json:
        rows = [
            {
                "id": r.id,
                "created_at": r.created_at.isoformat(),
                "level": r.level,
                "top_condition": r.top_condition,
                "kb_version": r.kb_version,
                "corrects": r.corrects_id,
                "corrected_by": r.corrected_by_id,
            }
            for r in records
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    from stridewell.cli.render import history_table

    history_table(records, zone=runner.zone())


@app.command()
@reports_errors
def show(
    assessment_id: Annotated[str, typer.Argument(help="The id from `stridewell history`.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Show a stored assessment's triage report (a unique start of the id will do)."""
    runner = local_runner()
    assessments = runner.assessments
    record = assessments.get(_full_assessment_id(assessments, assessment_id))
    if as_json:
        sys.stdout.write(json.dumps(record.report, indent=2, ensure_ascii=False) + "\n")
        return
    from stridewell.cli.render import print_report
    from stridewell.contract import TriageReport

    print_report(TriageReport.model_validate(record.report), assessment=record.assessment)
    correction = assessments.correction(record)
    if correction is not None:  # an emergency the runner corrected, or its correction
        from rich.console import Console

        console = Console()
        console.print(correction.sentence(runner.zone(), runner=True), style="bold")
        for change in correction.changes:
            console.print(f"  {change.words}")


def _full_assessment_id(assessments: AssessmentService, prefix: str) -> str:
    from stridewell.errors import InvalidInput, NotFound

    prefix = prefix.strip().lower()
    if len(prefix) >= 32:
        return prefix
    ids = [r.id for r in assessments.history(limit=100_000) if r.id.startswith(prefix)]
    if not ids or not prefix:
        raise NotFound(f"no assessment with id '{prefix}'")
    if len(ids) > 1:
        raise InvalidInput(f"'{prefix}' matches several assessments: give more of the id")
    return str(ids[0])


@db_app.command("upgrade")
@reports_errors
def db_upgrade() -> None:
    """Create the database or migrate it to the newest schema."""
    service = open_stridewell()
    service.upgrade_database()
    if service.database_url.startswith("postgresql"):
        from stridewell.jobs.queue import ensure_queue_schema  # the import jobs' queue

        ensure_queue_schema(service.database_url)
    typer.echo(f"database ready: {_redacted(service.database_url)}")


@db_app.command("current")
@reports_errors
def db_current() -> None:
    """Print the database location and its schema revision."""
    service = open_stridewell()
    revision = service.current_revision()
    typer.echo(f"{_redacted(service.database_url)} at revision {revision or '(none)'}")


def _redacted(url: str) -> str:
    """A database URL without its password, for printing."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


@app.command()
@reports_errors
def demo(
    if_empty: Annotated[
        bool,
        typer.Option("--if-empty", help="Only add the demo to a database nobody has used yet."),
    ] = False,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the demo data.")] = False,
) -> None:
    """Add made-up example data, kept apart from yours in a demo runner (or --remove it)."""
    from stridewell.demo import add_demo, remove_demo

    service = open_stridewell()
    if remove:
        removed, earlier = remove_demo(service)
        typer.echo("demo data: removed" if removed else "demo data: there was none")
        if earlier:
            typer.echo("also deleted from your own records: the demo shoe (Demo Cruiser) an "
                       "earlier version put there; its runs now count for no pair")  # fmt: skip
        return
    added = add_demo(service, only_if_unused=if_empty)
    # The commands here show your own data only: say where the demo can be seen.
    where = (
        'See it in the web app: run `stridewell serve` and choose "Look at the demo" on '
        "Home. The other commands here show your own data only; remove the demo with --remove."
    )
    if added:
        typer.echo(
            f"demo data: {added} assessments, a recovery plan with check-ins and shoes, "
            "for a demo runner kept apart from your own data."
        )
        typer.echo(where)
    elif service.demo.exists():
        typer.echo("demo data: already there.")
        typer.echo(where)
    else:
        typer.echo("demo data: not added (the database is already in use)")


@app.command()
@reports_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    multi_user: Annotated[
        bool,
        typer.Option(
            "--multi-user",
            help="Accounts with sign-in (always on when listening beyond this machine).",
        ),
    ] = False,
    secure_cookies: Annotated[
        bool, typer.Option(help="Mark cookies Secure (behind a TLS-terminating proxy).")
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="A host name the app answers to, besides loopback and --host (repeat; "
            "also STRIDEWELL_ALLOWED_HOSTS). Needed behind a proxy: the public name.",
        ),
    ] = None,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            help="Address or network of a proxy whose X-Forwarded-For is believed (repeat; "
            "also STRIDEWELL_TRUSTED_PROXIES). Default: none.",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes sharing the port (restarted if one dies). Several "
            "processes need PostgreSQL to be worth it: see docs/deployment.md.",
        ),
    ] = 1,
) -> None:
    """Start the web app and REST API."""
    from stridewell.cli.serve import ServeSettings, run_server

    settings = ServeSettings(
        host=host,
        port=port,
        multi_user=multi_user,
        secure_cookies=secure_cookies,
        allowed_hosts=tuple(allowed_host or ()),
        trusted_proxies=tuple(trusted_proxy or ()),
    )
    mode = "multi-user (sign-in required)" if settings.accounts else "one person, no sign-in"
    processes = f", {workers} worker processes" if workers > 1 else ""
    typer.echo(f"Stridewell on http://{host}:{port}, {mode}{processes}  (API docs at /docs)")
    run_server(settings, workers)


@app.command()
def version() -> None:
    """Print the versions of Stridewell and its knowledge base."""
    from stridewell.knowledge import load_knowledge

    typer.echo(f"stridewell {__version__}, knowledge base {load_knowledge().version}")


recovery.register(app)
training.register(app)
run_plan.register(app)
tokens.register(app)
settings.register(app)
handover.register(app)
worker.register(app)


def run() -> None:
    from stridewell.cli.entry import run as entry_run

    entry_run()


if __name__ == "__main__":  # pragma: no cover
    run()

"""`stridewell timezone`: show or set the time zone of a runner's days and times.

By default the local runner's; `--email` names an account of a multi-user server (for
its operator, who runs the CLI on the server's database), as `stridewell token` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from stridewell.cli.errors import reports_errors
from stridewell.cli.services import open_stridewell

if TYPE_CHECKING:
    from stridewell.service import RunnerServices


def register(app: typer.Typer) -> None:
    app.command("timezone")(timezone)


def _runner(email: str | None) -> RunnerServices:
    from stridewell.errors import NotFound

    service = open_stridewell()
    if email is None:
        return service.local()
    account = service.accounts.account_by_email(email)
    if account is None:
        raise NotFound("no account with that email")
    return service.for_runner(account.runner_id)


@reports_errors
def timezone(
    zone: Annotated[
        str | None,
        typer.Argument(help="An IANA time zone name, such as Europe/London or America/New_York."),
    ] = None,
    computer: Annotated[
        bool, typer.Option("--computer", help="Follow this computer's time zone again.")
    ] = False,
    email: Annotated[
        str | None,
        typer.Option("--email", help="The account to show or set (default: the local runner)."),
    ] = None,
) -> None:
    """Show or set the time zone of your days and times (unset: this computer's)."""
    from stridewell.errors import InvalidInput
    from stridewell.service.zones import machine_zone_name
    from stridewell.text import day_words

    if zone is not None and computer:
        raise InvalidInput("give a time zone or --computer, not both", field="time_zone")
    runner = _runner(email)
    if zone is not None or computer:
        runner.account.set_zone(zone)
    name = runner.account.runner().time_zone
    shown = name or f"this computer's ({machine_zone_name()})"
    typer.echo(f"time zone: {shown}; today is {day_words(runner.today(), weekday=True)}")

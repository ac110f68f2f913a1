"""`stridewell token create|list|revoke`: API tokens for scripts.

A token lets a script call the REST API as one runner (`Authorization: Bearer <token>`)
without a browser's cookie or CSRF proof. The token is printed once; only its hash is
stored. By default the token is the local runner's; `--email` makes one for an account
of a multi-user server (for its operator, who runs the CLI on the server's database).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from stridewell.cli.errors import reports_errors
from stridewell.cli.services import open_stridewell

if TYPE_CHECKING:
    from stridewell.service.tokens import TokenService

tokens_app = typer.Typer(help="API tokens for scripts: create, list, revoke.")

EmailOption = Annotated[
    str | None,
    typer.Option("--email", help="The account the token is for (default: the local runner)."),
]


def register(app: typer.Typer) -> None:
    app.add_typer(tokens_app, name="token")


def _tokens(email: str | None) -> TokenService:
    from stridewell.errors import NotFound

    service = open_stridewell()
    if email is None:
        return service.local().account.tokens
    account = service.accounts.account_by_email(email)
    if account is None:
        raise NotFound("no account with that email")
    return service.for_runner(account.runner_id).account.tokens


@tokens_app.command("create")
@reports_errors
def create(
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "script",
    email: EmailOption = None,
) -> None:
    """Make a token and print it (shown this once only)."""
    made = _tokens(email).create(name)
    typer.echo(made.secret)
    typer.echo(
        f"token {made.token.id} ({made.token.name}): send it as "
        "'Authorization: Bearer <token>'. It is not shown again.",
        err=True,
    )


@tokens_app.command("list")
@reports_errors
def list_tokens(email: EmailOption = None) -> None:
    """The tokens, newest first (never the tokens themselves)."""
    tokens = _tokens(email).list()
    if not tokens:
        typer.echo("no tokens")
    for token in tokens:
        used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
        state = "revoked" if token.revoked_at else "active"
        typer.echo(
            f"{token.id}  {state:7}  created {token.created_at.isoformat(timespec='minutes')}"
            f"  last used {used}  {token.name}"
        )


@tokens_app.command("revoke")
@reports_errors
def revoke(
    token_id: Annotated[str, typer.Argument(help="The id shown by `token list`.")],
    email: EmailOption = None,
) -> None:
    """Revoke a token: it stops working at once."""
    _tokens(email).revoke(token_id)
    typer.echo(f"token {token_id} revoked")

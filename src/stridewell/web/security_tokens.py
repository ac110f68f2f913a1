"""API tokens from the web: the REST routes and the account page's form to make and
revoke them. A script holding a token may list the tokens, but only a runner signed in
with the password (a session) may make or revoke one: a leaked token must not be able to
mint a spare that outlives its own revocation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from stridewell.errors import Forbidden
from stridewell.service import RunnerServices
from stridewell.web.csrf import require_csrf
from stridewell.web.deps import Runner, runner_services
from stridewell.web.pages import render, see_other
from stridewell.web.pages_account import account_context

router = APIRouter(prefix="/api/v1", tags=["tokens"])
pages = APIRouter(include_in_schema=False)


def session_runner(request: Request) -> RunnerServices:
    """The request's runner, refused (403) when the request was signed by an API token."""
    if request.state.token_runner is not None:
        raise Forbidden("an API token cannot make or revoke tokens: sign in to do that")
    return runner_services(request)


SessionRunner = Annotated[RunnerServices, Depends(session_runner)]


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="script", min_length=1, max_length=80)


class TokenBody(BaseModel):
    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenBody(TokenBody):
    token: str = Field(description="the token itself: shown this once, never again")


@router.get("/tokens", response_model=list[TokenBody])
def list_tokens(runner: Runner) -> list[TokenBody]:
    """The runner's API tokens, newest first (never the tokens themselves)."""
    return [TokenBody.model_validate(t, from_attributes=True) for t in runner.account.tokens.list()]


@router.post("/tokens", status_code=201, response_model=NewTokenBody)
def create_token(runner: SessionRunner, body: TokenRequest | None = None) -> NewTokenBody:
    """A new token for scripts: send it as `Authorization: Bearer <token>`."""
    made = runner.account.tokens.create((body or TokenRequest()).name)
    listed = TokenBody.model_validate(made.token, from_attributes=True)
    return NewTokenBody(**listed.model_dump(), token=made.secret)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: str, runner: SessionRunner) -> Response:
    """Revoke a token: it stops working at once."""
    runner.account.tokens.revoke(token_id)
    return Response(status_code=204)


@pages.post("/account/tokens", dependencies=[Depends(require_csrf)])
def create_token_page(
    request: Request, runner: SessionRunner, name: str = Form("script", max_length=80)
) -> Response:
    made = runner.account.tokens.create(name)
    context = account_context(request, runner, new_token=made.secret)
    return render(request, "account.html", context)


@pages.post("/account/tokens/{token_id}/revoke", dependencies=[Depends(require_csrf)])
def revoke_token_page(token_id: str, runner: SessionRunner) -> Response:
    runner.account.tokens.revoke(token_id)
    return see_other("/account?message=Token+revoked")

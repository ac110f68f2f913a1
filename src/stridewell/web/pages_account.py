"""Account pages (multi-user mode): register, sign in and out, password, your data,
sharing with a coach, and the coach's dashboard and read-only runner pages."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from stridewell.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from stridewell.service import RunnerServices
from stridewell.service.sharing import runner_flags
from stridewell.service.zones import machine_zone_name, zone_names
from stridewell.web.auth import SESSION_COOKIE, set_session_cookie
from stridewell.web.csrf import require_csrf
from stridewell.web.deps import App, Runner
from stridewell.web.pages import correction_context, render, see_other
from stridewell.web.security import client_address, public_base_url

router = APIRouter(include_in_schema=False)


async def _multi_user(request: Request) -> None:
    # async: a plain function dependency would cost a trip to the thread pool.
    if not request.app.state.multi_user:
        raise NotFound("accounts exist only in multi-user mode (stridewell serve --multi-user)")


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def _from_invite(target: str) -> bool:
    """Whether the visitor came from a runner's invite link (it waits for them)."""
    return target.startswith("/invite/")


@router.get("/login", response_class=HTMLResponse, dependencies=[Depends(_multi_user)])
def login_page(request: Request, next: str = "/", registered: bool = False) -> Response:
    target = _safe_next(next)
    context = {
        "next": target,
        "error": None,
        "registered": registered,
        "invite": _from_invite(target),
    }
    return render(request, "login.html", context)


@router.post("/login", dependencies=[Depends(_multi_user), Depends(require_csrf)])
def login(
    request: Request,
    service: App,
    email: str = Form(..., max_length=254),
    password: str = Form(..., max_length=1024),
    next: str = Form("/", max_length=2000),
) -> Response:
    try:
        # Limited per account, per address and both, counted before the password check.
        account = service.accounts.sign_in(email, password, client_address(request))
    except Unauthorized as exc:
        context = _login_again(next, str(exc), email)
        return render(request, "login.html", context, status_code=401)
    except TooManyRequests as exc:
        context = _login_again(next, str(exc), email)
        response = render(request, "login.html", context, status_code=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    response = see_other(_safe_next(next))
    set_session_cookie(response, request, service.accounts.start_session(account))
    return response


def _login_again(next: str, error: str, email: str) -> dict[str, object]:
    target = _safe_next(next)
    return {"next": target, "error": error, "email": email, "invite": _from_invite(target)}


def _register_context(next: str, error: str | None, form: dict[str, str]) -> dict[str, object]:
    target = _safe_next(next)
    return {"next": target, "error": error, "form": form, "invite": _from_invite(target)}


@router.get("/register", response_class=HTMLResponse, dependencies=[Depends(_multi_user)])
def register_page(request: Request, next: str = "/") -> Response:
    """Registration; ``next`` (an invite link, say) is where signing in leads afterwards."""
    return render(request, "register.html", _register_context(next, None, {}))


@router.post("/register", dependencies=[Depends(_multi_user), Depends(require_csrf)])
def register(
    request: Request,
    service: App,
    email: str = Form(..., max_length=254),
    name: str = Form(..., max_length=120),
    password: str = Form(..., max_length=1024),
    role: str = Form("runner", max_length=16),
    next: str = Form("/", max_length=2000),
    time_zone: str = Form("", max_length=200),  # the browser's, filled in by timezone.js
) -> Response:
    form = {"email": email, "name": name, "role": role}
    try:
        # The same answer whether or not the email already has an account: nobody is
        # signed in here, and the runner signs in next.
        service.accounts.sign_up(
            email, password, name, role, client_address(request), browser_zone=time_zone
        )
    except InvalidInput as exc:
        return render(request, "register.html", _register_context(next, str(exc), form), 422)
    except TooManyRequests as exc:
        context = _register_context(next, str(exc), form)
        response = render(request, "register.html", context, 429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    # Signing in leads on to where registering started: a coach's invite link is kept.
    target = _safe_next(next)
    query = {"registered": "1", **({"next": target} if target != "/" else {})}
    return see_other(f"/login?{urlencode(query)}")


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request, service: App) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service.accounts.end_session(token)
    response = see_other("/login" if request.app.state.multi_user else "/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def account_context(request: Request, runner: RunnerServices, **extra: object) -> dict[str, object]:
    """What every rendering of the account page shows (the account, its API tokens and,
    with accounts, its shares), plus the ``extra`` of the action just taken."""
    context: dict[str, object] = {
        "account": runner.account.get(),
        "message": None,
        "api_tokens": runner.account.tokens.list(),
        "time_zone": runner.account.runner().time_zone,
        "time_zones": zone_names(),
        # Unset, the runner has the machine's zone: the server's, on a club server.
        "machine_zone": ("The server's time zone" if request.app.state.multi_user
                         else "This computer's time zone") + f" ({machine_zone_name()})",
    }  # fmt: skip
    if request.app.state.multi_user:
        context["shares"] = runner.sharing.shares()
    return context | extra


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, runner: Runner, message: str | None = None) -> Response:
    return render(request, "account.html", account_context(request, runner, message=message))


@router.post("/account/password", dependencies=[Depends(_multi_user), Depends(require_csrf)])
def change_password(
    request: Request,
    runner: Runner,
    current: str = Form(..., max_length=1024),
    new: str = Form(..., max_length=1024),
) -> Response:
    token = runner.account.change_password(current, new)
    response = see_other("/account?message=Password+changed")
    set_session_cookie(response, request, token)
    return response


@router.post("/account/time-zone", dependencies=[Depends(require_csrf)])
def set_time_zone(
    request: Request, runner: Runner, time_zone: str = Form("", max_length=200)
) -> Response:
    """The runner's time zone by its IANA name; empty: the machine's."""
    try:
        runner.account.set_zone(time_zone or None)
    except InvalidInput as exc:
        context = account_context(request, runner, zone_error=str(exc))
        return render(request, "account.html", context, status_code=422)
    return see_other("/account?message=Time+zone+saved")


@router.get("/account/export")
def export(runner: Runner) -> Response:
    return Response(
        runner.account.export_data(),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="stridewell-export.zip"'},
    )


@router.post("/account/delete", dependencies=[Depends(_multi_user), Depends(require_csrf)])
def delete_account(runner: Runner, password: str = Form(..., max_length=1024)) -> Response:
    runner.account.delete(password)
    response = see_other("/register")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/sharing/invite", dependencies=[Depends(_multi_user), Depends(require_csrf)])
def invite(request: Request, runner: Runner) -> Response:
    token = runner.sharing.invite_coach()
    link = f"{public_base_url(request)}/invite/{token}"
    return render(request, "account.html", account_context(request, runner, invite_link=link))


@router.post(
    "/sharing/{share_id}/revoke", dependencies=[Depends(_multi_user), Depends(require_csrf)]
)
def revoke(share_id: str, runner: Runner) -> Response:
    runner.sharing.revoke(share_id)
    return see_other("/account?message=Access+withdrawn")


@router.get("/invite/{token}", response_class=HTMLResponse, dependencies=[Depends(_multi_user)])
def invite_page(token: str, request: Request) -> Response:
    return render(request, "invite.html", {"token": token})


@router.post("/invite/{token}", dependencies=[Depends(_multi_user), Depends(require_csrf)])
def accept_invite(token: str, runner: Runner) -> Response:
    runner.sharing.accept_invite(token)
    return see_other("/coach")


def _require_coach(request: Request) -> None:
    account = request.state.account
    if account is None or account.role != "coach":
        raise Forbidden("only a coach or clinician account can open this page")


@router.get("/coach", response_class=HTMLResponse, dependencies=[Depends(_multi_user)])
def coach_dashboard(request: Request, coach: Runner) -> Response:
    _require_coach(request)
    return render(request, "coach.html", {"rows": coach.sharing.dashboard()})


@router.get(
    "/coach/runners/{runner_id}", response_class=HTMLResponse, dependencies=[Depends(_multi_user)]
)
def coach_runner(runner_id: str, request: Request, coach: Runner, service: App) -> Response:
    _require_coach(request)
    shared = coach.sharing.runner_view(runner_id)
    points, phases = shared.plans.pain_series()
    from stridewell.web.svg_charts import pain_chart_svg

    return render(
        request,
        "coach_runner.html",
        {
            "runner": service.accounts.account_of(runner_id),
            "flags": runner_flags(shared),
            "history": shared.assessments.history(limit=10),
            "chart": pain_chart_svg(points, phases),
            "shoes": shared.shoes.overview(reader="coach"),
            "zone": shared.zone(),  # the runner's days and times
        },
    )


@router.get(
    "/coach/runners/{runner_id}/assessments/{assessment_id}",
    response_class=HTMLResponse,
    dependencies=[Depends(_multi_user)],
)
def coach_report(runner_id: str, assessment_id: str, request: Request, coach: Runner) -> Response:
    _require_coach(request)
    shared = coach.sharing.runner_view(runner_id)
    record = shared.assessments.get(assessment_id)
    prefix = f"/coach/runners/{runner_id}/assessments/"
    context = {
        "record": record,
        "report": record.report,
        "read_only": True,
        "zone": shared.zone(),
        **correction_context(
            shared.assessments, record, runner=False, prefix=prefix, zone=shared.zone()
        ),
    }
    return render(request, "report.html", context)

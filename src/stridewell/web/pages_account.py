"""Account pages (multi-user mode): register, sign in and out, password, your data,
sharing with a coach, and the coach's dashboard and read-only runner pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from stridewell.errors import Forbidden, InvalidInput, NotFound, TooManyRequests, Unauthorized
from stridewell.storage.errors import EmailTaken
from stridewell.web.auth import SESSION_COOKIE, runner_of, set_session_cookie
from stridewell.web.csrf import require_csrf
from stridewell.web.pages import render, see_other


def service_of(request: Request) -> Any:
    """The whole service: these routes pass runner ids themselves, from the session."""
    return request.app.state.service


router = APIRouter(include_in_schema=False)


def _multi_user(request: Request) -> None:
    if not request.app.state.multi_user:
        raise NotFound("accounts exist only in multi-user mode (stridewell serve --multi-user)")


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login", response_class=HTMLResponse, dependencies=[Depends(_multi_user)])
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", dependencies=[Depends(_multi_user), Depends(require_csrf)])
def login(
    request: Request,
    email: str = Form(..., max_length=254),
    password: str = Form(..., max_length=1024),
    next: str = Form("/"),
) -> Response:
    limiter = request.app.state.login_limiter
    address = _address(request)
    try:
        limiter.check(email, address)
        account = service_of(request).authenticate(email, password)
    except Unauthorized as exc:
        limiter.failed(email, address)
        context = {"next": _safe_next(next), "error": str(exc), "email": email}
        return render(request, "login.html", context, status_code=401)
    except TooManyRequests as exc:
        context = {"next": _safe_next(next), "error": str(exc), "email": email}
        response = render(request, "login.html", context, status_code=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    limiter.succeeded(email, address)
    response = see_other(_safe_next(next))
    set_session_cookie(response, request, service_of(request).start_session(account.runner_id))
    return response


@router.get("/register", response_class=HTMLResponse, dependencies=[Depends(_multi_user)])
def register_page(request: Request) -> Response:
    return render(request, "register.html", {"error": None, "form": {}})


@router.post("/register", dependencies=[Depends(_multi_user), Depends(require_csrf)])
def register(
    request: Request,
    email: str = Form(..., max_length=254),
    name: str = Form(..., max_length=120),
    password: str = Form(..., max_length=1024),
    role: str = Form("runner"),
) -> Response:
    service = service_of(request)
    try:
        account = service.register(email, password, name, role)
    except (InvalidInput, EmailTaken) as exc:
        form = {"email": email, "name": name, "role": role}
        return render(request, "register.html", {"error": str(exc), "form": form}, 422)
    response = see_other("/coach" if account.role == "coach" else "/")
    set_session_cookie(response, request, service.start_session(account.runner_id))
    return response


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service_of(request).end_session(token)
    response = see_other("/login" if request.app.state.multi_user else "/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, message: str | None = None) -> Response:
    service = service_of(request)
    runner = runner_of(request)
    context: dict[str, Any] = {"account": service.account(runner), "message": message}
    if request.app.state.multi_user:
        context["shares"] = service.shares(runner)
    return render(request, "account.html", context)


@router.post("/account/password", dependencies=[Depends(_multi_user), Depends(require_csrf)])
def change_password(
    request: Request,
    current: str = Form(..., max_length=1024),
    new: str = Form(..., max_length=1024),
) -> Response:
    token = service_of(request).change_password(runner_of(request), current, new)
    response = see_other("/account?message=Password+changed")
    set_session_cookie(response, request, token)
    return response


@router.get("/account/export")
def export(request: Request) -> Response:
    data = service_of(request).export_data(runner_of(request))
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="stridewell-export.zip"'},
    )


@router.post("/account/delete", dependencies=[Depends(_multi_user), Depends(require_csrf)])
def delete_account(request: Request, password: str = Form(..., max_length=1024)) -> Response:
    service_of(request).delete_account(runner_of(request), password)
    response = see_other("/register")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/sharing/invite", dependencies=[Depends(_multi_user), Depends(require_csrf)])
def invite(request: Request) -> Response:
    service, runner = service_of(request), runner_of(request)
    token = service.invite_coach(runner)
    context = {
        "account": service.account(runner),
        "invite_link": str(request.base_url).rstrip("/") + f"/invite/{token}",
        "shares": service.shares(runner),
        "message": None,
    }
    return render(request, "account.html", context)


@router.post(
    "/sharing/{share_id}/revoke", dependencies=[Depends(_multi_user), Depends(require_csrf)]
)
def revoke(share_id: str, request: Request) -> Response:
    service_of(request).revoke_share(share_id, runner_of(request))
    return see_other("/account?message=Access+withdrawn")


@router.get("/invite/{token}", response_class=HTMLResponse, dependencies=[Depends(_multi_user)])
def invite_page(token: str, request: Request) -> Response:
    return render(request, "invite.html", {"token": token})


@router.post("/invite/{token}", dependencies=[Depends(_multi_user), Depends(require_csrf)])
def accept_invite(token: str, request: Request) -> Response:
    service_of(request).accept_invite(token, runner_of(request))
    return see_other("/coach")


def _coach(request: Request) -> str:
    account = request.state.account
    if account is None or account.role != "coach":
        raise Forbidden("only a coach or clinician account can open this page")
    return str(account.runner_id)


@router.get("/coach", response_class=HTMLResponse, dependencies=[Depends(_multi_user)])
def coach_dashboard(request: Request) -> Response:
    rows = service_of(request).coach_dashboard(_coach(request))
    return render(request, "coach.html", {"rows": rows})


@router.get(
    "/coach/runners/{runner_id}", response_class=HTMLResponse, dependencies=[Depends(_multi_user)]
)
def coach_runner(runner_id: str, request: Request) -> Response:
    service = service_of(request)
    service.require_coach_view(_coach(request), runner_id)
    account = service.account(runner_id)
    points, phases = service.pain_series(runner_id=runner_id)
    from stridewell.web.svg_charts import pain_chart_svg

    return render(
        request,
        "coach_runner.html",
        {
            "runner": account,
            "flags": service.runner_flags(runner_id),
            "history": service.history(runner_id=runner_id, limit=10),
            "chart": pain_chart_svg(points, phases),
            "shoes": service.shoes(runner_id=runner_id),
        },
    )


@router.get(
    "/coach/runners/{runner_id}/assessments/{assessment_id}",
    response_class=HTMLResponse,
    dependencies=[Depends(_multi_user)],
)
def coach_report(runner_id: str, assessment_id: str, request: Request) -> Response:
    service = service_of(request)
    service.require_coach_view(_coach(request), runner_id)
    record = service.get_assessment(assessment_id, runner_id)
    context = {"record": record, "report": record.report, "read_only": True}
    return render(request, "report.html", context)

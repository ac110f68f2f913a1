"""Who may do what, over every route of the app (multi-user mode).

The table below must name every route the app has: a route added without a line here
fails the first test, so none can be forgotten. Then every route is called as every role
with runner A's ids in the path, and the answer must fit the role: nobody but A reads or
changes A's data, a coach A shares with reads it through the coach pages only, and a
coach whose access A withdrew sees nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount

from repo_paths import ACTIVITY_FILES
from stridewell.service import Stridewell
from stridewell.web.app import create_app

PASSWORD = "correct horse battery"
A_MARKERS = ("Alice Marker", "AliceShoe", "alice-note")
# kind: public (anyone), own (the signed-in runner's own data), coach (coach pages),
# account (the signed-in account itself), docs (FastAPI's own).
ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/"): "own",
    ("GET", "/assess"): "own",
    ("POST", "/assess"): "own",
    ("GET", "/assessments/{assessment_id}"): "own",
    ("POST", "/plan/start"): "own",
    ("GET", "/today"): "own",
    ("POST", "/checkin"): "own",
    ("POST", "/exercises/done"): "own",
    ("GET", "/journal"): "own",
    ("GET", "/training"): "own",
    ("POST", "/training/import"): "own",
    ("GET", "/shoes"): "own",
    ("POST", "/shoes"): "own",
    ("POST", "/shoes/{shoe_id}/retire"): "own",
    ("POST", "/shoes/{shoe_id}/edit"): "own",
    # The demo switch of a one-person install: no such page with accounts (404).
    ("POST", "/demo/view"): "own",
    ("POST", "/demo/leave"): "own",
    ("POST", "/demo/remove"): "own",
    ("GET", "/login"): "public",
    ("POST", "/login"): "public",
    ("GET", "/register"): "public",
    ("POST", "/register"): "public",
    ("POST", "/logout"): "account",
    ("GET", "/account"): "account",
    ("POST", "/account/password"): "account",
    ("GET", "/account/export"): "account",
    ("POST", "/account/delete"): "account",
    ("POST", "/account/time-zone"): "account",
    ("POST", "/sharing/invite"): "account",
    ("POST", "/sharing/{share_id}/revoke"): "account",
    ("GET", "/invite/{token}"): "account",
    ("POST", "/invite/{token}"): "account",
    ("GET", "/coach"): "coach",
    ("GET", "/coach/runners/{runner_id}"): "coach",
    ("GET", "/coach/runners/{runner_id}/assessments/{assessment_id}"): "coach",
    ("POST", "/api/v1/assessments"): "own",
    ("GET", "/api/v1/assessments/{assessment_id}"): "own",
    ("GET", "/api/v1/assessments"): "own",
    ("GET", "/api/v1/runner"): "own",
    ("PATCH", "/api/v1/runner"): "own",
    ("POST", "/api/v1/triage"): "own",
    ("GET", "/api/v1/knowledge"): "own",
    ("GET", "/api/v1/health"): "public",
    ("GET", "/api/v1/tokens"): "account",
    ("POST", "/api/v1/tokens"): "account",
    ("DELETE", "/api/v1/tokens/{token_id}"): "account",
    ("POST", "/account/tokens"): "account",
    ("POST", "/account/tokens/{token_id}/revoke"): "account",
    ("POST", "/api/v1/journal"): "own",
    ("GET", "/api/v1/journal"): "own",
    ("PUT", "/api/v1/journal/{entry_id}"): "own",
    ("GET", "/api/v1/journal/{entry_id}/history"): "own",
    ("DELETE", "/api/v1/journal/{entry_id}"): "own",
    ("GET", "/api/v1/journal/trend"): "own",
    ("POST", "/api/v1/exercise-logs"): "own",
    ("GET", "/api/v1/exercises/today"): "own",
    ("POST", "/api/v1/plans"): "own",
    ("GET", "/api/v1/plans/current"): "own",
    ("GET", "/api/v1/plans/current.ics"): "own",
    ("GET", "/api/v1/activities"): "own",
    ("POST", "/api/v1/activities/import"): "own",
    ("GET", "/training/activities/{activity_id}"): "own",
    ("POST", "/training/activities/{activity_id}/shoe"): "own",
    ("GET", "/api/v1/activities/{activity_id}"): "own",
    ("PUT", "/api/v1/activities/{activity_id}/shoe"): "own",
    ("POST", "/imports"): "own",
    ("GET", "/imports/{job_id}"): "own",
    ("GET", "/imports/{job_id}/status"): "own",
    ("POST", "/api/v1/imports"): "own",
    ("GET", "/api/v1/imports/{job_id}"): "own",
    ("GET", "/api/v1/load"): "own",
    ("GET", "/api/v1/shoes"): "own",
    ("POST", "/api/v1/shoes"): "own",
    ("PATCH", "/api/v1/shoes/{shoe_id}"): "own",
    ("POST", "/api/v1/shoes/{shoe_id}/retire"): "own",
    ("GET", "/running"): "own",
    ("POST", "/running/start"): "own",
    ("POST", "/running/targets"): "own",
    ("GET", "/api/v1/running-plan"): "own",
    ("GET", "/api/v1/running-plan/status"): "own",
    ("POST", "/api/v1/running-plan"): "own",
    ("PUT", "/api/v1/running-plan/targets"): "own",
    ("GET", "/api/v1/running-plan.ics"): "own",
    ("GET", "/api/v1/running-plan/workouts/{day}.fit"): "own",
    ("GET", "/assessments/{assessment_id}/handover"): "own",
    ("GET", "/coach/runners/{runner_id}/handover.pdf"): "coach",
    ("GET", "/coach/runners/{runner_id}/clinician"): "coach",
    ("POST", "/coach/runners/{runner_id}/clinician"): "coach",
    ("GET", "/api/v1/assessments/{assessment_id}/handover.pdf"): "own",
    ("GET", "/api/v1/assessments/{assessment_id}/handover.fhir.json"): "own",
    ("GET", "/api/v1/clinician-notes"): "own",
    ("POST", "/api/v1/coach/runners/{runner_id}/clinician-notes"): "coach",
    ("GET", "/openapi.json"): "docs",
    ("GET", "/docs"): "docs",
    ("GET", "/docs/oauth2-redirect"): "docs",
    ("GET", "/redoc"): "docs",
}
HEEL = {"locations": ["heel_bottom"], "onset": "gradual", "pain_score": 4, "duration_days": 10}


@dataclass
class World:
    app: Any
    service: Stridewell
    clients: dict[str, TestClient]
    ids: dict[str, str]


def _client(app: Any) -> TestClient:
    return TestClient(app, follow_redirects=False)


def _sign_in(client: TestClient, email: str) -> None:
    client.get("/login")
    token = client.cookies["sw_csrf"]
    done = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert done.status_code == 303, done.text


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path = tmp_path_factory.mktemp("acl") / "acl.db"
    service = Stridewell(f"sqlite:///{path.as_posix()}")
    service.upgrade_database()
    alice = service.accounts.register("alice@example.org", PASSWORD, "Alice Marker")
    bob = service.accounts.register("bob@example.org", PASSWORD, "Bob")
    coach = service.accounts.register("coach@example.org", PASSWORD, "Cora Coach", role="coach")
    revoked = service.accounts.register("gone@example.org", PASSWORD, "Gus Gone", role="coach")
    a = alice.runner_id
    as_alice = service.for_runner(a)
    result = as_alice.assessments.assess(HEEL)
    as_alice.plans.start(result.id)
    entry = as_alice.journal.log_entry({"day": service.today().isoformat(), "pain_morning": 3,
                                        "notes": "alice-note"})  # fmt: skip
    shoe = as_alice.shoes.add({"brand": "Acme", "model": "AliceShoe"})
    alice_token = as_alice.account.tokens.create("alice-script").token
    service.for_runner(coach.runner_id).sharing.accept_invite(as_alice.sharing.invite_coach())
    service.for_runner(revoked.runner_id).sharing.accept_invite(as_alice.sharing.invite_coach())
    gone_share = next(s for s in as_alice.sharing.shares() if s.coach_id == revoked.runner_id)
    as_alice.sharing.revoke(gone_share.id)
    service.accounts.register("bobcoach@example.org", PASSWORD, "B Coach", role="coach")
    app = create_app(service, multi_user=True)
    clients = {role: _client(app) for role in ("anonymous", "alice", "bob", "coach", "revoked")}
    for role, email in (("alice", "alice@example.org"), ("bob", "bob@example.org"),
                        ("coach", "coach@example.org"), ("revoked", "gone@example.org")):  # fmt: skip
        _sign_in(clients[role], email)
    (path.parent / "notes.txt").write_text("not a run")
    job_id = service.import_jobs(a).submit([("notes.txt", path.parent / "notes.txt")])
    as_alice.training.import_paths([ACTIVITY_FILES / "gpx" / "korita-zbevnica.gpx"])
    (activity,) = as_alice.training.activity_list(limit=1)
    ids = {
        "assessment_id": result.id,
        "job_id": job_id,
        "activity_id": activity.id,
        "shoe_id": shoe.id,
        "entry_id": entry.id,
        "runner_id": a,
        "share_id": gone_share.id,
        "token": "not-a-real-invite-token",
        "bob": bob.runner_id,
        "token_id": alice_token.id,
        "day": service.today().isoformat(),
    }
    yield World(app, service, clients, ids)
    for client in clients.values():
        client.close()
    service.close()


def _routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route, through included routers (FastAPI >= 0.16x keeps
    them as wrappers; older versions flatten them into APIRoutes)."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        entries = list(contexts()) if callable(contexts) else [route]
        for entry in entries:
            if isinstance(entry, Mount):
                continue
            for method in getattr(entry, "methods", None) or ():
                if method != "HEAD":
                    found.add((method, entry.path))
    return found


def test_every_route_of_the_app_has_a_line_in_the_access_table(world: World) -> None:
    routes = _routes(world.app)
    assert routes - set(ROUTES) == set(), "new routes: say who may call them"
    assert set(ROUTES) - routes == set(), "the table names routes the app no longer has"


def _call(client: TestClient, method: str, path: str, ids: dict[str, str]) -> Any:
    url = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
    token = client.cookies.get("sw_csrf") or ""
    if not token:
        client.get("/login")
        token = client.cookies.get("sw_csrf") or ""
    headers = {"x-csrf-token": token}
    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        return client.request(method, url, json={}, headers=headers)
    return client.request(method, url, data={"csrf_token": token})


ROLES = ("anonymous", "alice", "bob", "coach", "revoked")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_role_gets_only_what_it_may_on_every_route(
    world: World, route: tuple[str, str], role: str
) -> None:
    method, path = route
    kind = ROUTES[route]
    if kind == "docs" or (role == "alice" and method != "GET"):
        return  # A's own writes are tested with the pages; here they would change the world
    if route == ("POST", "/logout") and role != "anonymous":
        return  # it would sign the role out for the rest of the table (tested on its own)
    response = _call(world.clients[role], method, path, world.ids)
    status = response.status_code
    body = response.text
    if role == "anonymous":
        if kind == "public":
            assert status < 500
        elif path.startswith("/api/"):
            assert status == 401
        else:
            assert status == 303 and response.headers["location"].startswith("/login")
        assert not any(marker in body for marker in A_MARKERS)
        return
    if status == 303:
        assert not response.headers["location"].startswith("/login"), f"{role} was signed out"
    if role == "alice" or (role == "coach" and kind == "coach"):
        assert status < 500, body
        return
    # Everyone else: never A's data, never a change to it.
    assert not any(marker in body for marker in A_MARKERS), f"{role} saw A's data"
    if "{" in path and path != "/invite/{token}":
        assert status in (403, 404, 422), f"{role} {method} {path}: {status}"
    if kind == "coach" and role in ("bob",):
        assert status in (403, 404)
    if method != "GET":
        _assert_alice_intact(world)


def test_a_coach_sees_the_runners_who_share_and_not_others(world: World) -> None:
    coach = world.clients["coach"]
    dashboard = coach.get("/coach")
    assert dashboard.status_code == 200
    assert "Alice Marker" in dashboard.text and "Bob" not in dashboard.text
    assert coach.get(f"/coach/runners/{world.ids['runner_id']}").status_code == 200
    assert coach.get(f"/coach/runners/{world.ids['bob']}").status_code == 404


def test_a_revoked_coach_sees_nothing(world: World) -> None:
    gone = world.clients["revoked"]
    assert "Alice Marker" not in gone.get("/coach").text
    assert gone.get(f"/coach/runners/{world.ids['runner_id']}").status_code == 404
    report = f"/coach/runners/{world.ids['runner_id']}/assessments/{world.ids['assessment_id']}"
    assert gone.get(report).status_code == 404
    assert world.clients["coach"].get(report).status_code == 200


def _assert_alice_intact(world: World) -> None:
    alice = world.service.for_runner(world.ids["runner_id"])
    shoes = alice.shoes.overview()["shoes"]
    assert [s["model"] for s in shoes if s["retired"] is None] == ["AliceShoe"]
    assert [e.entry.notes for e in alice.journal.entries()] == ["alice-note"]
    assert alice.assessments.get(world.ids["assessment_id"]).id == world.ids["assessment_id"]
    assert [t.revoked_at for t in alice.account.tokens.list()] == [None]


def test_no_runner_service_method_takes_a_runner_id() -> None:
    """A runner's services are bound to their runner when built: no method can be handed
    another runner's id (or fall back to a default one)."""
    import inspect
    from dataclasses import fields

    from stridewell.service import RunnerServices

    areas = [f.type for f in fields(RunnerServices) if f.name not in ("runner_id", "clock")]
    assert len(areas) == 10  # with running, handover and clinician
    for area in areas:
        cls = getattr(__import__("stridewell.service.runner", fromlist=[area]), area)
        for name, method in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("_"):
                continue  # built with its runner, once
            parameters = inspect.signature(method).parameters
            assert "runner_id" not in parameters, f"{cls.__name__}.{name} takes a runner_id"


def test_a_coach_reaches_a_runner_only_through_a_checked_share(world: World) -> None:
    from stridewell.errors import NotFound

    bob = world.service.for_runner(world.ids["bob"])
    with pytest.raises(NotFound):
        bob.sharing.runner_view(world.ids["runner_id"])
    coach_id = world.service.accounts.authenticate("coach@example.org", PASSWORD).runner_id
    shared = world.service.for_runner(coach_id).sharing.runner_view(world.ids["runner_id"])
    assert shared.runner_id == world.ids["runner_id"]

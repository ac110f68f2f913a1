"""What the browser tests share: Debian's Chromium, a real server on a seeded SQLite file,
the two screen sizes, and axe-core (vendored, injected into a page, never downloaded).

The seeded data goes through the service layer, as a runner's use would leave it: three
assessments (heel pain with a recovery plan and check-ins, a possible stress fracture,
a cold pale foot), shoes and imported runs; in the club, runners who sign in and a coach.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from repo_paths import ACTIVITY_FILES

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
PASSWORD = "correct horse battery"
# axe's two worst impacts: what a test fails on.
BLOCKING = ("serious", "critical")
SERVER_START_SECONDS = 60

HEEL = {
    "age": 42,
    "pain_score": 5,
    "locations": ["heel_bottom"],
    "onset": "gradual",
    "duration_days": 21,
    "trend": "unchanged",
    "pain_timing": ["first_steps_morning", "eases_with_warmup"],
    "history": {"weekly_km_change_pct": 35, "shoe_km": 760, "calf_tightness": True},
}
STRESS = {
    "age": 24,
    "sex": "female",
    "pain_score": 6,
    "locations": ["top_of_foot"],
    "onset": "gradual",
    "duration_days": 11,
    "trend": "worsening",
    "pain_quality": ["pinpoint"],
    "bone_tenderness": ["metatarsal_shaft"],
    "hop_test_painful": True,
    "history": {"longest_run_spike_pct": 45, "low_energy_risk": True},
}
COLD_FOOT = {"locations": ["toes"], "foot_cold_pale": True, "pain_score": 7}
SHOE = {"brand": "Demo", "model": "Cruiser", "type": "neutral_cushioned", "start_km": 760}
GPX = ACTIVITY_FILES / "gpx" / "korita-zbevnica.gpx"


@dataclass
class Seeded:
    """What a seeded server holds, for building page addresses."""

    base: str = ""
    assessments: dict[str, str] = field(default_factory=dict)  # name -> id
    runners: dict[str, str] = field(default_factory=dict)  # email -> runner id
    invite: str = ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(data_dir: Path, options: list[str], *, upgrade: bool = True) -> Iterator[str]:
    """`stridewell serve` on the data folder's SQLite file; yields the base address.
    (A database the seeding already upgraded needs no second `db upgrade`.)"""
    port = free_port()
    env = {**os.environ, "STRIDEWELL_DATA_DIR": str(data_dir)}
    env.pop("STRIDEWELL_DATABASE_URL", None)
    exe = Path(sys.executable).with_name("stridewell")
    if upgrade:
        subprocess.run([str(exe), "db", "upgrade"], env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # A deadline, not a count of tries: on a busy machine the first page alone can
        # take seconds (templates compiled, knowledge read).
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=SERVER_START_SECONDS).close()
                break
            except OSError as exc:
                if process.poll() is not None:
                    error = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(error) from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start: {exc}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def database_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'stridewell.db').as_posix()}"


def seed_runner(runner: Any, seeded: Seeded, gpx_dir: Path) -> None:
    """Heel pain with a recovery plan and a week of check-ins, a possible stress fracture,
    a cold pale foot (emergency), worn shoes and imported runs."""
    seeded.assessments["heel"] = runner.assessments.assess(HEEL).id
    seeded.assessments["stress"] = runner.assessments.assess(STRESS).id
    seeded.assessments["emergency"] = runner.assessments.assess(COLD_FOOT).id
    start = runner.today() - timedelta(days=6)
    runner.plans.start(seeded.assessments["heel"], start=start)
    for offset, pain in enumerate((5, 5, 4, 4, 3, 3, 2)):
        day = start + timedelta(days=offset)
        runner.journal.log_entry({"day": day.isoformat(), "pain_morning": pain})
    runner.shoes.add(SHOE)
    runner.training.import_paths([GPX, *_recent_runs(gpx_dir)])


def _recent_runs(folder: Path) -> list[Path]:
    """Two runs of the last week, written as a watch would, so the load chart has bars."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "activities"))
    from synthetic import synthetic_run, write_gpx

    now = datetime.now(UTC).replace(microsecond=0)
    paths = []
    for back in (2, 4):
        path = folder / f"run-{back}.gpx"
        path.write_bytes(write_gpx(synthetic_run(back, now - timedelta(days=back))))
        paths.append(path)
    return paths


def seed_single(data_dir: Path) -> Seeded:
    from stridewell.service import Stridewell

    seeded = Seeded()
    with Stridewell(database_url(data_dir)) as service:
        service.upgrade_database()
        seed_runner(service.local(), seeded, data_dir)
        from stridewell.demo import add_demo

        add_demo(service)  # the demo runner: offered on the home page, shown with a banner
    return seeded


def seed_club(data_dir: Path) -> Seeded:
    """Alice shares with Cora (a coach); Bob has no recovery plan but a running plan
    (prevention mode); Dan is invited by nobody yet, with an invite link from Bob."""
    from stridewell.service import Stridewell

    seeded = Seeded()
    with Stridewell(database_url(data_dir)) as service:
        service.upgrade_database()
        people = {
            "alice@example.org": ("Alice Runner", "runner"),
            "bob@example.org": ("Bob Runner", "runner"),
            "cora@example.org": ("Cora Coach", "coach"),
        }
        for email, (name, role) in people.items():
            account = service.accounts.register(email, PASSWORD, name, role=role)
            seeded.runners[email] = account.runner_id
        alice = service.for_runner(seeded.runners["alice@example.org"])
        seed_runner(alice, seeded, data_dir)
        cora = service.for_runner(seeded.runners["cora@example.org"])
        cora.sharing.accept_invite(alice.sharing.invite_coach())
        bob = service.for_runner(seeded.runners["bob@example.org"])
        from stridewell.service.running import TargetsInput

        bob.running.start(TargetsInput(weekly_km=30, runs_per_week=4, long_run_km=12))
        seeded.invite = bob.sharing.invite_coach()
    return seeded


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{email} could not sign in"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now.

    The source is evaluated through the DevTools protocol, which the page's Content
    Security Policy does not govern, so the page is checked with its real policy."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => JSON.stringify((await axe.run(document, {resultTypes: ['violations']}))"
        ".violations)"
    )
    violations: list[dict[str, Any]] = json.loads(result)
    return [v for v in violations if v.get("impact") in BLOCKING]


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    """One line per rule: the page, the rule id, what it means and the elements."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        targets = [", ".join(str(t) for t in node["target"]) for node in nodes]
        # the first element's own account (for colour contrast: the two colours and ratio)
        first = " ".join(str(nodes[0].get("failureSummary", "")).split()) if nodes else ""
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}; "
            f"at {' | '.join(targets[:6])}{' ...' if len(targets) > 6 else ''} ({first})"
        )
    return "\n".join(lines)


# -- every page ---------------------------------------------------------------------------

Address = Callable[[Seeded], str]
# One person, no sign-in. The addresses are built from what was seeded.
ONE_PERSON_PAGES: dict[str, Address] = {
    "home": lambda s: "/",
    "report, heel pain with its recovery plan": lambda s: f"/assessments/{s.assessments['heel']}",
    "report, possible stress fracture": lambda s: f"/assessments/{s.assessments['stress']}",
    "report, emergency": lambda s: f"/assessments/{s.assessments['emergency']}",
    "handover": lambda s: f"/assessments/{s.assessments['heel']}/handover",
    "today": lambda s: "/today",
    "journal": lambda s: "/journal",
    "training": lambda s: "/training",
    "shoes": lambda s: "/shoes",
    "running plan, during recovery": lambda s: "/running",
    "account": lambda s: "/account",
    "page not found": lambda s: "/no-such-page",
}
# Accounts: who is signed in (nobody for None), and where they look.
ALICE, BOB, CORA = "alice@example.org", "bob@example.org", "cora@example.org"
CLUB_PAGES: dict[str, tuple[str | None, Address]] = {
    "sign in": (None, lambda s: "/login"),
    "register": (None, lambda s: "/register"),
    "home, signed in": (ALICE, lambda s: "/"),
    "account, sharing with a coach": (ALICE, lambda s: "/account"),
    "running plan, prevention mode": (BOB, lambda s: "/running"),
    "coach invite": (CORA, lambda s: f"/invite/{s.invite}"),
    "coach dashboard": (CORA, lambda s: "/coach"),
    "coach, a runner": (CORA, lambda s: f"/coach/runners/{s.runners[ALICE]}"),
    "coach, a runner's report": (
        CORA,
        lambda s: f"/coach/runners/{s.runners[ALICE]}/assessments/{s.assessments['heel']}",
    ),
    "clinician's word": (CORA, lambda s: f"/coach/runners/{s.runners[ALICE]}/clinician"),
}


def _opened(page: Any, url: str, name: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, f"{name}: {url} failed"


def one_person_pages(page: Any, seeded: Seeded) -> Iterator[str]:
    """Opens every page of the one-person app in turn, yielding its name each time:
    the pages above, every question page, the emergency page, an activity's page."""
    for name, address in ONE_PERSON_PAGES.items():
        url = seeded.base + address(seeded)
        _opened(page, url, name)
        yield f"{name} ({url})"
    yield from question_pages(page, seeded.base)
    yield from emergency_page(page, seeded.base)
    _opened(page, seeded.base + "/training", "training")
    run = page.locator('a[href^="/training/activities/"]')
    assert run.count(), "the training page links to no run of the imported ones"
    run.first.click()
    page.wait_for_load_state()
    yield f"activity page ({page.url})"
    yield from import_job_page(page, seeded.base)
    yield from demo_pages(page, seeded.base)


def import_job_page(page: Any, base: str) -> Iterator[str]:
    """An upload from the training page, and the page of its import job when done."""
    _opened(page, base + "/training", "training")
    page.set_input_files("#files", [str(GPX)])  # stored already: reported as a duplicate
    page.get_by_role("button", name="Import").click()
    wait_for_import(page)
    yield f"import report ({page.url})"


def wait_for_import(page: Any) -> None:
    """Until the import job's page says the job is done (it reloads itself until then)."""
    page.wait_for_url("**/imports/**")
    for _ in range(120):
        page.wait_for_load_state()
        if (
            page.locator("#import-report").count()
            and not page.locator('meta[http-equiv="refresh"]').count()
        ):
            return
        page.wait_for_event("load", timeout=10_000)  # the page's own reload
    raise AssertionError("the import did not finish")


def demo_pages(page: Any, base: str) -> Iterator[str]:
    """The demo offered on the home page, then looked at (a banner on every page)."""
    _opened(page, base + "/", "home")
    page.get_by_role("button", name="Look at the demo").click()
    page.wait_for_load_state()
    assert page.locator("#demo-banner").count(), "the demo's banner is missing"
    yield "home, looking at the demo"
    for address in ("/today", "/journal"):
        _opened(page, base + address, address)
        yield f"{address.strip('/')}, looking at the demo"
    page.get_by_role("button", name="Back to my own data").click()
    page.wait_for_load_state()


def question_pages(page: Any, base: str) -> Iterator[str]:
    """Every question page of a heel-pain assessment, answered 'not sure' throughout."""
    _opened(page, base + "/assess", "foot map")
    yield "foot map"
    page.locator('button[name="go"][value="next"]').click()  # nothing chosen: it says so
    page.wait_for_load_state()
    yield "foot map, nothing chosen"
    page.locator('input[name="locations"][value="heel_bottom"]').check()
    for number in range(2, 25):
        page.locator('button[name="go"][value="next"]').click()
        page.wait_for_load_state()
        if "/assessments/" in page.url:
            yield "report straight after the questions"
            return
        yield f"question page {number} ({page.locator('main h1, main h2').first.inner_text()})"
    raise AssertionError("the questionnaire did not end")


def emergency_page(page: Any, base: str) -> Iterator[str]:
    _opened(page, base + "/assess", "foot map")
    page.locator('input[name="locations"][value="toes"]').check()
    for _ in range(12):
        cold = page.locator('input[name="foot_cold_pale"][value="yes"]')
        if cold.count():
            cold.first.check()  # a cold, pale foot: the emergency answer
        page.locator('button[name="go"][value="next"]').click()
        page.wait_for_load_state()
        if page.locator("#emergency-h").count():
            yield "emergency page"
            return
    raise AssertionError("the emergency page never came")


def club_pages(browser: Any, seeded: Seeded) -> Iterator[tuple[str, Any]]:
    """Opens every page with accounts, signed out, as two runners and as their coach
    (each in a browser context of its own), yielding its name and the tab showing it."""
    contexts = {who: browser.new_context() for who in (None, ALICE, BOB, CORA)}
    try:
        tabs = {who: context.new_page() for who, context in contexts.items()}
        for who, tab in tabs.items():
            if who is not None:
                sign_in(tab, seeded.base, who)
        for name, (who, address) in CLUB_PAGES.items():
            tab = tabs[who]
            url = seeded.base + address(seeded)
            _opened(tab, url, name)
            assert who is None or "/login" not in tab.url, f"{name}: {who} was signed out"
            yield f"{name} ({url})", tab
    finally:
        for context in contexts.values():
            context.close()

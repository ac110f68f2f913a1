"""The training pages as a runner uses them: weeks as dates, the activity list with names,
pace and heart rate, a page per activity with its route and charts, and its shoe."""

from __future__ import annotations

import math
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import hidden_fields

from repo_paths import ACTIVITY_FILES
from stridewell.activities.read import read_activities
from stridewell.service import Stridewell
from stridewell.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "activities"))
from synthetic import synthetic_run, write_gpx

SVG = "{http://www.w3.org/2000/svg}"
FENIX_RUN = ACTIVITY_FILES / "fit" / "activity-small-fenix2-run.fit"
KORITA_GPX = ACTIVITY_FILES / "gpx" / "korita-zbevnica.gpx"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{(tmp_path / 'training.db').as_posix()}")
    sw.upgrade_database()
    yield sw
    sw.close()


@pytest.fixture
def client(service: Stridewell) -> Iterator[TestClient]:
    with TestClient(create_app(service)) as test_client:
        yield test_client


def _upload(client: TestClient, name: str, data: bytes) -> str:
    token = hidden_fields(client.get("/training").text)["csrf_token"]
    page = client.post(
        "/training/import", data={"csrf_token": token}, files=[("files", (name, data, "x"))]
    )
    assert page.status_code == 200, page.text
    return page.text


def _activity_links(page: str) -> list[str]:
    return re.findall(r'href="(/training/activities/[0-9a-f]+)"', page)


def _figure_svg(page: str, figure_id: str) -> ET.Element:
    found = re.search(rf'<figure[^>]*id="{figure_id}"[^>]*>.*?(<svg.*?</svg>)', page, re.S)
    assert found is not None, f"no chart in #{figure_id}"
    return ET.fromstring(found.group(1))


def _with_class(root: ET.Element, cls: str) -> list[ET.Element]:
    return [el for el in root.iter() if cls in el.get("class", "").split()]


def test_a_new_runner_sees_a_plain_empty_state_without_a_chart_or_ratio(client: TestClient) -> None:
    page = client.get("/training").text
    assert "No runs yet." in page and "No activities yet." in page
    assert "sw-chart-load" not in page
    assert "Acute:chronic" not in page and "weighted ." not in page
    assert 'href="/static/training.css"' in page
    assert client.get("/static/training.css").status_code == 200


def test_weeks_are_labelled_by_their_first_day_and_the_legend_names_only_what_is_drawn(
    client: TestClient,
) -> None:
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    page = _upload(client, "yesterday.gpx", write_gpx(synthetic_run(7, started, 1800)))
    chart = _figure_svg(page, "load-chart")
    axis = [t.text or "" for t in _with_class(chart, "sw-axis")]
    assert not any(re.fullmatch(r"W\d+", label) for label in axis)
    monday = started.astimezone().date() - timedelta(days=started.astimezone().weekday())
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", label) for label in axis[3:])
    [ran] = [b for b in _with_class(chart, "sw-bar") if float(b.get("data-km") or 0) > 0]
    assert (ran.findtext(f"{SVG}title") or "").startswith(f"Week of {monday.day} {monday:%b}:")
    legend = [t.text for el in _with_class(chart, "sw-legend") for t in el.iter(f"{SVG}text")]
    assert legend == ["km per week"]  # no ratio drawn, so none named
    assert not _with_class(chart, "sw-ratio-line")


def test_the_list_shows_name_date_distance_time_pace_and_heart_rate(client: TestClient) -> None:
    [run] = read_activities(FENIX_RUN.open("rb"), FENIX_RUN.name)
    assert run.name is None and run.avg_hr is not None  # the file names it not
    page = _upload(client, FENIX_RUN.name, FENIX_RUN.read_bytes())
    row = re.search(r"<tr><td[^>]*><a href=\"/training/activities/.*?</tr>", page, re.S)
    assert row is not None
    cells = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    ]
    local = run.start_time.astimezone()
    part = "Morning" if 5 <= local.hour < 12 else "Afternoon" if local.hour < 17 else "Evening"
    pace = run.moving_time_s / (run.distance_m / 1000)
    assert cells[0] == (f"{part} run Run" if local.hour >= 5 else "Night run Run")
    assert cells[1] == f"{local.day} {local:%b %Y, %H:%M}"
    assert cells[2] == f"{run.distance_m / 1000:.2f} km"
    assert cells[4] == f"{int(pace // 60)}:{round(pace % 60):02d} /km"
    assert cells[5] == f"{round(run.avg_hr)} bpm"


def test_on_a_phone_each_activity_is_a_card_with_every_column_labelled(
    client: TestClient,
) -> None:
    page = _upload(client, FENIX_RUN.name, FENIX_RUN.read_bytes())
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', page)
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", page, re.S)
    assert row is not None
    labels = re.findall(r'<td[^>]*data-label="([^"]+)"', row.group(1))
    assert labels == headers and len(labels) == len(re.findall(r"<td", row.group(1)))
    css = client.get("/static/training.css").text
    phone = re.search(r"@media \(max-width: 600px\) \{(.*)\}", css, re.S)
    assert phone is not None
    assert "display: block" in phone.group(1) and "attr(data-label)" in phone.group(1)


def test_a_gpx_activity_page_draws_its_route_from_the_track(client: TestClient) -> None:
    [track] = read_activities(KORITA_GPX.open("rb"), KORITA_GPX.name)
    assert track.samples.lat is not None and track.samples.lon is not None
    page = _upload(client, KORITA_GPX.name, KORITA_GPX.read_bytes())
    [link] = _activity_links(page)
    activity = client.get(link)
    assert activity.status_code == 200
    assert track.device and "http" in track.device  # the GPX creator, with its web address
    assert "· GPSBabel</p>" in activity.text and "gpsbabel.org" not in activity.text
    route = _figure_svg(activity.text, "route")
    assert route.get("role") == "img" and "recorded positions" in (
        route.findtext(f"{SVG}desc") or ""
    )
    [line] = _with_class(route, "sw-route")
    points = [tuple(map(float, p.split(","))) for p in (line.get("points") or "").split()]
    assert len(points) == min(600, len(track.samples.lat))
    # The drawing has the track's shape: its width to height is the track's east-west
    # to north-south extent.
    lat, lon = track.samples.lat, track.samples.lon
    mid = math.radians((lat.min() + lat.max()) / 2)
    expected = (lon.max() - lon.min()) * math.cos(mid) / (lat.max() - lat.min())
    xs, ys = [x for x, _ in points], [y for _, y in points]
    assert (max(xs) - min(xs)) / (max(ys) - min(ys)) == pytest.approx(expected, rel=0.02)
    # North is up: the first point's height follows its latitude.
    [start] = _with_class(route, "sw-route-start")
    share = (lat.max() - lat[0]) / (lat.max() - lat.min())
    top, bottom = min(ys), max(ys)
    assert float(start.get("cy", "0")) == pytest.approx(top + share * (bottom - top), abs=1.5)


def test_an_activity_page_shows_pace_heart_rate_and_elevation_charts(client: TestClient) -> None:
    [run] = read_activities(FENIX_RUN.open("rb"), FENIX_RUN.name)
    [link] = _activity_links(_upload(client, FENIX_RUN.name, FENIX_RUN.read_bytes()))
    page = client.get(link).text
    pace = run.moving_time_s / (run.distance_m / 1000)
    pace_text = f"{int(pace // 60)}:{round(pace % 60):02d} /km"
    assert pace_text in page and f"{round(run.avg_hr or 0)} bpm" in page
    for figure in ("chart-pace", "chart-heart_rate", "chart-elevation"):
        chart = _figure_svg(page, figure)
        assert chart.get("role") == "img"
        assert len(_with_class(chart, "sw-line")) >= 1
    heart = _figure_svg(page, "chart-heart_rate").findtext(f"{SVG}desc") or ""
    assert f"average {round(run.avg_hr or 0)} bpm" in heart
    assert f"average {pace_text}" in (_figure_svg(page, "chart-pace").findtext(f"{SVG}desc") or "")


def test_choosing_a_runs_shoe_moves_its_distance_to_that_pair(
    client: TestClient, service: Stridewell
) -> None:
    shoes = service.local().shoes
    daily = shoes.add({"brand": "Acme", "model": "Daily", "is_default": True})
    racer = shoes.add({"brand": "Acme", "model": "Racer"})
    [link] = _activity_links(_upload(client, FENIX_RUN.name, FENIX_RUN.read_bytes()))
    page = client.get(link).text
    assert "counts for <strong>Acme Daily</strong>" in page  # the default pair, at import

    def km() -> dict[str, float]:
        return {s["model"]: s["km"] for s in shoes.overview()["shoes"]}

    assert km() == {"Daily": 9.0, "Racer": 0.0}
    token = hidden_fields(page)["csrf_token"]
    chosen = client.post(
        f"{link}/shoe", data={"csrf_token": token, "shoe_id": racer.id}, follow_redirects=False
    )
    assert chosen.status_code == 303 and chosen.headers["location"].startswith(link)
    assert km() == {"Daily": 0.0, "Racer": 9.0}
    page = client.get(link).text
    assert f'<option value="{racer.id}" selected>' in page
    assert "counts for <strong>Acme Racer</strong>." in page
    assert "Acme Racer" in client.get("/training").text  # the list names the pair too
    # Back to the default pair of the day.
    client.post(f"{link}/shoe", data={"csrf_token": token, "shoe_id": ""})
    assert km() == {"Daily": 9.0, "Racer": 0.0} and daily.id


def test_a_shoe_choice_needs_the_form_token_and_one_of_the_runners_shoes(
    client: TestClient, service: Stridewell
) -> None:
    service.local().shoes.add({"brand": "Acme", "model": "Daily", "is_default": True})
    [link] = _activity_links(_upload(client, FENIX_RUN.name, FENIX_RUN.read_bytes()))
    token = hidden_fields(client.get(link).text)["csrf_token"]
    forged = client.post(f"{link}/shoe", data={"shoe_id": ""})
    assert forged.status_code == 403
    unknown = client.post(f"{link}/shoe", data={"csrf_token": token, "shoe_id": "not-a-shoe"})
    assert unknown.status_code == 404
    assert client.get("/training/activities/nope").status_code == 404


def test_the_activity_api_gives_the_detail_and_changes_the_shoe(
    client: TestClient, service: Stridewell
) -> None:
    racer = service.local().shoes.add({"brand": "Acme", "model": "Racer"})
    [link] = _activity_links(_upload(client, FENIX_RUN.name, FENIX_RUN.read_bytes()))
    activity_id = link.rsplit("/", 1)[-1]
    body = client.get(f"/api/v1/activities/{activity_id}").json()
    assert body["name"] and body["avg_hr"] and body["pace_s_per_km"] > 0
    assert len(body["route"]) > 100 and body["heart_rate"]["values"]
    assert body["shoe"] is None and [s["id"] for s in body["shoe_choices"]] == [racer.id]
    token = client.cookies["sw_csrf"]
    changed = client.put(
        f"/api/v1/activities/{activity_id}/shoe",
        json={"shoe_id": racer.id},
        headers={"X-CSRF-Token": token},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["shoe"]["id"] == racer.id and changed.json()["shoe_chosen"]
    links = _activity_links(_upload(client, KORITA_GPX.name, KORITA_GPX.read_bytes()))
    [other] = [link for link in links if not link.endswith(activity_id)]
    not_a_run = client.put(
        f"/api/v1{other.removeprefix('/training')}/shoe",
        json={"shoe_id": racer.id},
        headers={"X-CSRF-Token": token},
    )
    assert not_a_run.status_code == 422  # a hike or ride has no running shoes


PASSWORD = "correct horse battery"


def _signed_in(service: Stridewell, email: str) -> TestClient:
    client = TestClient(create_app(service, multi_user=True), follow_redirects=False)
    client.get("/login")
    data = {"email": email, "password": PASSWORD, "csrf_token": client.cookies["sw_csrf"]}
    assert client.post("/login", data=data).status_code == 303
    return client


def test_another_runners_activity_page_and_shoe_form_read_as_missing(service: Stridewell) -> None:
    ann = service.accounts.register("ann@example.org", PASSWORD, "Ann Runner")
    service.accounts.register("bob@example.org", PASSWORD, "Bob Runner")
    training = service.for_runner(ann.runner_id).training
    training.import_paths([FENIX_RUN])
    [run] = training.activities()
    shoe = service.for_runner(ann.runner_id).shoes.add({"brand": "Acme", "model": "Daily"})
    with _signed_in(service, "bob@example.org") as bob:
        assert bob.get(f"/training/activities/{run.id}").status_code == 404
        assert bob.get(f"/api/v1/activities/{run.id}").status_code == 404
        token = bob.cookies["sw_csrf"]
        moved = bob.post(
            f"/training/activities/{run.id}/shoe", data={"csrf_token": token, "shoe_id": shoe.id}
        )
        assert moved.status_code == 404
    assert training.activity(run.id).shoe_id is None


def test_a_coach_reads_the_runners_spike_as_theirs_and_counted_in_words(
    service: Stridewell, tmp_path: Path
) -> None:
    ann = service.accounts.register("ann@example.org", PASSWORD, "Ann Runner")
    cy = service.accounts.register("cy@example.org", PASSWORD, "Cy Coach", role="coach")
    now = datetime.now(UTC).replace(microsecond=0)
    runs = [synthetic_run(i, now - timedelta(days=31 - 2 * i, hours=2), 2400) for i in range(14)]
    runs.append(synthetic_run(99, now - timedelta(days=3, hours=2), 3600))  # a spike
    for i, run in enumerate(runs):
        (tmp_path / f"run-{i:02d}.gpx").write_bytes(write_gpx(run))
    runner = service.for_runner(ann.runner_id)
    assert runner.training.import_paths(sorted(tmp_path.glob("run-*.gpx"))).imported == 15
    service.for_runner(cy.runner_id).sharing.accept_invite(runner.sharing.invite_coach())
    with _signed_in(service, "cy@example.org") as coach:
        dashboard = coach.get("/coach").text
        assert "1 single-run spike<" in dashboard and "spike(s)" not in dashboard
        page = coach.get(f"/coach/runners/{ann.runner_id}").text
    assert "Their run on" in page and "than their longest run" in page
    assert "Your run" not in page and "Keep your next long runs" not in page


def test_the_latest_finished_week_has_its_change_and_the_chart_starts_at_the_first_run(
    tmp_path: Path,
) -> None:
    monday = datetime(2026, 11, 30, 12, tzinfo=UTC)  # today: the Monday after the spike week
    sw = Stridewell(f"sqlite:///{(tmp_path / 'weeks.db').as_posix()}", clock=lambda: monday)
    sw.upgrade_database()
    runs = [(28, 1800), (21, 1800), (14, 1800), (2, 2700)]  # days before today; last a Saturday
    folder = tmp_path / "runs"
    folder.mkdir()
    for seed, (days, seconds) in enumerate(runs):
        start = monday.replace(hour=8) - timedelta(days=days)
        (folder / f"run{seed}.gpx").write_bytes(write_gpx(synthetic_run(seed, start, seconds)))
    runner = sw.local()
    runner.training.import_paths([folder])
    load = runner.training.load(weeks=16)
    assert load["weeks"][0]["week"] == "2026-W45"  # 2 Nov, the first run's week
    spike_week = load["weeks"][-2]
    assert spike_week["week"] == "2026-W48" and spike_week["change_pct"] is not None
    change = next(n for n in load["notes"] if n["kind"] == "weekly_change")
    assert change["text"].startswith("In the week of 23 Nov")
    with TestClient(create_app(sw)) as client:
        page = client.get("/training").text
    sw.close()
    chart = _figure_svg(page, "load-chart")
    desc = chart.findtext(f"{SVG}desc") or ""
    assert desc.startswith("Running distance per week, weeks starting 2 Nov to 30 Nov")
    assert "No ratio yet" not in desc
    assert "Your last 7 days (to 29 Nov 2026) were" in desc
    assert "exponentially" not in page and "Training-load ratio" not in page


SETTINGS_FIT = ACTIVITY_FILES / "fit" / "Settings.fit"


def test_the_import_reports_name_each_file_and_say_why_in_plain_words(
    client: TestClient,
) -> None:
    run = FENIX_RUN.read_bytes()
    _upload(client, "first.fit", run)
    token = hidden_fields(client.get("/training").text)["csrf_token"]
    files = [("again.fit", run), ("Settings.fit", SETTINGS_FIT.read_bytes())]
    job = client.post(
        "/imports", data={"csrf_token": token}, files=[("files", (n, d, "x")) for n, d in files]
    )
    rows = re.findall(r"<tr><td><code>(.*?)</code></td><td>(.*?)</td>", job.text)
    assert [name for name, _ in rows] == ["again.fit", "Settings.fit"]
    assert rows[1][1] == "Not imported: not an activity (a settings file from the watch)"
    assert "FIT file type" not in job.text
    # The report of the form's old address: one duplicate, named, in plain words too.
    old = client.post(
        "/training/import",
        data={"csrf_token": token},
        files=[("files", (n, d, "x")) for n, d in [("third.fit", run), *files[1:]]],
    ).text
    report = re.search(r'id="import-report">(.*?)</div>', old, re.S)
    assert report is not None
    assert "0 imported, 1 duplicate skipped, 1 set aside" in report.group(1)
    assert "<code>third.fit</code>" in report.group(1)
    assert "not an activity (a settings file from the watch)" in report.group(1)
    assert "FIT file type" not in report.group(1)


def test_an_old_fit_runs_page_gives_its_pace_and_no_bare_product_number(
    client: TestClient,
) -> None:
    old_fit = ACTIVITY_FILES / "fit" / "Activity.fit"  # 5.7 m in 14 s, "Dynastream product 1"
    [run] = read_activities(old_fit.open("rb"), old_fit.name)
    assert run.device == "Dynastream product 1" and run.distance_m < 10
    [link] = _activity_links(_upload(client, old_fit.name, old_fit.read_bytes()))
    page = client.get(link).text
    stats = re.search(r'<dl class="stats" id="stats">(.*?)</dl>', page, re.S)
    assert stats is not None
    pace = run.moving_time_s / (run.distance_m / 1000)
    assert f"<dt>Average pace</dt><dd>{int(pace // 60)}:{round(pace % 60):02d} /km</dd>" in (
        stats.group(1)
    )
    assert "Average speed" not in page and "product 1" not in page


def test_the_heart_rate_chart_says_its_line_is_averaged_beside_the_highest_reading(
    client: TestClient,
) -> None:
    [link] = _activity_links(_upload(client, FENIX_RUN.name, FENIX_RUN.read_bytes()))
    page = client.get(link).text
    desc = _figure_svg(page, "chart-heart_rate").findtext(f"{SVG}desc") or ""
    highest = re.search(r"<dt>Highest heart rate</dt><dd>(\d+) bpm</dd>", page)
    assert highest is not None and f"highest {highest.group(1)} bpm" in desc
    line = re.search(
        r"the line, averaged over short stretches, runs from (\d+) bpm to (\d+) bpm", desc
    )
    assert line is not None and int(line.group(2)) <= int(highest.group(1))
    assert "; range " not in desc

"""Folders and Strava exports import with gear; duplicates are recognised; reports are kept."""

from __future__ import annotations

import gzip
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from synthetic import synthetic_run, write_fit, write_gpx

from stridewell.activities import ImportProblem, Source, import_all, iter_sources

START = datetime(2024, 5, 1, 6, 30, tzinfo=UTC)

STRAVA_CSV = """Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,\
Elapsed Time,Distance,Filename,Activity Gear
101,"May 1, 2024, 6:30:00 AM",Morning Run,Run,,600,1.8,activities/101.fit.gz,Pegasus 40
102,"May 2, 2024, 6:30:00 AM",Treadmill,Run,,600,1.8,activities/102.gpx.gz,Clifton 9
103,"May 3, 2024, 6:30:00 AM",Broken,Run,,600,1.8,activities/103.fit,Pegasus 40
"""


def _strava_zip(path: Path, fenix_run: bytes) -> Path:
    first = write_fit(synthetic_run(1, START, 600))
    second = write_gpx(synthetic_run(2, START + timedelta(days=1), 600))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities.csv", STRAVA_CSV)
        archive.writestr("activities/101.fit.gz", gzip.compress(first))
        archive.writestr("activities/102.gpx.gz", gzip.compress(second))
        archive.writestr("activities/103.fit", fenix_run[:20] + b"\xff" * 50)
        archive.writestr("media/photo.jpg", b"\xff\xd8 not an activity")
        archive.writestr("profile.csv", "Athlete ID\n1\n")
    return path


def test_strava_export_imports_with_gear_names_types_and_ids(tmp_path: Path, shared: Path) -> None:
    fenix = (shared / "fit" / "garmin-fenix-5-run.fit").read_bytes()
    archive = _strava_zip(tmp_path / "export.zip", fenix)
    activities, report = import_all(list(iter_sources([archive])))
    assert report.imported == 2 and report.files == 3
    by_id = {a.external_id: a for a in activities}
    assert by_id["strava:101"].gear == "Pegasus 40"
    assert by_id["strava:101"].name == "Morning Run"
    assert by_id["strava:102"].gear == "Clifton 9"
    assert by_id["strava:102"].sport == "running"  # the GPX has no type; Strava says Run
    ((source, reason),) = report.set_aside
    assert source.endswith("!activities/103.fit") and reason


def test_the_same_run_from_fit_and_gpx_is_imported_once(tmp_path: Path) -> None:
    run = synthetic_run(7, START, 1800)
    (tmp_path / "watch.fit").write_bytes(write_fit(run))
    (tmp_path / "phone.gpx").write_bytes(write_gpx(run))
    activities, report = import_all(list(iter_sources([tmp_path])))
    assert len(activities) == 1
    assert len(report.duplicates) == 1


def test_a_second_import_skips_everything_as_duplicates(tmp_path: Path) -> None:
    for day in range(3):
        run = synthetic_run(day, START + timedelta(days=day), 600)
        (tmp_path / f"{day}.fit").write_bytes(write_fit(run))
    first, _ = import_all(list(iter_sources([tmp_path])))
    known = {a.fingerprint() for a in first}
    again, report = import_all(list(iter_sources([tmp_path])), known_fingerprints=known)
    assert again == [] and len(report.duplicates) == 3


def test_fingerprint_tolerates_a_few_seconds_and_per_cent_between_sources() -> None:
    run = synthetic_run(3, START + timedelta(seconds=59), 1800)
    shifted = synthetic_run(3, START + timedelta(seconds=61), 1800)
    shifted.distance = shifted.distance * 1.03
    import io

    from stridewell.activities import read_activities

    (a,) = read_activities(io.BytesIO(write_fit(run)))
    (b,) = read_activities(io.BytesIO(write_fit(shifted)))
    assert a.fingerprint() != b.fingerprint()
    assert b.fingerprint() in a.fingerprint_neighbours()


def test_one_broken_file_in_a_folder_never_stops_the_rest(tmp_path: Path, shared: Path) -> None:
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    (sub / "ok.fit").write_bytes((shared / "fit" / "garmin-fenix-5-walk.fit").read_bytes())
    (tmp_path / "bad.tcx").write_bytes(b"<TrainingCenterDatabase><oops")
    (tmp_path / "settings.fit").write_bytes((shared / "fit" / "Settings.fit").read_bytes())
    (tmp_path / "notes.txt").write_text("listed as not read: not an activity file name")
    calls: list[tuple[int, int | None, str]] = []
    sources = list(iter_sources([tmp_path, tmp_path / "missing.fit"]))
    activities, report = import_all(sources, progress=lambda d, t, n: calls.append((d, t, n)))
    assert [a.sport for a in activities] == ["walking"]
    reasons = dict(report.set_aside)
    assert "not well-formed" in reasons[str(tmp_path / "bad.tcx")]
    assert reasons[str(tmp_path / "settings.fit")] == "not an activity: FIT file type is 'settings'"
    assert reasons[str(tmp_path / "missing.fit")] == "no such file or folder"
    assert [name for name, _ in report.not_read] == [str(tmp_path / "notes.txt")]
    assert "not an activity file" in report.not_read[0][1]
    assert [c[0] for c in calls] == [1, 2, 3, 4, 5] and all(c[1] == 5 for c in calls)
    assert report.summary() == (
        "1 imported, 0 duplicates skipped, 3 set aside, 1 other file not read"
    )


def test_source_that_fails_to_read_is_reported_not_raised() -> None:
    def broken() -> bytes:
        raise ImportProblem("cannot be read (disk error)", "x.fit")

    _, report = import_all([Source("x.fit", broken)])
    assert report.set_aside == [("x.fit", "cannot be read (disk error)")]

"""Every real FIT file imports with the totals its sessions state, or is set aside politely."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from repo_paths import available
from stridewell.activities import Activity, ImportProblem, read_activities

# file -> (sport, distance m, elapsed s) of the activity that must be among those imported,
# as stated by the file's session message (decoded with fitdecode for the MANIFEST).
SESSIONS = {
    "2013-02-06-12-11-14.fit": ("running", 4835.38, 2625.14),
    "activity-small-fenix2-run.fit": ("running", 9008.22, 2832.0),
    "compressed-speed-distance.fit": ("running", 10248.67, 3883.273),
    "developer-types-sample.fit": ("running", 6753.99, 3424.0),
    "sample_mulitple_header.fit": ("running", 9805.92, 2850.694),
    "garmin-fenix-5-run.fit": ("running", 157.56, 56.887),
    "Activity.fit": ("running", 5.73, 13.749),
    "activity-filecrc.fit": ("running", 5.73, 13.749),
    "activity-activity-filecrc.fit": ("running", 5.73, 13.749),
    "activity-settings.fit": ("running", 5.73, 13.749),
    "activity-settings-corruptheader.fit": ("running", 5.73, 13.749),
    "activity-settings-nodata.fit": ("running", 5.73, 13.749),
    "activity-unexpected-eof.fit": ("running", 5.73, 13.749),
    "antfs-dump.63.fit": ("running", 0.0, 3426.898),
    "strava-android-app-201.10-b1218918.fit": ("running", 11274.04, 3558.0),
    "2015-10-13-08-43-15.fit": ("cycling", 11536.43, 1623.198),
    "2019-02-17-062644-ELEMNT-297E-195-0.fit": ("cycling", 78940.55, 23595.0),
    "Edge810-Vector-2013-08-16-15-35-10.fit": ("cycling", 41339.38, 4700.05),
    "garmin-edge-500-activity.fit": ("cycling", 92622.34, 12691.28),
    "garmin-edge-820-bike.fit": ("cycling", 457.12, 64.524),
    "garmin-fenix-5-bike.fit": ("cycling", 459.52, 60.363),
    "sample-activity.fit": ("cycling", 88797.21, 11741.57),
    "null_compressed_speed_dist.fit": ("cycling", 13400.14, 1807.0),
    "elemnt-bolt-no-application-id-inside-developer-data-id.fit": ("cycling", 963.65, 140.0),
    "coros-pace-2-cycling-misaligned-fields.fit": ("cycling", 32145.76, 12719.0),
    "activity-large-fenxi2-multisport.fit": ("cycling", 28928.27, 3211.0),
    "sample-activity-indoor-trainer.fit": ("cycling", 0.0, 2261.85),
    "20170518-191602-1740899583.fit": ("fitness", 0.0, 1707.308),
    "event_timestamp.fit": ("swimming", 2606.04, 4567.485),
    "garmin-fr935-cr.fit": ("swimming", 0.0, 7552.97),
    "garmin-fenix-5-walk.fit": ("walking", 67.85, 45.379),
    "HrmPluginTestActivity.fit": ("walking", 60.0, 309.0),
    "ActivityDevFields.fit": ("paddling", 3600.0, 3601.0),
}
# Files without any session message: imported from their records, with a warning.
SESSIONLESS = {"nick.fit": "cycling", "WithGearChangeData.fit": "other"}
NOT_ACTIVITIES = {
    "Settings.fit": "settings",
    "Settings2.fit": "settings",
    "nametest.FIT": "settings",
    "MonitoringFile.fit": "monitoring_b",
    "WeightScaleMultiUser.fit": "weight",
    "WeightScaleSingleUser.fit": "weight",
    "WorkoutCustomTargetValues.fit": "workout",
    "WorkoutIndividualSteps.fit": "workout",
    "WorkoutRepeatGreaterThanStep.fit": "workout",
    "WorkoutRepeatSteps.fit": "workout",
}


def _read(path: Path) -> list[Activity]:
    with path.open("rb") as handle:
        return read_activities(handle, path.name)


def _close(actual: float, expected: float) -> bool:
    return abs(actual - expected) <= max(0.01 * expected, 0.01)


def test_every_real_fit_file_is_covered_by_these_tests(shared: Path) -> None:
    files = {p.name for p in (shared / "fit").iterdir() if p.suffix.lower() == ".fit"}
    covered = set(SESSIONS) | set(SESSIONLESS) | set(NOT_ACTIVITIES) | {"DeveloperData.fit"}
    assert files == set(available(covered))


@pytest.mark.parametrize("name", available(SESSIONS))
def test_fit_activity_imports_with_the_session_distance_duration_and_sport(
    shared: Path, name: str
) -> None:
    sport, distance, duration = SESSIONS[name]
    activities = _read(shared / "fit" / name)
    matches = [
        a
        for a in activities
        if a.sport == sport and _close(a.distance_m, distance) and _close(a.duration_s, duration)
    ]
    assert matches, [(a.sport, a.distance_m, a.duration_s) for a in activities]
    for activity in activities:
        assert len(activity.samples) > 0
        assert activity.start_time.tzinfo is not None
        assert activity.source_format == "fit"
        assert activity.moving_time_s <= activity.duration_s + 1e-6


@pytest.mark.parametrize("name", sorted(NOT_ACTIVITIES))
def test_fit_file_that_is_not_an_activity_is_set_aside_naming_its_type(
    shared: Path, name: str
) -> None:
    with pytest.raises(ImportProblem) as caught:
        _read(shared / "fit" / name)
    assert caught.value.reason == f"not an activity: FIT file type is '{NOT_ACTIVITIES[name]}'"
    assert caught.value.source == name


def test_fit_file_whose_records_have_no_time_is_set_aside(shared: Path) -> None:
    with pytest.raises(ImportProblem, match="no records with time"):
        _read(shared / "fit" / "DeveloperData.fit")


@pytest.mark.parametrize("name", available(SESSIONLESS))
def test_fit_file_without_session_is_built_from_its_records_and_says_so(
    shared: Path, name: str
) -> None:
    (activity,) = _read(shared / "fit" / name)
    assert activity.sport == SESSIONLESS[name]
    assert any("no session message" in w for w in activity.warnings)
    assert activity.duration_s == pytest.approx(float(activity.samples.time_s[-1]), abs=1)


def test_truncated_fit_keeps_the_records_read_so_far_with_a_warning(shared: Path) -> None:
    (activity,) = _read(shared / "fit" / "nick.fit")
    assert any("truncated" in w for w in activity.warnings)
    assert any("CRC" in w for w in activity.warnings)
    assert len(activity.samples) == 14391
    assert activity.distance_m > 100_000


def test_fit_with_a_local_message_used_before_definition_recovers_the_later_records(
    shared: Path,
) -> None:
    (activity,) = _read(shared / "fit" / "strava-android-app-201.10-b1218918.fit")
    assert any("damaged" in w for w in activity.warnings)
    # fitdecode and the Garmin SDK stop at byte 7471 with 473 records; the run is ~3558 s.
    assert len(activity.samples) > 3000
    assert float(np.nanmax(activity.samples.time_s)) <= 3558 + 60


def test_bad_crc_warns_and_keeps_the_data(shared: Path) -> None:
    (activity,) = _read(shared / "fit" / "activity-filecrc.fit")
    assert any("CRC does not match" in w for w in activity.warnings)
    assert len(activity.samples) == 14


def test_chained_fit_files_give_one_activity_each(shared: Path) -> None:
    activities = _read(shared / "fit" / "activity-activity-filecrc.fit")
    assert len(activities) == 2
    assert activities[0].fingerprint() == activities[1].fingerprint()


def test_corrupt_second_header_keeps_the_first_activity_and_says_what_was_ignored(
    shared: Path,
) -> None:
    (activity,) = _read(shared / "fit" / "activity-settings-corruptheader.fit")
    assert any("ignored 83 bytes" in w for w in activity.warnings)


def test_multisport_file_gives_one_activity_per_session_with_its_own_sport(shared: Path) -> None:
    activities = _read(shared / "fit" / "sample_mulitple_header.fit")
    assert [(a.sport, a.sub_sport) for a in activities] == [
        ("swimming", "open_water"),
        ("other", "transition"),
        ("cycling", "generic"),
        ("other", "transition"),
        ("running", "generic"),
    ]
    starts = [a.start_time for a in activities]
    assert starts == sorted(starts)


def test_running_cadence_is_reported_in_steps_per_minute(shared: Path) -> None:
    (run,) = _read(shared / "fit" / "compressed-speed-distance.fit")
    assert run.avg_cadence == pytest.approx(2 * 88)  # the session says 88 strides/min
    (ride,) = _read(shared / "fit" / "garmin-edge-500-activity.fit")
    assert ride.avg_cadence == pytest.approx(88)  # pedal rpm is left as it is


def test_device_relative_times_are_placed_with_the_local_clock_and_flagged(shared: Path) -> None:
    (activity,) = _read(shared / "fit" / "antfs-dump.63.fit")
    assert activity.start_time.year == 2012
    assert any("power-on" in w for w in activity.warnings)


def test_indoor_activities_are_recognised(shared: Path) -> None:
    (rowing,) = _read(shared / "fit" / "20170518-191602-1740899583.fit")
    (trainer,) = _read(shared / "fit" / "sample-activity-indoor-trainer.fit")
    (zwift,) = _read(shared / "fit" / "null_compressed_speed_dist.fit")
    (outdoor,) = _read(shared / "fit" / "garmin-edge-500-activity.fit")
    assert rowing.is_indoor and trainer.is_indoor and zwift.is_indoor
    assert not outdoor.is_indoor


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle, skipinitialspace=True))


def _number(text: str | None) -> float:
    try:
        return float(text) if text not in (None, "", "null") else np.nan
    except ValueError:
        return np.nan


def _csv_time(text: str) -> float:
    if text.isdigit():
        return float(text)
    parsed = datetime.strptime(text.replace(" PDT ", " "), "%a %b %d %H:%M:%S %Y")
    return (parsed + timedelta(hours=7)).timestamp()


@pytest.mark.parametrize(
    "stem",
    [
        "compressed-speed-distance",
        "garmin-edge-500-activity",
        "garmin-edge-820-bike",
        "garmin-fenix-5-bike",
        "garmin-fenix-5-run",
        "garmin-fenix-5-walk",
    ],
)
def test_fit_records_match_the_python_fitparse_reference(shared: Path, stem: str) -> None:
    rows = _csv_rows(shared / "fit" / f"{stem}-records.csv")
    (activity,) = _read(shared / "fit" / f"{stem}.fit")
    samples = activity.samples
    assert len(samples) == len(rows)
    keys = {k.lower(): k for k in rows[0]}
    time_key = keys.get("timestamp")
    distance_key = next(k for lk, k in keys.items() if lk.startswith("distance"))
    hr_key = next(k for lk, k in keys.items() if lk.startswith("heart"))
    expected_distance = np.array([_number(r[distance_key]) for r in rows])
    assert samples.distance_m is not None
    np.testing.assert_allclose(samples.distance_m, expected_distance, atol=0.05, equal_nan=True)
    expected_hr = np.array([_number(r[hr_key]) for r in rows])
    if samples.heart_rate is not None:
        np.testing.assert_allclose(samples.heart_rate, expected_hr, equal_nan=True)
    assert time_key is not None
    times = np.array([_csv_time(r[time_key]) for r in rows])
    np.testing.assert_allclose(samples.time_s - samples.time_s[0], times - times[0])


def test_fit_file_read_from_a_stream_in_memory_matches_the_file(shared: Path) -> None:
    data = (shared / "fit" / "activity-small-fenix2-run.fit").read_bytes()
    (a,) = read_activities(io.BytesIO(data), "x.fit")
    (b,) = _read(shared / "fit" / "activity-small-fenix2-run.fit")
    assert a.fingerprint() == b.fingerprint()
    assert a.avg_pace_s_per_km == pytest.approx(2832.0 / 9.00822, rel=1e-3)

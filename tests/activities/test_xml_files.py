"""Real GPX and TCX files import with the distance and duration their sources state."""

from __future__ import annotations

from pathlib import Path

import pytest

from stridewell.activities import Activity, ImportProblem, read_activities

# file -> (sport, distance m as gpxpy's length_2d, elapsed s first to last timed point).
GPX = {
    "cerknicko-jezero.gpx": ("other", 4580.1, 7190.0),
    "cerknicko-jezero-no-creator.gpx": ("other", 4580.1, 7190.0),
    "cerknicko-jezero-with-elevations-zero.gpx": ("other", 4580.1, 7190.0),
    "cerknicko-jezero-without-elevations.gpx": ("other", 4580.1, 7176.0),
    "korita-zbevnica.gpx": ("other", 14913.7, 13381.0),
    "around-visnjan-with-car.gpx": ("other", 2736.3, 514.0),
    "track-with-empty-segment.gpx": ("other", 85.9, 76.0),
    "track_with_speed.gpx": ("other", 18.7, 13.0),
    "track-with-less-sec-time.gpx": ("running", 1.6, 0.994),
    "first_and_last_elevation.gpx": ("other", 195708.1, 7200.0),
}
GPX_SET_ASIDE = {
    "Mojstrovka.gpx": "implausible start time 1901",
    "cerknicko-without-times.gpx": "most track points have no time",
    "custom_schema_locations.gpx": "no track points",
    "default_schema_locations.gpx": "no track points",
    "gpx-with-node-with-comments.gpx": "only one timed record",
    "gpx1.0_with_all_fields.gpx": "only one timed record",
    "gpx1.1_with_all_fields.gpx": "only one timed record",
    "gpx1.1_with_extensions.gpx": "routes/waypoints but no track",
    "gpx1.1_with_extensions_without_namespaces.gpx": "routes/waypoints but no track",
    "gpx_with_garmin_extension.gpx": "routes/waypoints but no track",
    "route.gpx": "routes/waypoints but no track",
    "track-with-extremes.gpx": "no records with time",
    "track-with-small-floats.gpx": "no records with time",
    "track_with_dilution_errors.gpx": "no records with time",
    "unicode.gpx": "routes/waypoints but no track",
    "unicode2.gpx": "no track points",
    "unicode_with_bom.gpx": "routes/waypoints but no track",
    "unicode_with_bom_noencoding.gpx": "routes/waypoints but no track",
}
# file -> (sport, distance m and duration s as tcxreader states them).
TCX = {
    "cross-country-skiing_activity_1.tcx": ("other", 5692.01, 2401.0),
    "mapmyride_biking.tcx": ("cycling", 15350.42, 3105.05),
    "no_hr.tcx": ("running", 4689.24, 1991.0),
    "sup_activity_1.tcx": ("other", 1157.51, 1112.0),
    "test.tcx": ("running", 4689.24, 1991.0),
}


def _read(path: Path) -> list[Activity]:
    with path.open("rb") as handle:
        return read_activities(handle, path.name)


def test_every_real_gpx_and_tcx_file_is_covered(shared: Path) -> None:
    assert {p.name for p in (shared / "gpx").iterdir()} == set(GPX) | set(GPX_SET_ASIDE)
    assert {p.name for p in (shared / "tcx").iterdir()} == set(TCX)


@pytest.mark.parametrize("name", sorted(GPX))
def test_gpx_track_imports_with_its_distance_and_duration(shared: Path, name: str) -> None:
    sport, distance, duration = GPX[name]
    (activity,) = _read(shared / "gpx" / name)
    assert activity.sport == sport
    assert activity.distance_m == pytest.approx(distance, rel=0.01, abs=0.1)
    assert activity.duration_s == pytest.approx(duration, rel=0.01)
    assert activity.source_format == "gpx"
    assert len(activity.samples) >= 2


@pytest.mark.parametrize("name", sorted(GPX_SET_ASIDE))
def test_gpx_without_a_usable_track_is_set_aside_with_a_reason(shared: Path, name: str) -> None:
    with pytest.raises(ImportProblem) as caught:
        _read(shared / "gpx" / name)
    assert GPX_SET_ASIDE[name] in caught.value.reason


@pytest.mark.parametrize("name", sorted(TCX))
def test_tcx_activity_imports_with_its_distance_duration_and_sport(shared: Path, name: str) -> None:
    sport, distance, duration = TCX[name]
    (activity,) = _read(shared / "tcx" / name)
    assert activity.sport == sport
    assert activity.distance_m == pytest.approx(distance, rel=0.01)
    assert activity.duration_s == pytest.approx(duration, rel=0.01)
    assert activity.source_format == "tcx"


def test_tcx_heart_rate_and_device_are_read(shared: Path) -> None:
    (with_hr,) = _read(shared / "tcx" / "test.tcx")
    (without,) = _read(shared / "tcx" / "no_hr.tcx")
    assert with_hr.avg_hr == pytest.approx(156.65, abs=0.1)
    assert without.avg_hr is None
    assert with_hr.device is not None and "Forerunner 410" in with_hr.device


def test_gpx_korita_counts_untimed_points_for_distance_and_warns(shared: Path) -> None:
    (activity,) = _read(shared / "gpx" / "korita-zbevnica.gpx")
    assert any("358 of 871" in w for w in activity.warnings)
    assert len(activity.samples) == 871 - 358


def _both_paths(data: bytes) -> tuple[object, object]:
    """The GPX result through the column extractor and through the streaming parser."""
    import io

    from stridewell.activities import gpx as gpx_module

    def run() -> object:
        try:
            (a,) = gpx_module.parse_gpx(io.BytesIO(data))
        except ImportProblem as exc:
            return exc.reason
        return (a.sport, a.start_time, a.duration_s, round(a.distance_m, 3), a.avg_hr,
                a.avg_cadence, a.elevation_gain_m, len(a.samples), a.name, a.warnings)  # fmt: skip

    fast = run()
    original = getattr(gpx_module, "extract")  # noqa: B009 - patched below, on purpose
    setattr(gpx_module, "extract", lambda _data: None)  # noqa: B010
    try:
        slow = run()
    finally:
        setattr(gpx_module, "extract", original)  # noqa: B010
    return fast, slow


@pytest.mark.parametrize("name", sorted(GPX) + sorted(GPX_SET_ASIDE))
def test_gpx_column_extractor_agrees_with_the_streaming_parser(shared: Path, name: str) -> None:
    fast, slow = _both_paths((shared / "gpx" / name).read_bytes())
    assert fast == slow


def test_gpx_extractor_handles_prefixes_comments_and_self_closing_points() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<g:gpx xmlns:g="http://www.topografix.com/GPX/1/1" creator="A &amp; B"><g:trk>
<g:name>Tom &amp; Jerry</g:name><g:type>running</g:type><g:trkseg>
<!-- <g:trkpt lat="0" lon="0"><g:time>1999-01-01T00:00:00Z</g:time></g:trkpt> -->
<g:trkpt lon="14.0" lat="46.0"><g:ele>300</g:ele><g:time>2021-06-01T06:00:00Z</g:time></g:trkpt>
<g:trkpt lat='46.001' lon='14.0'/>
<g:trkpt lat="46.002" lon="14.0" ><g:time>2021-06-01T06:01:00Z</g:time></g:trkpt >
</g:trkseg></g:trk></g:gpx>"""
    fast, slow = _both_paths(data)
    assert fast == slow
    assert isinstance(fast, tuple) and fast[0] == "running" and fast[7] == 2

"""Hostile input is refused cleanly: XML entity tricks, zip traversal, bombs, size limits."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from stridewell.activities import ImportProblem, Limits, import_all, iter_sources, read_activities

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<gpx version="1.1"><trk><name>&lol4;</name><trkseg>
<trkpt lat="1" lon="1"><time>2020-01-01T00:00:00Z</time></trkpt>
<trkpt lat="1" lon="1.001"><time>2020-01-01T00:01:00Z</time></trkpt>
</trkseg></trk></gpx>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE TrainingCenterDatabase [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TrainingCenterDatabase><Activities><Activity Sport="Running"><Notes>&xxe;</Notes>
</Activity></Activities></TrainingCenterDatabase>"""

GOOD_GPX = b"""<?xml version="1.0"?><gpx version="1.1"><trk><trkseg>
<trkpt lat="46.0" lon="14.0"><time>2020-01-01T00:00:00Z</time></trkpt>
<trkpt lat="46.0" lon="14.01"><time>2020-01-01T00:05:00Z</time></trkpt>
</trkseg></trk></gpx>"""


def test_xml_entity_expansion_bomb_is_refused() -> None:
    with pytest.raises(ImportProblem, match="entities"):
        read_activities(io.BytesIO(BILLION_LAUGHS), "laughs.gpx")


def test_xml_external_entity_is_refused_and_never_read() -> None:
    with pytest.raises(ImportProblem) as caught:
        read_activities(io.BytesIO(EXTERNAL_ENTITY), "xxe.tcx")
    assert "entit" in caught.value.reason
    assert "root:" not in caught.value.reason


def test_malformed_xml_is_set_aside_with_the_line() -> None:
    with pytest.raises(ImportProblem, match="not well-formed XML"):
        read_activities(io.BytesIO(GOOD_GPX[:-20]), "cut.gpx")


def test_gzip_file_is_decompressed_and_sniffed_by_content() -> None:
    (activity,) = read_activities(io.BytesIO(gzip.compress(GOOD_GPX)), "a.gpx.gz")
    assert activity.source_format == "gpx"
    assert activity.source_name == "a.gpx.gz"


def test_gzip_bomb_is_refused_at_the_decompression_limit() -> None:
    bomb = gzip.compress(b"\0" * (8 << 20))
    with pytest.raises(ImportProblem, match="decompression bomb"):
        read_activities(io.BytesIO(bomb), "bomb.fit.gz", Limits(max_decompressed_bytes=1 << 20))


def test_file_over_the_size_limit_is_refused() -> None:
    with pytest.raises(ImportProblem, match="larger than the limit"):
        read_activities(io.BytesIO(GOOD_GPX), "big.gpx", Limits(max_file_bytes=100))


def test_unknown_content_is_set_aside_not_guessed_from_the_name() -> None:
    with pytest.raises(ImportProblem, match="not a FIT, GPX or TCX"):
        read_activities(io.BytesIO(b"hello world"), "notes.fit")


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_member_with_a_traversal_name_is_refused_and_the_rest_imports(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "x.zip", {"../../evil.gpx": GOOD_GPX, "ok/run.gpx": GOOD_GPX})
    activities, report = import_all(list(iter_sources([archive])))
    assert len(activities) == 1
    assert report.set_aside == [
        (f"{archive}!../../evil.gpx", "unsafe member name (path traversal): refused")
    ]
    assert not (tmp_path.parent / "evil.gpx").exists()


def test_zip_bomb_member_is_refused_and_the_rest_imports(tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "bomb.zip", {"activities/bomb.fit": b"\0" * (8 << 20), "a.gpx": GOOD_GPX}
    )
    limits = Limits(max_decompressed_bytes=1 << 20)
    activities, report = import_all(list(iter_sources([archive], limits)), limits=limits)
    assert len(activities) == 1
    ((source, reason),) = report.set_aside
    assert source.endswith("!activities/bomb.fit") and "bomb" in reason


def test_zip_with_too_many_members_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "many.zip", {f"{i}.gpx": GOOD_GPX for i in range(5)})
    items = list(iter_sources([archive], Limits(max_zip_members=3)))
    assert len(items) == 1 and isinstance(items[0], ImportProblem)
    assert "over the limit" in items[0].reason


def test_damaged_zip_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    _, report = import_all(iter_sources([path]))
    assert report.set_aside and "zip" in report.set_aside[0][1]

"""The regex column extractor for GPX gives exactly what the streaming XML parser gives.

Every shape is read both ways and compared column by column: the fast path may decline
(None), but it must never differ.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from repo_paths import ACTIVITY_FILES
from stridewell.activities import ImportProblem, read_activities
from stridewell.activities.gpx import _Gpx
from stridewell.activities.gpx_fast import _scan_tokens, _whole_points, extract
from stridewell.activities.xmlsafe import check_xml, parse_xml

GPX_DIR = ACTIVITY_FILES / "gpx"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" '
    'xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
    "<trk><name>Run</name><type>running</type>"
)
GARMIN = (
    "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr>"
    "<gpxtpx:cad>{cad}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions>"
)


def _point(i: int, *, attrs: str | None = None, ext: str = GARMIN, extra: str = "") -> str:
    attrs = attrs or f'lat="46.{i:04d}" lon="14.{i:04d}"'
    body = f"<ele>{300 + i}</ele><time>2024-05-01T06:00:{i:02d}Z</time>{extra}"
    return f"<trkpt {attrs}>{body}{ext.format(hr=140 + i, cad=85)}</trkpt>\n"


def _doc(*segments: str) -> bytes:
    inner = "".join(f"<trkseg>{s}</trkseg>" for s in segments)
    return (HEAD + inner + "</trk></gpx>").encode()


def _streamed(data: bytes) -> _Gpx:
    doc = _Gpx()
    parse_xml(io.BytesIO(data), doc.start, doc.end, doc.text, "GPX")
    return doc


def _same(a: object, b: object) -> None:
    np.testing.assert_array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float))


def _assert_matches_streaming(data: bytes) -> bool:
    """True when the fast path applied (and agreed); False when it declined."""
    fast = extract(data)
    if fast is None:
        return False
    slow = _streamed(data)
    for column in ("lat", "lon", "ele", "hr", "cad"):
        _same(getattr(fast, column), getattr(slow, column))
    assert [t or None for t in fast.time] == [t.strip() if t else None for t in slow.time]
    n = len(slow.lat)  # both keep only boundaries inside the track (as the builder needs)
    assert list(fast.segments) == sorted({i for i in slow.segments if 0 < i < n})
    return True


SHAPES = {
    "garmin": _doc("".join(_point(i) for i in range(5))),
    "lon before lat": _doc(
        "".join(_point(i, attrs=f'lon="14.{i}" lat="46.{i}"') for i in range(4))
    ),
    "single quotes": _doc("".join(_point(i, attrs=f"lat='46.{i}' lon='14.{i}'") for i in range(4))),
    "plain hr and cad": _doc(
        "".join(
            _point(i, ext="<extensions><hr>{hr}</hr><cad>{cad}</cad></extensions>")
            for i in range(4)
        )
    ),
    "cadence before heart rate": _doc(
        "".join(
            _point(i, ext="<extensions><cad>{cad}</cad><hr>{hr}</hr></extensions>")
            for i in range(4)
        )
    ),
    "decimal garmin heart rate": _doc(
        "".join(_point(i, ext=GARMIN.replace("{hr}", "{hr}.5")) for i in range(3))
    ),
    "no extensions": _doc("".join(_point(i, ext="") for i in range(4))),
    "some points without heart rate": _doc(
        _point(0) + _point(1, ext="") + _point(2, ext="<extensions><cad>{cad}</cad></extensions>")
    ),
    "extra simple elements": _doc(
        "".join(_point(i, extra="<sat>7</sat><hdop>1.2</hdop>") for i in range(3))
    ),
    "three segments": _doc(_point(0) + _point(1), _point(2), _point(3) + _point(4)),
    "an empty segment first": _doc("", _point(0) + _point(1)),
    "self-closing point": _doc(_point(0) + '<trkpt lat="46.5" lon="14.5"/>' + _point(2)),
    "time before ele": _doc(
        '<trkpt lat="46.1" lon="14.1"><time>2024-05-01T06:00:00Z</time><ele>3</ele></trkpt>'
        + _point(1)
    ),
    "nested link element": _doc(
        _point(0, extra='<link href="http://x.example/a"><text>t</text></link>') + _point(1)
    ),
    "duplicate heart rate": _doc(
        _point(0, ext="<extensions><hr>{hr}</hr><hr>99</hr></extensions>") + _point(1)
    ),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_the_fast_gpx_path_agrees_with_the_streaming_parser(name: str) -> None:
    _assert_matches_streaming(SHAPES[name])


def test_the_common_garmin_shape_takes_the_single_expression_path() -> None:
    found = _whole_points(SHAPES["garmin"].decode())
    assert found is not None
    assert found[4] == [str(140 + i) for i in range(5)]  # heart rate
    assert _whole_points(SHAPES["cadence before heart rate"].decode()) is None


def test_points_the_single_expression_declines_fall_to_the_token_scanner() -> None:
    text = SHAPES["time before ele"].decode()
    assert _whole_points(text) is None
    scanned = _scan_tokens(text)
    assert scanned is not None
    assert scanned[2] == ["3", "301"]  # ele of both points, in order


@pytest.mark.parametrize(
    "path", sorted(GPX_DIR.glob("*.gpx")) if GPX_DIR.is_dir() else [], ids=lambda p: p.name
)
def test_every_real_gpx_file_reads_the_same_both_ways(path: Path) -> None:
    data = path.read_bytes()
    try:
        check_xml(data, "GPX")
    except ImportProblem:
        return  # a broken file: the importer sets it aside before either path runs
    _assert_matches_streaming(data)


def test_a_file_built_to_make_regexes_backtrack_is_read_in_linear_time() -> None:
    # Many simple elements, then one the single expression does not model: a pattern
    # that may backtrack tries every way to split each tag into name and attributes, which
    # grows exponentially (six such tags took seconds; thirty would never finish).
    extra = "".join(f"<desc{i:02d}abcdefgh>v</desc{i:02d}abcdefgh>" for i in range(30))
    extra += '<link href="h"><text>t</text></link>'
    data = _doc(_point(0, extra=extra) + _point(1))
    activities = read_activities(io.BytesIO(data))
    assert len(activities) == 1
    _assert_matches_streaming(data)

"""Column extraction for plain GPX, after the document was checked by the safe XML parser.

A Python callback per XML element costs more than everything else together, so for the
common GPX shape the columns are pulled out with compiled regular expressions over the
whole (already validated, entity-free) text: one pass per field, each value placed in its
track point by position with ``np.searchsorted``. Whatever this path does not model exactly
(CDATA sections, processing instructions in the body, encodings other than UTF-8/ASCII,
unbalanced point tags) returns None and the caller falls back to the streaming callback
parser, so the fast path never guesses.
"""

from __future__ import annotations

import bisect
import html
import re

import numpy as np

from .model import F64

_P = r"<(?:[\w.-]+:)?"
_TOKEN = re.compile(
    r"<(?:(/)(?:[\w.-]+:)?trkpt\s*|(?:[\w.-]+:)?"
    r"(trkpt|trkseg|trk|ele|time|hr|heartrate|cad|cadence)\b([^>]*))>([^<]*)"
)
_FIELD_KEY = {
    "ele": "ele",
    "time": "time",
    "hr": "hr",
    "heartrate": "hr",
    "cad": "cad",
    "cadence": "cad",
    "trk": "",
    "trkseg": "",
}
_TRK = re.compile(_P + r"trk\b")
# Attributes follow white space (the captured attribute text starts with it), and a
# leading character class lets the regex engine skip ahead instead of trying every position.
_LAT = re.compile(r"\slat\s*=\s*[\"']([^\"']*)[\"']")
_LON = re.compile(r"\slon\s*=\s*[\"']([^\"']*)[\"']")
_ROOT = re.compile(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)\b([^>]*)>")
_CREATOR = re.compile(r"\bcreator\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ENCODING = re.compile(r"^<\?xml[^>]*encoding\s*=\s*[\"']([\w.-]+)[\"']")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TEXT = {name: re.compile(_P + name + r"\s*>([^<]*)<") for name in ("type", "name")}


class Columns:
    """What the GPX builder needs, as the fast path found it."""

    def __init__(self) -> None:
        self.lat: F64 = np.empty(0)
        self.lon: F64 = np.empty(0)
        self.ele: F64 = np.empty(0)
        self.hr: F64 = np.empty(0)
        self.cad: F64 = np.empty(0)
        self.time: list[str | None] = []
        self.segments: list[int] = []
        self.root: str | None = None
        self.creator: str | None = None
        self.track_type: str | None = None
        self.track_name: str | None = None
        self.routes = 0
        self.waypoints = 0
        self.bad_points = 0


def extract(data: bytes) -> Columns | None:
    """Columns of a validated GPX document, or None when the fast path does not apply."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    declared = _ENCODING.match(text)
    if declared and declared.group(1).lower() not in ("utf-8", "utf8", "us-ascii", "ascii"):
        return None
    if "<![CDATA[" in text or "<?" in text[text.find("<", 2) :]:
        return None
    if "<!--" in text:
        text = _COMMENT.sub("", text)
    out = Columns()
    root = _ROOT.search(text)
    if root is None:
        return None
    out.root = root.group(1)
    creator = _CREATOR.search(root.group(2))
    if creator:
        out.creator = html.unescape(creator.group(1) or creator.group(2) or "") or None
    whole_points = _whole_points(text)
    if whole_points is not None:
        lat, lon, ele, time, hr, cad, out.segments = whole_points
    else:
        scanned = _scan_tokens(text)
        if scanned is None:
            return None
        lat, lon, ele, time, hr, cad, out.segments = scanned
    n = len(lat)
    out.segments = sorted({i for i in out.segments if 0 < i < n})
    out.lat = _floats(lat)
    out.lon = _floats(lon)
    out.bad_points = int(np.count_nonzero(np.isnan(out.lat) | np.isnan(out.lon)))
    out.time = [v.strip() if v else None for v in time]
    out.ele = _floats(ele)
    out.hr = _floats(hr)
    out.cad = _floats(cad)
    if not n:
        # Only needed to say why a file is not an activity.
        out.routes = len(re.findall(_P + r"rte\b", text))
        out.waypoints = len(re.findall(_P + r"wpt\b", text))
        return out
    begin = text.find("<trkpt") if "<trkpt" in text else text.find(":trkpt")
    track = _TRK.search(text)
    if track is not None:
        head = text[track.start() : begin]
        for name, pattern in _TEXT.items():
            match = pattern.search(head)
            if match:
                setattr(out, f"track_{name}", html.unescape(match.group(1)).strip() or None)
    return out


_Column = list[str | None]
# lat, lon, ele, time, hr, cad (text as found, None or "" when absent), segment starts
_Points = tuple[_Column, _Column, _Column, _Column, _Column, _Column, list[int]]
_OPEN_POINT = re.compile(r"<trkpt[\s/>]")
# Everything in <extensions> up to (not into) a heart-rate or cadence tag or its end.
_EXT_TEXT = r"(?>[^<]*+(?:<(?!/extensions>|(?:[\w.-]+:)?(?:hr|heartrate|cad|cadence)\b)[^<]*+)*+)"
_HR_TAG = r"<(?:[\w.-]+:)?(?:hr|heartrate)\b[^>]*+>([^<]*+)</[^>]*+>"
_CAD_TAG = r"<(?:[\w.-]+:)?(?:cad|cadence)\b[^>]*+>([^<]*+)</[^>]*+>"
# Garmin's TrackPointExtension, by far the most common shape, spelled out (literal text
# is what the regex engine matches fastest); any other extension takes the general form.
_GARMIN_EXTENSION = (
    r"<gpxtpx:TrackPointExtension>(?:<gpxtpx:hr>([0-9]++)</gpxtpx:hr>)?+"
    r"(?:<gpxtpx:cad>([0-9]++)</gpxtpx:cad>)?+</gpxtpx:TrackPointExtension></extensions>"
)
_ANY_EXTENSION = _EXT_TEXT + f"(?:{_HR_TAG}{_EXT_TEXT})?+(?:{_CAD_TAG}{_EXT_TEXT})?+</extensions>"
# One whole track point in the common shape, fields in schema order: ele, time, other
# simple elements (no children), extensions with heart rate before cadence. A point of any
# other shape does not match, the match count then differs from the point count, and the
# token scanner takes over. Every repetition is possessive or atomic: nothing is tried
# twice, so a hostile file costs linear time (a test feeds one).
_POINT = re.compile(
    r"<trkpt\s++(?:lat=\"([^\"<]*+)\"\s++lon=\"([^\"<]*+)\"\s*+|([^>]*+))>\s*+"
    r"(?:<ele>([^<]*+)</ele>\s*+)?+"
    r"(?:<time>([^<]*+)</time>\s*+)?+"
    r"(?:<(?!(?:ele|time|extensions|trkpt|trkseg|trk)\b|/)[\w.-]++[^>]*+>[^<]*+</[^>]*+>\s*+)*+"
    f"(?:<extensions>(?:{_GARMIN_EXTENSION}|{_ANY_EXTENSION})\\s*+)?+"
    r"</trkpt>"
)


def _whole_points(text: str) -> _Points | None:
    """Every point by one regular expression, when every point has the common shape.

    Each match starts at a point's opening tag and cannot run past the next one, so when
    there are as many matches as opening tags, each match is exactly one point.
    """
    if ":trk" in text:
        return None  # prefixed track tags: the token scanner handles namespaces
    found = _POINT.findall(text)
    # Counting "<trkpt" may also count some other element that starts so: then the counts
    # differ and the token scanner, which needs no such shortcut, takes over.
    if len(found) != text.count("<trkpt"):
        return None
    if not found:
        return [], [], [], [], [], [], []
    lat, lon, attrs, ele, time, g_hr, g_cad, hr, cad = (list(c) for c in zip(*found, strict=True))
    if any(g_hr) or any(g_cad):  # the Garmin form and the general form fill different groups
        hr = [a or b for a, b in zip(g_hr, hr, strict=True)]
        cad = [a or b for a, b in zip(g_cad, cad, strict=True)]
    # Points whose attributes are not plain `lat="..." lon="..."` were captured whole.
    if any(attrs):
        odd = [i for i, a in enumerate(attrs) if a]
        odd_attrs = [" " + attrs[i] for i in odd]  # the patterns expect white space first
        for column, values in (
            (lat, _attribute(_LAT, odd_attrs)),
            (lon, _attribute(_LON, odd_attrs)),
        ):
            for i, value in zip(odd, values, strict=True):
                column[i] = value
    # Where each later segment begins: points before each <trkseg> but the first.
    segments: list[int] = []
    opens = _segment_starts(text)[1:]
    if opens:
        point_starts = [m.start() for m in _OPEN_POINT.finditer(text)]
        segments = [bisect.bisect_left(point_starts, at) for at in opens]
    # Empty captures are absent fields (a present but empty one is no number either).
    return lat, lon, ele, time, hr, cad, segments


def _segment_starts(text: str) -> list[int]:
    found, at = [], text.find("<trkseg")
    while at >= 0:
        if text[at + 7 : at + 8] in (">", " ", "\t", "\n", "\r", "/"):
            found.append(at)
        at = text.find("<trkseg", at + 7)
    return found


def _scan_tokens(text: str) -> _Points | None:
    """Every point by walking the tags that matter in document order (any shape)."""
    lat_lon: list[str] = []
    columns: dict[str, list[str | None]] = {"ele": [], "time": [], "hr": [], "cad": []}
    ele, time, hr, cad = columns["ele"], columns["time"], columns["hr"], columns["cad"]
    segments: list[int] = []
    in_point = False
    # Field tags only count inside a point (a waypoint's <ele> is not a track point's).
    for close, name, attrs, value in _TOKEN.findall(text):
        if close:
            in_point = False
        elif name == "trkpt":
            if in_point:
                return None  # a point opened inside a point: not plain GPX
            lat_lon.append(attrs)
            ele.append(None)
            time.append(None)
            hr.append(None)
            cad.append(None)
            in_point = not attrs.endswith("/")
        elif in_point:
            key = _FIELD_KEY[name]
            if not key:
                return None  # a track or segment inside a point: not plain GPX
            column = columns[key]
            if column[-1] is None:
                column[-1] = value
        elif name == "trkseg" and lat_lon:
            segments.append(len(lat_lon))
    if in_point:
        return None
    return _attribute(_LAT, lat_lon), _attribute(_LON, lat_lon), ele, time, hr, cad, segments


def _attribute(pattern: re.Pattern[str], tags: list[str]) -> _Column:
    """One attribute of every tag. XML forbids a repeated attribute in a tag (and the
    document was validated), so when the count of matches over all tags equals the number of
    tags, the matches are aligned; otherwise look tag by tag."""
    found: _Column = list(pattern.findall("\n".join(tags)))
    if len(found) == len(tags):
        return found
    return [_first(pattern, t) for t in tags]


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1) if match else None


def _floats(values: list[str | None]) -> F64:
    try:
        if all(values):  # every value present: one C-level map
            return np.array(list(map(float, values)), dtype=np.float64)  # type: ignore[arg-type]
        return np.array([v if v else "nan" for v in values], dtype=np.float64)
    except ValueError:
        return np.array([_float(v) for v in values], dtype=np.float64)


def _float(text: str | None) -> float:
    try:
        return float(text) if text else np.nan
    except ValueError:
        return np.nan

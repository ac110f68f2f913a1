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
_LAT = re.compile(r"\blat\s*=\s*[\"']([^\"']*)[\"']")
_LON = re.compile(r"\blon\s*=\s*[\"']([^\"']*)[\"']")
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
    lat_lon: list[str] = []
    columns: dict[str, list[str | None]] = {"ele": [], "time": [], "hr": [], "cad": []}
    ele, time, hr, cad = columns["ele"], columns["time"], columns["hr"], columns["cad"]
    in_point = False
    first_point = -1
    # One pass over the tokens that matter, in document order; field tags only count inside
    # a point (a waypoint's <ele> is not a track point's).
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
            out.segments.append(len(lat_lon))
        elif name == "trk" and first_point < 0:
            first_point = len(lat_lon)
    if in_point:
        return None
    n = len(lat_lon)
    out.segments = sorted({i for i in out.segments if 0 < i < n})
    out.lat = _attribute(_LAT, lat_lon)
    out.lon = _attribute(_LON, lat_lon)
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


def _attribute(pattern: re.Pattern[str], tags: list[str]) -> F64:
    """One attribute of every tag. XML forbids a repeated attribute in a tag (and the
    document was validated), so when the count of matches over all tags equals the number of
    tags, the matches are aligned; otherwise look tag by tag."""
    found = pattern.findall("\n".join(tags))
    if len(found) == len(tags):
        return _floats(found)
    return _floats([_first(pattern, t) for t in tags])


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1) if match else None


def _floats(values: list[str | None]) -> F64:
    try:
        return np.array([v if v else "nan" for v in values], dtype=np.float64)
    except ValueError:
        return np.array([_float(v) for v in values], dtype=np.float64)


def _float(text: str | None) -> float:
    try:
        return float(text) if text else np.nan
    except ValueError:
        return np.nan

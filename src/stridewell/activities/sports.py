"""Sport names from FIT enums, TCX, GPX ``<type>`` and Strava, mapped to Stridewell's sports."""

from __future__ import annotations

import re

# FIT profile enum values (Garmin FIT SDK Profile.xlsx, types "sport" and "sub_sport").
# Only the values we map are listed; anything else becomes "other"/None.
FIT_SPORT = {
    0: "generic",
    1: "running",
    2: "cycling",
    3: "transition",
    4: "fitness_equipment",
    5: "swimming",
    10: "training",
    11: "walking",
    12: "cross_country_skiing",
    13: "alpine_skiing",
    14: "snowboarding",
    15: "rowing",
    16: "mountaineering",
    17: "hiking",
    18: "multisport",
    19: "paddling",
    21: "e_biking",
    30: "inline_skating",
    35: "snowshoeing",
    37: "stand_up_paddleboarding",
    41: "kayaking",
    65: "wheelchair_push_walk",
    66: "wheelchair_push_run",
    85: "pool_apnea",
    88: "canoeing",
}

FIT_SUB_SPORT = {
    0: "generic",
    1: "treadmill",
    2: "street",
    3: "trail",
    4: "track",
    5: "spin",
    6: "indoor_cycling",
    7: "road",
    8: "mountain",
    9: "downhill",
    11: "cyclocross",
    13: "track_cycling",
    14: "indoor_rowing",
    15: "elliptical",
    16: "stair_climbing",
    17: "lap_swimming",
    18: "open_water",
    25: "indoor_skiing",
    26: "cardio_training",
    27: "indoor_walking",
    28: "e_bike_fitness",
    30: "casual_walking",
    31: "speed_walking",
    42: "skate_skiing",
    45: "indoor_running",
    46: "gravel_cycling",
    47: "e_bike_mountain",
    48: "commuting",
    49: "mixed_surface",
    58: "virtual_activity",
    59: "obstacle",
    67: "ultra",
    88: "indoor_hand_cycling",
}

# Raw sport names (lower case, separators removed) -> our sport.
_SPORT = {
    "running": "running",
    "run": "running",
    "trailrun": "running",
    "trailrunning": "running",
    "virtualrun": "running",
    "treadmill": "running",
    "wheelchairpushrun": "running",
    "cycling": "cycling",
    "biking": "cycling",
    "bike": "cycling",
    "ride": "cycling",
    "virtualride": "cycling",
    "ebiking": "cycling",
    "ebikeride": "cycling",
    "mountainbikeride": "cycling",
    "gravelride": "cycling",
    "walking": "walking",
    "walk": "walking",
    "wheelchairpushwalk": "walking",
    "hiking": "hiking",
    "hike": "hiking",
    "mountaineering": "hiking",
    "snowshoeing": "hiking",
    "snowshoe": "hiking",
    "swimming": "swimming",
    "swim": "swimming",
    "poolapnea": "swimming",
    "crosscountryskiing": "skiing",
    "nordicski": "skiing",
    "alpineskiing": "skiing",
    "alpineski": "skiing",
    "backcountryski": "skiing",
    "snowboarding": "skiing",
    "snowboard": "skiing",
    "paddling": "paddling",
    "standuppaddleboarding": "paddling",
    "standuppaddling": "paddling",
    "kayaking": "paddling",
    "canoeing": "paddling",
    "rowing": "rowing",
    "fitnessequipment": "fitness",
    "training": "fitness",
    "workout": "fitness",
    "weighttraining": "fitness",
    "elliptical": "fitness",
    "stairstepper": "fitness",
    "yoga": "fitness",
}

# Sub-sports that are inside by definition. Treadmill matters most: the triage asks about
# recent treadmill running.
_INDOOR_SUB = frozenset(
    {
        "treadmill",
        "indoor",
        "virtual",
        "indoor_rowing",
        "elliptical",
        "stair_climbing",
        "indoor_skiing",
        "e_bike_fitness",
        "indoor_hand_cycling",
        "cardio_training",
    }
)

# FIT sub-sport names folded into the short vocabulary the rest of Stridewell uses.
_SUB = {
    "spin": "indoor",
    "indoor_cycling": "indoor",
    "indoor_running": "indoor",
    "indoor_walking": "indoor",
    "virtual_activity": "virtual",
    "trailrun": "trail",
    "virtualrun": "virtual",
    "virtualride": "virtual",
    "treadmill": "treadmill",
}

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _key(raw: str) -> str:
    return _NON_ALNUM.sub("", raw.lower())


def normalise(raw_sport: str | None, raw_sub: str | None = None) -> tuple[str, str | None, bool]:
    """Map a raw sport and sub-sport name to (sport, sub_sport, is_indoor)."""
    key = _key(raw_sport or "")
    sport = _SPORT.get(key, "other")
    sub: str | None = None
    if raw_sub:
        sub = _SUB.get(raw_sub.lower(), raw_sub.lower())
    elif key in _SUB:
        # "VirtualRun", "TrailRun", "Treadmill": the sport name carries the sub-sport.
        sub = _SUB[key]
    if key == "transition":
        sub = "transition"  # between multisport legs; "generic" would hide what it is
    if key == "fitnessequipment" and raw_sub and raw_sub.lower() == "treadmill":
        sport = "running"
    if sport == "other" and raw_sub in ("elliptical", "stair_climbing"):
        sport = "fitness"
    indoor = (sub in _INDOOR_SUB) or key == "fitnessequipment"
    return sport, sub, indoor


def fit_names(sport: float | None, sub_sport: float | None) -> tuple[str | None, str | None]:
    """FIT enum numbers (NaN or None when invalid) to raw FIT names."""
    s = (
        FIT_SPORT.get(int(sport), f"sport_{int(sport)}")
        if sport is not None and _valid(sport)
        else None
    )
    sub = FIT_SUB_SPORT.get(int(sub_sport)) if sub_sport is not None and _valid(sub_sport) else None
    return s, sub


def _valid(value: float | None) -> bool:
    return value is not None and value == value  # NaN != NaN

"""Dates and times in the words people read ("3 Dec 2026", "3 Dec 2026, 14:05"): no
leading zero, English names whatever the machine's locale, and the zone a moment
carries (never the server's)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from repo_paths import REPO
from stridewell.text import day_words, time_words

TEMPLATES = REPO / "src" / "stridewell" / "web" / "templates"
EASTERN = timezone(timedelta(hours=-5), "EST")


def test_a_time_reads_as_day_then_24_hour_clock() -> None:
    assert time_words(datetime(2026, 12, 3, 9, 5, tzinfo=UTC)) == "3 Dec 2026, 09:05"
    assert time_words(datetime(2027, 1, 31, 14, 0)) == "31 Jan 2027, 14:00"


def test_a_time_can_name_the_zone_it_carries() -> None:
    assert time_words(datetime(2026, 12, 3, 9, 5, tzinfo=UTC), zone=True) == "3 Dec 2026, 09:05 UTC"
    assert (
        time_words(datetime(2026, 12, 3, 9, 5), zone=True) == "3 Dec 2026, 09:05"
    )  # no zone to name


def test_a_time_is_shown_in_its_own_zone_not_converted() -> None:
    late = datetime(2026, 12, 3, 23, 30, tzinfo=EASTERN)  # 4 Dec in UTC
    assert time_words(late, zone=True) == "3 Dec 2026, 23:30 EST"
    assert day_words(late) == "3 Dec 2026"


def test_a_day_can_be_named_in_full() -> None:
    thursday = date(2026, 12, 3)
    assert day_words(thursday, full=True) == "3 December 2026"
    assert day_words(thursday, weekday=True, year=False, full=True) == "Thursday 3 December"
    assert day_words(date(2027, 9, 5), weekday=True, full=True) == "Sunday 5 September 2027"


def test_no_template_formats_a_shown_date_with_strftime() -> None:
    # strftime's %d pads with a zero ("03 Dec") and %a/%A/%b/%B follow the server's
    # locale; the day_words and time_words filters do neither.
    found = [
        f"{path.relative_to(TEMPLATES)}: {call}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for call in re.findall(r"strftime\([^)]*\)", path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_no_python_code_formats_a_shown_date_with_locale_names_or_padded_days() -> None:
    # The same rule for what the CLI, the handover and the charts print: an f-string spec
    # such as {day:%a %d %b} or a strftime with %a, %A, %b, %B or %d gives "Thu 03 Dec".
    # Machine formats (ISO stamps for files and SQLite) use %Y-%m-%d and stay allowed.
    shown = re.compile(r"%[aAbB]|(?<!%m)%d")
    found = [
        f"{path.relative_to(REPO)}: {spec}"
        for path in sorted((REPO / "src" / "stridewell").rglob("*.py"))
        for spec in re.findall(
            r"strftime\([^)]*\)|\{[^{}]*:%[^{}]*\}", path.read_text(encoding="utf-8")
        )
        if shown.search(spec) and "%Y-%m-%d" not in spec
    ]
    assert found == []

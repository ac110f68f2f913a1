"""The importer's limits against hostile files: each attack reproduced, each set aside
with its reason while the rest of the upload imports."""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from synthetic import synthetic_run, write_fit, write_gpx

from hostile.hostile_corpus import (
    MB,
    Member,
    big_members_in_a_zip,
    chained_fit,
    empty_and_unknown_members,
    gzip_members_in_a_zip,
    huge_attribute,
    raw_zip,
    stored,
    zeros_deflated,
)
from stridewell.activities import ImportProblem, Limits, import_all, iter_sources, read_activities
from stridewell.activities.limits import Allowance
from stridewell.activities.sources import Source, declared_members, source_chunks

RUN = synthetic_run(11, datetime(2025, 6, 1, 6, 30, tzinfo=UTC), 900)


def _spent(sources: list[Source | ImportProblem]) -> int:
    allowance = next(s.allowance for s in sources if isinstance(s, Source))
    assert allowance is not None
    return allowance.spent


def test_gzip_members_in_a_zip_stop_at_the_expansion_ratio(tmp_path: Path) -> None:
    # The attack: 20 members, each a 200 KB gzip of 199 MB of zeros (under the per-file
    # limit), used to inflate 4 GB in all. Each layer may now expand 100 times at most.
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(gzip_members_in_a_zip())
    sources = list(iter_sources([archive]))
    activities, report = import_all(sources)
    assert activities == [] and len(report.set_aside) == 20
    assert all("100 times its compressed size" in reason for _, reason in report.set_aside)
    assert _spent(sources) < 20 * 4 * MB  # 4 GB before: each stops a step past the ratio


def test_every_layer_of_decompression_spends_the_uploads_allowance(tmp_path: Path) -> None:
    inner = gzip.compress(write_fit(RUN))
    twice = gzip.compress(inner)
    archive = tmp_path / "export.zip"
    archive.write_bytes(raw_zip([stored(f"run-{i}.fit.gz", twice) for i in range(3)]))
    one_file = len(twice) + len(inner) + len(write_fit(RUN))  # zip, outer and inner gzip
    limits = Limits(max_total_expanded_bytes=2 * one_file + one_file // 2)
    sources = list(iter_sources([archive], limits))
    activities, report = import_all(sources, limits=limits)
    assert len(activities) == 1  # the second is the same run: a duplicate
    assert len(report.duplicates) == 1
    ((source, reason),) = report.set_aside
    assert source.endswith("run-2.fit.gz") and "what one upload may expand to" in reason
    assert _spent(sources) >= 2 * one_file


def test_members_that_declare_a_bomb_are_refused_before_any_byte_is_inflated(
    tmp_path: Path,
) -> None:
    # The attack: a 3 MB zip of 30 members of 100 MB each, once held all at once (4.4 GB).
    archive = tmp_path / "big.zip"
    archive.write_bytes(big_members_in_a_zip())
    sources = list(iter_sources([archive]))
    _, report = import_all(sources)
    assert len(report.set_aside) == 30
    assert _spent(sources) == 0


def test_a_member_that_lies_about_its_size_is_cut_off_at_the_cap(tmp_path: Path) -> None:
    packed, crc = zeros_deflated(50 * MB, -15)
    archive = tmp_path / "liar.zip"
    archive.write_bytes(raw_zip([Member("liar.fit", packed, 40 * MB, crc, 8)]))
    limits = Limits(max_file_bytes=5 * MB, max_expansion_ratio=10**6)
    sources = list(iter_sources([archive], limits))
    _, report = import_all(sources, limits=limits)
    ((_, reason),) = report.set_aside
    assert "over the limit of 5 MB" in reason
    assert _spent(sources) == 0  # refused from what it declares


def test_fit_chained_more_than_the_limit_is_set_aside(tmp_path: Path) -> None:
    # The attack: 200 KB of tiny chained FIT files (48 s and 4.2 GB before the cap).
    with pytest.raises(ImportProblem, match="chains more than 32 files"):
        read_activities(io.BytesIO(chained_fit()), "chained.fit")


def test_fit_chained_within_the_limit_reads_every_part() -> None:
    one = write_fit(synthetic_run(3, datetime(2025, 5, 1, 7, 0, tzinfo=UTC), 2))
    assert len(read_activities(io.BytesIO(one * 4), "four.fit", Limits(max_fit_segments=4))) == 4
    with pytest.raises(ImportProblem, match="chains more than 3 files"):
        read_activities(io.BytesIO(one * 4), "four.fit", Limits(max_fit_segments=3))


def test_gzip_nested_deeper_than_the_limit_is_refused() -> None:
    data = write_gpx(RUN)
    for _ in range(3):
        data = gzip.compress(data)
    assert len(read_activities(io.BytesIO(data), "three.gpx.gz")) == 1
    with pytest.raises(ImportProblem, match="more than 3 deep"):
        read_activities(io.BytesIO(gzip.compress(data)), "four.gpx.gz")


def test_xml_with_a_huge_attribute_is_refused_before_expat_reads_it() -> None:
    with pytest.raises(ImportProblem, match="without markup"):
        read_activities(io.BytesIO(huge_attribute()), "attr.gpx")


def test_empty_zip_members_are_set_aside_as_empty_and_other_files_listed(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "mixed.zip"
    archive.write_bytes(empty_and_unknown_members())
    activities, report = import_all(list(iter_sources([archive])))
    assert len(activities) == 1 and report.duplicates == []
    assert sorted(reason for _, reason in report.set_aside) == ["empty file"] * 3
    assert sorted(name.rpartition("!")[2] for name, _ in report.not_read) == [
        "notes.txt",
        "photo.jpg",
    ]
    assert report.summary().endswith("3 set aside, 2 other files not read")


def test_an_empty_file_in_a_folder_is_set_aside_as_empty(tmp_path: Path) -> None:
    (tmp_path / "a.fit").write_bytes(b"")
    (tmp_path / "b.fit").write_bytes(b"")
    _, report = import_all(list(iter_sources([tmp_path])))
    assert [reason for _, reason in report.set_aside] == ["empty file", "empty file"]


def test_the_strava_index_is_read_not_reported(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("activities.csv", "Activity ID,Filename\n1,activities/1.gpx\n")
        out.writestr("activities/1.gpx", write_gpx(RUN))
    activities, report = import_all(list(iter_sources([archive])))
    assert activities[0].external_id == "strava:1" and report.not_read == []


def test_chunks_hold_about_the_byte_limit_by_declared_size() -> None:
    def source(size: int) -> Source:
        return Source(f"{size}", bytes, size=size)

    sizes = [40, 40, 40, 200, 10, 10]
    chunks = list(source_chunks([source(s) for s in sizes], max_files=3, max_bytes=100))
    assert [[s.size for s in c if isinstance(s, Source)] for c in chunks] == [
        [40, 40],
        [40],
        [200],
        [10, 10],
    ]


def test_limits_come_from_the_environment_with_a_clear_error() -> None:
    limits = Limits.from_environ({"STRIDEWELL_IMPORT_MAX_FIT_SEGMENTS": "64"})
    assert limits.max_fit_segments == 64 and limits.max_zip_members == Limits().max_zip_members
    assert (
        Limits.from_environ({"STRIDEWELL_IMPORT_SECONDS_PER_FILE": "2.5"}).seconds_per_file == 2.5
    )
    with pytest.raises(ValueError, match="STRIDEWELL_IMPORT_MAX_ZIP_MEMBERS must be a number"):
        Limits.from_environ({"STRIDEWELL_IMPORT_MAX_ZIP_MEMBERS": "many"})


def test_an_allowance_spent_by_one_file_is_gone_for_the_next() -> None:
    allowance = Allowance(30 * MB)
    data, _ = zeros_deflated(20 * MB, 31)
    limits = Limits(max_expansion_ratio=10**6)
    with pytest.raises(ImportProblem, match="not a FIT"):
        read_activities(io.BytesIO(data), "a.fit.gz", limits, allowance)
    with pytest.raises(ImportProblem, match="what one upload may expand to"):
        read_activities(io.BytesIO(data), "b.fit.gz", limits, allowance)


def test_a_zip_is_refused_from_its_declared_member_count_before_its_directory_is_read(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "many.zip"
    archive.write_bytes(raw_zip([stored(f"{i}.fit", b"x") for i in range(12)]))
    assert declared_members(archive) == 12
    (problem,) = list(iter_sources([archive], Limits(max_zip_members=11)))
    assert isinstance(problem, ImportProblem) and "12 members" in problem.reason

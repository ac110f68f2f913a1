"""FIT protocol features on synthetic files, and robustness on damaged real ones."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synthetic import synthetic_run, write_fit

from repo_paths import ACTIVITY_FILES
from stridewell.activities import ImportProblem, read_activities
from stridewell.activities.fit import parse_fit_bytes
from stridewell.activities.fit_crc import _crc_py, crc16

RUN = synthetic_run(5, datetime(2024, 3, 3, 7, 0, tzinfo=UTC), 900)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"big_endian": True},
        {"developer": True},
        {"compressed": True},
        {"compressed": True, "big_endian": True, "developer": True},
    ],
)
def test_fit_variants_decode_to_the_same_run(options: dict[str, bool]) -> None:
    (activity,) = parse_fit_bytes(write_fit(RUN, **options))
    assert activity.start_time == RUN.start
    assert len(activity.samples) == 900
    assert activity.distance_m == pytest.approx(RUN.distance_m, abs=0.01)
    assert activity.samples.distance_m is not None
    np.testing.assert_allclose(activity.samples.distance_m, RUN.distance, atol=0.01)
    np.testing.assert_array_equal(activity.samples.time_s, RUN.t)
    assert activity.avg_cadence == pytest.approx(float(np.mean(np.round(RUN.cadence / 2) * 2)))
    assert activity.warnings == ()


def test_treadmill_sub_sport_is_indoor() -> None:
    (activity,) = parse_fit_bytes(write_fit(RUN, sport=1, sub_sport=1))
    assert (activity.sport, activity.sub_sport, activity.is_indoor) == (
        "running",
        "treadmill",
        True,
    )


def test_vectorised_crc_matches_the_byte_by_byte_definition() -> None:
    data = np.random.default_rng(1).integers(0, 256, 100_003, dtype=np.uint8).tobytes()
    assert crc16(data) == _crc_py(data, 0)
    assert crc16(write_fit(RUN)) == 0  # a file's CRC over itself and its stored CRC is 0


def test_truncated_synthetic_fit_keeps_what_was_read() -> None:
    data = write_fit(RUN)
    (activity,) = read_activities(io.BytesIO(data[: len(data) // 2]), "half.fit")
    assert any("truncated" in w for w in activity.warnings)
    assert 0 < len(activity.samples) < 900


def test_empty_and_tiny_inputs_are_set_aside() -> None:
    for data in (b"", b"\x0e", b"\x0e\x10" + b".FIT" * 3):
        with pytest.raises(ImportProblem):
            read_activities(io.BytesIO(data), "tiny.fit")


SMALL_REAL = ["compressed-speed-distance.fit", "garmin-fenix-5-run.fit", "Activity.fit"]


def _check(data: bytes) -> None:
    try:
        activities = parse_fit_bytes(data)
    except ImportProblem as problem:
        assert problem.reason
        return
    for activity in activities:
        assert len(activity.samples) > 0
        assert activity.duration_s > 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(SMALL_REAL), cut=st.floats(0, 1))
def test_fit_decoder_never_raises_anything_but_import_problem_on_truncation(
    name: str, cut: float
) -> None:
    data = ACTIVITY_FILES / "fit" / name
    if not data.is_file():
        pytest.skip("real files missing")
    raw = data.read_bytes()
    _check(raw[: int(len(raw) * cut)])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(SMALL_REAL),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 7)), max_size=8),
)
def test_fit_decoder_never_raises_anything_but_import_problem_on_bit_flips(
    name: str, flips: list[tuple[float, int]]
) -> None:
    path = ACTIVITY_FILES / "fit" / name
    if not path.is_file():
        pytest.skip("real files missing")
    raw = bytearray(path.read_bytes())
    for where, bit in flips:
        raw[int(where * len(raw))] ^= 1 << bit
    _check(bytes(raw))


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_after_a_fit_header_never_crash(data: bytes) -> None:
    header = bytes([12, 0x10, 0, 0]) + len(data).to_bytes(4, "little") + b".FIT"
    _check(header + data)

"""FIT workout files: a planned run as steps a watch can load and guide you through.

Written here rather than with a library: a workout file is three small messages
(file_id, workout, workout_step), and the FIT protocol for them is short. The file is
checked in the tests by decoding it with two independent readers (Garmin's FIT SDK and
fitdecode). Field numbers and enum values are those of the FIT profile (21.x):

- file_id (0): type 5 = workout, manufacturer 255 = development, time_created.
- workout (26): sport 1 = running, num_valid_steps, wkt_name.
- workout_step (27): message_index, wkt_step_name, duration_type (0 time in ms,
  1 distance in cm, 5 open, 6 repeat until the steps from `duration_value` are done
  `target_value` times), target_type 2 = open, intensity (0 active, 1 rest, 2 warm-up,
  3 cool-down, 4 recovery), notes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum

from stridewell.activities.fit_crc import crc16

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
PROTOCOL_VERSION = 0x20  # 2.0
PROFILE_VERSION = 2132
HEADER_SIZE = 14

FILE_WORKOUT = 5
MANUFACTURER_DEVELOPMENT = 255
SPORT_RUNNING = 1
TARGET_OPEN = 2
NAME_BYTES = 32  # string fields are fixed-size and NUL-terminated
NOTES_BYTES = 64

# Base types: (code, size)
_ENUM, _UINT16, _UINT32, _UINT32Z, _STRING = 0x00, 0x84, 0x86, 0x8C, 0x07


class Duration(IntEnum):
    time = 0
    distance = 1
    open = 5
    repeat = 6


class Intensity(IntEnum):
    active = 0
    rest = 1
    warmup = 2
    cooldown = 3
    recovery = 4


@dataclass(frozen=True)
class Step:
    """One step: for `seconds` (time), `metres` (distance), or until you press lap (open)."""

    name: str
    intensity: Intensity
    seconds: int | None = None
    metres: int | None = None
    notes: str = ""

    def __post_init__(self) -> None:
        if self.seconds is not None and self.metres is not None:
            raise ValueError("a step lasts a time or a distance, not both")
        if (self.seconds is not None and self.seconds <= 0) or (
            self.metres is not None and self.metres <= 0
        ):
            raise ValueError("a step's duration must be positive")


@dataclass(frozen=True)
class Repeat:
    """The steps done `times` times in all (walk-run intervals)."""

    times: int
    steps: tuple[Step, ...]
    name: str = ""

    def __post_init__(self) -> None:
        if self.times < 1 or not self.steps:
            raise ValueError("a repeat needs steps and at least one round")


@dataclass(frozen=True)
class Workout:
    name: str
    items: tuple[Step | Repeat, ...] = field(default_factory=tuple)


def _text(value: str, size: int) -> bytes:
    data = value.encode("utf-8")[: size - 1]
    while True:  # never cut a multi-byte character in half
        try:
            data.decode("utf-8")
            break
        except UnicodeDecodeError:
            data = data[:-1]
    return data + b"\x00" * (size - len(data))


def _definition(local: int, global_num: int, fields: list[tuple[int, int, int]]) -> bytes:
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
    return out + b"".join(struct.pack("<BBB", num, size, base) for num, size, base in fields)


_FILE_ID_FIELDS = [
    (0, 1, _ENUM),
    (1, 2, _UINT16),
    (2, 2, _UINT16),
    (3, 4, _UINT32Z),
    (4, 4, _UINT32),
]
_WORKOUT_FIELDS = [(4, 1, _ENUM), (6, 2, _UINT16), (8, NAME_BYTES, _STRING)]
_STEP_FIELDS = [
    (254, 2, _UINT16),
    (0, NAME_BYTES, _STRING),
    (1, 1, _ENUM),
    (2, 4, _UINT32),
    (3, 1, _ENUM),
    (4, 4, _UINT32),
    (7, 1, _ENUM),
    (8, NOTES_BYTES, _STRING),
]
_UINT32_INVALID = 0xFFFFFFFF


def _step_record(index: int, step: Step) -> bytes:
    if step.seconds is not None:
        duration, value = Duration.time, step.seconds * 1000
    elif step.metres is not None:
        duration, value = Duration.distance, step.metres * 100
    else:
        duration, value = Duration.open, _UINT32_INVALID
    return struct.pack(
        f"<BH{NAME_BYTES}sBIBIB{NOTES_BYTES}s",
        2,
        index,
        _text(step.name, NAME_BYTES),
        duration,
        value,
        TARGET_OPEN,
        _UINT32_INVALID,
        step.intensity,
        _text(step.notes, NOTES_BYTES),
    )


def _repeat_record(index: int, back_to: int, times: int, name: str) -> bytes:
    return struct.pack(
        f"<BH{NAME_BYTES}sBIBIB{NOTES_BYTES}s",
        2,
        index,
        _text(name, NAME_BYTES),
        Duration.repeat,
        back_to,
        TARGET_OPEN,
        times,
        Intensity.active,
        _text("", NOTES_BYTES),
    )


def flat_steps(workout: Workout) -> list[tuple[Step | Repeat, int]]:
    """The FIT steps in order: (step, 0), or (repeat, index of its first step) after the
    repeat's own steps."""
    out: list[tuple[Step | Repeat, int]] = []
    for item in workout.items:
        if isinstance(item, Step):
            out.append((item, 0))
        else:
            first = len(out)
            out += [(step, 0) for step in item.steps]
            out.append((item, first))
    return out


def workout_fit(workout: Workout, *, created: datetime, serial: int = 1) -> bytes:
    """The workout as a FIT file (header, messages, CRC)."""
    if created.tzinfo is None:
        raise ValueError("created must be timezone-aware")
    steps = flat_steps(workout)
    if not steps:
        raise ValueError("a workout needs at least one step")
    stamp = int((created - FIT_EPOCH).total_seconds())
    body = bytearray()
    body += _definition(0, 0, _FILE_ID_FIELDS)
    body += struct.pack("<BBHHII", 0, FILE_WORKOUT, MANUFACTURER_DEVELOPMENT, 0, serial, stamp)
    body += _definition(1, 26, _WORKOUT_FIELDS)
    body += struct.pack(
        f"<BBH{NAME_BYTES}s", 1, SPORT_RUNNING, len(steps), _text(workout.name, NAME_BYTES)
    )
    body += _definition(2, 27, _STEP_FIELDS)
    for index, (item, back_to) in enumerate(steps):
        if isinstance(item, Repeat):
            body += _repeat_record(index, back_to, item.times, item.name)
        else:
            body += _step_record(index, item)
    header = struct.pack(
        "<BBHI4s", HEADER_SIZE, PROTOCOL_VERSION, PROFILE_VERSION, len(body), b".FIT"
    )
    header += struct.pack("<H", crc16(header))
    data = header + bytes(body)
    return data + struct.pack("<H", crc16(data))

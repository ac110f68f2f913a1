"""Typed shapes the services return as JSON-ready dicts (Jinja templates index them, the
API validates them as response models, mypy checks every key)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from typing_extensions import TypedDict

from stridewell.storage.records import StoredAssessment, StoredShare

if TYPE_CHECKING:
    from stridewell.load.notes import Note

Unit = Literal["km", "mi"]


class NoteJson(TypedDict):
    """A load or shoe note: warning, information or a point in the runner's favour."""

    kind: str
    level: str
    text: str
    numbers: dict[str, float | int | str | None]
    sources: list[str]


def note_json(note: Note) -> NoteJson:
    return {
        "kind": note.kind,
        "level": str(note.level),
        "text": note.text,
        "numbers": dict(note.numbers),
        "sources": list(note.sources),
    }


class LoadWeek(TypedDict):
    week: str
    km: float
    hours: float
    change_pct: float | None
    complete: bool


class TrainingLoad(TypedDict):
    """Weekly distance and time, both load ratios (information) and the warnings."""

    today: str
    weeks: list[LoadWeek]
    acwr_rolling: float | None
    acwr_ewma: float | None
    notes: list[NoteJson]


class ShoeJson(TypedDict):
    id: str
    brand: str
    model: str
    type: str
    nickname: str | None
    started: str | None
    retired: str | None
    is_default: bool
    check_km: float
    replace_km: float
    start_km: float
    km: float


class ShoeAdvice(TypedDict):
    """A shoe feature the runner's latest triage points to."""

    kind: str
    id: str
    text: str
    sources: list[str]
    because: str


class ShoesOverview(TypedDict):
    shoes: list[ShoeJson]
    alerts: list[NoteJson]
    rotation: NoteJson | None
    unit: Unit
    advice: list[ShoeAdvice]


class AdherenceWeek(TypedDict):
    week: str
    prescribed: int
    done: int
    adherence_pct: int | None


class RunnerFlags(TypedDict):
    """What a coach sees first about a runner who shares with them."""

    latest: StoredAssessment | None
    red_flags: list[str]
    not_improving: bool
    trend: str
    spikes: list[NoteJson]
    worn_shoes: list[NoteJson]


class CoachRow(RunnerFlags):
    share: StoredShare

"""An emergency result the runner corrected, in words: which answers changed, and the
sentence that marks each of the two assessments.

On the emergency page the runner may go back and change an answer given by mistake; the
corrected answers are stored as a new assessment and the emergency stays stored (a
clinician must still see that an emergency answer was once given). Pure: the two answer
sets (contract JSON) and the other assessment's time come in; the words come from the
vocabulary (`correction` in vocabulary.yaml).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

from stridewell.knowledge.vocabulary import vocabulary
from stridewell.text import time_words

# "corrected": this emergency was corrected by a later assessment; "corrects": this
# assessment corrects an earlier emergency.
Role = Literal["corrected", "corrects"]
HISTORY = "history"


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """One answer as first given and as given after the correction, in plain words."""

    field: str
    question: str
    before: str
    after: str

    @property
    def words(self) -> str:
        text = vocabulary().correction.change
        return text.format(question=self.question, before=self.before, after=self.after)


@dataclass(frozen=True, slots=True)
class Correction:
    """How an assessment stands to the other of a corrected emergency."""

    role: Role
    other_id: str
    other_at: datetime
    changes: tuple[AnswerChange, ...] = ()

    def sentence(self, tz: tzinfo, *, runner: bool = False) -> str:
        """The mark: "Emergency result; the runner changed an answer afterwards (see the
        assessment of 3 Dec 2026, 14:05)", or for the runner, "you changed"."""
        return mark(self.role, self.other_at, tz, runner=runner)


def mark(role: Role, other_at: datetime, tz: tzinfo, *, runner: bool = False) -> str:
    """The sentence marking an assessment of a corrected emergency (see `Correction`)."""
    words = vocabulary().correction
    text = {
        ("corrected", True): words.corrected_runner,
        ("corrected", False): words.corrected,
        ("corrects", True): words.corrects_runner,
        ("corrects", False): words.corrects,
    }[role, runner]
    return text.format(when=time_words(other_at.astimezone(tz)))


def changed_answers(
    before: Mapping[str, object], after: Mapping[str, object]
) -> tuple[AnswerChange, ...]:
    """The answers that differ between two answer sets (the contract's JSON), in the
    order the first set gives its fields, each in the questionnaire's words."""
    return changed_along([before, after])


def changed_along(chain: Sequence[Mapping[str, object]]) -> tuple[AnswerChange, ...]:
    """The answers that changed anywhere along a chain of answer sets (an emergency, the
    emergency its changed answer still gave, then the corrected one), each with every
    value it took: "not answered at first, then yes, then no". A clinician sees each
    emergency answer, not only the first and the last."""
    flats = [_flat(answers) for answers in chain]
    words = vocabulary()
    changes = []
    for field in dict.fromkeys(name for flat in flats for name in flat):
        values: list[object] = []
        for flat in flats:
            value = flat.get(field)
            if not values or values[-1] != value:
                values.append(value)
        if len(values) < 2:
            continue
        changes.append(
            AnswerChange(
                field=field,
                question=words.question(field),
                before=_value_words(field, values[0]),
                after=", then ".join(_value_words(field, v) for v in values[1:]),
            )
        )
    return tuple(changes)


def answers_given(
    assessment: Mapping[str, object], report: Mapping[str, object]
) -> dict[str, object]:
    """The answers the runner gave: the stored answers without the training history the
    report says was filled in from imported runs (it moves with a finished import or
    the turn of a day, and is no answer the runner changed)."""
    filled = report.get("history_from_data")
    from_data = set(filled) if isinstance(filled, Mapping) else set()
    given = {k: v for k, v in assessment.items() if k != HISTORY}
    history = assessment.get(HISTORY)
    if isinstance(history, Mapping):
        kept = {k: v for k, v in history.items() if k not in from_data}
        if kept:
            given[HISTORY] = kept
    return given


def _flat(answers: Mapping[str, object]) -> dict[str, object]:
    """The answers by field path ("history.weekly_km_change_pct"), unanswered left out."""
    flat: dict[str, object] = {}
    for key, value in answers.items():
        if key == HISTORY and isinstance(value, Mapping):
            flat.update({f"{HISTORY}.{k}": v for k, v in value.items() if v is not None})
        elif value is not None:
            flat[key] = value
    return flat


def _value_words(field: str, value: object) -> str:
    words = vocabulary()
    if value is None:
        return words.correction.not_answered
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        if not value:
            return words.correction.none_chosen
        return words.value(field, ", ".join(str(v) for v in value))
    return words.value(field, str(value))


__all__ = [
    "AnswerChange",
    "Correction",
    "Role",
    "answers_given",
    "changed_along",
    "changed_answers",
    "mark",
]

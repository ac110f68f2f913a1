"""The triage report (contract version 1.1 plus extensions) as plain, immutable dataclasses.

A report is built for every assessment, so these are stdlib dataclasses (cheap to build)
rather than validating models; `TriageReport.from_json_dict` validates a report read back
from storage or from another program.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stridewell.errors import InvalidInput
from stridewell.levels import CONTRACT_MINOR, CONTRACT_VERSION, Level


def _level(value: Any) -> Level:
    return Level(value)


@dataclass(frozen=True, slots=True)
class SafetyQuestion:
    """An unanswered field whose answer could make this presentation more urgent."""

    field: str
    why: str

    def to_json_dict(self) -> dict[str, Any]:
        return {"field": self.field, "why": self.why}


@dataclass(frozen=True, slots=True)
class Triage:
    level: Level
    reasons: list[str]

    def to_json_dict(self) -> dict[str, Any]:
        return {"level": self.level.value, "reasons": list(self.reasons)}


@dataclass(frozen=True, slots=True)
class RedFlagHit:
    id: str
    level: Level
    because: list[str]
    advice: str
    sources: list[str]
    name: str = ""  # extension: the plain name, as the knowledge base had it

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "level": self.level.value,
            "because": list(self.because),
            "advice": self.advice,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class RankedCondition:
    id: str
    name: str
    likelihood: float
    for_: list[str]  # "for" in JSON
    against: list[str]
    sources: list[str]
    summary: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "likelihood": self.likelihood,
            "for": list(self.for_),
            "against": list(self.against),
            "sources": list(self.sources),
            "summary": self.summary,
        }


@dataclass(frozen=True, slots=True)
class AdviceItem:
    """One piece of advice with where it came from (an extension of the contract)."""

    kind: str  # self_care, shoe_feature, exercise, prevention
    id: str
    text: str
    sources: tuple[str, ...]
    because: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "text": self.text,
            "sources": list(self.sources),
            "because": self.because,
        }


@dataclass(frozen=True, slots=True)
class KnowledgeRef:
    version: str
    rules_fired: list[str]

    def to_json_dict(self) -> dict[str, Any]:
        return {"version": self.version, "rules_fired": list(self.rules_fired)}


@dataclass(frozen=True, slots=True)
class SourceRef:
    id: str
    title: str
    url: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "url": self.url}


@dataclass(frozen=True, slots=True)
class TriageReport:
    triage: Triage
    summary: str
    red_flags: list[RedFlagHit]
    conditions: list[RankedCondition]
    self_care: list[str]
    shoe_features: list[str]
    exercises: list[str]
    prevention: list[str]
    advice: list[AdviceItem]
    disclaimer: str
    knowledge_base: KnowledgeRef
    sources: list[SourceRef]
    contract: int = field(default=CONTRACT_VERSION)
    contract_minor: int = field(default=CONTRACT_MINOR)
    unanswered_safety_questions: list[SafetyQuestion] = field(default_factory=list)
    # extension: notes from the runner's recorded training (spikes with their numbers,
    # load ratios as information, shoe rotation), when the history came from data
    training: list[dict[str, Any]] = field(default_factory=list)
    history_from_data: dict[str, Any] = field(default_factory=dict)

    def to_json_dict(self) -> dict[str, Any]:
        """The report as the contract's JSON object (with Stridewell's extensions)."""
        return {
            "contract": self.contract,
            "contract_minor": self.contract_minor,
            "triage": self.triage.to_json_dict(),
            "summary": self.summary,
            "red_flags": [f.to_json_dict() for f in self.red_flags],
            "unanswered_safety_questions": [
                q.to_json_dict() for q in self.unanswered_safety_questions
            ],
            "conditions": [c.to_json_dict() for c in self.conditions],
            "self_care": list(self.self_care),
            "shoe_features": list(self.shoe_features),
            "exercises": list(self.exercises),
            "prevention": list(self.prevention),
            "advice": [a.to_json_dict() for a in self.advice],
            "disclaimer": self.disclaimer,
            "knowledge_base": self.knowledge_base.to_json_dict(),
            "sources": [s.to_json_dict() for s in self.sources],
            "training": [dict(n) for n in self.training],
            "history_from_data": dict(self.history_from_data),
        }

    @classmethod
    def from_json_dict(cls, data: Any) -> TriageReport:
        """Rebuild a report from its JSON object; InvalidInput names what is wrong."""
        try:
            return cls(
                contract=int(data["contract"]),
                # reports stored before contract 1.1 have neither of these
                contract_minor=int(data.get("contract_minor", 0)),
                unanswered_safety_questions=[
                    SafetyQuestion(str(q["field"]), str(q["why"]))
                    for q in data.get("unanswered_safety_questions", [])
                ],
                triage=Triage(_level(data["triage"]["level"]), list(data["triage"]["reasons"])),
                summary=str(data["summary"]),
                red_flags=[
                    RedFlagHit(
                        f["id"],
                        _level(f["level"]),
                        list(f["because"]),
                        f["advice"],
                        list(f["sources"]),
                        f.get("name", ""),
                    )
                    for f in data["red_flags"]
                ],
                conditions=[
                    RankedCondition(
                        c["id"],
                        c["name"],
                        float(c["likelihood"]),
                        list(c["for"]),
                        list(c["against"]),
                        list(c["sources"]),
                        c.get("summary", ""),
                    )
                    for c in data["conditions"]
                ],
                self_care=list(data["self_care"]),
                shoe_features=list(data["shoe_features"]),
                exercises=list(data["exercises"]),
                prevention=list(data.get("prevention", [])),
                advice=[
                    AdviceItem(a["kind"], a["id"], a["text"], tuple(a["sources"]), a["because"])
                    for a in data.get("advice", [])
                ],
                disclaimer=str(data["disclaimer"]),
                knowledge_base=KnowledgeRef(
                    data["knowledge_base"]["version"], list(data["knowledge_base"]["rules_fired"])
                ),
                sources=[SourceRef(s["id"], s["title"], s.get("url")) for s in data["sources"]],
                training=list(data.get("training", [])),
                history_from_data=dict(data.get("history_from_data", {})),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"not a triage report: {exc!r}", field="report") from exc

    # The pydantic spelling, for callers that treat the report like the other models.
    model_validate = from_json_dict

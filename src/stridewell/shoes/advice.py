"""Shoe features for the runner's pain, from the knowledge base, tied to their triage.

The triage report already picks the knowledge base's shoe-feature items for its leading
conditions (advice items of kind ``shoe_feature``). This module turns them back into the
knowledge base's structured entries (pain type, features, shoe style, sources) and, when
the runner's shoes are given, names the pairs in use whose type fits the style.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from stridewell.knowledge import KnowledgeBase, load_knowledge
from stridewell.report import TriageReport
from stridewell.shoes.model import Shoe, ShoeType

SHOE_FEATURE = "shoe_feature"

# Shoe-style wording in the knowledge base -> our shoe types. Checked in order; the first
# phrase found decides, so "stable neutral or stability" reads as both of its types. A style
# that mentions a walking boot is the clinician's call: no pair of the runner's "fits" it.
_STYLE_WORDS: tuple[tuple[str, tuple[ShoeType, ...]], ...] = (
    ("boot", ()),
    ("motion control", (ShoeType.motion_control,)),
    ("stable neutral or stability", (ShoeType.stability, ShoeType.neutral_cushioned)),
    ("stability", (ShoeType.stability,)),
    ("high-cushion", (ShoeType.high_cushion,)),
    ("high cushion", (ShoeType.high_cushion,)),
    ("neutral cushioned", (ShoeType.neutral_cushioned,)),
    ("cushioned", (ShoeType.neutral_cushioned, ShoeType.high_cushion)),
)


@dataclass(frozen=True)
class ShoeAdvice:
    """One knowledge-base shoe feature that applies to the runner's report."""

    id: str
    pain_type: str
    features: str
    shoe_style: str
    sources: tuple[str, ...]
    shoe_types: tuple[ShoeType, ...]
    matching_shoes: tuple[str, ...]  # ids of the runner's pairs in use of a fitting type
    because: str = ""

    @property
    def text(self) -> str:
        return f"{self.pain_type}: {self.features} ({self.shoe_style})"


def style_types(shoe_style: str) -> tuple[ShoeType, ...]:
    """Our shoe types that fit a knowledge-base shoe style; () when none clearly does."""
    lowered = shoe_style.casefold()
    for phrase, types in _STYLE_WORDS:
        if phrase in lowered:
            return types
    return ()


def shoe_advice_for(
    report: TriageReport,
    shoes: Sequence[Shoe] = (),
    today: date | None = None,
    kb: KnowledgeBase | None = None,
) -> list[ShoeAdvice]:
    """The shoe features the report advises, in the report's order.

    Nothing at all for an emergency report: its only advice is to be seen today, and the
    report carries no shoe items then. ``today`` limits matching shoes to pairs in use
    that day (without it: pairs not retired).
    """
    knowledge = kb if kb is not None else load_knowledge()
    features = {f.id: f for f in knowledge.shoe_features}
    out: list[ShoeAdvice] = []
    seen: set[str] = set()
    for item in report.advice:
        if item.kind != SHOE_FEATURE or item.id in seen or item.id not in features:
            continue
        seen.add(item.id)
        feature = features[item.id]
        types = style_types(feature.shoe_style)
        in_use = [
            s for s in shoes if (s.in_use_on(today) if today is not None else s.retired is None)
        ]
        out.append(
            ShoeAdvice(
                id=feature.id,
                pain_type=feature.pain_type,
                features=feature.features,
                shoe_style=feature.shoe_style,
                sources=tuple(feature.sources),
                shoe_types=types,
                matching_shoes=tuple(s.id for s in in_use if s.type in types),
                because=item.because,
            )
        )
    return out

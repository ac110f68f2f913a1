"""Which pair for each planned run: rotate two or more pairs, and warn before a run would
take a pair past its replacement mark.

Rotation (Malisoux 2015: parallel use of more than one pair went with fewer injuries):
each run goes to the pair with the fewest runs so far in the plan, then the fewest
kilometres, skipping a pair this run would take past its mark while another pair would
stay below its own. A pair that would still pass its mark is named with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from stridewell.running.model import RunDay, ShoeAdvice
from stridewell.running.rules import RunningRules
from stridewell.shoes.model import Shoe


def advise_shoes(
    days: Sequence[RunDay],
    shoes: Sequence[Shoe],
    km_now: Mapping[str, float],
    today: date,
    rules: RunningRules,
) -> list[RunDay]:
    """`days` with a pair suggested for every run still ahead (today's if not yet done).

    `km_now` is each pair's distance so far (`shoes.mileage(...).km`, start_km included)."""
    km = {s.id: km_now.get(s.id, s.start_km) for s in shoes}
    runs_in_plan = {s.id: 0 for s in shoes}
    out = []
    for day in days:
        if day.run is None or day.day < today or day.done_km is not None:
            out.append(day)
            continue
        pairs = [s for s in shoes if s.in_use_on(day.day) and s.retired is None]
        if not pairs:
            out.append(day)
            continue
        distance = day.run.km
        below = [s for s in pairs if km[s.id] + distance <= s.replace_km]
        chosen = min(below or pairs, key=lambda s: (runs_in_plan[s.id], km[s.id], s.id))
        km[chosen.id] += distance
        runs_in_plan[chosen.id] += 1
        text_id = "shoe.rotate" if len(pairs) >= 2 else "shoe.only"
        sources = rules.sources(text_id)
        warning = None
        if km[chosen.id] > chosen.replace_km:
            warning = rules.say(
                "shoe.replace", shoe=chosen.name, km=round(km[chosen.id]),
                mark=round(chosen.replace_km),
            )  # fmt: skip
            sources = list(dict.fromkeys([*sources, *rules.sources("shoe.replace")]))
        advice = ShoeAdvice(
            shoe_id=chosen.id,
            text=rules.say(text_id, shoe=chosen.name),
            warning=warning,
            sources=sources,
        )
        run = day.run.model_copy(update={"shoe": advice})
        out.append(day.model_copy(update={"run": run}))
    return out

"""Shoes for one runner: the pairs with their mileage, alerts, rotation and advice."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, cast

from stridewell.errors import InvalidInput, NotFound
from stridewell.service.backend import Backend
from stridewell.service.training import run_log, shoe_model
from stridewell.service.views import ShoeAdvice, ShoeJson, ShoesOverview, Unit, note_json

if TYPE_CHECKING:
    from stridewell.load.notes import Reader
    from stridewell.storage.records import ShoeFields, StoredShoe

SHOE_FIELDS = ("brand", "model", "type", "nickname", "started", "retired", "is_default",
               "check_km", "replace_km", "strava_gear", "start_km")  # fmt: skip
# What a caller may send for a shoe field (forms and JSON bodies); checked by `Shoe`.
ShoeValue = str | float | int | bool | date | None


def _checked_fields(data: Mapping[str, ShoeValue]) -> dict[str, ShoeValue]:
    fields: dict[str, ShoeValue] = {k: v for k, v in data.items() if v is not None}
    unknown = sorted(set(fields) - set(SHOE_FIELDS))
    if unknown:
        raise InvalidInput(f"unknown field '{unknown[0]}'", field=unknown[0])
    return fields


def _validate_pair(fields: Mapping[str, object], today: date) -> None:
    """The domain model checks the values before anything is stored; no date may lie
    past tomorrow (a day of slack for time zones)."""
    from pydantic import ValidationError

    from stridewell.shoes.model import Shoe
    from stridewell.text import has_unstorable
    from stridewell.validation import describe_validation_error

    gear = fields.get("strava_gear")
    if isinstance(gear, str) and (len(gear) > 120 or has_unstorable(gear)):
        message = "a Strava gear name of at most 120 plain characters"
        raise InvalidInput(message, field="strava_gear")
    try:
        shoe = Shoe.model_validate({k: v for k, v in fields.items() if k != "strava_gear"})
    except ValidationError as exc:
        field, message = describe_validation_error(exc)
        raise InvalidInput(message, field=field) from exc
    latest = today + timedelta(days=1)
    for name, day in (("started", shoe.started), ("retired", shoe.retired)):
        if day is not None and day > latest:
            raise InvalidInput(f"{name} cannot be after tomorrow", field=name)


class ShoeService:
    """One runner's shoes."""

    def __init__(self, backend: Backend, runner_id: str) -> None:
        self._backend = backend
        self.runner_id = runner_id

    def overview(self, *, unit: str = "km", reader: Reader = "runner") -> ShoesOverview:
        """Every pair with its mileage, the alerts (worded for `reader`) and the rotation."""
        from stridewell.shoes.alerts import alerts, rotation_summary
        from stridewell.shoes.mileage import mileage

        log, shoes = run_log(self._backend, self.runner_id)
        km = mileage(shoes, log)
        shown_unit: Unit = "mi" if unit in ("mi", "miles") else "km"
        rotation = rotation_summary(shoes, km, self._backend.today(self.runner_id), unit=shown_unit)
        rows = [
            cast(ShoeJson, {**s.model_dump(mode="json"), "km": round(km.km.get(s.id, 0.0), 1)})
            for s in shoes
        ]
        return {
            "shoes": rows,
            "alerts": [note_json(n) for n in alerts(shoes, km, shown_unit, reader)],
            "rotation": note_json(rotation.note) if rotation.note else None,
            "unit": shown_unit,
            "advice": self._advice(),
        }

    def _advice(self) -> list[ShoeAdvice]:
        """The shoe features the runner's latest triage points to, by pain type."""
        runner_id = self.runner_id
        latest = self._backend.run(
            lambda store: store.assessments.list_assessments(runner_id, limit=1, offset=0)
        )
        if not latest:
            return []
        advice = latest[0].report.get("advice", [])
        return [
            cast(ShoeAdvice, a)
            for a in advice
            if isinstance(a, dict) and a.get("kind") == "shoe_feature"
        ]

    def add(self, data: Mapping[str, ShoeValue]) -> StoredShoe:
        fields = _checked_fields(data)
        fields.setdefault("type", "other")
        if not str(fields.get("brand", "")).strip():
            raise InvalidInput("brand is required (the maker of the shoe)", field="brand")
        _validate_pair({"id": "new", **fields}, self._backend.today(self.runner_id))
        runner_id, checked = self.runner_id, cast("ShoeFields", fields)
        return self._backend.run(lambda store: store.shoes.add_shoe(runner_id, **checked))

    def edit(self, shoe_id: str, changes: Mapping[str, ShoeValue]) -> StoredShoe:
        """Change a pair's details (brand, model, type, alerts, default, ...)."""
        fields = _checked_fields(changes)
        runner_id = self.runner_id
        current = self._backend.run(lambda store: store.shoes.get_shoe(shoe_id, runner_id))
        if current is None:
            raise NotFound(f"no shoe with id '{shoe_id}'")
        # The whole pair must still make sense after the change.
        _validate_pair(
            {**shoe_model(current).model_dump(), **fields}, self._backend.today(self.runner_id)
        )
        checked = cast("ShoeFields", fields)
        stored = self._backend.run(
            lambda store: store.shoes.update_shoe(shoe_id, runner_id, **checked)
        )
        if stored is None:
            raise NotFound(f"no shoe with id '{shoe_id}'")
        return stored

    def retire(self, shoe_id: str, *, on: date | None = None) -> StoredShoe:
        runner_id, day = self.runner_id, on or self._backend.today(self.runner_id)
        stored = self._backend.run(lambda store: store.shoes.retire_shoe(shoe_id, runner_id, day))
        if stored is None:
            raise NotFound(f"no shoe with id '{shoe_id}'")
        return stored

    def delete(self, shoe_id: str) -> None:
        runner_id = self.runner_id
        if not self._backend.run(lambda store: store.shoes.delete_shoe(shoe_id, runner_id)):
            raise NotFound(f"no shoe with id '{shoe_id}'")

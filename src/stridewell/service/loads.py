"""Training load and shoes from the stored activities, and the triage history they give."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stridewell.errors import InvalidInput, NotFound
from stridewell.storage.records import LOCAL_RUNNER_ID

if TYPE_CHECKING:
    from stridewell.load.notes import Note
    from stridewell.load.runlog import RunLog
    from stridewell.shoes.model import Shoe
    from stridewell.storage.records import StoredShoe
    from stridewell.storage.repository import Store

SHOE_FIELDS = ("brand", "model", "type", "nickname", "started", "retired", "is_default",
               "check_km", "replace_km", "strava_gear", "start_km")  # fmt: skip


def local_tz() -> tzinfo:
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def shoe_model(stored: StoredShoe) -> Shoe:
    from stridewell.shoes.model import Shoe

    return Shoe(
        id=stored.id,
        brand=stored.brand,
        model=stored.model,
        type=stored.type,
        nickname=stored.nickname,
        started=stored.started,
        retired=stored.retired,
        is_default=stored.is_default,
        check_km=stored.check_km,
        replace_km=stored.replace_km,
        start_km=getattr(stored, "start_km", 0.0),
    )


class LoadMixin:
    """Load, shoes and training history; mixed into `Stridewell`."""

    if TYPE_CHECKING:  # provided by Stridewell
        clock: Callable[[], datetime]

        @property
        def store(self) -> Store: ...

        def today(self) -> date: ...

        def _with_schema(self, action: Callable[[], Any]) -> Any: ...

    # -- the run log ----------------------------------------------------------------------

    def _run_log(self, runner_id: str) -> tuple[RunLog, list[Shoe]]:
        """The runner's activities as a load log, runs assigned to their shoes."""
        from stridewell.load.runlog import RunLog
        from stridewell.shoes.mileage import assign_shoes

        summaries = self._with_schema(lambda: self.store.activity_summaries(runner_id))
        shoes = [shoe_model(s) for s in self._with_schema(lambda: self.store.list_shoes(runner_id))]
        tz = local_tz()
        log = RunLog.from_arrays(
            [s.start_time.astimezone(tz).date() for s in summaries],
            [s.distance_m / 1000 for s in summaries],
            [s.duration_s for s in summaries],
            is_run=[s.sport == "running" for s in summaries],
            treadmill=[s.is_indoor for s in summaries],
            shoe=[s.shoe_id for s in summaries],
            shoe_ids=[s.id for s in shoes],
        )
        return assign_shoes(log, shoes), shoes

    def training_history(
        self, *, runner_id: str = LOCAL_RUNNER_ID
    ) -> tuple[dict[str, Any], list[Note]]:
        """Triage history fields from the recorded training, and the load notes behind them."""
        if not self._with_schema(lambda: self.store.count_activities(runner_id)):
            return {}, []  # and no NumPy import for runners without recorded training
        from stridewell.load.history import triage_history
        from stridewell.load.notes import warnings

        log, shoes = self._run_log(runner_id)
        if log.is_empty:
            return {}, []
        today = self.today()
        return dict(triage_history(log, today, shoes)), warnings(log, today)

    def training_load(self, *, weeks: int = 12, runner_id: str = LOCAL_RUNNER_ID) -> dict[str, Any]:
        """Weekly distance and time, both load ratios as information, and the warnings."""
        from stridewell.load.metrics import load_metrics
        from stridewell.load.notes import warnings

        if not 1 <= weeks <= 520:
            raise InvalidInput("weeks must be between 1 and 520", field="weeks")
        log, _ = self._run_log(runner_id)
        today = self.today()
        if log.is_empty:
            return {"weeks": [], "notes": [], "today": today.isoformat()}
        start = today - timedelta(days=7 * weeks - 1)
        metrics = load_metrics(log, start, today)
        w = metrics.weeks
        rows = [
            {
                "week": str(w.labels[i]),
                "km": round(float(w.km[i]), 1),
                "hours": round(float(w.seconds[i]) / 3600, 2),
                "change_pct": None
                if w.change_pct[i] != w.change_pct[i]
                else round(float(w.change_pct[i]), 1),
                "complete": bool(w.complete[i]),
            }
            for i in range(len(w.labels))
        ]
        acwr = metrics.acwr_rolling[-1]
        ewma = metrics.acwr_ewma[-1]
        return {
            "today": today.isoformat(),
            "weeks": rows,
            "acwr_rolling": None if acwr != acwr else round(float(acwr), 2),
            "acwr_ewma": None if ewma != ewma else round(float(ewma), 2),
            "notes": [n.to_json_dict() for n in warnings(log, today)],
        }

    def load_chart(self, path: Path, *, weeks: int = 26, runner_id: str = LOCAL_RUNNER_ID) -> Path:
        from stridewell.export.charts import load_chart

        data = self.training_load(weeks=weeks, runner_id=runner_id)
        if not data["weeks"]:
            raise InvalidInput(
                "no activities yet: import some with `stridewell import`", field="load"
            )
        return load_chart(data["weeks"], path)

    # -- shoes ----------------------------------------------------------------------------

    def shoes(self, *, unit: str = "km", runner_id: str = LOCAL_RUNNER_ID) -> dict[str, Any]:
        """Every pair with its mileage, the alerts and the rotation summary."""
        from stridewell.shoes.alerts import alerts, rotation_summary
        from stridewell.shoes.mileage import mileage

        log, shoes = self._run_log(runner_id)
        km = mileage(shoes, log)
        shown_unit: Any = "mi" if unit in ("mi", "miles") else "km"
        rotation = rotation_summary(shoes, km, self.today(), unit=shown_unit)
        return {
            "shoes": [
                {**s.model_dump(mode="json"), "km": round(km.km.get(s.id, 0.0), 1)} for s in shoes
            ],
            "alerts": [n.to_json_dict() for n in alerts(shoes, km, unit=shown_unit)],
            "rotation": rotation.note.to_json_dict() if rotation.note else None,
            "unit": shown_unit,
            "advice": self._shoe_advice(runner_id),
        }

    def _shoe_advice(self, runner_id: str) -> list[dict[str, Any]]:
        """The shoe features the runner's latest triage points to, by pain type."""
        latest = self._with_schema(lambda: self.store.list_assessments(runner_id, limit=1))
        if not latest:
            return []
        report = latest[0].report
        return [a for a in report.get("advice", []) if a.get("kind") == "shoe_feature"]

    def add_shoe(self, data: dict[str, Any], *, runner_id: str = LOCAL_RUNNER_ID) -> StoredShoe:
        from pydantic import ValidationError

        from stridewell.shoes.model import Shoe
        from stridewell.validation import describe_validation_error

        fields = {k: v for k, v in data.items() if v is not None}
        fields.setdefault("type", "other")
        if not str(fields.get("brand", "")).strip():
            raise InvalidInput("brand is required (the maker of the shoe)", field="brand")
        unknown = sorted(set(fields) - set(SHOE_FIELDS))
        if unknown:
            raise InvalidInput(f"unknown field '{unknown[0]}'", field=unknown[0])
        try:  # the domain model checks the values before anything is stored
            Shoe.model_validate(
                {"id": "new", **{k: v for k, v in fields.items() if k != "strava_gear"}}
            )
        except ValidationError as exc:
            field, message = describe_validation_error(exc)
            raise InvalidInput(message, field=field) from exc
        stored: StoredShoe = self._with_schema(lambda: self.store.add_shoe(runner_id, **fields))
        return stored

    def edit_shoe(
        self, shoe_id: str, changes: dict[str, Any], *, runner_id: str = LOCAL_RUNNER_ID
    ) -> StoredShoe:
        """Change a pair's details (brand, model, type, alerts, default, ...)."""
        from pydantic import ValidationError

        from stridewell.validation import describe_validation_error

        fields = {k: v for k, v in changes.items() if v is not None}
        unknown = sorted(set(fields) - set(SHOE_FIELDS))
        if unknown:
            raise InvalidInput(f"unknown field '{unknown[0]}'", field=unknown[0])
        current = self._with_schema(lambda: self.store.get_shoe(shoe_id, runner_id))
        if current is None:
            raise NotFound(f"no shoe with id '{shoe_id}'")
        try:  # the whole pair must still make sense after the change
            from stridewell.shoes.model import Shoe

            merged = {**shoe_model(current).model_dump(), **fields}
            merged.pop("strava_gear", None)
            Shoe.model_validate(merged)
        except ValidationError as exc:
            field, message = describe_validation_error(exc)
            raise InvalidInput(message, field=field) from exc
        stored = self._with_schema(lambda: self.store.update_shoe(shoe_id, runner_id, **fields))
        if stored is None:
            raise NotFound(f"no shoe with id '{shoe_id}'")
        result: StoredShoe = stored
        return result

    def retire_shoe(
        self, shoe_id: str, *, on: date | None = None, runner_id: str = LOCAL_RUNNER_ID
    ) -> StoredShoe:
        stored = self._with_schema(
            lambda: self.store.retire_shoe(shoe_id, runner_id, on or self.today())
        )
        if stored is None:
            raise NotFound(f"no shoe with id '{shoe_id}'")
        result: StoredShoe = stored
        return result

    def delete_shoe(self, shoe_id: str, *, runner_id: str = LOCAL_RUNNER_ID) -> None:
        if not self._with_schema(lambda: self.store.delete_shoe(shoe_id, runner_id)):
            raise NotFound(f"no shoe with id '{shoe_id}'")

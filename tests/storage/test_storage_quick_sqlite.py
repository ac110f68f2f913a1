"""The SQLAlchemy-free write of `assess --json` stores exactly what the ORM would."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from stridewell.service import Stridewell
from stridewell.storage.quick_sqlite import QuickSqlite
from stridewell.storage.records import LOCAL_RUNNER_ID, AssessmentToStore
from stridewell.storage.repository import Store

MakeActivity = Callable[..., dict[str, Any]]

HEEL = {
    "locations": ["heel_bottom"],
    "onset": "gradual",
    "pain_timing": ["first_steps_morning"],
    "pain_quality": ["stabbing"],
    "pain_score": 5,
    "duration_days": 20,
}
WHEN = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=timezone(timedelta(hours=-5)))


def _migrated(tmp_path: Path) -> str:
    url = f"sqlite:///{(tmp_path / 'sw.db').as_posix()}"
    store = Store(url)
    store.upgrade()
    store.close()
    return url


def _fields(url: str, assessment_id: str) -> dict[str, Any]:
    store = Store(url)
    try:
        record = store.assessments.get_assessment(assessment_id, LOCAL_RUNNER_ID)
        assert record is not None
        found = asdict(record)
    finally:
        store.close()
    found.pop("id")
    return found


def _values(**changes: Any) -> AssessmentToStore:
    values = AssessmentToStore(
        assessment=HEEL,
        report={"triage": {"level": "soon"}, "note": "ünïcode", "n": 1.5},
        level="soon",
        top_condition="plantar_fasciitis",
        kb_version="2026.11.3",
        rules_fired=["finding:a", "advice:b"],
        created_at=WHEN,
    )
    return replace(values, **changes)


def test_a_quick_save_reads_back_through_the_orm_exactly_like_an_orm_save(tmp_path: Path) -> None:
    url = _migrated(tmp_path)
    quick = QuickSqlite.open(url)
    assert quick is not None
    with quick:
        saved = quick.save_assessment(_values(), runner_id=LOCAL_RUNNER_ID)
    assert saved is not None
    quick_id = saved.id
    store = Store(url)
    orm_id = store.assessments.save_assessment(_values(), runner_id=LOCAL_RUNNER_ID).id
    store.close()
    assert _fields(url, quick_id) == _fields(url, orm_id)
    with sqlite3.connect(tmp_path / "sw.db") as raw:
        rows = raw.execute(
            "SELECT created_at, input_json, report_json, rules_fired FROM assessments WHERE id IN (?, ?)",
            (quick_id, orm_id),
        ).fetchall()
    assert rows[0] == rows[1]  # byte for byte the same text in every column
    assert _fields(url, quick_id)["created_at"] == WHEN.astimezone(UTC)


def test_the_quick_path_declines_a_missing_file_another_revision_or_postgres(
    tmp_path: Path,
) -> None:
    assert QuickSqlite.open(f"sqlite:///{(tmp_path / 'none.db').as_posix()}") is None
    assert QuickSqlite.open("postgresql+psycopg://postgres@127.0.0.1/test") is None
    url = _migrated(tmp_path)
    with sqlite3.connect(tmp_path / "sw.db") as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0003'")
    assert QuickSqlite.open(url) is None


def test_the_quick_path_declines_an_unknown_runner_and_writes_nothing(tmp_path: Path) -> None:
    url = _migrated(tmp_path)
    quick = QuickSqlite.open(url)
    assert quick is not None
    with quick:
        assert quick.save_assessment(_values(), runner_id="nobody") is None
    with sqlite3.connect(tmp_path / "sw.db") as raw:
        assert raw.execute("SELECT count(*) FROM assessments").fetchone() == (0,)


def test_a_naive_datetime_is_refused_by_the_quick_path_too(tmp_path: Path) -> None:
    quick = QuickSqlite.open(_migrated(tmp_path))
    assert quick is not None
    with quick, pytest.raises(ValueError, match="naive"):
        quick.save_assessment(_values(created_at=datetime(2026, 1, 1)), runner_id=LOCAL_RUNNER_ID)


@pytest.mark.parametrize(
    "changes", [{"level": "x" * 17}, {"kb_version": "v" * 33}, {"top_condition": "c" * 65}]
)
def test_over_long_text_is_refused_by_both_write_paths_alike(
    tmp_path: Path, changes: dict[str, str]
) -> None:
    url = _migrated(tmp_path)
    quick = QuickSqlite.open(url)
    assert quick is not None
    with quick, pytest.raises(ValueError, match="longer than") as from_quick:
        quick.save_assessment(_values(**changes), runner_id=LOCAL_RUNNER_ID)
    with Store(url) as store, pytest.raises(ValueError, match="longer than") as from_orm:
        store.assessments.save_assessment(_values(**changes), runner_id=LOCAL_RUNNER_ID)
    assert str(from_quick.value) == str(from_orm.value)
    with sqlite3.connect(tmp_path / "sw.db") as raw:
        assert raw.execute("SELECT count(*) FROM assessments").fetchone() == (0,)


def test_the_quick_path_stamps_the_local_runner_with_the_service_clock(tmp_path: Path) -> None:
    url = _migrated(tmp_path)
    with Stridewell(url, clock=lambda: WHEN) as service:
        assert service.assess(HEEL).created_at == WHEN.astimezone(UTC)
    with sqlite3.connect(tmp_path / "sw.db") as raw:
        [(stamped,)] = raw.execute("SELECT created_at FROM runners WHERE id = 'local'")
    assert stamped == WHEN.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def test_service_assess_with_training_data_takes_the_ordinary_path(
    tmp_path: Path, make_activity: MakeActivity
) -> None:
    url = _migrated(tmp_path)
    store = Store(url)
    store.activities.add_activities(LOCAL_RUNNER_ID, [make_activity(0)])
    store.close()
    quick = QuickSqlite.open(url)
    assert quick is not None
    with quick:
        assert quick.has_activities(LOCAL_RUNNER_ID)
        assert not quick.has_activities("someone_else")
    with Stridewell(url) as service:
        result = service.assess(HEEL)
        assert service._backend.store_opened  # the ORM did the work: training was read
        assert result.id is not None
        level = service.local().assessments.get(result.id).level
        assert level == result.report.triage.level.value


def test_cli_assess_json_saves_without_importing_sqlalchemy(tmp_path: Path) -> None:
    url = _migrated(tmp_path)
    script = (
        "import json, sys\n"
        "from stridewell.service import Stridewell\n"
        f"result = Stridewell({url!r}).assess(json.loads(sys.argv[1]))\n"
        "print(json.dumps({'id': result.id, 'sqlalchemy': 'sqlalchemy' in sys.modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(HEEL)],
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(done.stdout)
    assert out["sqlalchemy"] is False
    assert _fields(url, out["id"])["level"] in {"soon", "self_care", "urgent"}

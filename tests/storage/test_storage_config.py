"""Where the database lives, and keeping the cheap modules cheap to import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import stridewell.storage
from stridewell.storage.config import normalise_database_url, resolve_database_url


def test_explicit_database_url_wins_over_data_dir(tmp_path: Path) -> None:
    env = {
        "STRIDEWELL_DATABASE_URL": "sqlite:////srv/elsewhere.db",
        "STRIDEWELL_DATA_DIR": str(tmp_path),
    }
    assert resolve_database_url(env) == "sqlite:////srv/elsewhere.db"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/sw", "postgresql+psycopg://u:p@db:5432/sw"),
        ("postgresql://u@db/sw", "postgresql+psycopg://u@db/sw"),
        ("postgresql+psycopg://u@db/sw", "postgresql+psycopg://u@db/sw"),
        ("sqlite:///relative.db", "sqlite:///relative.db"),
    ],
)
def test_postgres_urls_are_normalised_to_the_psycopg_driver(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected
    assert resolve_database_url({"STRIDEWELL_DATABASE_URL": given}) == expected


def test_data_dir_holds_the_sqlite_file_and_is_created(tmp_path: Path) -> None:
    data_dir = tmp_path / "not" / "there" / "yet"

    url = resolve_database_url({"STRIDEWELL_DATA_DIR": str(data_dir)})

    assert url == f"sqlite:///{(data_dir / 'stridewell.db').as_posix()}"
    assert data_dir.is_dir()


def test_platform_data_dir_is_the_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    platform_dir = tmp_path / "platform"
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda app: str(platform_dir / app))

    url = resolve_database_url({"STRIDEWELL_DATABASE_URL": "  "})

    assert url == f"sqlite:///{(platform_dir / 'stridewell' / 'stridewell.db').as_posix()}"
    assert (platform_dir / "stridewell").is_dir()


def test_process_environment_is_read_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRIDEWELL_DATABASE_URL", raising=False)
    monkeypatch.setenv("STRIDEWELL_DATA_DIR", str(tmp_path))

    assert resolve_database_url() == f"sqlite:///{(tmp_path / 'stridewell.db').as_posix()}"


def test_cheap_storage_modules_do_not_import_sqlalchemy() -> None:
    # A fresh interpreter: this one imported SQLAlchemy long ago for the other tests.
    source_root = Path(stridewell.storage.__file__).resolve().parents[2]
    probe = (
        "import sys\n"
        "import stridewell.storage, stridewell.storage.config\n"
        "import stridewell.storage.errors, stridewell.storage.records\n"
        "from stridewell.storage import StorageError, StoredAssessment, resolve_database_url\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'sqlalchemy', 'alembic'})\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(source_root)},
    )
    assert result.stdout.strip() == ""


def test_store_is_still_importable_from_the_package() -> None:
    from stridewell.storage import Store
    from stridewell.storage.repository import Store as RepositoryStore

    assert Store is RepositoryStore

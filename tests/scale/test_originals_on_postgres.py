"""On PostgreSQL an import's original files live in the database, whichever way they came
in (the CLI's `import_paths` as well as the web's jobs), and the data export hands them
back: any process on any machine can, with no local folder involved."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from pg_schemas import postgres_schema_url
from repo_paths import ACTIVITY_FILES
from stridewell.service import Stridewell

GPX = ACTIVITY_FILES / "gpx" / "korita-zbevnica.gpx"


def test_an_import_on_postgres_keeps_its_original_in_the_database_and_the_export_has_it(
    tmp_path: Path,
) -> None:
    data = GPX.read_bytes()
    with postgres_schema_url() as url:
        service = Stridewell(url)
        service.upgrade_database()
        runner = service.for_runner(
            service.accounts.register("r@example.org", "x" * 12, "R").runner_id
        )
        report = runner.training.import_paths([GPX])
        assert report.imported == 1
        # Nothing in a local folder: another machine could not read it there.
        folder = runner.training.originals_dir()
        assert not folder.exists() or not any(folder.iterdir())
        archive = zipfile.ZipFile(io.BytesIO(runner.account.export_data()))
        original = f"originals/{hashlib.sha256(data).hexdigest()}.gpx"
        assert archive.read(original) == data
        service.close()

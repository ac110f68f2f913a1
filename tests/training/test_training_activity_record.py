"""An imported activity keeps what a later activity page needs: where its original file
is kept, and its per-second samples, read back as they were decoded."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from stridewell.errors import NotFound
from stridewell.service import Stridewell

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "activities"))
from synthetic import synthetic_run, write_fit

START = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{(tmp_path / 'a.db').as_posix()}")
    sw.upgrade_database()
    yield sw
    sw.close()


def test_an_imported_run_names_its_kept_original_and_gives_back_its_samples(
    service: Stridewell, tmp_path: Path
) -> None:
    run = synthetic_run(7, START, 1800)
    (tmp_path / "morning.fit").write_bytes(write_fit(run))
    training = service.local().training
    assert training.import_paths([tmp_path / "morning.fit"]).imported == 1
    [listed] = training.activities()
    assert listed.original_path is not None and listed.original_path.endswith(".fit")
    assert (training.originals_dir() / listed.original_path).read_bytes() == (
        tmp_path / "morning.fit"
    ).read_bytes()
    samples = training.samples(listed.id)
    assert samples is not None and len(samples) == len(run.t)
    assert samples.heart_rate is not None
    assert np.allclose(samples.heart_rate, run.hr, atol=1)
    assert samples.distance_m is not None
    assert float(samples.distance_m[-1]) == pytest.approx(run.distance_m, rel=1e-3)


def test_another_runners_activity_reads_as_missing(service: Stridewell, tmp_path: Path) -> None:
    (tmp_path / "run.fit").write_bytes(write_fit(synthetic_run(3, START, 600)))
    service.local().training.import_paths([tmp_path / "run.fit"])
    [mine] = service.local().training.activities()
    other = service.accounts.register("ann@example.org", "correct horse battery", "Ann")
    with pytest.raises(NotFound):
        service.for_runner(other.runner_id).training.samples(mine.id)

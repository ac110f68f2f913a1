"""The repository's copies of the contract, vignettes and activity files match their source.

The project's shared folder is where the contract and the development vignettes are
decided. When it is beside the checkout, a change there must fail here until the copies
are brought up to date; in a user's clone the copies alone are checked.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from repo_paths import (
    ACTIVITY_FILES,
    CONTRACT_PAGE,
    CONTRACT_SCHEMA,
    DEV_VIGNETTES,
    NOT_REDISTRIBUTED,
    SHARED,
)
from stridewell.contract import Assessment


def _copies() -> dict[Path, Path]:
    """Each repository copy and the file of the shared folder it was taken from."""
    assert SHARED is not None
    pairs = {
        CONTRACT_PAGE: SHARED / "contract" / "assessment.md",
        CONTRACT_SCHEMA: SHARED / "contract" / "assessment.schema.json",
        DEV_VIGNETTES: SHARED / "vignettes" / "dev.yaml",
    }
    source_files = SHARED / "activity-files"
    for kind in ("fit", "gpx", "tcx"):
        for source in sorted((source_files / kind).iterdir()):
            if source.name not in NOT_REDISTRIBUTED:
                pairs[ACTIVITY_FILES / kind / source.name] = source
    return pairs


def test_the_repository_copies_are_whole_and_readable() -> None:
    assert "Version 1.1" in CONTRACT_PAGE.read_text(encoding="utf-8")
    schema = json.loads(CONTRACT_SCHEMA.read_text(encoding="utf-8"))
    assert "locations" in schema["required"]
    cases = yaml.safe_load(DEV_VIGNETTES.read_text(encoding="utf-8"))
    assert len(cases) >= 30
    for case in cases:
        Assessment.model_validate(case["assessment"])
    for kind in ("fit", "gpx", "tcx"):
        assert any((ACTIVITY_FILES / kind).iterdir()), kind
    assert (ACTIVITY_FILES / "README.md").is_file()


def test_the_repository_copies_match_the_shared_folder_byte_for_byte() -> None:
    if SHARED is None:
        # A user's clone: the copies are the only source (checked above).
        return
    copies = _copies()
    missing = [str(c) for c in copies if not c.exists()]
    assert not missing, f"copy these from ../shared: {missing}"
    stale = [str(c) for c, source in copies.items() if c.read_bytes() != source.read_bytes()]
    assert not stale, f"../shared changed; update these copies: {stale}"
    extra = {
        p.name
        for kind in ("fit", "gpx", "tcx")
        for p in (ACTIVITY_FILES / kind).iterdir()
        if not (SHARED / "activity-files" / kind / p.name).exists()
    }
    assert not extra, f"files not in ../shared/activity-files: {sorted(extra)}"

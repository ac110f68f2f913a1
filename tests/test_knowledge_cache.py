"""The parse cache of the knowledge files: used when it fits, never when it does not."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from stridewell.errors import KnowledgeBaseError
from stridewell.knowledge.loader import read_yaml


def _cache() -> Path:
    return Path(os.environ["STRIDEWELL_CACHE_DIR"])


def test_a_parsed_file_is_kept_and_read_back_from_the_cache(tmp_path: Path) -> None:
    source = tmp_path / "rules.yaml"
    source.write_text("limits: {runs: 3}\n")
    assert read_yaml(source) == {"limits": {"runs": 3}}
    [kept] = list(_cache().glob("rules-*.marshal"))
    # What the cache holds is what comes back, so the file was not parsed again.
    kept.write_bytes(marshal.dumps({"from": "cache"}))
    assert read_yaml(source) == {"from": "cache"}


def test_a_changed_file_is_parsed_again_not_read_from_a_stale_cache(tmp_path: Path) -> None:
    source = tmp_path / "rules.yaml"
    source.write_text("limits: {runs: 3}\n")
    read_yaml(source)
    source.write_text("limits: {runs: 4}\n")
    assert read_yaml(source) == {"limits": {"runs": 4}}
    assert len(list(_cache().glob("rules-*.marshal"))) == 2


def test_a_damaged_cache_entry_is_ignored(tmp_path: Path) -> None:
    source = tmp_path / "rules.yaml"
    source.write_text("limits: {runs: 3}\n")
    read_yaml(source)
    [kept] = list(_cache().glob("rules-*.marshal"))
    kept.write_bytes(b"\x00broken")
    assert read_yaml(source) == {"limits": {"runs": 3}}


def test_broken_yaml_is_a_knowledge_base_error_naming_the_file(tmp_path: Path) -> None:
    source = tmp_path / "rules.yaml"
    source.write_text("limits: [unclosed\n")
    with pytest.raises(KnowledgeBaseError, match=r"rules\.yaml"):
        read_yaml(source)

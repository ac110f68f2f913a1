"""Load and validate the knowledge base from its YAML files."""

from __future__ import annotations

import hashlib
import marshal
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from platformdirs import user_cache_dir
from pydantic import BaseModel, ValidationError

from stridewell.errors import KnowledgeBaseError
from stridewell.knowledge.schema import KnowledgeBase

# One file per kind of knowledge; advice.yaml holds three lists.
_FILES = {
    "meta": "meta.yaml",
    "citations": "citations.yaml",
    "conditions": "conditions.yaml",
    "red_flags": "red_flags.yaml",
    "exercises": "exercises.yaml",
}
_ADVICE_FILE = "advice.yaml"
_ADVICE_KEYS = ("self_care", "shoe_features", "prevention")

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_dir() -> Path:
    return Path(str(resources.files("stridewell.knowledge") / "data"))


def read_yaml(path: Path) -> Any:
    """A knowledge file's YAML, or KnowledgeBaseError naming the file.

    Parsing the knowledge files is most of a cold start (`stridewell assess --json`), so
    the parsed data is kept in the cache folder, under the digest of the file's bytes: a
    changed file is parsed again. The cache holds plain data in `marshal` form (no code,
    unlike pickle), and a cache that cannot be read or written is simply not used.
    """
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise KnowledgeBaseError(f"{path.name}: cannot be read: {exc}") from exc
    cached = _cache_dir() / f"{path.stem}-{hashlib.sha256(text).hexdigest()[:32]}.marshal"
    try:
        return marshal.loads(cached.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{path.name}: cannot be read: {exc}") from exc
    _write_cache(cached, data)
    return data


def _cache_dir() -> Path:
    configured = os.environ.get("STRIDEWELL_CACHE_DIR", "").strip()
    return Path(configured) if configured else Path(user_cache_dir("stridewell"))


def _write_cache(path: Path, data: Any) -> None:
    try:
        blob = marshal.dumps(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(blob)
        partial.replace(path)  # atomic: a reader sees the whole file or none
    except (OSError, ValueError):
        pass


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], raw: object, path: Path) -> M:
    """`raw` as `model`, or KnowledgeBaseError naming the file and the first problem."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise KnowledgeBaseError(
            f"{path.name} is invalid at {where}: {first['msg']} ({exc.error_count()} problem(s))"
        ) from exc


def load_from(folder: Path) -> KnowledgeBase:
    """Read every knowledge file in `folder` and validate the whole."""
    raw: dict[str, Any] = {key: read_yaml(folder / name) for key, name in _FILES.items()}
    advice = read_yaml(folder / _ADVICE_FILE)
    if not isinstance(advice, dict):
        raise KnowledgeBaseError(f"{_ADVICE_FILE}: expected a mapping of {_ADVICE_KEYS}")
    for key in _ADVICE_KEYS:
        raw[key] = advice.get(key)
    try:
        return KnowledgeBase.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise KnowledgeBaseError(
            f"knowledge base in {folder} is invalid at {where}: {first['msg']}"
            f" ({exc.error_count()} problem(s))"
        ) from exc


@lru_cache(maxsize=1)
def load_knowledge() -> KnowledgeBase:
    """The packaged knowledge base, read once per process."""
    return load_from(data_dir())

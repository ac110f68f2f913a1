"""Load and validate the knowledge base from its YAML files."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
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
    """A knowledge file's YAML, or KnowledgeBaseError naming the file."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{path.name}: cannot be read: {exc}") from exc


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

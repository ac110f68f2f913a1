"""Where to get care: the emergency number and care links for the runner's country.

`knowledge/data/care.yaml` holds the numbers and links per country, each with its
official source. The country is `STRIDEWELL_COUNTRY` if set, else read from the locale
(`LC_ALL`, `LC_MESSAGES`, `LANG`: `en_GB.UTF-8` gives GB), else the file's default;
`STRIDEWELL_EMERGENCY_NUMBER` overrides the number (a country the file does not know, or
a local arrangement). Read when a page or a report is shown, never on the JSON path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from stridewell.knowledge.loader import data_dir, read_yaml, validated

CARE_FILE = "care.yaml"
COUNTRY_ENV = "STRIDEWELL_COUNTRY"
NUMBER_ENV = "STRIDEWELL_EMERGENCY_NUMBER"
_LOCALE = re.compile(r"^[a-z]{2,3}_([A-Z]{2})\b")
_NUMBER = re.compile(r"^[0-9][0-9 ]{1,14}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Link(_Strict):
    label: str = Field(min_length=3)
    url: HttpUrl


class Source(_Strict):
    title: str = Field(min_length=3)
    url: HttpUrl


class Country(_Strict):
    name: str
    emergency: str = Field(pattern=_NUMBER.pattern)
    links: list[Link] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)


class CareFile(_Strict):
    version: str = Field(pattern=r"^\d{4}\.\d{2}\.\d+$")
    default: str
    countries: dict[str, Country] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_known(self) -> CareFile:
        if self.default not in self.countries:
            raise ValueError(f"default: '{self.default}' is not one of the countries")
        return self


@dataclass(frozen=True, slots=True)
class Care:
    """What a report shows under "Find care"."""

    country: str
    country_name: str
    emergency: str
    links: tuple[tuple[str, str], ...]  # (label, url)


@lru_cache(maxsize=1)
def load_care() -> CareFile:
    path = data_dir() / CARE_FILE
    return validated(CareFile, read_yaml(path), path)


def country_from(env: Mapping[str, str]) -> str | None:
    """The country the settings or the locale name, if any."""
    chosen = env.get(COUNTRY_ENV, "").strip().upper()
    if chosen:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        match = _LOCALE.match(env.get(name, ""))
        if match:
            return match.group(1)
    return None


def care_for(env: Mapping[str, str] | None = None) -> Care:
    """The care information for the configured country (the default one if unknown)."""
    env = os.environ if env is None else env
    data = load_care()
    code = country_from(env)
    country = data.countries.get(code or "") or data.countries[data.default]
    number = env.get(NUMBER_ENV, "").strip()
    if not _NUMBER.match(number):
        number = country.emergency
    return Care(
        country=code if code in data.countries else data.default,
        country_name=country.name,
        emergency=number,
        links=tuple((link.label, str(link.url)) for link in country.links),
    )


__all__ = ["Care", "care_for", "country_from", "load_care"]

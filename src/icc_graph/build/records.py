"""The curated data as plain values: no rdflib here, so every stage can use them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .period import Period

WIKIDATA_STATUSES = ("confirmed", "partial", "unconfirmed")
# How places.yaml writes a Wikidata item: Q and a number.
WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")


@dataclass(frozen=True)
class Country:
    iso2: str
    name: str
    wikidata: str | None = None
    wikidata_status: str = "unconfirmed"
    names: tuple[tuple[str, str], ...] = ()   # (language, name) pairs besides English
    wikidata_candidates: tuple[str, ...] = ()  # items that may be this one (status partial), to review
    wikidata_rejected: tuple[str, ...] = ()    # items a curator ruled out; never proposed again


@dataclass(frozen=True)
class Place:
    """A city, or a district inside a city (``parent`` names the city's slug)."""

    slug: str
    name: str
    kind: str                      # "city" or "district"
    country: str                   # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    parent: str | None = None
    wikidata: str | None = None
    wikidata_status: str = "unconfirmed"
    iso_code: str | None = None
    names: tuple[tuple[str, str], ...] = ()
    wikidata_candidates: tuple[str, ...] = ()
    wikidata_rejected: tuple[str, ...] = ()


@dataclass(frozen=True)
class Practice:
    slug: str
    title: str | None              # None when the source prints no title
    label: str                     # always usable: the title, or a curated label
    country: str                   # ISO 3166-1 alpha-2
    places: tuple[str, ...]        # slugs of the cities or districts it runs in
    period: Period
    summary: str | None
    sections: tuple[tuple[str, str], ...]   # (section, text) in SECTIONS order
    themes: tuple[str, ...]        # theme slugs, assigned by curation
    source_page: str
    read_on: dt.date
    language: str = "en"
    path: Path | None = None       # the data file, so that reports can point at it


@dataclass(frozen=True)
class Metadata:
    title: str
    description: str
    version: str
    issued: dt.date
    modified: dt.date
    license: str
    publisher_name: str
    publisher_homepage: str
    contact_page: str
    source: str
    curator: str
    language: str = "en"
    keywords: tuple[str, ...] = ()
    rights: str = ""        # the attribution the source texts' owner is owed, stated with the licence


@dataclass(frozen=True)
class Records:
    metadata: Metadata
    countries: tuple[Country, ...]
    places: tuple[Place, ...]
    practices: tuple[Practice, ...]
    themes: frozenset[str] = field(default_factory=frozenset)   # known theme slugs

    @cached_property
    def place_by_slug(self) -> dict[str, Place]:
        return {p.slug: p for p in self.places}

"""The curated data as plain values: no rdflib here, so every stage can use them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .period import Period
from .yaml_fields import from_yaml

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
    """A practice. A plain field (a text, a year, a flag, a date, a list of texts) needs only its line here with
    ``from_yaml``; the others have their own rule in ``datadir.read_practice``."""

    slug: str = field(metadata=from_yaml("slug"))
    # None when the source prints no title
    title: str | None = field(metadata=from_yaml("source.title", "dcterms:title", "icc:titleMissingInSource"))
    # always usable: the title, or a curated label
    label: str = field(metadata=from_yaml("curation.label", "rdfs:label"))
    country: str = field(metadata=from_yaml("source.country", "icc:country"))   # ISO 3166-1 alpha-2
    # slugs of the cities or districts it runs in
    places: tuple[str, ...] = field(metadata=from_yaml("source.cities", "schema:spatialCoverage"))
    period: Period = field(metadata=from_yaml("source.period"))   # its parts declare their own keys
    summary: str | None = field(metadata=from_yaml("source.summary", "dcterms:abstract"))
    # (section, text) in SECTIONS order; their terms come from vocabulary/sections.py
    sections: tuple[tuple[str, str], ...] = field(metadata=from_yaml("source.sections"))
    # theme slugs, assigned by curation
    themes: tuple[str, ...] = field(metadata=from_yaml("curation.themes", "dcterms:subject"))
    source_page: str = field(metadata=from_yaml("source.page", "dcterms:source", "prov:wasDerivedFrom"))
    read_on: dt.date = field(metadata=from_yaml("source.read_on", "pav:retrievedOn"))
    language: str = field(default="en", metadata=from_yaml("source.language"))
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

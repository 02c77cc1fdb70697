"""Where a node of the graph comes from: the data file, the record in it and the field.

Validation results name IRIs and properties; curators edit YAML. This module
turns ``(practice/district-mothers, icc:endYear)`` into
``data/practices/district-mothers.yaml`` field ``source.end_year``, and
``(city/erlangen, icc:wikidataCandidate)`` into ``data/places.yaml``
``[cities[3] erlangen]`` field ``wikidata_status``.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import OWL, RDFS

from ..vocabulary import handwritten
from ..vocabulary.namespaces import GEO, PREFIXES, SCHEMA
from ..vocabulary.prefixes import NAMESPACES
from ..vocabulary.sections import SECTION_IRIS
from ..vocabulary.terms import ICC
from .datadir import PLACES, PRACTICES
from .records import Practice, Records
from .yaml_fields import located

DCTERMS = PREFIXES["dcterms"]


def practice_fields(record_type: type[Practice] = Practice) -> dict[URIRef, str]:
    """Property -> the field of data/practices/<slug>.yaml it is mapped from: what the record's fields declare
    (yaml_fields.from_yaml), and the template sections."""
    fields = {URIRef(NAMESPACES[prefix] + local): key
              for prefix, local, key in ((*term.split(":", 1), key) for term, key in located(record_type).items())}
    return {**fields, **{URIRef(iri): f"source.sections.{name}" for name, iri in SECTION_IRIS.items()}}


# Property -> the field of a record in data/places.yaml (see mapping._add_place and _add_country).
PLACE_FIELDS = {
    RDFS.label: "name",
    SCHEMA.name: "name",
    OWL.sameAs: "wikidata",
    ICC.wikidataCandidate: "wikidata_status",
    ICC.country: "country",
    SCHEMA.containedInPlace: "country",
    ICC.isoCode: "iso_code",
    GEO.hasGeometry: "lat, lon",
    GEO.asWKT: "lat, lon",
    SCHEMA.latitude: "lat",
    SCHEMA.longitude: "lon",
}
# A district names its city, and takes its country from it.
DISTRICT_FIELDS = {**PLACE_FIELDS, ICC.country: "city", SCHEMA.containedInPlace: "city"}
COUNTRY_FIELDS = {**PLACE_FIELDS, ICC.isoCode: "iso2"}


class Origins:
    """Finds the file, record and field behind a focus node and a property of ``records``."""

    def __init__(self, records: Records, base: str, data_dir: Path, practice_type: type[Practice] = Practice):
        self.base = base
        self.practice_fields = practice_fields(practice_type)
        self.data_dir = data_dir
        self.practices = {p.slug: p.path or data_dir / PRACTICES / f"{p.slug}.yaml" for p in records.practices}
        self.places: dict[str, tuple[str, dict]] = {}
        counts = {"city": 0, "district": 0}
        for place in records.places:
            section = "cities" if place.kind == "city" else "districts"
            fields = PLACE_FIELDS if place.kind == "city" else DISTRICT_FIELDS
            self.places[place.slug] = (f"{section}[{counts[place.kind]}] {place.slug}", fields)
            counts[place.kind] += 1
        self.countries = {c.iso2.lower(): f"countries[{i}] {c.iso2}" for i, c in enumerate(records.countries)}

    def locate(self, focus, path: URIRef | None) -> tuple[Path | None, str | None, str | None]:
        """(file, record, field); file is None for what the build derives (links) or nodes of unknown origin."""
        local = str(focus)[len(self.base):] if str(focus).startswith(self.base) else None
        if local is None:
            return None, None, _prefixed(path)
        kind, _, rest = local.partition("/")
        slug = rest.partition("#")[0]
        if kind == "practice" and slug in self.practices:
            return self.practices[slug], None, self.practice_fields.get(path, _prefixed(path))
        if kind == "city" and slug in self.places:
            record, fields = self.places[slug]
            return self.data_dir / PLACES, record, fields.get(path, _prefixed(path))
        if kind == "country" and slug in self.countries:
            return self.data_dir / PLACES, self.countries[slug], COUNTRY_FIELDS.get(path, _prefixed(path))
        if kind in ("theme", "scheme"):
            return handwritten.themes_file(), f"{kind}:{slug}", _prefixed(path)
        return None, None, _prefixed(path)


def _prefixed(path: URIRef | None) -> str | None:
    if path is None:
        return None
    text = str(path)
    namespaces = {"icc": str(ICC._NS), **{p: str(ns) for p, ns in PREFIXES.items()}}
    for prefix, ns in sorted(namespaces.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text

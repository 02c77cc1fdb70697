"""Entries a curator resolved with ``curation.corrections``: a line the importer cannot split for sure, read
with the country and cities the curator gives.

A review item names its practice's slug. To resolve it without touching
places.yaml, the curator writes (or completes) ``practices/<slug>.yaml``::

    slug: <slug>
    source:
    curation:
      corrections: {country: Spain, cities: [Bilbao, Getxo], start_year: 2019}

The next import reads that practice's line with the corrected country and
cities (the words left after them are the period); years in the corrections
also stand in for a period the rules cannot read. The build publishes the
corrected values (corrections win over the source); cities the curator names
that places.yaml does not know are added as ``unconfirmed`` like any new city.
"""

from __future__ import annotations

from pathlib import Path

from ..build.datadir import PRACTICES, read_yaml
from .places import Gazetteer, PlaceLine
from .template import fold

YEAR_FIELDS = ("start_year", "end_year", "ongoing")


def read_corrections(data_dir: Path) -> dict[str, dict]:
    """slug -> the ``curation.corrections`` of each practice file that has some."""
    found = {}
    for path in sorted((data_dir / PRACTICES).glob("*.yaml")):
        corrections = ((read_yaml(path).get("curation") or {}).get("corrections")) or {}
        if isinstance(corrections, dict) and corrections:
            found[path.stem] = corrections
    return found


def corrects_years(corrections: dict | None) -> bool:
    return bool(corrections) and any(key in corrections for key in YEAR_FIELDS)


def corrected_split(gazetteer: Gazetteer, text: str, corrections: dict | None) -> PlaceLine | None:
    """The line read with the curator's country and cities; None when they do not say both, or the line does
    not start with a country name."""
    if not corrections or "country" not in corrections or "cities" not in corrections:
        return None
    iso2 = gazetteer.country_code(str(corrections["country"]))
    words = text.split()
    prefix = gazetteer.country_prefix(words)
    if not iso2 or prefix is None:
        return None
    cities = tuple(str(c) for c in corrections["cities"] or ())
    city_words = {fold(w) for city in cities for w in city.split()} | {"", ",", "and", "et"}
    rest = words[prefix[1]:]
    while rest and fold(rest[0].strip(",;")) in city_words:
        rest.pop(0)
    new = tuple(c for c in cities if gazetteer.place(c) is None)
    return PlaceLine(iso2, cities, " ".join(rest) or None, new)

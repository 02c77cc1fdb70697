"""Adding new countries and cities to places.yaml as text, so its comments and one-line entries stay as written."""

from __future__ import annotations

import re

from ..build.records import Country, Place
from .sourceblock import dump


def country_entry(country: Country) -> dict:
    entry = {"iso2": country.iso2, "name": country.name, "wikidata_status": "unconfirmed"}
    if country.names:
        entry["names"] = dict(country.names)
    return entry


def city_entry(place: Place) -> dict:
    if place.kind == "district":
        return {"slug": place.slug, "name": place.name, "city": place.parent, "wikidata_status": "unconfirmed"}
    return {"slug": place.slug, "name": place.name, "country": place.country, "wikidata_status": "unconfirmed"}


def _append(text: str, section: str, entries: list[dict]) -> str:
    """Insert one-line entries after the last item of a top-level list (created at the end when absent)."""
    lines = [f"- {dump(entry, flow=True).strip()}\n" for entry in entries]
    if not lines:
        return text
    head = re.search(rf"^{section}:[ \t]*(#.*)?$", text, re.MULTILINE)
    if head is None:
        return text + ("" if text.endswith("\n") or not text else "\n") + f"{section}:\n" + "".join(lines)
    following = re.search(r"^[^\s#-]", text[head.end():], re.MULTILINE)
    end = head.end() + following.start() if following else len(text)
    items = list(re.finditer(r"^(- |\s+\S).*$", text[head.end():end], re.MULTILINE))
    at = head.end() + items[-1].end() + 1 if items else head.end() + 1
    at = min(at, len(text))
    before = text[:at] if text[:at].endswith("\n") else text[:at] + "\n"
    return before + "".join(lines) + text[at:]


def add_places(text: str, countries: list[Country], cities: list[Place]) -> str:
    text = _append(text, "countries", [country_entry(c) for c in countries])
    text = _append(text, "cities", [city_entry(p) for p in cities if p.kind == "city"])
    return _append(text, "districts", [city_entry(p) for p in cities if p.kind == "district"])

"""The SPARQL sent to Wikidata and what its answers say, as plain values.

The queries use only standard SPARQL 1.1 over Wikidata's RDF (``wdt:`` truthy
statements, ``rdfs:label``, ``skos:altLabel``), not the query service's own
``wikibase:label`` service, so that any SPARQL store loaded with items in
Wikidata's shape (the tests' stand-in) answers them as Wikidata does. Each is
built from sorted values, so the same data gives the same query text, which is
what the answer cache is keyed by.

Settlement types. A place is a settlement when it is an instance of (a subclass
of) one of ``SETTLEMENT_ROOTS``: human settlement (Q486972; city, town, big
city, village, neighbourhood...) or municipality (Q15284; many European cities
are typed only as "municipality of Portugal", "comune of Italy", "urban
municipality of Germany"). A district may also be a city district (Q4286337),
a borough (Q5195043) or a London borough (Q211690): subdivisions of a city
that Wikidata types as administrative units, not settlements; the district
rule (inside the parent city) keeps them from matching anything else. Regions,
provinces and counties are none of these, so a region named like a city is
never confirmed as that city.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

WD = "http://www.wikidata.org/entity/"
SETTLEMENT_ROOTS = {"Q486972": "human settlement", "Q15284": "municipality"}
DISTRICT_ROOTS = {"Q4286337": "city district", "Q5195043": "borough", "Q211690": "London borough"}
PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# Wikidata's WKT: "Point(lon lat)"; a point on another globe starts with the globe's IRI and is left out.
_POINT = re.compile(r"^\s*Point\(\s*(-?[0-9.]+(?:[eE]-?[0-9]+)?)\s+(-?[0-9.]+(?:[eE]-?[0-9]+)?)\s*\)\s*$",
                    re.IGNORECASE)


def literal(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def _entities(qids) -> str:
    return " ".join(f"wd:{q}" for q in sorted(set(qids), key=lambda q: int(q[1:])))


def countries_query(codes: list[str]) -> str:
    """Items whose ISO 3166-1 alpha-2 code (P297) is one of ``codes``."""
    values = " ".join(literal(c) for c in sorted(set(codes)))
    return PREFIXES + f"""SELECT ?code ?item WHERE {{
  VALUES ?code {{ {values} }}
  ?item wdt:P297 ?code .
}}"""


def names_query(names: list[tuple[str, str]]) -> str:
    """Items labelled (or aliased) with one of ``names`` ((text, language) pairs), with what the rules need.

    ``?type``: the settlement or district root the item's type reaches; ``?country``: its country
    (P17); ``?within``: every place it lies in (P131, followed transitively).
    """
    values = " ".join(literal(text, lang) for text, lang in sorted(set(names), key=lambda n: (n[1], n[0])))
    roots = _entities([*SETTLEMENT_ROOTS, *DISTRICT_ROOTS])
    return PREFIXES + f"""SELECT DISTINCT ?name ?item ?type ?country ?within WHERE {{
  VALUES ?name {{ {values} }}
  {{ ?item rdfs:label ?name }} UNION {{ ?item skos:altLabel ?name }}
  OPTIONAL {{ VALUES ?type {{ {roots} }} ?item wdt:P31/wdt:P279* ?type }}
  OPTIONAL {{ ?item wdt:P17 ?country }}
  OPTIONAL {{ ?item wdt:P131+ ?within }}
}}"""


def details_query(qids: list[str], languages: tuple[str, ...]) -> str:
    """Coordinates (P625), ISO 3166-2 code (P300) and labels in ``languages`` of the items ``qids``."""
    langs = ", ".join(literal(lang) for lang in sorted(languages))
    return PREFIXES + f"""SELECT ?item ?coord ?iso ?label WHERE {{
  VALUES ?item {{ {_entities(qids)} }}
  {{ ?item wdt:P625 ?coord }} UNION {{ ?item wdt:P300 ?iso }}
  UNION {{ ?item rdfs:label ?label FILTER(LANG(?label) IN ({langs})) }}
}}"""


def qid(term: dict | None) -> str | None:
    """The Q-id of a SPARQL JSON term naming a Wikidata item."""
    if not term or term.get("type") != "uri" or not term["value"].startswith(WD):
        return None
    local = term["value"][len(WD):]
    return local if re.fullmatch(r"Q[1-9][0-9]*", local) else None


def point(wkt: str) -> tuple[float, float] | None:
    """(lat, lon) from Wikidata's "Point(lon lat)", rounded to 4 decimals (about 10 m) like places.yaml."""
    match = _POINT.match(wkt)
    if match is None:
        return None
    lon, lat = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 4), round(lon, 4)


@dataclass
class Item:
    """One Wikidata item as the names query describes it."""

    qid: str
    roots: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    within: set[str] = field(default_factory=set)


@dataclass
class Details:
    points: set[tuple[float, float]] = field(default_factory=set)
    iso_codes: set[str] = field(default_factory=set)
    labels: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def read_names(rows: list[dict]) -> tuple[dict[tuple[str, str], set[str]], dict[str, Item]]:
    """(name -> the items it names, Q-id -> item) from the names query's rows."""
    by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    items: dict[str, Item] = {}
    for row in rows:
        item = qid(row.get("item"))
        name = row.get("name")
        if item is None or not name:
            continue
        by_name[(name["value"], name.get("xml:lang", ""))].add(item)
        found = items.setdefault(item, Item(item))
        for key, into in (("type", found.roots), ("country", found.countries), ("within", found.within)):
            value = qid(row.get(key))
            if value:
                into.add(value)
    return by_name, items


def read_details(rows: list[dict]) -> dict[str, Details]:
    details: dict[str, Details] = defaultdict(Details)
    for row in rows:
        item = qid(row.get("item"))
        if item is None:
            continue
        found = details[item]
        if row.get("coord"):
            at = point(row["coord"]["value"])
            if at:
                found.points.add(at)
        if row.get("iso"):
            found.iso_codes.add(row["iso"]["value"])
        if row.get("label") and row["label"].get("xml:lang"):
            found.labels[row["label"]["xml:lang"]].add(row["label"]["value"])
    return details


def read_countries(rows: list[dict]) -> dict[str, set[str]]:
    """ISO code -> the items that carry it."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        item = qid(row.get("item"))
        if item and row.get("code"):
            found[row["code"]["value"]].add(item)
    return found

"""The three benchmark queries and the IRIs they rotate through, sampled from a data folder.

- lookup:  DESCRIBE one practice (what a resource page or a client dereferencing an IRI asks)
- listing: the practices of one theme with their place, sorted, first page of 100
- join:    the cities of the same country that run practices on the same themes as one city
           (the researchers' question "which cities work on the same themes as Leeds?")

Each query rotates through a deterministic sample of practices, themes or
cities, so that no server answers the same text every time; the "uncached"
twins make every text unique (a trailing comment "# request i", added by the
load generator), so that an answer cache cannot serve them and the store
itself is measured.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import yaml
from synthetic import theme_slugs

from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter

PREFIXES = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX icc: <https://w3id.org/icc-graph/ontology#>
"""

LOOKUP = "DESCRIBE <{practice}>"

LISTING = PREFIXES + """SELECT ?practice ?label ?place ?placeLabel WHERE {{
  ?practice dcterms:subject <{theme}> ; rdfs:label ?label ; schema:spatialCoverage ?place .
  ?place rdfs:label ?placeLabel .
  FILTER(langMatches(lang(?placeLabel), "en"))
}} ORDER BY ?label ?practice ?place LIMIT 100"""

JOIN = PREFIXES + """SELECT ?other (COUNT(DISTINCT ?theme) AS ?sharedThemes) (COUNT(DISTINCT ?q) AS ?practices) WHERE {{
  ?p schema:spatialCoverage <{city}> ; dcterms:subject ?theme ; icc:country ?country .
  ?q icc:country ?country ; dcterms:subject ?theme ; schema:spatialCoverage ?other .
  FILTER(?other != <{city}>)
}} GROUP BY ?other ORDER BY DESC(?sharedThemes) DESC(?practices) ?other LIMIT 20"""

SELECT_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class Workload:
    name: str
    accept: str
    texts: tuple[str, ...]   # the query texts, sent in rotation
    unique: bool = False     # each request's text made unique by a trailing comment


def sample(items: list[str], size: int, seed: int = 0) -> list[str]:
    items = sorted(items)
    return items if len(items) <= size else random.Random(seed).sample(items, size)


def unique(workload: Workload) -> Workload:
    """The same queries, each text made unique by a trailing comment: no answer cache can serve them."""
    return Workload(f"{workload.name}, uncached", workload.accept, workload.texts, unique=True)


def workloads(data_dir: Path, base: str = DEFAULT_BASE, size: int = 100, uncached: bool = False) -> list[Workload]:
    """The lookup, listing and join workloads over ``size`` practices, the topic themes and ``size`` cities.

    With ``uncached`` each is followed by its uncached twin."""
    mint = Minter(base)
    practices = [p.stem for p in (data_dir / "practices").glob("*.yaml")]
    places = yaml.load((data_dir / "places.yaml").read_text(encoding="utf-8"),
                       Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    cities = [c["slug"] for c in places.get("cities") or []]
    plain = [
        Workload("lookup", NTRIPLES, tuple(LOOKUP.format(practice=mint.practice(s)) for s in sample(practices, size))),
        Workload("listing", SELECT_JSON, tuple(LISTING.format(theme=mint.theme(t)) for t in theme_slugs())),
        Workload("join", SELECT_JSON, tuple(JOIN.format(city=mint.place(c)) for c in sample(cities, size))),
    ]
    return [w for p in plain for w in ((p, unique(p)) if uncached else (p,))]


def count_results(accept: str, body: bytes) -> int:
    """Rows of a JSON result, or triples of an N-Triples answer: to check the servers agree."""
    if accept == SELECT_JSON:
        # rdflib-endpoint answers an empty grouped result with one empty row: count only rows with values
        return sum(1 for row in json.loads(body)["results"]["bindings"] if row)
    return sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"#"))

"""The practices list: facets (theme, country, city, year) and a text search, as SPARQL over the store.

Facet values arrive from the query string; each is checked against the IRI
patterns (a slug, a year) before it enters a query, and the search text is
escaped as a SPARQL string, so no request can change a query's shape.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from ...store import Store
from ...vocabulary.formats import RESULTS_JSON
from ...vocabulary.namespaces import SCHEMA
from ...vocabulary.sections import SECTION_IRIS
from ...vocabulary.terms import ICC
from .describe import sparql_string

PAGE_SIZE = 50
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,200}$")
TEXT_PROPERTIES = (RDFS.label, DCTERMS.abstract, *(URIRef(iri) for iri in SECTION_IRIS.values()))
_PREFIXES = f"""PREFIX icc: <{ICC._NS}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX dcterms: <{DCTERMS}>
PREFIX schema: <{SCHEMA}>
"""


class BadFacet(ValueError):
    """A facet value that cannot name anything (the page answers 400)."""


@dataclass(frozen=True)
class Filters:
    theme: str | None = None
    country: str | None = None
    city: str | None = None
    year: int | None = None
    q: str | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> Filters:
        values = {}
        for name in ("theme", "country", "city"):
            value = (args.get(name) or "").strip()
            if value and not _SLUG.match(value):
                raise BadFacet(f"{name}={value!r} is not a slug (lower-case letters, digits and '-')")
            values[name] = value or None
        for name, low, high in (("year", 1000, 9999), ("page", 1, 10**6)):
            raw = (args.get(name) or "").strip()
            if raw:
                if not raw.isdigit() or not low <= int(raw) <= high:
                    raise BadFacet(f"{name}={raw!r} is not a number from {low} to {high}")
                values[name] = int(raw)
        q = (args.get("q") or "").strip()
        values["q"] = q[:200] or None
        return cls(**values)

    def without(self, name: str) -> dict:
        """The query-string arguments of these filters less ``name`` (and the page): for facet links."""
        kept = {k: getattr(self, k) for k in ("theme", "country", "city", "year", "q") if k != name}
        return {k: v for k, v in kept.items() if v is not None}


def where(filters: Filters, mint) -> str:
    """The graph pattern that binds ?p to every practice the filters keep."""
    lines = ["?p a icc:GoodPractice ."]
    if filters.theme:
        lines.append(f"?p dcterms:subject <{mint.theme(filters.theme)}> .")
    if filters.country:
        lines.append(f"?p icc:country <{mint.country(filters.country)}> .")
    if filters.city:
        # A city's practices include those of its districts.
        lines.append(f"?p schema:spatialCoverage/schema:containedInPlace* <{mint.place(filters.city)}> .")
    if filters.year is not None:
        lines.append(f"""?p icc:startYear ?start . OPTIONAL {{ ?p icc:endYear ?end }} OPTIONAL {{ ?p icc:ongoing ?on }}
FILTER(?start <= {filters.year} && COALESCE(?end, IF(COALESCE(?on, false), 9999, ?start)) >= {filters.year})""")
    if filters.q:
        props = " ".join(f"<{p}>" for p in TEXT_PROPERTIES)
        lines.append(f"""FILTER EXISTS {{ VALUES ?textProperty {{ {props} }} ?p ?textProperty ?text
FILTER(CONTAINS(LCASE(STR(?text)), LCASE({sparql_string(filters.q)}))) }}""")
    return "\n".join(lines)


def matches_query(filters: Filters, mint) -> str:
    """Every practice the filters keep, with its labels. Sorted in Python: Oxigraph takes a second to sort 10k."""
    return _PREFIXES + f"SELECT ?p ?label WHERE {{\n{where(filters, mint)}\n?p rdfs:label ?label\n}}"


def select_all(store: Store, query: str, timeout: float | None) -> list[dict]:
    """Every row of ``query`` as SPARQL JSON bindings, asked in slices no longer than one answer may be.

    The bindings stay plain JSON: turning 100k of them into rdflib terms would cost seconds.
    """
    rows, offset, size = [], 0, max(1, store.row_cap)
    while True:
        body = store.execute(f"{query} LIMIT {size} OFFSET {offset}", RESULTS_JSON, timeout).body
        chunk = json.loads(body)["results"]["bindings"]
        rows += chunk
        if len(chunk) < size:
            return rows
        offset += size


def details_query(practices: list[URIRef]) -> str:
    values = " ".join(f"<{t}>" for t in practices)
    return _PREFIXES + f"""SELECT ?p ?period ?place WHERE {{ VALUES ?p {{ {values} }}
OPTIONAL {{ ?p icc:periodText ?period }} OPTIONAL {{ ?p schema:spatialCoverage ?place }} }}"""


FACETS = {   # facet -> the pattern from ?p to its ?value
    "theme": "?p dcterms:subject ?value .",
    "country": "?p icc:country ?value .",
    "city": "?p schema:spatialCoverage ?value .",
}


FACET_VALUES_MAX = 5000   # up to this many matches, facets are counted over the matches listed by IRI


def facet_query(filters: Filters, mint, facet: str, matches: list[URIRef] | None = None) -> str:
    """Facet values and counts within the filtered practices: listed when few, else by the filters' pattern."""
    pattern = (f"VALUES ?p {{ {' '.join(f'<{p}>' for p in matches)} }}" if matches is not None
               else where(filters, mint))
    return _PREFIXES + f"""SELECT ?value (COUNT(DISTINCT ?p) AS ?n) WHERE {{
{pattern}
{FACETS[facet]}
}} GROUP BY ?value"""


YEARS_QUERY = _PREFIXES + """SELECT (MIN(?s) AS ?first) (MAX(COALESCE(?e, ?s)) AS ?last) WHERE {
  ?p icc:startYear ?s OPTIONAL { ?p icc:endYear ?e } }"""


def labels_query(terms: list[URIRef]) -> str:
    values = " ".join(f"<{t}>" for t in terms)
    # One VALUES and a FILTER: Oxigraph joins two VALUES blocks far more slowly.
    return _PREFIXES + f"""SELECT ?s ?label WHERE {{ VALUES ?s {{ {values} }}
?s ?p ?label FILTER(?p IN (skos:prefLabel, rdfs:label)) }}"""


def run_select(store: Store, query: str, timeout: float | None) -> list[tuple]:
    return store.select(query, timeout)[1]

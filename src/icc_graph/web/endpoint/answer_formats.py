"""Which media type answers a query: the ``format`` parameter if given, else the Accept header (Werkzeug's parser).

Tables, not code paths: each query kind has its media types, the first being
the default, plus aliases clients send (application/json, text/xml, ...).
"""

from __future__ import annotations

from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ...store.base import (
    CSV,
    GRAPH_TYPES,
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    RESULTS_JSON,
    RESULTS_XML,
    SOLUTION_TYPES,
    TSV,
    TURTLE,
)

# format=NAME short names, by query kind.
SOLUTION_NAMES = {"json": RESULTS_JSON, "xml": RESULTS_XML, "csv": CSV, "tsv": TSV, "srj": RESULTS_JSON,
                  "srx": RESULTS_XML}
GRAPH_NAMES = {"turtle": TURTLE, "ttl": TURTLE, "nt": N_TRIPLES, "ntriples": N_TRIPLES, "n-triples": N_TRIPLES,
               "jsonld": JSON_LD, "json-ld": JSON_LD, "json": JSON_LD, "rdfxml": RDF_XML, "rdf": RDF_XML,
               "xml": RDF_XML, "rdf+xml": RDF_XML, "n3": TURTLE}   # a Turtle document is valid N3
# Media types that mean one of ours.
SOLUTION_ALIASES = {"application/json": RESULTS_JSON, "application/xml": RESULTS_XML, "text/xml": RESULTS_XML}
GRAPH_ALIASES = {"application/json": JSON_LD, "application/xml": RDF_XML, "text/xml": RDF_XML,
                 "text/plain": N_TRIPLES, "application/x-turtle": TURTLE}


class NotAcceptable(Exception):
    def __init__(self, supported: tuple[str, ...], asked: str):
        self.supported = supported
        super().__init__(f"cannot answer in {asked}; this query can be answered in: {', '.join(supported)} "
                         f"(choose with the Accept header or the 'format' parameter)")


def choose(kind: str, accept: MIMEAccept, format_names: list[str]) -> str:
    """The media type for a query of ``kind`` ("solutions" or "graph").

    Several ``format`` values may come (SPARQLWrapper sends a name and a media
    type): the first one understood wins.
    """
    types, names, aliases = ((SOLUTION_TYPES, SOLUTION_NAMES, SOLUTION_ALIASES) if kind == "solutions"
                             else (GRAPH_TYPES, GRAPH_NAMES, GRAPH_ALIASES))
    wanted = [name.strip().lower() for name in format_names if name.strip()]
    for name in wanted:
        chosen = names.get(name) or aliases.get(name) or (name if name in types else None)
        if chosen is not None:
            return chosen
    if wanted:
        raise NotAcceptable(types, "format=" + ", ".join(wanted))
    if not accept:
        return types[0]
    # Werkzeug matches media type parameters too: "text/csv; charset=utf-8" would not match text/csv,
    # and we write UTF-8 always, so only the type and the quality count.
    accept = MIMEAccept([(value.split(";")[0].strip(), quality) for value, quality in accept])
    offered = list(types) + list(aliases)
    best = accept.best_match(offered)
    if best is None:
        raise NotAcceptable(types, accept.to_header())
    return aliases.get(best, best)


@lru_cache(maxsize=1024)
def choose_for_header(kind: str, accept_header: str, format_names: tuple[str, ...]) -> str:
    """``choose`` for a raw Accept header, remembered: clients send the same few headers again and again."""
    return choose(kind, parse_accept_header(accept_header, MIMEAccept), list(format_names))

"""Every format icc-graph reads or writes, in one table: dumps, pages and /sparql all read it.

An RDF format row says how a graph is written (file and URL suffix, media type,
rdflib's and Oxigraph's names), where it is offered (a release dump, a /sparql
answer; pages pick theirs in web/pages/negotiation.py), and how it is named to others (the EU file type and the W3C
format IRI the release description cites, the ``format=`` names and other media
types /sparql accepts for it). A result format row does the same for SELECT and
ASK answers. The first row of each kind offered by /sparql is its default.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class RdfFormat:
    suffix: str                     # file suffix and URL suffix
    media_type: str
    quads: bool                     # keeps the named graphs
    rdflib: str                     # rdflib's name for it, for small graphs
    oxigraph: ox.RdfFormat
    w3c: str                        # W3C format name (http://www.w3.org/ns/formats/NAME)
    dump: bool = False              # written into every release
    eu_file_type: str = ""          # EU file type authority code (release description)
    answer: bool = False            # a CONSTRUCT / DESCRIBE answer of /sparql
    names: tuple[str, ...] = ()     # /sparql format=NAME
    aliases: tuple[str, ...] = ()   # other media types that ask for it


@dataclass(frozen=True)
class ResultFormat:
    media_type: str
    w3c: str
    names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


RDF_FORMATS = (
    RdfFormat("ttl", "text/turtle", False, "turtle", ox.RdfFormat.TURTLE, "Turtle", dump=True,
              eu_file_type="RDF_TURTLE", answer=True, names=("turtle", "ttl", "n3"),
              aliases=("application/x-turtle",)),   # a Turtle document is valid N3
    RdfFormat("nt", "application/n-triples", False, "nt", ox.RdfFormat.N_TRIPLES, "N-Triples", dump=True,
              eu_file_type="RDF_N_TRIPLES", answer=True, names=("nt", "ntriples", "n-triples"),
              aliases=("text/plain",)),
    RdfFormat("jsonld", "application/ld+json", False, "json-ld", ox.RdfFormat.JSON_LD, "JSON-LD", dump=True,
              eu_file_type="JSON_LD", answer=True, names=("jsonld", "json-ld", "json"),
              aliases=("application/json",)),
    RdfFormat("trig", "application/trig", True, "trig", ox.RdfFormat.TRIG, "TriG", dump=True,
              eu_file_type="RDF_TRIG"),
    RdfFormat("nq", "application/n-quads", True, "nquads", ox.RdfFormat.N_QUADS, "N-Quads", dump=True,
              eu_file_type="RDF_N_QUADS"),
    RdfFormat("rdf", "application/rdf+xml", False, "xml", ox.RdfFormat.RDF_XML, "RDF_XML", answer=True,
              names=("rdfxml", "rdf", "xml", "rdf+xml"), aliases=("application/xml", "text/xml")),
)
RESULT_FORMATS = (
    ResultFormat("application/sparql-results+json", "SPARQL_Results_JSON", ("json", "srj"), ("application/json",)),
    ResultFormat("application/sparql-results+xml", "SPARQL_Results_XML", ("xml", "srx"),
                 ("application/xml", "text/xml")),
    ResultFormat("text/csv", "SPARQL_Results_CSV", ("csv",)),
    ResultFormat("text/tab-separated-values", "SPARQL_Results_TSV", ("tsv",)),
)
BY_SUFFIX = {f.suffix: f for f in RDF_FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in RDF_FORMATS}
DUMPS = tuple(f for f in RDF_FORMATS if f.dump)
ANSWER_GRAPH_FORMATS = tuple(f for f in RDF_FORMATS if f.answer)   # Turtle (the default), N-Triples, JSON-LD, RDF/XML

# The media types by name, for code that sends or checks one.
RESULTS_JSON, RESULTS_XML, CSV, TSV = (f.media_type for f in RESULT_FORMATS)
TURTLE, N_TRIPLES, JSON_LD, RDF_XML = (f.media_type for f in ANSWER_GRAPH_FORMATS)
SOLUTION_TYPES = (RESULTS_JSON, RESULTS_XML, CSV, TSV)   # SELECT and ASK, the default first
GRAPH_TYPES = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)       # CONSTRUCT and DESCRIBE, the default first


def w3c_format(name: str) -> str:
    """The W3C format IRI of a format name (what a Service Description's sd:resultFormat cites)."""
    return W3C_FORMATS + name

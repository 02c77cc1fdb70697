"""The SPARQL 1.1 Service Description a GET on /sparql without a query answers with.

Kept small: the endpoint's absolute public URL, the language, the result
formats, the features, and the dataset's named graphs read from the store.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH, XSD

from ...config import Settings
from ...store import Store
from ...store.base import CSV, JSON_LD, N_TRIPLES, RDF_XML, RESULTS_JSON, RESULTS_XML, TSV, TURTLE
from ...vocabulary.iris import Minter
from ...vocabulary.namespaces import SD
from ...vocabulary.prefixes import PREDECLARED

FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = {RESULTS_JSON: "SPARQL_Results_JSON", RESULTS_XML: "SPARQL_Results_XML", CSV: "SPARQL_Results_CSV",
                  TSV: "SPARQL_Results_TSV", TURTLE: "Turtle", N_TRIPLES: "N-Triples", JSON_LD: "JSON-LD",
                  RDF_XML: "RDF_XML"}
GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
RDFLIB_FORMATS = {TURTLE: "turtle", N_TRIPLES: "nt", JSON_LD: "json-ld", RDF_XML: "xml"}


def service_description(settings: Settings, store: Store, timeout: float | None, endpoint_url: str) -> Graph:
    """``endpoint_url``: where this endpoint is reached (web.public), which sd:endpoint must name."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("dcterms", DCTERMS)
    service = Minter(settings.base_iri).sparql_service()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint_url)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, DCTERMS.title, Literal("icc-graph SPARQL endpoint (read-only)", lang="en")))
    for name in RESULT_FORMATS.values():
        graph.add((service, SD.resultFormat, URIRef(FORMATS + name)))
    # The prefixes every query may use undeclared, in SHACL's words for a prefix declaration (SD has none).
    for prefix, namespace in PREDECLARED.items():
        declaration = BNode()
        graph.add((service, SH.declare, declaration))
        graph.add((declaration, RDF.type, SH.PrefixDeclaration))
        graph.add((declaration, SH.prefix, Literal(prefix)))
        graph.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))
    dataset, default = BNode(), BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, DCTERMS.hasVersion, Literal(store.snapshot.version)))
    graph.add((dataset, DCTERMS.modified, Literal(store.snapshot.modified.date().isoformat(), datatype=XSD.date)))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for (name,) in store.select(GRAPHS_QUERY, timeout)[1]:
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, name))
    return graph


def serialize(graph: Graph, media_type: str) -> bytes:
    return graph.serialize(format=RDFLIB_FORMATS[media_type], encoding="utf-8")

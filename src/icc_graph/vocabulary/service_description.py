"""The SPARQL 1.1 Service Description of icc-graph's endpoint: the one builder, for the release and for /sparql.

The release's description.ttl carries it (with each graph's triple count); a
GET on /sparql without a query answers it for the URL the server runs at. The
service node is the same IRI as the DCAT data service of the release
description, so the two descriptions join.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID

from .formats import ANSWER_GRAPH_FORMATS, RESULT_FORMATS, w3c_format
from .iris import Minter
from .namespaces import SD


def service_description(endpoint_url: str, base_iri: str,
                        graphs: Iterable[tuple[URIRef, int | None]] = ()) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint_url``.

    ``graphs`` lists the named graphs served, with their triple counts when known.
    """
    g = Graph()
    service = Minter(base_iri).sparql_service()
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint_url)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    # The store answers the default graph as the union of the named graphs.
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in [f.w3c for f in RESULT_FORMATS] + [f.w3c for f in ANSWER_GRAPH_FORMATS]:
        g.add((service, SD.resultFormat, URIRef(w3c_format(name))))
    dataset, default = URIRef(f"{service}#dataset"), URIRef(f"{service}#default-graph")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for name, triples in sorted(graphs):
        local = str(name).rstrip("/").rpartition("/")[2]
        named, graph = URIRef(f"{service}#named-{local}"), URIRef(f"{service}#graph-{local}")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, name))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        if triples is not None:
            g.add((graph, VOID.triples, Literal(triples)))
    return g

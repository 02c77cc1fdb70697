"""The Service Description a GET on /sparql without a query answers: the release's, for the URL it is reached at.

Built by the one builder (vocabulary.service_description) over the graphs the
store holds, plus what only the running server knows: the release's version and
date, and the prefixes every query may use undeclared.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal
from rdflib.namespace import DCTERMS, RDF, SH, XSD

from ...config import Settings
from ...store import Store
from ...vocabulary.formats import BY_MEDIA_TYPE
from ...vocabulary.iris import Minter
from ...vocabulary.namespaces import SD
from ...vocabulary.prefixes import PREDECLARED
from ...vocabulary.service_description import service_description

GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def live_service_description(settings: Settings, store: Store, timeout: float | None, endpoint_url: str) -> Graph:
    """``endpoint_url``: where this endpoint is reached (web.public), which sd:endpoint must name."""
    graphs = [(name, None) for (name,) in store.select(GRAPHS_QUERY, timeout)[1]]
    graph = service_description(endpoint_url, settings.base_iri, graphs)
    graph.bind("sd", SD)
    graph.bind("dcterms", DCTERMS)
    service = Minter(settings.base_iri).sparql_service()
    graph.add((service, DCTERMS.title, Literal("icc-graph SPARQL endpoint (read-only)", lang="en")))
    # The prefixes every query may use undeclared, in SHACL's words for a prefix declaration (SD has none).
    for prefix, namespace in PREDECLARED.items():
        declaration = BNode()
        graph.add((service, SH.declare, declaration))
        graph.add((declaration, RDF.type, SH.PrefixDeclaration))
        graph.add((declaration, SH.prefix, Literal(prefix)))
        graph.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))
    for dataset in graph.objects(service, SD.defaultDataset):
        graph.add((dataset, DCTERMS.hasVersion, Literal(store.snapshot.version)))
        graph.add((dataset, DCTERMS.modified, Literal(store.snapshot.modified.date().isoformat(), datatype=XSD.date)))
    return graph


def serialize(graph: Graph, media_type: str) -> bytes:
    return graph.serialize(format=BY_MEDIA_TYPE[media_type].rdflib, encoding="utf-8")

"""rdflib terms as pyoxigraph terms: the build writes its dumps and the pages their RDF with Oxigraph."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node


def to_oxigraph(term: Node, _named: dict[str, ox.NamedNode] = {}  # noqa: B006 (a deliberate cache)
                ) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        node = _named.get(term)
        if node is None:
            node = _named[term] = ox.NamedNode(str(term))
            if len(_named) > 100_000:   # practices are many and seen once each: keep the cache small
                _named.clear()
        return node
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if not isinstance(term, Literal):
        raise TypeError(f"no RDF term: {term!r}")
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=_named_node(term.datatype or XSD.string))


def _named_node(iri: URIRef) -> ox.NamedNode:
    node = to_oxigraph(iri)
    assert isinstance(node, ox.NamedNode)
    return node

"""RDF formats: the table of what icc-graph writes, and the dump writers.

rdflib builds the graph; Oxigraph's serialisers (Rust) write the dumps, since
rdflib's take minutes on a 100k-practice release. The quads are sorted first,
so the same data always gives the same bytes. JSON-LD is compacted here with
the project's generated context, straight from the sorted triples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import groupby

import pyoxigraph as ox
from rdflib import BNode, Dataset, URIRef
from rdflib.namespace import RDF, XSD


@dataclass(frozen=True)
class RdfFormat:
    suffix: str        # file suffix and URL suffix
    media_type: str
    quads: bool        # keeps the named graphs
    rdflib: str        # rdflib's name for it, for small graphs
    oxigraph: ox.RdfFormat | None


FORMATS = (
    RdfFormat("ttl", "text/turtle", False, "turtle", ox.RdfFormat.TURTLE),
    RdfFormat("nt", "application/n-triples", False, "nt", ox.RdfFormat.N_TRIPLES),
    RdfFormat("jsonld", "application/ld+json", False, "json-ld", None),
    RdfFormat("trig", "application/trig", True, "trig", ox.RdfFormat.TRIG),
    RdfFormat("nq", "application/n-quads", True, "nquads", ox.RdfFormat.N_QUADS),
    RdfFormat("rdf", "application/rdf+xml", False, "xml", ox.RdfFormat.RDF_XML),
)
BY_SUFFIX = {f.suffix: f for f in FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
DUMP_SUFFIXES = ("ttl", "nt", "jsonld", "trig", "nq")


def to_oxigraph(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def sorted_quads(ds: Dataset) -> list[ox.Quad]:
    """Every quad of the named graphs, as Oxigraph terms, in one fixed order."""
    quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(str(g.identifier)))
             for g in ds.graphs() if isinstance(g.identifier, URIRef) and len(g)
             for s, p, o in g]
    quads.sort(key=lambda q: (q.graph_name.value, str(q.subject), q.predicate.value, str(q.object)))
    return quads


def _triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    triples = {q.triple for q in quads}
    return sorted(triples, key=lambda t: (str(t.subject), t.predicate.value, str(t.object)))


class _Compactor:
    """Writes node objects compacted with a context of simple term definitions."""

    def __init__(self, context: dict):
        self.terms: dict[str, tuple[str, str | None]] = {}
        self.prefixes: list[tuple[str, str]] = []
        for key, value in context.items():
            if key.startswith("@") or value in ("@id", "@type"):
                continue
            iri, kind = (value, None) if isinstance(value, str) else (value["@id"], value.get("@type"))
            if isinstance(value, str) and value.endswith(("/", "#")):
                self.prefixes.append((value, key))
            elif iri not in self.terms:
                self.terms[iri] = (key, kind)
        self.prefixes.sort(key=lambda p: -len(p[0]))

    def iri(self, iri: str) -> str:
        for namespace, prefix in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    def node_id(self, term) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def value(self, term, kind: str | None):
        if isinstance(term, ox.NamedNode | ox.BlankNode):
            return self.node_id(term) if kind == "@id" else {"@id": self.node_id(term)}
        if term.language:
            return {"@language": term.language, "@value": term.value}
        if kind is not None and kind == term.datatype.value:
            return term.value
        if kind is None and term.datatype.value == str(XSD.string):
            return term.value
        return {"@type": self.iri(term.datatype.value), "@value": term.value}

    def node(self, subject, triples: list[ox.Triple]) -> dict:
        node: dict = {"id": self.node_id(subject)}
        for predicate, group in groupby(triples, key=lambda t: t.predicate.value):
            objects = [t.object for t in group]
            if predicate == str(RDF.type) and all(isinstance(o, ox.NamedNode) for o in objects):
                types = [self.terms[o.value][0] if o.value in self.terms else self.iri(o.value) for o in objects]
                node["type"] = types[0] if len(types) == 1 else sorted(types)
                continue
            key, kind = self.terms.get(predicate, (self.iri(predicate), None))
            values = [self.value(o, kind) for o in objects]
            node[key] = values[0] if len(values) == 1 else values
        return node


def jsonld_document(triples: list[ox.Triple], context: dict) -> dict:
    """A compacted JSON-LD document of ``triples`` (sorted by subject) with ``context`` inline."""
    compactor = _Compactor(context["@context"])
    nodes = [compactor.node(s, list(group)) for s, group in groupby(triples, key=lambda t: t.subject)]
    return {"@context": context["@context"], "@graph": nodes}


def serialize(quads: list[ox.Quad], suffix: str, context: dict, prefixes: dict[str, str]) -> bytes:
    """One dump in the format named by ``suffix``; ``quads`` come sorted from ``sorted_quads``."""
    fmt = BY_SUFFIX[suffix]
    if fmt.quads:
        return ox.serialize(quads, format=fmt.oxigraph, prefixes=prefixes)
    triples = _triples(quads)
    if suffix == "jsonld":
        doc = jsonld_document(triples, context)
        return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    return ox.serialize(triples, format=fmt.oxigraph,
                        prefixes=None if suffix == "nt" else prefixes)

"""The deterministic RDF writers: quads in one fixed order, and JSON-LD compacted with the project's context.

rdflib builds the graph; Oxigraph's serialisers (Rust) write the files, since
rdflib's take minutes on a 100k-practice release. The quads are sorted first,
so the same data always gives the same bytes. JSON-LD is compacted here with
the project's generated context, straight from the sorted triples.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from itertools import groupby
from operator import attrgetter
from typing import TextIO

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.namespace import RDF, XSD

from ..vocabulary.formats import BY_SUFFIX
from ..vocabulary.oxigraph_terms import to_oxigraph


def sorted_quads(ds: Dataset) -> list[ox.Quad]:
    """Every quad of the named graphs, as Oxigraph terms, in one fixed order (graph, then N-Quads text)."""
    by_graph = []
    for g in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if not isinstance(g.identifier, URIRef) or not len(g):
            continue
        name = ox.NamedNode(str(g.identifier))
        quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in g]
        quads.sort(key=str)
        by_graph.extend(quads)
    return by_graph


def sorted_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The union of the graphs, sorted by N-Triples text (so each subject's triples are together)."""
    return sorted({q.triple for q in quads}, key=str)


# Once, not per term: a dump has millions of them.
_NODES = (ox.NamedNode, ox.BlankNode)
_RDF_TYPE = str(RDF.type)
_XSD_STRING = str(XSD.string)
_SUBJECT, _PREDICATE_IRI = attrgetter("subject"), attrgetter("predicate.value")


class _Compactor:
    """Writes node objects compacted with a context of simple term definitions."""

    def __init__(self, context: dict):
        self._compacted: dict[str, str] = {}
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
        compacted = self._compacted.get(iri)
        if compacted is None:
            compacted = next((f"{prefix}:{iri[len(namespace):]}" for namespace, prefix in self.prefixes
                              if iri.startswith(namespace) and len(iri) > len(namespace)), iri)
            if len(self._compacted) < 100_000:
                self._compacted[iri] = compacted
        return compacted

    def node_id(self, term) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def value(self, term, kind: str | None):
        if isinstance(term, _NODES):
            return self.node_id(term) if kind == "@id" else {"@id": self.node_id(term)}
        if term.language:
            return {"@language": term.language, "@value": term.value}
        datatype = term.datatype.value
        if datatype == kind or (kind is None and datatype == _XSD_STRING):
            return term.value
        return {"@type": self.iri(datatype), "@value": term.value}

    def node(self, subject, triples: list) -> dict:
        node: dict = {"id": self.node_id(subject)}
        for predicate, group in groupby(triples, key=_PREDICATE_IRI):
            objects = [t.object for t in group]
            if predicate == _RDF_TYPE and all(isinstance(o, ox.NamedNode) for o in objects):
                types = [self.terms[o.value][0] if o.value in self.terms else self.iri(o.value) for o in objects]
                node["type"] = types[0] if len(types) == 1 else sorted(types)
                continue
            key, kind = self.terms.get(predicate, (self.iri(predicate), None))
            values = [self.value(o, kind) for o in objects]
            node[key] = values[0] if len(values) == 1 else values
        return node


def write_jsonld(triples: Iterable[ox.Triple] | Iterable[ox.Quad], context: dict, out: TextIO) -> None:
    """A JSON-LD document of ``triples`` (sorted by subject; or quads, whose graph is not read) with ``context``
    inline, one node per line.

    Nodes are compacted and encoded one at a time, as the triples come (json's
    C encoder runs only without indent), so a 100k-practice dump is written fast,
    never held whole in memory, and still easy to diff.
    """
    compactor = _Compactor(context["@context"])
    out.write(json.dumps({"@context": context["@context"]}, indent=1, ensure_ascii=False)[:-2])
    out.write(',\n "@graph": [\n  ')
    for n, (subject, group) in enumerate(groupby(triples, key=_SUBJECT)):
        if n:
            out.write(",\n  ")
        out.write(json.dumps(compactor.node(subject, list(group)), ensure_ascii=False, separators=(",", ":")))
    out.write("\n ]\n}\n")


def jsonld_bytes(triples: list[ox.Triple], context: dict) -> bytes:
    buffer = io.StringIO(newline="\n")
    write_jsonld(triples, context, buffer)
    return buffer.getvalue().encode("utf-8")


def serialize(quads: list[ox.Quad], suffix: str, context: dict, prefixes: dict[str, str],
              triples: list[ox.Triple] | None = None) -> bytes:
    """One dump in the format named by ``suffix``.

    ``quads`` come from ``sorted_quads``; ``triples`` (their sorted union) may be
    passed in when several triple formats are written from the same quads.
    """
    fmt = BY_SUFFIX[suffix]
    if fmt.quads:
        return ox.serialize(quads, format=fmt.oxigraph, prefixes=prefixes)
    triples = sorted_triples(quads) if triples is None else triples
    if suffix == "jsonld":
        return jsonld_bytes(triples, context)
    return ox.serialize(triples, format=fmt.oxigraph, prefixes=None if suffix == "nt" else prefixes)

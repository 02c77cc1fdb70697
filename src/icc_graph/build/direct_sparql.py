"""SPARQL constraints (sh:sparql) of the gate run by Oxigraph over one chunk, as pyshacl runs them with rdflib.

pyshacl evaluates an ``sh:select`` with ``$this`` bound to each focus node over
the gate's view of the chunk (union_view.py): the chunk's triples, the subclass
axioms, and the types of the nodes it points at from the context. Here the same
triples go into an in-memory Oxigraph store and ``$this`` is substituted
(SEP-0007); each row gives a result as pyshacl builds it: focus ``?this``, value
``?value`` (the focus node when unbound). Only the form the shapes use is
accepted: one message without placeholders, no ``?path`` or ``?failure``.

Only the triples whose predicate a query names go into the store (all of them when
a query has a variable or a path as predicate): a pattern with another predicate
cannot match them, and copying every triple of a chunk into Oxigraph cost more
than the rest of the direct check.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ..vocabulary.oxigraph_terms import to_oxigraph

_THIS = ox.Variable("this")
_ACCEPTED = {RDF.type, SH.message, SH.prefixes, SH.select}


@dataclass(frozen=True)
class SparqlConstraint:
    query: str              # the sh:select with its sh:prefixes declared
    message: Literal
    predicates: frozenset | None    # the predicates its patterns name; None: any (a variable or a path)


def parse_sparql(shapes: Graph, node) -> SparqlConstraint | None:
    select = shapes.value(node, SH.select)
    messages = list(shapes.objects(node, SH.message))
    if not set(shapes.predicates(node)) <= _ACCEPTED or not isinstance(select, Literal) or len(messages) != 1 \
            or not isinstance(messages[0], Literal) or "{" in messages[0]:
        return None
    text = str(select)
    if any(f"{mark}{name}" in text for mark in "?$" for name in ("path", "failure")):
        return None
    declarations = []
    for prefixes in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(prefixes, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                return None
            declarations.append(f"PREFIX {prefix}: <{namespace}>\n")
    query = "".join(sorted(declarations)) + text
    return SparqlConstraint(query, messages[0], _predicates(prepareQuery(query).algebra, []))


def _predicates(node, found: list) -> frozenset | None:
    """The predicates of every basic graph pattern in a query's algebra; None when one is not an IRI."""
    if isinstance(node, CompValue):
        if node.name == "BGP":
            found += [p for _, p, _ in node.triples]
        for value in node.values():
            _predicates(value, found)
    elif isinstance(node, list | tuple):
        for value in node:
            _predicates(value, found)
    return frozenset(found) if all(isinstance(p, URIRef) for p in found) else None


def chunk_store(triples, index: dict, context_types: dict, subclasses: Graph,
                predicates: frozenset | None) -> ox.Store:
    """The gate's view of a chunk in Oxigraph, limited to ``predicates`` (None: all): its triples, the
    subclass axioms, and the context's types of the nodes it names that have none of their own in the chunk."""
    store = ox.Store()
    if predicates is not None:
        triples = [t for t in triples if t[1] in predicates]
    axioms = list(subclasses) if predicates is None or RDFS.subClassOf in predicates else []
    quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
             for s, p, o in (*triples, *axioms)]
    named = {s for s in index} | {o for s, p, o in triples if isinstance(o, URIRef)} \
        if predicates is None or RDF.type in predicates else ()
    for node in sorted(named):
        held = index.get(node)
        if not (held and RDF.type in held):
            quads += [ox.Quad(to_oxigraph(node), to_oxigraph(RDF.type), to_oxigraph(t))  # type: ignore[arg-type]
                      for t in context_types.get(node, ())]
    store.extend(quads)
    return store


def run(constraint: SparqlConstraint, store: ox.Store, focus) -> list[tuple]:
    """(focus, value) of each row, as pyshacl turns the rows of a node shape's constraint into results."""
    found = []
    rows = store.query(constraint.query, substitutions={_THIS: to_oxigraph(focus)})
    assert isinstance(rows, ox.QuerySolutions), "sh:select is a SELECT query"
    for row in rows:
        this, value = _rdflib(_get(row, "this")), _rdflib(_get(row, "value"))
        if this is None and value is None:
            continue
        found.append((this or focus, focus if value is None else value))
    return found


def _get(row, name: str):
    try:
        return row[name]
    except KeyError:
        return None


def _rdflib(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)      # rdflib reads a plain literal without a datatype
    return Literal(term.value, datatype=URIRef(term.datatype.value))

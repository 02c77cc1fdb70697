"""What the web serves for one IRI: a CONSTRUCT over the store, the same graph for HTML, RDF and JSON-LD.

A description holds the resource's outgoing triples, its incoming ones (the
practices of a city, the cities of a country), the triples of the hash IRIs
under it (a city's ``#geometry``), the qualified links that name it as an end
(``icc:linkEnd``: city links and practice similarities, with their ends, weight
and themes, and the practices behind the strongest of them), and the types,
labels and coordinates of every neighbour, so that
a page can name what it links to without a second query. On top of what the
store holds it adds the schema.org types the ontology entails (an
``icc:GoodPractice`` is a ``schema:CreativeWork``), so that schema.org readers of
the RDF and of the page's embedded JSON-LD recognise the resource.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from ...store.base import Store
from ...vocabulary.formats import N_TRIPLES
from ...vocabulary.namespaces import SCHEMA
from ...vocabulary.terms import ICC
from .schemaorg_terms import add_practice_text

# Neighbour properties copied into a description: enough to name a neighbour, tell its kind and map it.
NEIGHBOUR_PROPERTIES = (RDF.type, RDFS.label, SKOS.prefLabel, SCHEMA.name, SCHEMA.latitude, SCHEMA.longitude)
# What a description keeps of each qualified link naming the resource. The practices behind a link
# (icc:evidence) can run to thousands for a big city, so they come only for its strongest links.
LINK_PROPERTIES = (RDF.type, ICC.linkEnd, ICC.weight, ICC.score, ICC.sharedTheme, ICC.method, PROV.wasGeneratedBy)
EVIDENCE_LINKS = 25
# Incoming triples left out: a popular theme is shared by thousands of city links, and a practice is the
# evidence of hundreds. They stay on each link's own page (link/<a>--<b>), which names them.
DERIVED_BOOKKEEPING = (ICC.sharedTheme, ICC.evidence, PROV.wasDerivedFrom)
XSD_STRING = str(XSD.string)
# Characters an IRIREF may not hold (SPARQL 1.1 grammar), plus controls, plus U+FFFD, which is what a path's
# bytes that are not UTF-8 decode to (/practice/%FF): such a path is no IRI of ours.
_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\ufffd]')

_PREFIXES = f"""PREFIX icc: <{ICC._NS}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX schema: <{SCHEMA}>
"""


@dataclass(frozen=True)
class Description:
    iri: URIRef
    graph: Graph
    truncated: bool     # the store's row cap cut the answer: the page says so

    def __bool__(self) -> bool:
        return len(self.graph) > 0


def is_safe_iri(iri: str) -> bool:
    return not _NOT_IRI.search(iri)


def sparql_string(text: str) -> str:
    """``text`` as a SPARQL string literal, escaped so that no input can end it early."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
    return '"' + "".join(escapes.get(c, c) for c in text) + '"'


def resource_query(iri: str) -> str:
    """The resource's own triples, its incoming ones and the qualified links that name it as an end."""
    props = ", ".join(f"<{p}>" for p in LINK_PROPERTIES)
    skipped = ", ".join(f"<{p}>" for p in DERIVED_BOOKKEEPING)
    return _PREFIXES + f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ VALUES ?s {{ <{iri}> }} ?s ?p ?o }}
  UNION {{ VALUES ?o {{ <{iri}> }} ?s ?p ?o FILTER(?p NOT IN ({skipped})) }}
  UNION {{ ?s icc:linkEnd <{iri}> ; ?p ?o FILTER(?p IN ({props})) }}
}}"""


def evidence_query(links: list[str]) -> str:
    values = " ".join(f"<{link}>" for link in links)
    return _PREFIXES + f"CONSTRUCT {{ ?s icc:evidence ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s icc:evidence ?o }}"


def strongest_links(graph: Graph, iri: URIRef, count: int) -> list[URIRef]:
    """The ``count`` qualified links of ``iri`` with the highest weight (or score), ties in IRI order."""
    links = set(graph.subjects(ICC.linkEnd, iri)) - {iri}

    def strength(link) -> float:
        value = graph.value(link, ICC.weight) or graph.value(link, ICC.score)
        return -float(value) if value is not None else 0.0

    return sorted((link for link in links if isinstance(link, URIRef)), key=lambda link: (strength(link), str(link)))[
        :count]


def neighbour_query(children: list[str], neighbours: list[str]) -> str:
    """Every triple of the hash IRIs under the resource; names, kinds and places of its neighbours.

    A second query with the neighbours listed is much faster in Oxigraph than one
    query that finds them by pattern (3 ms against 150 ms for a city of the seed).
    """
    props = ", ".join(f"<{p}>" for p in NEIGHBOUR_PROPERTIES)
    parts = []
    if children:
        parts.append(f"{{ VALUES ?s {{ {' '.join(f'<{c}>' for c in children)} }} ?s ?p ?o }}")
    if neighbours:
        parts.append(f"{{ VALUES ?s {{ {' '.join(f'<{n}>' for n in neighbours)} }} ?s ?p ?o FILTER(?p IN ({props})) }}")
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {' UNION '.join(parts)} }}"


def graph_query(graph_iri: str, exclude_prefixes: tuple[str, ...] = ()) -> str:
    """Every triple of one named graph, leaving out subjects under ``exclude_prefixes``."""
    filters = " && ".join(f"!STRSTARTS(STR(?s), {sparql_string(p)})" for p in exclude_prefixes) or "true"
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o FILTER(isBlank(?s) || ({filters})) }} }}"


def run_construct(store: Store, query: str, timeout: float | None) -> tuple[Graph, bool]:
    answer = store.execute(query, N_TRIPLES, timeout)
    return read_ntriples(answer.body), answer.truncated


def read_ntriples(body: bytes) -> Graph:
    """N-Triples into an rdflib graph, read by Oxigraph: twice as fast as rdflib's parser on a big city.

    Each distinct term is made once; a big description repeats the same IRIs thousands of times.
    """
    graph, made = Graph(), {}

    def term(node):
        key = (type(node), str(node))
        found = made.get(key)
        if found is None:
            if isinstance(node, ox.NamedNode):
                found = URIRef(node.value)
            elif isinstance(node, ox.BlankNode):
                found = BNode(node.value)
            elif node.language:
                found = Literal(node.value, lang=node.language)
            elif node.datatype.value == XSD_STRING:
                found = Literal(node.value)
            else:
                found = Literal(node.value, datatype=URIRef(node.datatype.value))
            made[key] = found
        return found

    for triple in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        graph.add((term(triple.subject), term(triple.predicate), term(triple.object)))
    return graph


SUPERCLASS_QUERY = f"""PREFIX rdfs: <{RDFS}>
SELECT DISTINCT ?class ?super WHERE {{
  ?class rdfs:subClassOf ?direct .   # binds the start first: Virtuoso refuses a path with both ends open
  ?class rdfs:subClassOf+ ?super FILTER(isIRI(?class) && STRSTARTS(STR(?super), "{SCHEMA}"))
}}"""


def schema_superclasses(store: Store, timeout: float | None) -> dict[URIRef, frozenset[URIRef]]:
    """class -> the schema.org classes the ontology makes it a subclass of (read once per store)."""
    table: dict[URIRef, set[URIRef]] = {}
    for cls, sup in store.select(SUPERCLASS_QUERY, timeout)[1]:
        table.setdefault(cls, set()).add(sup)
    return {cls: frozenset(sups) for cls, sups in table.items()}


def add_entailed_types(graph: Graph, superclasses: dict[URIRef, frozenset[URIRef]]) -> None:
    for subject, cls in list(graph.subject_objects(RDF.type)):
        for sup in superclasses.get(cls, ()):
            graph.add((subject, RDF.type, sup))


def bind_prefixes(graph: Graph) -> Graph:
    from ...vocabulary.namespaces import PREFIXES

    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    graph.bind("icc", ICC._NS, override=True)
    return graph


def describe(store: Store, iri: str, superclasses: dict[URIRef, frozenset[URIRef]],
             timeout: float | None) -> Description:
    """The description of ``iri``; empty (falsy) when the store knows nothing about it."""
    if not is_safe_iri(iri):
        return Description(URIRef(iri), Graph(), False)
    graph, truncated = run_construct(store, resource_query(iri), timeout)
    strongest = strongest_links(graph, URIRef(iri), EVIDENCE_LINKS)
    if strongest:
        evidence, evidence_truncated = run_construct(store, evidence_query(strongest), timeout)
        graph += evidence
        truncated = truncated or evidence_truncated
    if len(graph):
        # Neighbours are the things the triples are about or point to; not their predicates or classes.
        ends = {t for s, p, o in graph for t in (s, o) if p != RDF.type or t == s}
        terms = {t for t in ends if isinstance(t, URIRef) and is_safe_iri(t)}
        children = sorted(t for t in terms if t.startswith(iri + "#"))
        neighbours = sorted(t for t in terms if t != iri and t not in children)
        if children or neighbours:
            more, more_truncated = run_construct(store, neighbour_query(children, neighbours), timeout)
            graph += more
            truncated = truncated or more_truncated
    add_entailed_types(graph, superclasses)
    add_practice_text(graph)
    return Description(URIRef(iri), bind_prefixes(graph), truncated)


def describe_local(source: Graph, iri: str) -> Graph:
    """The same shape of description, read from an in-memory graph (the release's own description file)."""
    node, out = URIRef(iri), Graph()
    subjects = {node} | {s for s in set(source.subjects()) if isinstance(s, URIRef) and s.startswith(iri + "#")}
    for subject in subjects:
        out += source.triples((subject, None, None))
    out += source.triples((None, None, node))
    ends = {t for s, p, o in out for t in (s, o) if p != RDF.type or t == s}
    for neighbour in ends - subjects:
        if isinstance(neighbour, URIRef):
            for prop in NEIGHBOUR_PROPERTIES:
                out += source.triples((neighbour, prop, None))
    return out


def describe_graph(store: Store, iri: str, graph_iri: str, exclude_prefixes: tuple[str, ...],
                   superclasses: dict[URIRef, frozenset[URIRef]], timeout: float | None) -> Description:
    """A document resource that is a whole named graph's content, e.g. the ontology."""
    graph, truncated = run_construct(store, graph_query(graph_iri, exclude_prefixes), timeout)
    add_entailed_types(graph, superclasses)
    return Description(URIRef(iri), bind_prefixes(graph), truncated)

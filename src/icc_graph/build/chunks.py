"""The release graph built, validated and stored chunk by chunk, never whole in rdflib.

rdflib's in-memory store takes about 1.3 kB per triple: a 100k-practice release
(6.7 million quads) took 8.8 GB. So the build maps the records and adds the
derived links a chunk at a time, runs the SHACL gate on each chunk while it is
in rdflib, and keeps only its quads as N-Triples text, sorted and written to
disk at once (sorted_runs.py), from which dumps.py writes the sorted dumps.

A chunk owns its subjects: it holds every triple whose subject it owns, in
every named graph, so the shapes (all per focus node, see validation.Gate) see
each owned node as in the whole graph. The chunks, in order:

1. context: vocabulary, countries, places (with their icc:linkedCity shortcuts),
   metadata and the links stage's rules; the types of its nodes, and of every
   practice, are the context of the chunks after it;
2. practices, with their icc:similarPractice and icc:involvesCity triples;
3. city links; 4. practice similarities; 5. theme suggestions (graph/suggestions,
   their rule and graph description in the context chunk).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS

from ..vocabulary.iris import Minter
from ..vocabulary.oxigraph_terms import to_oxigraph
from ..vocabulary.terms import ICC
from .gate import Gate, Validation
from .links import (
    LINKS_GRAPH,
    DerivedLinks,
    add_city_link,
    add_involved_city,
    add_linked_cities,
    add_rules,
    add_similarity,
    describe_links_graph,
    place_names,
)
from .mapping import GRAPHS, add_context, add_practice, new_dataset
from .records import Records
from .sorted_runs import SortedRuns
from .suggestions import (
    SUGGESTIONS_GRAPH,
    SuggestedThemes,
    add_suggestion,
    add_suggestion_rule,
    describe_suggestions_graph,
)
from .union_view import subjects_held

PRACTICES_PER_CHUNK = 5_000
LINKS_PER_CHUNK = 2_000     # a city link has about 60 triples at 100k practices (its evidence, twice)
SCRATCH = URIRef("urn:icc-graph:validation-context")    # subclass axioms for sh:class; never published


@dataclass
class ReleaseQuads:
    """Every quad of a release as N-Triples text (UTF-8), in sorted runs per named graph, plus its validation.

    Bytes rather than str: a str with one character beyond Latin-1 (an en dash in a
    city link's label) takes two or four bytes a character. UTF-8 sorts as code points do.
    """

    runs: SortedRuns
    namespaces: dict[str, str]
    validation: Validation | None = None

    def add(self, dataset: Dataset, names: list[URIRef]) -> None:
        for name in names:
            self.add_triples(name, dataset.graph(name))

    def add_triples(self, name: URIRef, triples) -> None:
        text = TermText()
        self.runs.add(str(name), (f"{text(s)} {text(p)} {text(o)}\n".encode() for s, p, o in triples))

    def graph_sizes(self) -> list[tuple[URIRef, int]]:
        return [(URIRef(name), self.runs.size(name)) for name in self.runs.names()]

    def __len__(self) -> int:
        return sum(self.runs.size(name) for name in self.runs.names())

    def close(self) -> None:
        self.runs.close()


class TermText:
    """rdflib term -> its N-Triples text as Oxigraph writes it; IRIs (predicates, classes, practices that
    many triples share) are converted once per chunk."""

    def __init__(self):
        self.iris: dict[URIRef, str] = {}

    def __call__(self, term) -> str:
        if type(term) is URIRef:
            text = self.iris.get(term)
            if text is None:
                text = self.iris[term] = str(ox.NamedNode(term))
            return text
        return str(to_oxigraph(term))


def batched(items, size: int) -> Iterator[tuple]:
    it = iter(items)
    while batch := tuple(islice(it, size)):
        yield batch


class Triples(list):
    """Plain triples of one named graph: the add_* functions of mapping.py and links.py write into it as into
    a Graph, without rdflib's store (about 35 us a triple)."""

    add = list.append


class GraphTriples(dict):
    """A chunk as plain triples per named graph (graph IRI -> Triples), checked by the gate directly."""

    def graph(self, name: URIRef) -> Triples:
        return self.setdefault(name, Triples())

    def union(self) -> list[tuple]:
        return [t for triples in self.values() for t in triples]

    def dataset(self) -> Dataset:
        """The chunk in rdflib, for pyshacl when a shape the direct check does not know selects its nodes."""
        ds = new_dataset()
        for name, triples in self.items():
            g = ds.graph(name)
            for triple in triples:
                g.add(triple)
        return ds


def release_chunks(records: Records, mint: Minter, vocabulary: Graph, derived: DerivedLinks,
                   suggested: SuggestedThemes) -> Iterator[Dataset | GraphTriples]:
    links = mint.graph(LINKS_GRAPH)
    ds = new_dataset()
    add_context(ds, records, mint, vocabulary)
    ds.graph(mint.graph("metadata")).__iadd__(describe_links_graph(records, mint))
    ds.graph(mint.graph("metadata")).__iadd__(describe_suggestions_graph(records, mint))
    add_suggestion_rule(ds.graph(mint.graph(SUGGESTIONS_GRAPH)), mint, suggested)
    g = ds.graph(links)
    add_rules(g, mint, derived)
    for link in derived.city_links:
        add_linked_cities(g, mint, link)
    yield ds

    similar, involved = defaultdict(list), defaultdict(list)
    for pair in derived.similar_pairs:
        similar[pair.a].append(pair.b)
        similar[pair.b].append(pair.a)
    for practice, place in derived.involved:
        involved[practice].append(place)
    for batch in batched(records.practices, PRACTICES_PER_CHUNK):
        chunk = GraphTriples()
        source, curation, g = (chunk.graph(mint.graph(name)) for name in ("source", "curation", LINKS_GRAPH))
        for practice in batch:
            add_practice(source, curation, mint, practice)
            s = mint.practice(practice.slug)
            for other in similar.get(practice.slug, ()):    # this practice's half of each pair's shortcut
                g.add((s, ICC.similarPractice, mint.practice(other)))
            for place in involved.get(practice.slug, ()):
                add_involved_city(g, mint, practice.slug, place)
        yield chunk

    names = place_names(records)
    for batch in batched(derived.city_links, LINKS_PER_CHUNK):
        chunk = GraphTriples()
        g = chunk.graph(links)
        for link in batch:
            add_city_link(g, mint, link, names)
        yield chunk
    for batch in batched(derived.similar_pairs, LINKS_PER_CHUNK * 4):
        chunk = GraphTriples()
        g = chunk.graph(links)
        for pair in batch:
            add_similarity(g, mint, pair)
        yield chunk
    for batch in batched(suggested.suggestions, LINKS_PER_CHUNK * 4):
        chunk = GraphTriples()
        g = chunk.graph(mint.graph(SUGGESTIONS_GRAPH))
        for suggestion in batch:
            add_suggestion(g, mint, suggestion)
        yield chunk


def build_quads(records: Records, mint: Minter, vocabulary: Graph, derived: DerivedLinks,
                suggested: SuggestedThemes, data_dir, spill_dir=None) -> ReleaseQuads:
    """Every chunk mapped, validated (the report in ``.validation``) and kept as sorted text runs on disk
    (in a temporary folder under ``spill_dir``, by default the system's; ``close`` removes it)."""
    names = [mint.graph(name) for name in (*GRAPHS, LINKS_GRAPH, SUGGESTIONS_GRAPH)]
    quads: ReleaseQuads | None = None
    gate = Gate(records, mint, data_dir)
    subclasses = [(s, RDFS.subClassOf, o) for s, o in vocabulary.subject_objects(RDFS.subClassOf)]
    subclass_graph = Graph()
    for triple in subclasses:
        subclass_graph.add(triple)
    context_types: dict = {}
    for chunk in release_chunks(records, mint, vocabulary, derived, suggested):
        if isinstance(chunk, GraphTriples):
            if gate.check_direct(chunk.union(), subclass_graph, context_types):
                if gate.conforms:
                    for name, triples in chunk.items():
                        quads.add_triples(name, triples)
                continue
            chunk = chunk.dataset()     # a shape the direct check does not know: pyshacl
        if quads is None:
            namespaces = {prefix: str(ns) for prefix, ns in chunk.namespace_manager.namespaces()}
            quads = ReleaseQuads(SortedRuns(spill_dir), namespaces)
        owned = subjects_held(chunk)     # before the scratch graph is added
        if not context_types:
            context_types = _types(chunk, records, mint)
            gate.keep_context(chunk, subclass_graph)
        scratch = chunk.graph(SCRATCH)
        for triple in subclasses:
            scratch.add(triple)
        gate.check(chunk, owned, context_types)
        if gate.conforms:   # after a Violation nothing is published: only the report is still needed
            quads.add(chunk, names)
    quads.validation = gate.finish()
    return quads


def _types(context: Dataset, records: Records, mint: Minter) -> dict:
    """node -> rdf:type values, for the context chunk's nodes and every practice."""
    types = defaultdict(list)
    for s, _, o, _ in context.quads((None, RDF.type, None, None)):
        types[s].append(o)
    out = {s: tuple(dict.fromkeys(t)) for s, t in types.items()}
    practice_type = (ICC.GoodPractice,)     # mapping gives every practice this type, and no other
    for p in records.practices:
        out[mint.practice(p.slug)] = practice_type
    return out

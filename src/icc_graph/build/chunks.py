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

import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from itertools import islice

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS

from ..vocabulary.iris import Minter
from ..vocabulary.oxigraph_terms import to_oxigraph
from ..vocabulary.terms import ICC
from .forked import Forked
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

PRACTICES_PER_CHUNK = 2_500    # each process holds one chunk in rdflib terms: at 100k, 5,000 peaked 36 MB higher (PSS)
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
        self.iris: dict[str, str] = {}

    def __call__(self, term) -> str:
        if type(term) is URIRef:
            # Keyed by a plain str copy: a URIRef key compares through rdflib's Python __eq__ whenever the
            # IRI is an equal but other object (each minted IRI is), a plain str in C.
            iri = str.__str__(term)
            text = self.iris.get(iri)
            if text is None:
                text = self.iris[iri] = str(ox.NamedNode(iri))
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
    """Every chunk of the release, in order: the context chunk, then those ``later_chunks`` make."""
    yield context_chunk(records, mint, vocabulary, derived, suggested)
    for make in later_chunks(records, mint, derived, suggested):
        yield make()


def context_chunk(records: Records, mint: Minter, vocabulary: Graph, derived: DerivedLinks,
                  suggested: SuggestedThemes) -> Dataset:
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
    return ds


def later_chunks(records: Records, mint: Minter, derived: DerivedLinks,
                 suggested: SuggestedThemes) -> list[Callable[[], GraphTriples]]:
    """The chunks after the context one, each as the call that maps it: any process can make any of them."""
    similar, involved = defaultdict(list), defaultdict(list)
    for pair in derived.similar_pairs:
        similar[pair.a].append(pair.b)
        similar[pair.b].append(pair.a)
    for practice, place in derived.involved:
        involved[practice].append(place)
    names = place_names(records)
    return [
        *(partial(_practices_chunk, mint, batch, similar, involved)
          for batch in batched(records.practices, PRACTICES_PER_CHUNK)),
        *(partial(_one_graph_chunk, mint, LINKS_GRAPH, partial(add_city_link, names=names), batch)
          for batch in batched(derived.city_links, LINKS_PER_CHUNK)),
        *(partial(_one_graph_chunk, mint, LINKS_GRAPH, add_similarity, batch)
          for batch in batched(derived.similar_pairs, LINKS_PER_CHUNK * 4)),
        *(partial(_one_graph_chunk, mint, SUGGESTIONS_GRAPH, add_suggestion, batch)
          for batch in batched(suggested.suggestions, LINKS_PER_CHUNK * 4)),
    ]


def _practices_chunk(mint: Minter, batch, similar: dict, involved: dict) -> GraphTriples:
    chunk = GraphTriples()
    source, curation, g = (chunk.graph(mint.graph(name)) for name in ("source", "curation", LINKS_GRAPH))
    for practice in batch:
        add_practice(source, curation, mint, practice)
        s = mint.practice(practice.slug)
        for other in similar.get(practice.slug, ()):    # this practice's half of each pair's shortcut
            g.add((s, ICC.similarPractice, mint.practice(other)))
        for place in involved.get(practice.slug, ()):
            add_involved_city(g, mint, practice.slug, place)
    return chunk


def _one_graph_chunk(mint: Minter, graph: str, add, batch) -> GraphTriples:
    """A chunk of one named graph: ``add(g, mint, item)`` for each item of ``batch``."""
    chunk = GraphTriples()
    g = chunk.graph(mint.graph(graph))
    for item in batch:
        add(g, mint, item)
    return chunk


def build_quads(records: Records, mint: Minter, vocabulary: Graph, derived: DerivedLinks,
                suggested: SuggestedThemes, data_dir, spill_dir=None) -> ReleaseQuads:
    """Every chunk mapped, validated (the report in ``.validation``) and kept as sorted text runs on disk
    (in a temporary folder under ``spill_dir``, by default the system's; ``close`` removes it).

    The context chunk goes through pyshacl here while a forked child (forked.py) starts on the later chunks,
    checked directly; then this process joins it, each taking the next chunk nobody has taken yet.
    """
    names = [mint.graph(name) for name in (*GRAPHS, LINKS_GRAPH, SUGGESTIONS_GRAPH)]
    gate = Gate(records, mint, data_dir)
    subclasses = [(s, RDFS.subClassOf, o) for s, o in vocabulary.subject_objects(RDFS.subClassOf)]
    subclass_graph = Graph()
    for triple in subclasses:
        subclass_graph.add(triple)

    def through_pyshacl(chunk: Dataset, context_types: dict) -> None:
        owned = subjects_held(chunk)     # before the scratch graph is added
        scratch = chunk.graph(SCRATCH)
        for triple in subclasses:
            scratch.add(triple)
        gate.check(chunk, owned, context_types)
        if gate.conforms:   # after a Violation nothing is published: only the report is still needed
            quads.add(chunk, names)

    context = context_chunk(records, mint, vocabulary, derived, suggested)
    namespaces = {prefix: str(ns) for prefix, ns in context.namespace_manager.namespaces()}
    quads = ReleaseQuads(SortedRuns(spill_dir), namespaces)
    context_types = _types(context, records, mint)
    gate.keep_context(context, subclass_graph)
    jobs = later_chunks(records, mint, derived, suggested)
    shared = SharedJobs(len(jobs))

    def child_share() -> ChunksDone:
        quads.runs.start_over("child-")     # its own run files, handed to this process's SortedRuns at the end
        focus_before = gate.focus_nodes
        left = shared.work(jobs, gate, quads, subclass_graph, context_types)
        return ChunksDone(gate.findings, gate.focus_nodes - focus_before, quads.runs.runs, left)

    # The later chunks need the context chunk's triples, not its validation: the child starts on them at once.
    with Forked(child_share) if jobs else nullcontext() as child:
        through_pyshacl(context, context_types)
        left = shared.work(jobs, gate, quads, subclass_graph, context_types)
        if child is not None:
            done = child.result()
            gate.findings |= done.findings
            gate.focus_nodes += done.focus_nodes
            quads.runs.take(done.runs)
            left += done.left
    for n in sorted(left):      # a shape the direct check does not know: pyshacl, here
        through_pyshacl(jobs[n]().dataset(), context_types)
    quads.validation = gate.finish()
    return quads


@dataclass
class ChunksDone:
    """What one process did with its share of the later chunks."""

    findings: set
    focus_nodes: int
    runs: dict[str, list]           # graph -> its run files written
    left: list[int]                 # chunks the direct check could not take, for pyshacl


class SharedJobs:
    """The later chunks' numbers, handed out one at a time to whichever process asks first (a counter in
    memory the forked child shares), so that neither process waits while the other has several left."""

    def __init__(self, count: int):
        self.count = count
        self._next = multiprocessing.Value("l", 0)

    def take(self) -> int | None:
        with self._next.get_lock():
            n = self._next.value
            if n >= self.count:
                return None
            self._next.value = n + 1
            return n

    def work(self, jobs, gate: Gate, quads: ReleaseQuads, subclass_graph: Graph, context_types: dict) -> list[int]:
        """Map and check chunks until none is left; return those the direct check could not take."""
        left = []
        while (n := self.take()) is not None:
            chunk = jobs[n]()
            if not gate.check_direct(chunk.union(), subclass_graph, context_types):
                left.append(n)
            elif gate.conforms:     # after a Violation nothing is published: only the report is still needed
                for name, triples in chunk.items():
                    quads.add_triples(name, triples)
        return left


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

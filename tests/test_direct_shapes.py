"""The derived links' shapes checked directly (direct_shapes.py) give pyshacl's findings, broken links included."""

from __future__ import annotations

import sys
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from icc_graph.build import chunks
from icc_graph.build.datadir import read_records
from icc_graph.build.gate import Gate
from icc_graph.build.links import LINKS_GRAPH, compute_links
from icc_graph.build.mapping import theme_slugs, vocabulary_graph
from icc_graph.build.suggestions import compute_suggestions
from icc_graph.build.union_view import subjects_held
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter
from icc_graph.vocabulary.terms import ICC

from .conftest import ROOT


def _release_parts(data_dir):
    mint = Minter(DEFAULT_BASE)
    vocabulary = vocabulary_graph(mint)
    records = read_records(data_dir, theme_slugs(vocabulary, mint))
    parts = list(chunks.release_chunks(records, mint, vocabulary, compute_links(records),
                                       compute_suggestions(records, vocabulary, mint)))
    subclasses = Graph()
    for s, o in vocabulary.subject_objects(RDFS.subClassOf):
        subclasses.add((s, RDFS.subClassOf, o))
    return mint, records, parts, chunks._types(parts[0], records, mint), subclasses


def _broken(triples: list, mint: Minter, records) -> chunks.Triples:
    """The chunk's links with one defect or more each, of every kind the link shapes check."""
    links = sorted({s for s, p, o in triples if p == RDF.type and o == ICC.CityLink})
    similarities = sorted({s for s, p, o in triples if p == RDF.type and o == ICC.PracticeSimilarity})
    place, practice = mint.place(records.places[0].slug), mint.practice(records.practices[0].slug)
    drop = {
        (links[0], ICC.weight), (links[1], ICC.evidence), (links[2], ICC.linkEnd), (links[3], RDFS.label),
        (similarities[0], ICC.score), (similarities[1], ICC.method), (similarities[2], PROV.wasGeneratedBy),
        (similarities[3], ICC.linkEnd), (similarities[4], ICC.score),
    }
    out = chunks.Triples((s, p, o) for s, p, o in triples if (s, p) not in drop)
    out += [
        (links[0], ICC.weight, Literal(0, datatype=XSD.integer)),                 # below sh:minInclusive
        (links[1], ICC.evidence, place),                                          # not a practice
        (links[1], ICC.evidence, Literal("a practice")),                          # a literal for sh:class
        (links[2], ICC.linkEnd, practice),                                        # one end, and not a place
        (links[3], RDFS.label, Literal("no language")),                           # datatype, a Warning
        (links[3], RDFS.label, Literal("two labels", lang="en")),                 # sh:maxCount 1
        (links[4], ICC.weight, Literal("many", datatype=XSD.integer)),            # ill-typed, and a second weight
        (links[5], ICC.sharedTheme, place),                                       # not a theme
        (similarities[0], ICC.score, Literal(Decimal("1.5"), datatype=XSD.decimal)),   # above sh:maxInclusive
        (similarities[2], PROV.wasGeneratedBy, mint.plan("tfidf-cosine")),        # a plan, not the activity
        (similarities[3], ICC.linkEnd, URIRef("https://example.org/unknown")),    # no type at all
        (similarities[4], ICC.score, Literal("0.5")),                             # a string: datatype and range
    ]
    return out


def _both_ways(data_dir, tmp_path, broken: bool):
    mint, records, parts, context_types, subclasses = _release_parts(data_dir)
    derived_chunks = [p for p in parts if isinstance(p, chunks.Triples)]
    if broken:
        derived_chunks = [_broken([t for c in derived_chunks for t in c], mint, records)]
    direct, reference = Gate(records, mint, data_dir), Gate(records, mint, data_dir)
    for triples in derived_chunks:
        assert direct.check_direct(triples, chunks.DERIVED_CLASSES, subclasses, context_types)
        ds = chunks._in_dataset(triples, mint.graph(LINKS_GRAPH))
        owned = subjects_held(ds)
        for triple in subclasses:
            ds.graph(chunks.SCRATCH).add(triple)
        reference.check(ds, owned, context_types)
    return direct, reference


def _synthetic(tmp_path, practices: int):
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import write_data

    return write_data(tmp_path / "data", practices, seed=5)


def test_direct_check_finds_what_pyshacl_finds_in_broken_links(tmp_path):
    data = _synthetic(tmp_path, 150)
    direct, reference = _both_ways(data, tmp_path, broken=True)
    assert len(reference.findings) >= 14     # every defect above is found
    assert direct.findings == reference.findings
    assert direct.focus_nodes == reference.focus_nodes
    ours, theirs = direct.finish(), reference.finish()
    assert ours.report.serialize(format="turtle") == theirs.report.serialize(format="turtle")


def test_direct_check_agrees_on_sound_synthetic_links(tmp_path):
    direct, reference = _both_ways(_synthetic(tmp_path, 150), tmp_path, broken=False)
    assert direct.focus_nodes == reference.focus_nodes > 100
    assert direct.findings == reference.findings


def test_a_shape_the_direct_check_does_not_know_sends_the_chunk_to_pyshacl(tmp_path, monkeypatch):
    mint, records, parts, context_types, subclasses = _release_parts(ROOT / "data")
    gate = Gate(records, mint, ROOT / "data")
    shape = URIRef("https://w3id.org/icc-graph/shapes#CityLinkWeight")
    gate.shapes.add((shape, URIRef("http://www.w3.org/ns/shacl#pattern"), Literal("^[0-9]+$")))
    triples = next(p for p in parts if isinstance(p, chunks.Triples))
    assert not gate.check_direct(triples, chunks.DERIVED_CLASSES, subclasses, context_types)
    assert gate.focus_nodes == 0 and not gate.findings

"""The derived links' shapes checked directly (direct_shapes.py) give pyshacl's findings, broken links included."""

from __future__ import annotations

import sys
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from icc_graph.build import chunks
from icc_graph.build.datadir import read_records
from icc_graph.build.gate import Gate
from icc_graph.build.links import LINKS_GRAPH, compute_links
from icc_graph.build.mapping import theme_slugs, vocabulary_graph
from icc_graph.build.suggestions import compute_suggestions
from icc_graph.build.union_view import subjects_held
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter
from icc_graph.vocabulary.namespaces import PAV, SCHEMA
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


def _broken(triples: list, mint: Minter, records) -> chunks.GraphTriples:
    """The chunk's links with one defect or more each, of every kind the link shapes check."""
    links = sorted({s for s, p, o in triples if p == RDF.type and o == ICC.CityLink})
    similarities = sorted({s for s, p, o in triples if p == RDF.type and o == ICC.PracticeSimilarity})
    place, practice = mint.place(records.places[0].slug), mint.practice(records.practices[0].slug)
    drop = {
        (links[0], ICC.weight), (links[1], ICC.evidence), (links[2], ICC.linkEnd), (links[3], RDFS.label),
        (similarities[0], ICC.score), (similarities[1], ICC.method), (similarities[2], PROV.wasGeneratedBy),
        (similarities[3], ICC.linkEnd), (similarities[4], ICC.score),
    }
    out = chunks.GraphTriples()
    g = out.graph(mint.graph(LINKS_GRAPH))
    g += [(s, p, o) for s, p, o in triples if (s, p) not in drop]
    g += [
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


def _check_both_ways(chunk_list, mint, records, data_dir, context_types, subclasses, extra_shapes=None):
    """The same chunks through the direct check and through pyshacl (the reference), as build_quads runs them."""
    direct, reference = Gate(records, mint, data_dir), Gate(records, mint, data_dir)
    if extra_shapes is not None:
        for gate in (direct, reference):
            gate.shapes += extra_shapes
    for chunk in chunk_list:
        assert direct.check_direct(chunk.union(), subclasses, context_types)
        ds = chunk.dataset()
        owned = subjects_held(ds)
        for triple in subclasses:
            ds.graph(chunks.SCRATCH).add(triple)
        reference.check(ds, owned, context_types)
    return direct, reference


def _both_ways(data_dir, tmp_path, broken: bool):
    mint, records, parts, context_types, subclasses = _release_parts(data_dir)
    derived_chunks = [c for c in parts if isinstance(c, chunks.GraphTriples) and mint.graph(LINKS_GRAPH) in c
                      and not any(o == ICC.GoodPractice for _, _, o in c.union())]
    if broken:
        derived_chunks = [_broken([t for c in derived_chunks for t in c.union()], mint, records)]
    return _check_both_ways(derived_chunks, mint, records, data_dir, context_types, subclasses)


def _same_report(direct: Gate, reference: Gate) -> None:
    assert direct.findings == reference.findings
    assert direct.focus_nodes == reference.focus_nodes
    ours, theirs = direct.finish(), reference.finish()
    assert ours.report.serialize(format="turtle") == theirs.report.serialize(format="turtle")


def _synthetic(tmp_path, practices: int):
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import write_data

    return write_data(tmp_path / "data", practices, seed=5)


def test_direct_check_finds_what_pyshacl_finds_in_broken_links(tmp_path):
    data = _synthetic(tmp_path, 150)
    direct, reference = _both_ways(data, tmp_path, broken=True)
    assert len(reference.findings) >= 14     # every defect above is found
    _same_report(direct, reference)


def test_direct_check_agrees_on_sound_synthetic_links(tmp_path):
    direct, reference = _both_ways(_synthetic(tmp_path, 150), tmp_path, broken=False)
    assert direct.focus_nodes == reference.focus_nodes > 100
    assert direct.findings == reference.findings


def test_a_shape_the_direct_check_does_not_know_sends_the_chunk_to_pyshacl(tmp_path, monkeypatch):
    mint, records, parts, context_types, subclasses = _release_parts(ROOT / "data")
    gate = Gate(records, mint, ROOT / "data")
    shape = URIRef("https://w3id.org/icc-graph/shapes#CityLinkWeight")
    gate.shapes.add((shape, URIRef("http://www.w3.org/ns/shacl#node"), URIRef("https://example.org/shape")))
    links = next(p for p in parts if isinstance(p, chunks.GraphTriples) and
                 any(o == ICC.CityLink for _, _, o in p.union()))
    assert not gate.check_direct(links.union(), subclasses, context_types)
    assert gate.focus_nodes == 0 and not gate.findings


# Shapes no shape file uses today, so that the rules for sh:or, sh:maxLength and sh:maxExclusive are held to
# pyshacl's too; the bad years and titles below break them.
EXTRA_SHAPES = """
@prefix icsh: <https://w3id.org/icc-graph/shapes#> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix icc: <https://w3id.org/icc-graph/ontology#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
icsh:TestYearBefore a sh:PropertyShape ; sh:targetClass icc:GoodPractice ; sh:path icc:endYear ;
    sh:maxExclusive 2030 ; sh:minExclusive 1900 ; sh:severity sh:Warning ; sh:message "test: end year range"@en .
icsh:TestShortTitle a sh:PropertyShape ; sh:targetClass icc:GoodPractice ; sh:path dcterms:title ;
    sh:maxLength 60 ; sh:severity sh:Warning ; sh:message "test: a short title"@en .
icsh:TestCountryOr a sh:PropertyShape ; sh:targetClass icc:GoodPractice ; sh:path icc:country ;
    sh:or ( [ sh:class schema:Country ] [ sh:class icc:District ] ) ; sh:severity sh:Warning ;
    sh:message "test: a country or a district"@en .
"""


def _broken_practices(chunk: chunks.GraphTriples, mint: Minter, records) -> chunks.GraphTriples:
    """The practice chunk with one defect or more for every constraint of the practice shapes."""
    source, links = mint.graph("source"), mint.graph(LINKS_GRAPH)
    p = [mint.practice(r.slug) for r in records.practices[:13]]
    place, country = mint.place(records.places[0].slug), mint.country(records.countries[0].iso2)
    stranger, bad_iri = URIRef("https://example.org/not-a-practice"), mint.practice("bad--slug")
    drop = {(p[0], RDFS.label), (p[1], RDFS.label), (p[3], ICC.startYear), (p[3], ICC.endYear),
            (p[4], ICC.startYear), (p[7], ICC.country), (p[7], DCTERMS.source), (p[8], DCTERMS.source)}
    out = chunks.GraphTriples()
    for name, triples in chunk.items():
        out.graph(name).extend((s, pr, o) for s, pr, o in triples if (s, pr) not in drop)
    out.graph(source).extend([
        (p[1], RDFS.label, Literal("no language")),                               # sh:datatype rdf:langString
        (p[2], DCTERMS.title, Literal("", lang="en")),                            # sh:minLength, sh:maxCount
        (p[3], ICC.startYear, Literal(2020)), (p[3], ICC.endYear, Literal(2010)),  # sh:lessThanOrEquals
        (p[4], ICC.startYear, Literal("soon")),                                   # datatype; no order with a year
        (p[5], ICC.ongoing, Literal("yes")),                                      # xsd:boolean
        (p[5], PAV.retrievedOn, Literal("2026-13-45", datatype=XSD.dateTime)),    # ill-typed, and a second date
        (p[6], ICC.country, place),                                               # sh:class, sh:maxCount
        (p[7], DCTERMS.source, Literal("https://example.org/page")),              # sh:nodeKind sh:IRI
        (p[8], DCTERMS.source, URIRef("ftp://example.org/page")),                 # sh:pattern
        (p[9], DCTERMS.subject, place), (p[9], SCHEMA.spatialCoverage, country),  # sh:class
        (p[12], ICC.titleMissingInSource, Literal(True)), (p[12], ICC.titleMissingInSource, Literal(False)),
        (p[12], DCTERMS.title, Literal("A title far longer than sixty characters, for the test's own shape",
                                       lang="en")),
        (p[12], ICC.endYear, Literal(1850)),                                      # sh:minExclusive (test shape)
        (p[11], ICC.endYear, Literal(2031)),                                      # sh:maxExclusive (test shape)
        (bad_iri, RDF.type, ICC.GoodPractice),                                    # sh:pattern on the IRI
    ])
    out.graph(links).extend([
        (p[10], ICC.similarPractice, p[10]),                                      # the SPARQL self link
        (p[10], ICC.similarPractice, URIRef("https://example.org/unknown")),      # sh:class
        (p[11], ICC.involvesCity, country),                                       # one, and not a place
        (stranger, ICC.involvesCity, place),                                      # sh:hasValue icc:GoodPractice
    ])
    return out


def test_direct_check_finds_what_pyshacl_finds_in_broken_practices(tmp_path):
    data = _synthetic(tmp_path, 150)
    mint, records, parts, context_types, subclasses = _release_parts(data)
    practices = [c for c in parts if isinstance(c, chunks.GraphTriples) and
                 any(o == ICC.GoodPractice for _, _, o in c.union())]
    extra = Graph().parse(data=EXTRA_SHAPES, format="turtle")
    sound_direct, sound_reference = _check_both_ways(practices, mint, records, data, context_types, subclasses,
                                                     extra)
    _same_report(sound_direct, sound_reference)
    broken = [_broken_practices(practices[0], mint, records)]
    direct, reference = _check_both_ways(broken, mint, records, data, context_types, subclasses, extra)
    _same_report(direct, reference)
    found = {f.component.rpartition("#")[2] for f in reference.findings if f not in sound_reference.findings}
    assert found >= {f"{kind}ConstraintComponent" for kind in (
        "MinCount", "MaxCount", "Datatype", "MinLength", "MaxLength", "LessThanOrEquals", "Class", "NodeKind",
        "Pattern", "HasValue", "SPARQL", "Or", "MaxExclusive", "MinExclusive")}


def _broken_themes(vocabulary: Graph, mint: Minter) -> chunks.GraphTriples:
    """Two themes and a scheme from the vocabulary graph, broken for every constraint of the theme shapes."""
    themes = sorted(vocabulary.subjects(RDF.type, SKOS.Concept))[:3]
    scheme = sorted(vocabulary.subjects(RDF.type, SKOS.ConceptScheme))[0]
    out = chunks.GraphTriples()
    g = out.graph(mint.graph("vocabulary"))
    g += [t for node in (*themes, scheme) for t in vocabulary.triples((node, None, None))
          if t[:2] not in {(themes[2], SKOS.notation), (scheme, DCTERMS.title)}]
    g += [
        (themes[0], SKOS.prefLabel, Literal("a second English label", lang="en")),    # sh:uniqueLang
        (themes[0], SKOS.prefLabel, Literal("ein Thema", lang="de")),                 # sh:languageIn
        (themes[1], SKOS.inScheme, URIRef("https://example.org/scheme")),             # sh:in
        (themes[1], SKOS.notation, Literal("Not A Slug")),                            # sh:pattern, sh:maxCount
        (themes[1], SKOS.broader, mint.place("somewhere")),                           # sh:class
        (scheme, RDFS.label, Literal("no language")),                                 # sh:datatype
    ]
    return out


def test_direct_check_finds_what_pyshacl_finds_in_broken_themes(tmp_path):
    data = _synthetic(tmp_path, 20)
    mint, records, parts, context_types, subclasses = _release_parts(data)
    direct, reference = _check_both_ways([_broken_themes(vocabulary_graph(mint), mint)], mint, records, data,
                                         context_types, subclasses)
    _same_report(direct, reference)
    found = {f.component.rpartition("#")[2] for f in reference.findings}
    assert found >= {f"{kind}ConstraintComponent" for kind in (
        "UniqueLang", "LanguageIn", "In", "Pattern", "MaxCount", "MinCount", "Class", "Datatype")}


def test_places_go_to_pyshacl_for_their_alternative_path(tmp_path):
    """sh:alternativePath (a place's Wikidata id or candidate) is no direct rule: the place chunk goes to pyshacl."""
    data = _synthetic(tmp_path, 20)
    mint, records, parts, context_types, subclasses = _release_parts(data)
    place = mint.place(records.places[0].slug)
    triples = list(parts[0].quads((place, None, None, None)))
    gate = Gate(records, mint, data)
    assert triples and not gate.check_direct([q[:3] for q in triples], subclasses, context_types)
    assert gate.focus_nodes == 0 and not gate.findings

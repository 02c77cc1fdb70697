"""Mapping records -> RDF, compared with a golden graph by isomorphism."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from icc_graph.build.datadir import read_records
from icc_graph.build.mapping import map_records, theme_slugs, vocabulary_graph
from icc_graph.config import load_settings
from icc_graph.vocabulary.iris import Minter
from icc_graph.vocabulary.namespaces import GEO, PAV, SCHEMA
from icc_graph.vocabulary.sections import SECTIONS
from icc_graph.vocabulary.terms import ICC

from .conftest import DATA, FIXTURES

BASE = "https://w3id.org/icc-graph/"
MINT = Minter(BASE)
SECTION_TERMS = {"purpose": ICC.purpose, "stimulus": ICC.stimulus, "process": ICC.process,
                 "outcomes": ICC.outcomes, "evaluation": ICC.evaluation,
                 "key_success_factors": ICC.keySuccessFactors, "transferability": ICC.transferability}


def mapped(data_dir: Path, base: str = BASE) -> Dataset:
    mint = Minter(base)
    vocabulary = vocabulary_graph(mint)
    return map_records(read_records(data_dir, theme_slugs(vocabulary, mint)), mint, vocabulary)


def named(ds: Dataset, name: str, mint: Minter = MINT) -> Graph:
    g = Graph()
    g += ds.graph(mint.graph(name))
    return g


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return mapped(DATA)


def test_golden_graph_is_isomorphic():
    ds = mapped(FIXTURES / "golden" / "data")
    expected = Dataset()
    expected.parse(FIXTURES / "golden" / "expected.trig", format="trig")
    for name in ("source", "curation"):
        got, want = to_isomorphic(named(ds, name)), to_isomorphic(named(expected, name))
        if not isomorphic(got, want):
            _, only_got, only_want = graph_diff(got, want)
            pytest.fail(f"graph/{name} differs.\nunexpected:\n{only_got.serialize(format='nt')}\n"
                        f"missing:\n{only_want.serialize(format='nt')}")


def test_every_field_of_every_seed_practice_reaches_the_graph(seed):
    union = Graph()
    for g in seed.graphs():
        union += g
    files = sorted((DATA / "practices").glob("*.yaml"))
    assert len(files) == 20
    assert len(set(union.subjects(RDF.type, ICC.GoodPractice))) == 20
    for path in files:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        src, cur = doc["source"], doc["curation"]
        s = MINT.practice(doc["slug"])
        lang = src["language"]
        if src["title"]:
            assert (s, DCTERMS.title, Literal(src["title"], lang=lang)) in union
        else:
            assert (s, ICC.titleMissingInSource, Literal(True)) in union
            assert (s, RDFS.label, Literal(cur["label"], lang=lang)) in union
        assert union.value(s, RDFS.label) is not None, f"{path.name}: no usable label"
        assert (s, DCTERMS.abstract, Literal(src["summary"], lang=lang)) in union
        for section, text in src["sections"].items():
            assert section in SECTIONS
            assert (s, SECTION_TERMS[section], Literal(text, lang=lang)) in union
        assert (s, ICC.periodText, Literal(src["period"])) in union
        for key, term in (("start_year", ICC.startYear), ("end_year", ICC.endYear)):
            assert union.value(s, term) == (None if src[key] is None else Literal(src[key]))
        assert union.value(s, ICC.ongoing) == (None if src["ongoing"] is None else Literal(src["ongoing"]))
        places = {str(n) for p in union.objects(s, SCHEMA.spatialCoverage) for n in union.objects(p, SCHEMA.name)
                  if n.language == "en"}
        assert places == set(src["cities"])
        country = union.value(s, ICC.country)
        assert Literal(src["country"], lang="en") in set(union.objects(country, SCHEMA.name))
        themes = {str(t) for t in union.objects(s, DCTERMS.subject)}
        assert themes == {str(MINT.theme(t)) for t in cur["themes"]}
        assert (s, DCTERMS.source, URIRef(src["page"])) in union
        assert union.value(s, PAV.retrievedOn).toPython().isoformat() == f'{src["read_on"]}T00:00:00+00:00'
        assert union.value(s, PAV.retrievedOn).datatype == XSD.dateTime   # PAV's range


def test_seed_places_cities_districts_and_countries(seed):
    curation = named(seed, "curation")
    assert len(set(curation.subjects(RDF.type, SCHEMA.Country))) == 7
    districts = set(curation.subjects(RDF.type, ICC.District))
    assert districts == {MINT.place("berlin-neukolln"), MINT.place("london-lewisham")}
    # districts inside their cities inside their countries
    assert curation.value(MINT.place("london-lewisham"), SCHEMA.containedInPlace) == MINT.place("london")
    assert curation.value(MINT.place("london"), SCHEMA.containedInPlace) == MINT.country("GB")
    # every place a practice runs in is a city or district of the graph
    source = named(seed, "source")
    used = set(source.objects(None, SCHEMA.spatialCoverage))
    assert len(used) == 14
    assert used <= set(curation.subjects(RDF.type, SCHEMA.City)) | districts


def test_wkt_is_longitude_first(seed):
    curation = named(seed, "curation")
    wkt = curation.value(MINT.geometry("auckland"), GEO.asWKT)
    assert str(wkt) == "POINT(174.7635 -36.8485)"
    assert wkt.datatype == GEO.wktLiteral


def test_same_as_only_for_confirmed_wikidata(seed):
    curation = named(seed, "curation")
    assert (MINT.place("leeds"), OWL.sameAs, Minter.wikidata("Q39121")) in curation
    # partial: a candidate, never sameAs; unconfirmed: nothing at all
    assert curation.value(MINT.place("lisbon"), OWL.sameAs) is None
    assert (MINT.place("lisbon"), ICC.wikidataCandidate, Minter.wikidata("Q597")) in curation
    assert list(curation.predicate_objects(MINT.place("loures")))
    assert curation.value(MINT.place("loures"), OWL.sameAs) is None
    assert curation.value(MINT.place("loures"), ICC.wikidataCandidate) is None


def test_themes_are_attributed_to_curation(seed):
    source, curation, meta = (named(seed, n) for n in ("source", "curation", "metadata"))
    assert not list(source.triples((None, DCTERMS.subject, None)))
    assert len(list(curation.triples((None, DCTERMS.subject, None)))) >= 20
    from rdflib.namespace import PROV
    assert meta.value(MINT.graph("curation"), PROV.wasAttributedTo) == MINT.agent("curation")


def test_themes_come_from_both_schemes_and_are_mapped(seed):
    vocabulary = named(seed, "vocabulary")
    from rdflib.namespace import SKOS
    topics = set(vocabulary.subjects(SKOS.inScheme, MINT.scheme("topics")))
    areas = set(vocabulary.subjects(SKOS.inScheme, MINT.scheme("index-areas")))
    assert len(topics) == 20 and len(areas) >= 15
    for topic in topics:
        matches = set(vocabulary.objects(topic, SKOS.closeMatch)) | set(vocabulary.objects(topic, SKOS.broadMatch))
        assert matches & areas, f"{topic} maps to no Index area"


def test_base_iri_is_configurable():
    other = "http://localhost:8080/"
    ds = mapped(FIXTURES / "golden" / "data", other)
    mint = Minter(other)
    curation = named(ds, "curation", mint)
    assert (mint.practice("district-mothers"), DCTERMS.subject,
            mint.theme("welcoming-and-social-integration")) in curation
    vocabulary = named(ds, "vocabulary", mint)
    from rdflib.namespace import SKOS
    assert (mint.theme("education"), SKOS.inScheme, mint.scheme("topics")) in vocabulary
    assert load_settings(environ={"ICC_GRAPH_BASE_IRI": other}).base_iri == other

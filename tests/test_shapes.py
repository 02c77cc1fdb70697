"""The shapes in shapes/: the valid fixture conforms; each broken fixture triggers exactly the shape it breaks.

Every case below is one invalid fixture: tests/fixtures/shapes/valid.ttl with
some triples taken out and some put in, and the one result (shape, path,
constraint component, severity) it must produce.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from icc_graph.build.gate import SHAPES_NS, load_shapes, run_shapes
from icc_graph.vocabulary.handwritten import resource_dir
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter

from .conftest import FIXTURES

VALID = FIXTURES / "shapes" / "valid.ttl"
PREFIXES = """
@prefix icc:     <https://w3id.org/icc-graph/ontology#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema:  <https://schema.org/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix pav:     <http://purl.org/pav/> .
@prefix geo:     <http://www.opengis.net/ont/geosparql#> .
@prefix practice: <https://w3id.org/icc-graph/practice/> .
@prefix city:    <https://w3id.org/icc-graph/city/> .
@prefix country: <https://w3id.org/icc-graph/country/> .
@prefix theme:   <https://w3id.org/icc-graph/theme/> .
@prefix scheme:  <https://w3id.org/icc-graph/scheme/> .
"""
P = "practice:district-mothers"
GEOMETRY = "<https://w3id.org/icc-graph/city/berlin#geometry>"


@dataclass(frozen=True)
class Case:
    shape: str              # local name in the shapes namespace
    path: str               # prefixed name of sh:resultPath
    component: str          # local name of the sh:sourceConstraintComponent
    remove: str = ""        # Turtle: triples taken out of the valid fixture
    add: str = ""           # Turtle: triples put in
    severity: str = "Violation"

    @property
    def id(self) -> str:
        return f"{self.shape}-{self.component.removesuffix('ConstraintComponent')}"


CASES = [
    # practices
    Case("PracticeLabel", "rdfs:label", "MinCountConstraintComponent",
         remove=f'{P} rdfs:label "District Mothers"@en .'),
    Case("PracticeLabel", "rdfs:label", "DatatypeConstraintComponent", add=f'{P} rdfs:label "plain" .'),
    Case("PracticeTitle", "dcterms:title", "MaxCountConstraintComponent", add=f'{P} dcterms:title "Other"@en .'),
    Case("PracticeTitle", "dcterms:title", "MinLengthConstraintComponent",
         remove=f'{P} dcterms:title "District Mothers"@en .', add=f'{P} dcterms:title ""@en .'),
    Case("PracticeTitleInSource", "dcterms:title", "MinCountConstraintComponent", severity="Warning",
         remove=f'{P} dcterms:title "District Mothers"@en .'),
    Case("PracticeCuratedTheme", "dcterms:subject", "MinCountConstraintComponent", severity="Warning",
         remove=f"{P} dcterms:subject theme:education , theme:index-education ."),
    Case("PracticeTitleMissingFlag", "icc:titleMissingInSource", "DatatypeConstraintComponent",
         add=f'{P} icc:titleMissingInSource "yes" .'),
    Case("PracticeAbstract", "dcterms:abstract", "MaxCountConstraintComponent",
         add=f'{P} dcterms:abstract "Another summary."@en .'),
    Case("PracticeCountry", "icc:country", "MinCountConstraintComponent", remove=f"{P} icc:country country:de ."),
    Case("PracticeCountry", "icc:country", "ClassConstraintComponent",
         remove=f"{P} icc:country country:de .", add=f"{P} icc:country city:berlin ."),
    Case("PracticeLocation", "schema:spatialCoverage", "ClassConstraintComponent",
         add=f"{P} schema:spatialCoverage <https://w3id.org/icc-graph/city/atlantis> ."),
    # A country is a geo:Feature too: the shape wants a city or a district.
    Case("PracticeLocation", "schema:spatialCoverage", "ClassConstraintComponent",
         add=f"{P} schema:spatialCoverage country:de ."),
    Case("PracticeStartYear", "icc:startYear", "DatatypeConstraintComponent",
         remove=f"{P} icc:startYear 2004 . {P} icc:endYear 2010 .", add=f'{P} icc:startYear "2004" .'),
    Case("PracticeEndYear", "icc:endYear", "MaxCountConstraintComponent", add=f"{P} icc:endYear 2011 ."),
    Case("PracticePeriodOrder", "icc:startYear", "LessThanOrEqualsConstraintComponent",
         remove=f"{P} icc:endYear 2010 .", add=f"{P} icc:endYear 2001 ."),
    Case("PracticeOngoing", "icc:ongoing", "DatatypeConstraintComponent",
         remove=f"{P} icc:ongoing false .", add=f'{P} icc:ongoing "no" .'),
    Case("PracticePeriodText", "icc:periodText", "MaxCountConstraintComponent", add=f'{P} icc:periodText "2004" .'),
    Case("PracticeTheme", "dcterms:subject", "ClassConstraintComponent",
         add=f"{P} dcterms:subject <https://w3id.org/icc-graph/theme/astrology> ."),
    Case("PracticeSourcePage", "dcterms:source", "PatternConstraintComponent",
         remove=f"{P} dcterms:source <https://www.coe.int/en/web/interculturalcities/good-practice> .",
         add=f"{P} dcterms:source <file:///tmp/page.html> ."),
    Case("PracticeSourcePage", "dcterms:source", "MinCountConstraintComponent",
         remove=f"{P} dcterms:source <https://www.coe.int/en/web/interculturalcities/good-practice> ."),
    Case("PracticeRetrievedOn", "pav:retrievedOn", "DatatypeConstraintComponent",
         remove=f'{P} pav:retrievedOn "2026-11-28T00:00:00Z"^^xsd:dateTime .',
         add=f'{P} pav:retrievedOn "2026-11-28"^^xsd:date .'),
    Case("PracticePurpose", "icc:purpose", "MaxCountConstraintComponent", add=f'{P} icc:purpose "More."@en .'),
    Case("PracticeStimulus", "icc:stimulus", "DatatypeConstraintComponent", add=f'{P} icc:stimulus "untagged" .',
         remove=f'{P} icc:stimulus "Families were hard to reach."@en .'),
    Case("PracticeProcess", "icc:process", "MaxCountConstraintComponent", add=f'{P} icc:process "More."@en .'),
    Case("PracticeOutcomes", "icc:outcomes", "MaxCountConstraintComponent", add=f'{P} icc:outcomes "More."@en .'),
    Case("PracticeEvaluation", "icc:evaluation", "MaxCountConstraintComponent",
         add=f'{P} icc:evaluation "More."@en .'),
    Case("PracticeKeySuccessFactors", "icc:keySuccessFactors", "MaxCountConstraintComponent",
         add=f'{P} icc:keySuccessFactors "More."@en .'),
    Case("PracticeTransferability", "icc:transferability", "MaxCountConstraintComponent",
         add=f'{P} icc:transferability "More."@en .'),
    Case("PracticeKeyReferenceDocuments", "icc:keyReferenceDocuments", "DatatypeConstraintComponent",
         add=f'{P} icc:keyReferenceDocuments "A plan with no language tag" .'),
    # places
    Case("PlaceLabel", "rdfs:label", "MinCountConstraintComponent", remove='city:berlin rdfs:label "Berlin"@en .'),
    Case("PlaceLabel", "rdfs:label", "UniqueLangConstraintComponent", add='city:berlin rdfs:label "Berlin City"@en .'),
    Case("PlaceName", "schema:name", "MinCountConstraintComponent",
         remove='city:berlin-neukolln schema:name "Berlin-Neukölln"@en .'),
    Case("PlaceSameAs", "owl:sameAs", "PatternConstraintComponent",
         remove="city:berlin owl:sameAs <http://www.wikidata.org/entity/Q64> .",
         add="city:berlin owl:sameAs <https://en.wikipedia.org/wiki/Berlin> ."),
    Case("PlaceSameAs", "owl:sameAs", "MaxCountConstraintComponent",
         add="country:de owl:sameAs <http://www.wikidata.org/entity/Q7318> ."),
    Case("PlaceWikidataCandidate", "icc:wikidataCandidate", "MaxCountConstraintComponent", severity="Warning",
         add="city:berlin-neukolln icc:wikidataCandidate <http://www.wikidata.org/entity/Q169492> ."),
    Case("PlaceCountry", "icc:country", "MinCountConstraintComponent",
         remove="city:berlin-neukolln icc:country country:de ."),
    Case("PlaceCountry", "icc:country", "ClassConstraintComponent",
         remove="city:berlin icc:country country:de .", add="city:berlin icc:country city:berlin ."),
    Case("PlaceIsoCode", "icc:isoCode", "PatternConstraintComponent",
         remove='city:berlin icc:isoCode "DE-BE" .', add='city:berlin icc:isoCode "Berlin" .'),
    Case("PlaceGeometry", "geo:hasGeometry", "ClassConstraintComponent",
         remove="city:berlin-neukolln geo:hasGeometry <https://w3id.org/icc-graph/city/berlin-neukolln#geometry> .",
         add="city:berlin-neukolln geo:hasGeometry <https://w3id.org/icc-graph/city/berlin-neukolln#nowhere> ."),
    Case("PlaceCoordinates", "geo:hasGeometry", "MinCountConstraintComponent", severity="Warning",
         remove="city:berlin-neukolln geo:hasGeometry <https://w3id.org/icc-graph/city/berlin-neukolln#geometry> ."),
    Case("PlaceWikidataMissing", "owl:sameAs|icc:wikidataCandidate", "MinCountConstraintComponent", severity="Warning",
         remove="city:berlin-neukolln owl:sameAs <http://www.wikidata.org/entity/Q169492> ."),
    Case("PlaceLatitude", "schema:latitude", "MaxInclusiveConstraintComponent",
         remove="city:berlin schema:latitude 52.5167 .", add="city:berlin schema:latitude 152.5167 ."),
    Case("PlaceLongitude", "schema:longitude", "MinInclusiveConstraintComponent",
         remove="city:berlin schema:longitude 13.3833 .", add="city:berlin schema:longitude -213.3833 ."),
    Case("PlaceLongitude", "schema:longitude", "DatatypeConstraintComponent",
         remove="city:berlin schema:longitude 13.3833 .", add="city:berlin schema:longitude 13.3833e0 ."),
    Case("CountryIsoCode", "icc:isoCode", "MinCountConstraintComponent", remove='country:de icc:isoCode "DE" .'),
    Case("CountryIsoCode", "icc:isoCode", "PatternConstraintComponent",
         remove='country:de icc:isoCode "DE" .', add='country:de icc:isoCode "DEU" .'),
    Case("CityContainedIn", "schema:containedInPlace", "MinCountConstraintComponent",
         remove="city:berlin schema:containedInPlace country:de ."),
    Case("CityContainedIn", "schema:containedInPlace", "ClassConstraintComponent",
         remove="city:berlin schema:containedInPlace country:de .",
         add="city:berlin schema:containedInPlace city:berlin-neukolln ."),
    Case("DistrictContainedIn", "schema:containedInPlace", "ClassConstraintComponent",
         remove="city:berlin-neukolln schema:containedInPlace city:berlin .",
         add="city:berlin-neukolln schema:containedInPlace country:de ."),
    Case("GeometryWkt", "geo:asWKT", "PatternConstraintComponent",
         remove=f'{GEOMETRY} geo:asWKT "POINT(13.3833 52.5167)"^^geo:wktLiteral .',
         add=f'{GEOMETRY} geo:asWKT "52.5, 13.4"^^geo:wktLiteral .'),
    # themes and schemes
    Case("ThemePrefLabel", "skos:prefLabel", "MinCountConstraintComponent",
         remove='theme:index-education skos:prefLabel "Education"@en .'),
    Case("ThemePrefLabel", "skos:prefLabel", "UniqueLangConstraintComponent",
         add='theme:education skos:prefLabel "Schooling"@en .'),
    Case("ThemeEnglishLabel", "skos:prefLabel", "LanguageInConstraintComponent", severity="Warning",
         add='theme:education skos:prefLabel "Bildung"@de .'),
    Case("ThemeInScheme", "skos:inScheme", "InConstraintComponent",
         add="theme:education skos:inScheme <https://example.org/other-scheme> ."),
    Case("ThemeInScheme", "skos:inScheme", "MinCountConstraintComponent",
         remove="theme:index-education skos:inScheme scheme:index-areas ."),
    Case("ThemeNotation", "skos:notation", "PatternConstraintComponent",
         remove='theme:education skos:notation "education" .', add='theme:education skos:notation "Education!" .'),
    Case("ThemeBroader", "skos:broader", "ClassConstraintComponent",
         add="theme:education skos:broader <https://w3id.org/icc-graph/theme/nothing> ."),
    Case("SchemeTitle", "dcterms:title", "MinCountConstraintComponent",
         remove='scheme:index-areas dcterms:title "ICC Index policy areas"@en .'),
    Case("SchemeLabel", "rdfs:label", "MinCountConstraintComponent",
         remove='scheme:index-areas rdfs:label "ICC Index policy areas"@en .'),
    Case("SchemeTopConcept", "skos:hasTopConcept", "MinCountConstraintComponent",
         remove="scheme:topics skos:hasTopConcept theme:education ."),
]


OUR_FILES = ("practice.ttl", "places.ttl", "themes.ttl")   # shapes/links.ttl has its own tests


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    for name in OUR_FILES:
        g.parse(resource_dir("shapes") / name, format="turtle")
    return g


def test_the_validation_module_loads_every_shapes_file():
    loaded = load_shapes(Minter(DEFAULT_BASE))
    for path in resource_dir("shapes").glob("*.ttl"):
        assert set(Graph().parse(path, format="turtle").subjects(RDF.type, SH.PropertyShape)) <= set(
            loaded.subjects(RDF.type, SH.PropertyShape)), path.name


@pytest.fixture(scope="module")
def baseline(shapes) -> set:
    return set(results_of(valid_graph(), shapes))


def results_of(data: Graph, shapes: Graph) -> list[tuple[str, str, str, str, str]]:
    """(focus, shape, path, component, severity) of every result, prefixed for reading."""
    results = run_shapes(data, shapes)
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        shape = str(results.value(r, SH.sourceShape)).removeprefix(SHAPES_NS)
        path = results.value(r, SH.resultPath)
        out.append((results.value(r, SH.focusNode).n3(data.namespace_manager), shape,
                    path.n3(data.namespace_manager) if isinstance(path, URIRef) else
                    "|".join(p.n3(data.namespace_manager)
                             for p in Collection(results, results.value(path, SH.alternativePath))),
                    str(results.value(r, SH.sourceConstraintComponent)).removeprefix(str(SH)),
                    str(results.value(r, SH.resultSeverity)).removeprefix(str(SH))))
    return sorted(out)


def valid_graph() -> Graph:
    g = Graph().parse(VALID)
    g.bind("practice", "https://w3id.org/icc-graph/practice/")
    g.bind("city", "https://w3id.org/icc-graph/city/")
    g.bind("country", "https://w3id.org/icc-graph/country/")
    g.bind("theme", "https://w3id.org/icc-graph/theme/")
    g.bind("scheme", "https://w3id.org/icc-graph/scheme/")
    return g


def test_valid_fixture_conforms_with_one_warning(shapes):
    # The untitled practice is published with a warning; nothing else is reported.
    assert results_of(valid_graph(), shapes) == [
        ("practice:untitled-berlin", "PracticeTitleInSource", "dcterms:title", "MinCountConstraintComponent",
         "Warning")]


def test_every_case_names_a_shape_that_exists(shapes):
    defined = {str(s).removeprefix(SHAPES_NS) for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    assert {c.shape for c in CASES} <= defined
    # Each of our hand-written shapes (practice, places, themes) has at least one invalid fixture.
    ours = defined
    assert ours - {c.shape for c in CASES} == set()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_invalid_fixture_triggers_its_shape(case: Case, shapes, baseline):
    g = valid_graph()
    for triple in Graph().parse(data=PREFIXES + case.remove, format="turtle"):
        assert triple in g, f"the fixture has no {triple}: fix the case"
        g.remove(triple)
    g += Graph().parse(data=PREFIXES + case.add, format="turtle")
    new = [r for r in results_of(g, shapes) if r not in baseline]
    assert [(shape, path, component, severity) for _, shape, path, component, severity in new] == [
        (case.shape, case.path, case.component, case.severity)]


def test_every_shape_has_a_message_for_curators(shapes):
    for shape in shapes.subjects(RDF.type, SH.PropertyShape):
        if str(shape).startswith(SHAPES_NS):
            messages = list(shapes.objects(shape, SH.message))
            assert messages, f"{shape} has no sh:message"
            assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape

"""What the release means to reasoners: an OWL RL closure adds no unintended type, and the release with
PROV-O is consistent under an OWL 2 DL reasoner (HermiT, through owlready2; it needs a Java runtime).

The ontology states axioms about icc: terms only: a term of another vocabulary gets at most the one
typing triple OWL 2 DL requires, and only datatypes of the OWL 2 datatype map appear.
"""

from __future__ import annotations

import shutil
from collections import defaultdict

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, XSD

from icc_graph.vocabulary.handwritten import ontology_file
from icc_graph.vocabulary.iris import DEFAULT_BASE, ONTOLOGY, Minter
from icc_graph.vocabulary.namespaces import GEO, SCHEMA
from icc_graph.vocabulary.terms import ICC

from .conftest import FIXTURES

PROV_O = FIXTURES / "owl" / "prov-o-minimal.ttl"   # our own minimal PROV-O axioms (see the file's header)
MINT = Minter(DEFAULT_BASE)
# What each asserted class may bring along in a closure: the ontology's own superclasses of icc: classes,
# schema:Place for the places (icc:isoCode and icc:linkedCity are about places, as schema.org has it),
# prov:Entity for plans (a plan is an entity).
INTENDED = {
    ICC.GoodPractice: {SCHEMA.CreativeWork, PROV.Entity},
    ICC.District: {SCHEMA.AdministrativeArea, GEO.Feature, SCHEMA.Place, ICC.Locality},
    ICC.Locality: {SCHEMA.Place, GEO.Feature},
    SCHEMA.City: {SCHEMA.Place, GEO.Feature},
    SCHEMA.Country: {SCHEMA.Place, GEO.Feature},
    ICC.CityLink: {PROV.Entity},
    ICC.PracticeSimilarity: {PROV.Entity},
    ICC.ThemeSuggestion: {PROV.Entity},
    PROV.Plan: {PROV.Entity},
}
ALWAYS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
# OWL 2 datatype map (OWL 2 Structural Specification, section 4), plus rdfs:Literal.
DATATYPE_MAP = {RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, OWL.real, OWL.rational} | {
    XSD[name] for name in (
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger", "negativeInteger",
        "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "double",
        "float", "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN", "boolean",
        "hexBinary", "base64Binary", "anyURI", "dateTime", "dateTimeStamp")}
DECLARATIONS = {OWL.Class, OWL.AnnotationProperty}
BUILT_IN = (str(OWL), str(RDF), str(RDFS), str(XSD))   # the closure types these namespaces' own terms


def union_graph(release) -> Graph:
    ds = Dataset()
    ds.parse(release / "icc-graph.nq", format="nquads")
    g = Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    return g


@pytest.fixture(scope="module")
def closure(seed_release) -> tuple[Graph, Graph]:
    """(the release's union graph, its OWL RL closure)."""
    import owlrl

    asserted = union_graph(seed_release)
    closed = Graph()
    closed += asserted
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    return asserted, closed


def named_types(g: Graph, node) -> set[URIRef]:
    return {t for t in g.objects(node, RDF.type) if isinstance(t, URIRef)}


def test_no_place_is_a_practice_in_the_owl_rl_closure(closure):
    _, closed = closure
    places = {s for cls in (SCHEMA.City, ICC.District, SCHEMA.Country) for s in closed.subjects(RDF.type, cls)}
    assert len(places) >= 15
    for cls in (ICC.GoodPractice, SCHEMA.CreativeWork, PROV.Entity):
        wrong = {s for s in closed.subjects(RDF.type, cls) if s in places}
        assert wrong == set(), f"places inferred {cls}: {sorted(wrong)[:3]}"
    assert set(closed.subjects(RDF.type, ICC.GoodPractice)) == {
        s for s in closed.subjects(RDF.type, ICC.GoodPractice) if str(s).startswith(str(MINT.practice("")))}


def test_the_owl_rl_closure_adds_no_unintended_class_membership(closure):
    asserted, closed = closure
    same = defaultdict(set)   # a place and its Wikidata item are one: the closure shares their types
    for a, b in asserted.subject_objects(OWL.sameAs):
        same[a].add(b)
        same[b].add(a)
    vocabulary = {s for s in asserted.subjects(RDFS.isDefinedBy, None)} | set(asserted.subjects(RDF.type, OWL.Class))
    checked = 0
    for node in {s for s in closed.subjects(RDF.type, None) if isinstance(s, URIRef)}:
        if node in vocabulary or node == URIRef(ONTOLOGY) or str(node).startswith(BUILT_IN) \
                or (node, RDF.type, OWL.AnnotationProperty) in asserted:
            continue
        given = named_types(asserted, node).union(*(named_types(asserted, n) for n in same[node]))
        allowed = given | ALWAYS | set().union(*(INTENDED.get(t, set()) for t in given))
        assert named_types(closed, node) <= allowed, (node, named_types(closed, node) - allowed)
        checked += 1
    assert checked > 100


def test_an_owl_rl_closure_would_catch_a_domain_that_makes_cities_practices(closure):
    """The check has teeth: the domain icc:country used to have makes every place a practice."""
    import owlrl

    asserted, _ = closure
    g = Graph()
    g += asserted
    g.add((ICC.country, RDFS.domain, ICC.GoodPractice))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert (MINT.place("leeds"), RDF.type, ICC.GoodPractice) in g


def hermit_consistent(graph: Graph, tmp_path) -> bool:
    import owlready2

    path = tmp_path / "release-with-prov-o.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    return True


@pytest.fixture(scope="module")
def with_prov_o(seed_release) -> Graph:
    if shutil.which("java") is None:
        pytest.fail("HermiT needs a Java runtime: .ci/run installs default-jre-headless")
    g = union_graph(seed_release)
    g.parse(PROV_O, format="turtle")
    return g


def test_the_release_with_prov_o_is_consistent_under_hermit(with_prov_o, tmp_path):
    assert hermit_consistent(with_prov_o, tmp_path)


def test_hermit_finds_a_rule_that_is_both_activity_and_entity(with_prov_o, tmp_path):
    """The check has teeth: icc:method on the rule's activity (as releases had it) makes it an entity too."""
    g = Graph()
    g += with_prov_o
    g.add((MINT.rule("shared-themes"), ICC.method, Literal("shared-themes")))
    assert not hermit_consistent(g, tmp_path)


# --- the ontology itself ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


def owned(term) -> bool:
    return isinstance(term, BNode) or str(term).startswith(str(ICC._NS)) or str(term) == ONTOLOGY


def test_the_ontology_states_no_axiom_on_another_vocabularys_term(ontology):
    foreign = [(s, p, o) for s, p, o in ontology if not owned(s)]
    assert foreign, "the ontology declares the classes its axioms name"
    for s, p, o in foreign:
        assert p == RDF.type and o in DECLARATIONS, f"a statement about {s}: {p} {o}"
        assert len(set(ontology.predicate_objects(s))) == 1, f"{s} is declared more than once"
    # Every declared foreign term is one an icc: axiom names.
    named = {o for s, p, o in ontology if owned(s) and p != RDF.type} | {
        o for s, p, o in ontology if owned(s) and p == RDF.type and not str(o).startswith(str(OWL))}
    named |= {p for s, p, o in ontology if owned(s)}
    assert {s for s, _, _ in foreign} <= named


def test_the_ontology_is_within_owl_2_dl_datatypes_and_kinds(ontology):
    for _, _, o in ontology:
        if isinstance(o, Literal) and o.datatype is not None:
            assert o.datatype in DATATYPE_MAP, o
    for _, _, datatype in ontology.triples((None, RDFS.range, None)):
        if str(datatype).startswith((str(XSD), str(RDF))):
            assert datatype in DATATYPE_MAP, datatype
    annotation = set(ontology.subjects(RDF.type, OWL.AnnotationProperty)) | {RDFS.label, RDFS.comment, RDFS.seeAlso}
    for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
        assert (sub in annotation) == (sup in annotation), f"{sub} and its superproperty {sup} differ in kind"
    assert (OWL.sameAs, None, None) not in ontology


def test_the_ontology_creator_is_an_agent(ontology):
    creator = ontology.value(URIRef(ONTOLOGY), DCTERMS.creator)
    assert isinstance(creator, URIRef) and (creator, RDF.type, DCTERMS.Agent) in ontology
    assert ontology.value(creator, RDFS.label) is not None

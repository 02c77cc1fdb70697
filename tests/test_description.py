"""Every release describes itself: DCAT-AP 3.0.1 (official shapes), VoID counts, Service Description."""

from __future__ import annotations

import hashlib
import json

import pyoxigraph as ox
import pytest
from pyld import jsonld
from pyshacl import validate
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH, SKOS, VOID

from icc_graph.build.progress import Progress
from icc_graph.build.release import build
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter
from icc_graph.vocabulary.namespaces import SD, SPDX
from icc_graph.vocabulary.service_description import service_description
from icc_graph.vocabulary.terms import ICC

from .conftest import DATA, settings_for, standards_file

# Plain namespaces: rdflib's closed DCAT and XSD warn when pytest looks through this module's names.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DCAT_AP = ("dcat-ap", "3.0.1", "html", "shacl")
DUMPS = ("icc-graph.ttl", "icc-graph.nt", "icc-graph.jsonld", "icc-graph.trig", "icc-graph.nq")
MINT = Minter(DEFAULT_BASE)
DATASET = MINT.dataset()


@pytest.fixture(scope="module")
def description(seed_release) -> Graph:
    return Graph().parse(seed_release / "description.ttl", format="turtle")


@pytest.fixture(scope="module")
def store(seed_release) -> ox.Store:
    """The N-Triples dump in a real Oxigraph store: the independent count of what VoID claims."""
    s = ox.Store()
    s.load(path=str(seed_release / "icc-graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    return s


def count(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(query)))[0].value)


def dcat_ap_shapes(*names: str) -> Graph:
    g = Graph()
    for name in names:
        g.parse(standards_file(*DCAT_AP, name), format="turtle")
    return g


def test_conforms_to_dcat_ap_3_0_1_mandatory_and_range_shapes(description):
    # The EU validator's "DCAT-AP 3.0.1" core: shapes.ttl + range.ttl (class ranges need stated types).
    conforms, _, text = validate(description, shacl_graph=dcat_ap_shapes("shapes.ttl", "range.ttl"))
    assert conforms, text


def test_recommended_properties_only_warn_where_the_data_has_nothing_to_say(description):
    shapes = dcat_ap_shapes("shapes.ttl", "range.ttl", "shapes_recommended.ttl")
    conforms, results, text = validate(description, shacl_graph=shapes, allow_warnings=True)
    assert conforms, text
    severities = set(results.objects(None, SH.resultSeverity))
    assert severities <= {SH.Warning}
    paths = sorted(str(p) for p in results.objects(None, SH.resultPath))
    # No country table entry can carry the bounding boxes DCAT-AP recommends for dct:spatial,
    # and the publisher is a project, not an ADMS publisher type.
    assert paths == ["http://purl.org/dc/terms/spatial"] * 2 + ["http://purl.org/dc/terms/type"]


def test_one_distribution_per_dump_file_with_size_checksum_and_url(description, seed_release):
    distributions = set(description.objects(DATASET, DCAT.distribution))
    names = {*DUMPS, *(d + ".gz" for d in DUMPS), "context.jsonld"}   # the JSON-LD context is one too
    assert len(distributions) == len(names)
    seen = set()
    for dist in distributions:
        url = str(description.value(dist, DCAT.downloadURL))
        name = url.rpartition("/")[2]
        seen.add(name)
        data = (seed_release / name).read_bytes()
        assert url == f"{DEFAULT_BASE}downloads/{name}"
        assert description.value(dist, DCAT.accessURL) is not None
        assert description.value(dist, DCAT.byteSize) == Literal(len(data), datatype=XSD.nonNegativeInteger)
        checksum = description.value(dist, SPDX.checksum)
        assert description.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(description.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert description.value(dist, URIRef("http://purl.org/dc/terms/license")) == URIRef(
            "https://creativecommons.org/licenses/by/4.0/")
        media = str(description.value(dist, DCAT.mediaType))
        suffix = name.removesuffix(".gz").rpartition(".")[2]
        expected = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
                    "trig": "application/trig", "nq": "application/n-quads"}[suffix]
        assert media == "http://www.iana.org/assignments/media-types/" + expected
        assert (description.value(dist, DCAT.compressFormat) is not None) == name.endswith(".gz")
    assert seen == names


def test_each_dump_says_whether_it_keeps_the_named_graphs(description, seed_release):
    """Only TriG and N-Quads hold graph names; the JSON-LD dump names the context it is compacted with."""
    context = URIRef(f"{DEFAULT_BASE}downloads/context.jsonld")
    for dist in description.objects(DATASET, DCAT.distribution):
        name = str(description.value(dist, DCAT.downloadURL)).rpartition("/")[2]
        text = str(description.value(dist, URIRef("http://purl.org/dc/terms/description")))
        suffix = name.removesuffix(".gz").rpartition(".")[2]
        if name.startswith("icc-graph."):
            assert ("each under its name" in text) == (suffix in ("trig", "nq")), (name, text)
            assert ("without the graph names" in text) == (suffix in ("ttl", "nt", "jsonld")), (name, text)
        conforms = description.value(dist, URIRef("http://purl.org/dc/terms/conformsTo"))
        assert (conforms == context) == (name.startswith("icc-graph.jsonld")), name
    ds = Dataset()
    ds.parse(seed_release / "icc-graph.jsonld", format="json-ld")
    assert len(list(ds.graphs())) <= 2, "the JSON-LD dump holds no named graph, as its description says"


def test_data_service_for_the_sparql_endpoint(description):
    service = MINT.sparql_service()
    assert (service, RDF.type, DCAT.DataService) in description
    assert description.value(service, DCAT.endpointURL) == URIRef(DEFAULT_BASE + "sparql")
    assert description.value(service, DCAT.servesDataset) == DATASET
    assert (MINT.catalog(), DCAT.service, service) in description


def test_void_counts_match_the_dump(description, store, seed_release):
    value = lambda p: description.value(DATASET, p).toPython()  # noqa: E731
    assert value(VOID.triples) == count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert value(VOID.distinctSubjects) == count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }")
    # Counted on the parsed dump: the store folds equal values written differently ("...Z" and "...+00:00").
    triples = list(ox.parse(path=str(seed_release / "icc-graph.nt"), format=ox.RdfFormat.N_TRIPLES))
    assert value(VOID.distinctObjects) == len({t.object for t in triples})
    assert value(VOID.triples) == len(set(triples))
    assert value(VOID.properties) == count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }")
    assert value(VOID.classes) == count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }")
    assert str(value(VOID.uriSpace)) == DEFAULT_BASE
    assert description.value(DATASET, VOID.sparqlEndpoint) == URIRef(DEFAULT_BASE + "sparql")
    dumps = {str(u).rpartition("/")[2] for u in description.objects(DATASET, VOID.dataDump)}
    assert dumps == set(DUMPS)


def test_void_class_and_property_partitions(description, store):
    classes = {description.value(p, VOID["class"]): description.value(p, VOID.entities).toPython()
               for p in description.objects(DATASET, VOID.classPartition)}
    for cls, n in classes.items():
        assert n == count(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s a <{cls}> }}"), cls
    assert classes[ICC.GoodPractice] == len(list((DATA / "practices").glob("*.yaml")))
    properties = {description.value(p, VOID.property): description.value(p, VOID.triples).toPython()
                  for p in description.objects(DATASET, VOID.propertyPartition)}
    assert len(properties) == count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }")
    for prop in (RDF.type, ICC.country, SKOS.prefLabel):
        assert properties[prop] == count(store, f"SELECT (COUNT(*) AS ?n) {{ ?s <{prop}> ?o }}"), prop


def test_void_linksets_to_wikidata_and_example_resources(description, store):
    linksets = {description.value(s, VOID.linkPredicate): description.value(s, VOID.triples).toPython()
                for s in description.objects(DATASET, VOID.subset)
                if (s, RDF.type, VOID.Linkset) in description}
    wikidata = "http://www.wikidata.org/entity/"
    for predicate in (URIRef("http://www.w3.org/2002/07/owl#sameAs"), ICC.wikidataCandidate):
        expected = count(store, f"SELECT (COUNT(*) AS ?n) {{ ?s <{predicate}> ?o FILTER STRSTARTS(STR(?o), "
                                f"'{wikidata}') }}")
        assert expected > 0 and linksets[predicate] == expected
    examples = set(description.objects(DATASET, VOID.exampleResource))
    assert MINT.practice("a-city-international-policy") in examples
    for example in examples:
        assert store.query(f"ASK {{ <{example}> ?p ?o }}")


def test_service_description_of_the_release_and_for_the_web_app(description, seed_release):
    service = MINT.sparql_service()
    assert description.value(service, SD.endpoint) == URIRef(DEFAULT_BASE + "sparql")
    names = {description.value(n, SD.name) for n in
             description.objects(description.value(service, SD.defaultDataset), SD.namedGraph)}
    ds = Dataset()
    ds.parse(seed_release / "icc-graph.nq", format="nquads")
    assert names == {g.identifier for g in ds.graphs() if isinstance(g.identifier, URIRef) and len(g)}
    # The web app builds the same description for whatever public URL it runs at.
    sd = service_description("http://127.0.0.1:5000/sparql", DEFAULT_BASE, [(MINT.graph("source"), 10)])
    assert sd.value(service, SD.endpoint) == URIRef("http://127.0.0.1:5000/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in sd
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in set(sd.objects(service, SD.resultFormat))


def test_turtle_and_json_ld_say_the_same(description, seed_release):
    doc = json.loads((seed_release / "description.jsonld").read_text(encoding="utf-8"))
    assert isomorphic(description, Graph().parse(data=json.dumps(doc), format="json-ld"))
    # A strict JSON-LD 1.1 processor reads it too (the official DCAT-AP context is not used: pyld rejects it).
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert isomorphic(description, Graph().parse(data=nquads, format="nt"))


def test_description_is_byte_reproducible_and_follows_the_public_url(seed_release, tmp_path):
    again = build(settings_for(DATA, tmp_path / "a"), Progress(enabled=False))
    for name in ("description.ttl", "description.jsonld", "validation-report.ttl"):
        assert (again / name).read_bytes() == (seed_release / name).read_bytes(), name
    public = build(settings_for(DATA, tmp_path / "b", public_url="https://icc.example.org/"), Progress(enabled=False))
    g = Graph().parse(public / "description.ttl")
    assert g.value(MINT.sparql_service(), DCAT.endpointURL) == URIRef("https://icc.example.org/sparql")
    urls = {str(u) for u in g.objects(None, DCAT.downloadURL)}
    assert urls and all(u.startswith("https://icc.example.org/downloads/") for u in urls)

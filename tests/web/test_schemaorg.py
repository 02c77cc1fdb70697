"""Each page embeds schema.org JSON-LD that parses to the same triples as the RDF of its IRI."""

from __future__ import annotations

import json

import pytest
from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import RDF

from icc_graph.vocabulary.namespaces import SCHEMA

from .conftest import embedded_jsonld

PAGES = ["/practice/district-mothers", "/practice/untitled-cascais-2017", "/city/leeds", "/city/berlin-neukolln",
         "/country/pt", "/theme/refugees", "/scheme/topics", "/ontology", "/dataset", "/graph/links",
         "/link/leeds--stavanger", "/agent/curation", "/catalog", "/release/0.1.0"]


def _difference(a: Graph, b: Graph) -> str:
    a_iso, b_iso = to_isomorphic(a), to_isomorphic(b)
    only_a, only_b = sorted(a_iso - b_iso)[:5], sorted(b_iso - a_iso)[:5]
    return f"only in the page: {only_a}\nonly in the RDF: {only_b}"


@pytest.mark.parametrize("path", PAGES)
def test_embedded_jsonld_is_the_rdf_of_the_iri(client, path):
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200
    embedded = embedded_jsonld(page.get_data(as_text=True))
    rdf = Graph().parse(data=client.get(path, headers={"Accept": "application/n-triples"}).data, format="nt")
    assert len(rdf) > 0
    assert isomorphic(embedded, rdf), _difference(embedded, rdf)


@pytest.mark.parametrize("path", ["/practice/district-mothers", "/city/lisbon", "/ontology"])
def test_served_jsonld_expands_with_pyld_to_the_same_triples(client, path):
    """A second, independent JSON-LD processor reads the .jsonld representation the same way."""
    doc = json.loads(client.get(path + ".jsonld").data)
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    expanded = Graph().parse(data=nquads, format="nt")
    rdf = Graph().parse(data=client.get(path + ".nt").data, format="nt")
    assert isomorphic(expanded, rdf), _difference(expanded, rdf)


def test_schema_org_readers_see_schema_org_types_and_names(client):
    doc = json.loads(client.get("/practice/district-mothers.jsonld").data)
    main = doc["@graph"][0]
    assert main["@id"] == "https://w3id.org/icc-graph/practice/district-mothers"
    assert "CreativeWork" in main["@type"], "the ontology makes an icc:GoodPractice a schema:CreativeWork"
    city = json.loads(client.get("/city/leeds.jsonld").data)["@graph"][0]
    assert "City" in (city["@type"] if isinstance(city["@type"], list) else [city["@type"]])
    assert {"name", "latitude", "longitude", "containedInPlace"} <= city.keys()
    graph = Graph().parse(data=client.get("/city/leeds.nt").data, format="nt")
    assert (URIRef("https://w3id.org/icc-graph/city/leeds"), RDF.type, SCHEMA.City) in graph


def test_home_page_embeds_the_dataset_description(client):
    embedded = embedded_jsonld(client.get("/").get_data(as_text=True))
    rdf = Graph().parse(data=client.get("/dataset.nt").data, format="nt")
    assert isomorphic(embedded, rdf), _difference(embedded, rdf)
    dcat_dataset = URIRef("http://www.w3.org/ns/dcat#Dataset")
    assert (URIRef("https://w3id.org/icc-graph/dataset"), RDF.type, dcat_dataset) in embedded

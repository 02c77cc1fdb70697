"""Content negotiation of resource pages, table-driven: Accept or suffix -> status and media type."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from icc_graph.vocabulary.iris import ONTOLOGY
from icc_graph.vocabulary.namespaces import SCHEMA
from icc_graph.vocabulary.terms import ICC
from icc_graph.web.app import create_app

BASE = "https://w3id.org/icc-graph/"
HTML, TTL, JSONLD, NT, RDFXML = ("text/html", "text/turtle", "application/ld+json", "application/n-triples",
                                 "application/rdf+xml")
RDFLIB = {TTL: "turtle", JSONLD: "json-ld", NT: "nt", RDFXML: "xml"}

# (path, Accept header or None, status, media type of the answer)
CASES = [
    ("/practice/district-mothers", None, 200, HTML),
    ("/practice/district-mothers", "*/*", 200, HTML),
    ("/practice/district-mothers", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 200, HTML),
    ("/practice/district-mothers", "application/xhtml+xml", 200, HTML),
    ("/practice/district-mothers", TTL, 200, TTL),
    ("/practice/district-mothers", JSONLD, 200, JSONLD),
    ("/practice/district-mothers", NT, 200, NT),
    ("/practice/district-mothers", RDFXML, 200, RDFXML),
    ("/practice/district-mothers", "text/turtle;q=0.5, application/ld+json;q=0.9", 200, JSONLD),
    ("/practice/district-mothers", "text/html;q=0.1, text/turtle", 200, TTL),
    ("/practice/district-mothers.ttl", None, 200, TTL),
    ("/practice/district-mothers.jsonld", None, 200, JSONLD),
    ("/practice/district-mothers.nt", None, 200, NT),
    ("/practice/district-mothers.rdf", None, 200, RDFXML),
    ("/practice/district-mothers.html", TTL, 200, HTML),     # a suffix wins over Accept
    ("/practice/district-mothers.ttl", "image/png", 200, TTL),
    ("/practice/district-mothers", "image/png", 406, "text/plain"),
    ("/practice/district-mothers", "application/sparql-results+json", 406, "text/plain"),
    ("/city/berlin-neukolln", TTL, 200, TTL),
    ("/city/leeds.nt", None, 200, NT),
    ("/country/de", JSONLD, 200, JSONLD),
    ("/theme/refugees", RDFXML, 200, RDFXML),
    ("/scheme/topics.ttl", None, 200, TTL),
    ("/ontology", TTL, 200, TTL),
    ("/ontology.jsonld", None, 200, JSONLD),
    ("/dataset", NT, 200, NT),
    ("/graph/links", TTL, 200, TTL),
    ("/link/leeds--stavanger", None, 200, HTML),
    ("/agent/curation.ttl", None, 200, TTL),
    ("/catalog", JSONLD, 200, JSONLD),          # minted by the release's DCAT description, not the store
    ("/release/0.1.0.ttl", None, 200, TTL),
    # Unknown IRIs: 404 whatever is asked for.
    ("/practice/no-such-practice", None, 404, HTML),
    ("/practice/no-such-practice", TTL, 404, "text/plain"),
    ("/practice/no-such-practice.jsonld", None, 404, "text/plain"),
    ("/city/atlantis.rdf", None, 404, "text/plain"),
    ("/country/zz", None, 404, HTML),
    ("/theme/no-theme", NT, 404, "text/plain"),
    ("/practice/a%3Eb%7B%22", None, 404, HTML),            # characters no IRI may hold never reach a query
    ("/practice/district-mothers.exe", None, 404, HTML),   # not a suffix of ours: part of an unknown name
    ("/nothing-here", None, 404, "text/plain"),
]


@pytest.mark.parametrize(("path", "accept", "status", "media_type"), CASES)
def test_negotiation(client, path, accept, status, media_type):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == media_type
    if media_type in RDFLIB and status == 200:
        graph = Graph().parse(data=response.data, format=RDFLIB[media_type])
        iri = ONTOLOGY if path.startswith("/ontology") else BASE + path.strip("/").rsplit(".", 1)[0]
        described = {str(s).split("#", 1)[0] for s in graph.subjects()}   # itself, or its hash IRIs
        assert iri in described, f"{iri} is not described by its own RDF"


@pytest.mark.parametrize("path", ["/practice/district-mothers", "/city/leeds", "/ontology"])
def test_negotiated_answers_vary_and_name_every_alternate(client, path):
    response = client.get(path, headers={"Accept": TTL})
    assert "Accept" in response.vary
    assert response.headers["Content-Location"] == f"{path}.ttl"
    links = response.headers["Link"]
    for suffix, media_type in (("html", HTML), ("ttl", TTL), ("jsonld", JSONLD), ("nt", NT), ("rdf", RDFXML)):
        assert f'<{path}.{suffix}>; rel="alternate"; type="{media_type}"' in links
    html = client.get(path, headers={"Accept": HTML})
    assert {"Accept", "Accept-Language"} <= set(html.vary)


def test_not_acceptable_lists_what_is_supported(client):
    response = client.get("/city/leeds", headers={"Accept": "application/pdf"})
    assert response.status_code == 406
    text = response.get_data(as_text=True)
    for media_type in (HTML, TTL, JSONLD, NT, RDFXML):
        assert media_type in text
    assert "Accept" in response.vary


def test_a_resource_rdf_holds_its_incoming_links(client):
    leeds = URIRef(BASE + "city/leeds")
    city = Graph().parse(data=client.get("/city/leeds.ttl").data, format="turtle")
    practices = set(city.subjects(SCHEMA.spatialCoverage, leeds))
    assert URIRef(BASE + "practice/community-connector-project") in practices
    assert all((p, RDF.type, ICC.GoodPractice) in city for p in practices)
    assert (leeds, SCHEMA.containedInPlace, URIRef(BASE + "country/gb")) in city
    assert set(city.subjects(ICC.linkEnd, leeds)), "the city links that name Leeds as an end"

    germany = URIRef(BASE + "country/de")
    country = Graph().parse(data=client.get("/country/de.ttl").data, format="turtle")
    cities = set(country.subjects(SCHEMA.containedInPlace, germany))
    assert {URIRef(BASE + "city/berlin"), URIRef(BASE + "city/erlangen")} <= cities
    assert URIRef(BASE + "practice/district-mothers") in set(country.subjects(ICC.country, germany))


def test_ontology_serves_every_term(client, pages_store):
    graph = Graph().parse(data=client.get("/ontology.ttl").data, format="turtle")
    declared = {r[0] for r in pages_store.select(
        f'SELECT DISTINCT ?t WHERE {{ ?t ?p ?o FILTER(STRSTARTS(STR(?t), "{ICC._NS}")) }}')[1]}
    assert declared and declared <= set(graph.subjects())
    html = client.get("/ontology").get_data(as_text=True)
    for term in declared:
        assert f'id="{str(term).split("#", 1)[1]}"' in html, f"no anchor for {term}"


def test_pages_revalidate_with_etag_and_last_modified(client):
    first = client.get("/city/leeds.ttl")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get("/city/leeds.ttl", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    html = client.get("/city/leeds", headers={"Accept-Language": "fr"})
    assert html.headers["ETag"] != first.headers["ETag"]


def test_a_description_cut_by_the_row_cap_says_so(seed_settings, capped_store):
    client = create_app(seed_settings, capped_store).test_client()
    rdf = client.get("/city/leeds.ttl")
    html = client.get("/city/leeds")
    assert rdf.status_code == 200 and rdf.headers["ICC-Graph-Truncated"] == "true"
    assert html.headers["ICC-Graph-Truncated"] == "true"
    assert "the list below is cut" in html.get_data(as_text=True)

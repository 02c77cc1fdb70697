"""RemoteStore over a real Oxigraph server: the embedded store's answers, and its safety rules, over the wire."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from icc_graph.store.base import GraphSelection, QuerySyntaxError, QueryTimeout
from icc_graph.store.embedded.store import EmbeddedStore
from icc_graph.store.remote.push import push
from icc_graph.store.remote.store import RemoteStore
from icc_graph.vocabulary.formats import CSV, GRAPH_TYPES, N_TRIPLES, RESULTS_JSON, SOLUTION_TYPES, TURTLE

from .conftest import store_settings
from .servers import oxigraph

BASE = "https://w3id.org/icc-graph/"
PRACTICES = """PREFIX icc: <https://w3id.org/icc-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?practice ?title ?start WHERE { ?practice a icc:GoodPractice ; rdfs:label ?title .
  OPTIONAL { ?practice icc:startYear ?start } } ORDER BY ?practice"""
DESCRIBE = f"DESCRIBE <{BASE}practice/district-mothers>"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def pushed(tmp_path_factory, seed_release):
    with oxigraph(tmp_path_factory.mktemp("oxigraph") / "store") as server:
        push(store_settings(server.url), seed_release, server.url)
        yield server


@pytest.fixture(scope="module")
def remote(pushed):
    return RemoteStore(store_settings(pushed.url, row_cap=100_000))


@pytest.fixture(scope="module")
def embedded(seed_release):
    store = EmbeddedStore(seed_release, row_cap=100_000, processes=1)
    yield store
    store.close()


@pytest.mark.parametrize("media_type", SOLUTION_TYPES)
def test_select_answers_are_the_embedded_store_bytes(remote, embedded, media_type):
    got, expected = remote.execute(PRACTICES, media_type), embedded.execute(PRACTICES, media_type)
    assert got.media_type == media_type and not got.truncated
    assert got.body == expected.body


def test_ask_answers_in_every_solution_format(remote, embedded):
    for media_type in SOLUTION_TYPES:
        for query in (f"ASK {{ <{BASE}practice/district-mothers> ?p ?o }}", "ASK { <urn:nothing> ?p ?o }"):
            assert remote.execute(query, media_type).body == embedded.execute(query, media_type).body


@pytest.mark.parametrize("media_type", GRAPH_TYPES)
def test_graph_answers_are_the_embedded_store_graphs(remote, embedded, media_type):
    formats = {TURTLE: "turtle", N_TRIPLES: "nt", "application/ld+json": "json-ld", "application/rdf+xml": "xml"}
    got = Graph().parse(data=remote.execute(DESCRIBE, media_type).body, format=formats[media_type])
    expected = Graph().parse(data=embedded.execute(DESCRIBE, media_type).body, format=formats[media_type])
    assert len(got) > 5 and isomorphic(got, expected)


def test_graph_names_are_the_public_ones(remote, embedded):
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    assert remote.execute(query, CSV).body == embedded.execute(query, CSV).body
    one = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}graph/source> {{ ?s ?p ?o }} }}"
    assert remote.execute(one, CSV).body == embedded.execute(one, CSV).body
    prefixed = f"PREFIX g: <{BASE}graph/> SELECT (COUNT(*) AS ?n) FROM g:source WHERE {{ ?s ?p ?o }}"
    assert remote.execute(prefixed, CSV).body == embedded.execute(one, CSV).body
    chosen = GraphSelection(default_graphs=(f"{BASE}graph/source",))
    assert remote.execute("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", CSV, graphs=chosen).body == \
        embedded.execute(one, CSV).body


@pytest.mark.parametrize("query", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX x: <urn:x#> DELETE WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR DEFAULT",
])
def test_updates_never_leave(remote, query):
    with pytest.raises(QuerySyntaxError, match="read-only"):
        remote.execute(query, RESULTS_JSON)


def test_words_in_strings_iris_and_comments_are_no_keywords(remote):
    query = ('# INSERT, SERVICE and DROP in a comment\nSELECT ?x WHERE { BIND("DELETE SERVICE" AS ?x) '
             'FILTER(?x != <urn:drop:insert>) }')
    assert remote.execute(query, CSV).body == b"x\r\nDELETE SERVICE\r\n"


def test_service_and_foreign_graphs_are_refused_before_any_request(remote):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    here = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        for query, reason in [(f"SELECT * WHERE {{ SERVICE <{here}> {{ ?s ?p ?o }} }}", "SERVICE"),
                              (f"SELECT * WHERE {{ SERVICE SILENT <{here}> {{ ?s ?p ?o }} }}", "SERVICE"),
                              (f"SELECT * FROM <{here}> WHERE {{ ?s ?p ?o }}", "FROM may name only"),
                              (f"SELECT * FROM NAMED <{here}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "FROM may name"),
                              ("DEFINE get:soft \"replace\" SELECT * WHERE { ?s ?p ?o }", "DEFINE"),
                              ("SELECT * WHERE { ?s ?p ?o . ?o bif:contains 'x' }", "Virtuoso extension")]:
            with pytest.raises(QuerySyntaxError, match=reason):
                remote.execute(query, RESULTS_JSON)
        with pytest.raises(QuerySyntaxError, match="not a graph of this dataset"):
            remote.execute("SELECT * WHERE { ?s ?p ?o }", RESULTS_JSON,
                           graphs=GraphSelection(default_graphs=(here,)))
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()


def test_the_row_cap_cuts_and_says_so(pushed):
    capped = RemoteStore(store_settings(pushed.url, row_cap=5))
    answer = capped.execute("SELECT * WHERE { ?s ?p ?o }", CSV)
    assert answer.truncated and answer.body.count(b"\r\n") == 6
    answer = capped.execute("CONSTRUCT WHERE { ?s ?p ?o }", N_TRIPLES)
    assert answer.truncated and answer.body.count(b"\n") == 5
    whole = capped.execute("SELECT * WHERE { ?s ?p ?o } LIMIT 5", CSV)
    assert not whole.truncated and whole.body.count(b"\r\n") == 6


def test_a_slow_query_is_abandoned_and_the_store_keeps_answering(remote):
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        remote.execute(SLOW, CSV, timeout=0.5)
    assert time.monotonic() - started < 3
    answers = []
    thread = threading.Thread(target=lambda: answers.append(remote.execute(PRACTICES, CSV)))
    thread.start()
    thread.join(10)
    assert answers and answers[0].body.startswith(b"practice,title,start\r\n")

"""A real Virtuoso (Debian's virtuoso-opensource): Digest-protected writes, its timeout, its Graph Store."""

from __future__ import annotations

import time

import pytest

from icc_graph.store.base import QuerySyntaxError, QueryTimeout
from icc_graph.store.remote.push import PushError, push, read_release
from icc_graph.store.remote.store import RemoteStore
from icc_graph.vocabulary.formats import CSV, N_TRIPLES, RESULTS_JSON

from .conftest import VIRTUOSO_LOGIN, store_settings
from .test_push import SECRET, titles
from .test_remote_store import PRACTICES, SLOW


@pytest.fixture(scope="module")
def pushed(virtuoso_server, seed_release, third_release):
    settings = store_settings(virtuoso_server.url, **VIRTUOSO_LOGIN)
    push(settings, third_release, virtuoso_server.url)   # whatever another module left: a real switch follows
    return virtuoso_server, push(settings, seed_release, virtuoso_server.url)


def test_push_finds_virtuosos_digest_endpoints_and_loads_every_graph(pushed, seed_release):
    server, report = pushed
    assert report.endpoints.product.name == "Virtuoso"
    assert report.endpoints.update.endswith("/sparql-auth")
    assert report.endpoints.gsp.endswith("/sparql-graph-crud-auth")
    assert report.counts == {name: len(triples) for name, triples in read_release(seed_release).graphs.items()}
    store = RemoteStore(store_settings(server.url))   # reading needs no login
    assert store.snapshot.checksum == read_release(seed_release).checksum
    assert titles(store) == ["District Mothers"]


def test_answers_match_the_embedded_store(pushed, seed_release):
    from icc_graph.store.embedded.store import EmbeddedStore

    embedded = EmbeddedStore(seed_release, row_cap=100_000, processes=1)
    try:
        store = RemoteStore(store_settings(pushed[0].url))
        for media_type in (CSV, RESULTS_JSON):
            assert store.execute(PRACTICES, media_type).body == embedded.execute(PRACTICES, media_type).body
    finally:
        embedded.close()


def test_a_wrong_password_fails_the_push_without_showing_it(pushed, second_release):
    server, report = pushed
    settings = store_settings(server.url, store_user="dba", store_password=SECRET)
    with pytest.raises(PushError) as failure:
        push(settings, second_release, server.url)
    assert SECRET not in str(failure.value) and "still serves release" in str(failure.value)
    assert titles(RemoteStore(store_settings(server.url))) == ["District Mothers"]


def test_switch_through_sparql_update_in_chunks(pushed, second_release, seed_release):
    server, first = pushed
    settings = store_settings(server.url, **VIRTUOSO_LOGIN)
    store = RemoteStore(store_settings(server.url))
    store.pointer_ttl = 0
    second = push(settings, second_release, server.url, use_gsp=False)
    assert second.previous == first.tag
    assert titles(store) == ["District Mothers (second release)"]
    back = push(settings, seed_release, server.url)   # back to the seed release, through the Graph Store
    assert back.previous == second.tag and titles(store) == ["District Mothers"]


def test_safety_rules_hold_on_virtuoso(pushed):
    store = RemoteStore(store_settings(pushed[0].url, row_cap=5))
    with pytest.raises(QuerySyntaxError, match="read-only"):
        store.execute("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }", RESULTS_JSON)
    with pytest.raises(QuerySyntaxError, match="SERVICE"):
        store.execute("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", RESULTS_JSON)
    answer = store.execute("CONSTRUCT WHERE { ?s ?p ?o }", N_TRIPLES)
    assert answer.truncated and answer.body.count(b"\n") == 5
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        store.execute(SLOW, CSV, timeout=1)
    assert time.monotonic() - started < 5


def test_the_web_app_serves_pages_and_sparql_from_virtuoso(pushed):
    from icc_graph.web.app import create_app

    settings = store_settings(pushed[0].url, cache_bytes=0)
    client = create_app(settings, store=RemoteStore(settings)).test_client()
    page = client.get("/practice/district-mothers", headers={"Accept": "text/html"})
    assert page.status_code == 200 and b"District Mothers" in page.data
    answer = client.get("/sparql", query_string={"query": PRACTICES}, headers={"Accept": "text/csv"})
    assert answer.status_code == 200 and answer.data.startswith(b"practice,title,start\r\n")
    refused = client.post("/sparql", data={"update": "DROP ALL"})
    assert 400 <= refused.status_code < 500


def test_virtuosos_own_row_limit_is_flagged_not_silent(pushed):
    store = RemoteStore(store_settings(pushed[0].url, row_cap=100_000))   # the private Virtuoso cuts at 1000
    answer = store.execute("SELECT * WHERE { ?s ?p ?o }", CSV)
    assert answer.truncated and answer.body.count(b"\r\n") == 1001
    graph = store.execute("CONSTRUCT WHERE { ?s ?p ?o }", N_TRIPLES)
    assert graph.truncated
    assert not store.execute("SELECT * WHERE { ?s ?p ?o } LIMIT 10", CSV).truncated

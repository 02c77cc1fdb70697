"""``icc-graph serve --store URL``: Granian workers serving pages and /sparql from a shared Oxigraph server."""

from __future__ import annotations

import csv
import io
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from SPARQLWrapper import CSV as SW_CSV
from SPARQLWrapper import SPARQLWrapper

from icc_graph.store.remote.push import push
from icc_graph.store.remote.store import RemoteStore
from icc_graph.web.app import create_app
from icc_graph.web.endpoint.handler import TRUNCATED_HEADER

from ..serving import running_server
from .conftest import store_settings
from .test_remote_store import PRACTICES, SLOW

TITLE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?title WHERE { <https://w3id.org/icc-graph/practice/district-mothers> rdfs:label ?title }"""


def ask(endpoint: str, query: str) -> list[list[str]]:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(SW_CSV)
    return list(csv.reader(io.StringIO(client.query().convert().decode("utf-8"))))


def test_workers_serve_the_pushed_release_and_follow_a_push(oxigraph_server, seed_release, second_release):
    settings = store_settings(oxigraph_server.url)
    push(settings, seed_release, oxigraph_server.url)
    with running_server(seed_release, workers=2, threads=2, store=oxigraph_server.url, store_refresh=0.5,
                        row_cap=20) as server:
        assert ask(server.endpoint, TITLE) == [["title"], ["District Mothers"]]
        page = urllib.request.urlopen(urllib.request.Request(
            server.url + "practice/district-mothers", headers={"Accept": "text/html"}), timeout=10).read()
        assert b"District Mothers" in page
        with urllib.request.urlopen(server.endpoint + "?query=" + urllib.parse.quote("SELECT * { ?s ?p ?o }"),
                                    timeout=10) as response:
            assert response.headers[TRUNCATED_HEADER] == "true"
        update = urllib.request.Request(server.endpoint, data=urllib.parse.urlencode(
            {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode(), method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=10)
        assert 400 <= refused.value.code < 500
        push(settings, second_release, oxigraph_server.url)
        deadline = time.monotonic() + 30   # the refresh is 0.5 s; the margin is for a loaded machine
        while (seen := ask(server.endpoint, TITLE))[1] != ["District Mothers (second release)"]:
            assert time.monotonic() < deadline, f"the workers never saw the new release: {seen}"
            time.sleep(0.2)
        # One worker has followed. Each other re-reads the pointer on its first request once its 0.5 s are up,
        # so a round that still sees the old release may have caught a worker that was right to wait: ask again.
        while not all_follow(server):   # every worker follows, pages too
            assert time.monotonic() < deadline, "a worker never followed the push"
            time.sleep(0.2)


def all_follow(server) -> bool:
    for _ in range(8):
        if ask(server.endpoint, TITLE)[1] != ["District Mothers (second release)"]:
            return False
        page = urllib.request.urlopen(urllib.request.Request(
            server.url + "practice/district-mothers", headers={"Accept": "text/html"}), timeout=10).read()
        if b"District Mothers (second release)" not in page:
            return False
    return True


def test_the_app_keeps_the_safety_rules_over_a_remote_store(oxigraph_server, seed_release):
    push(store_settings(oxigraph_server.url), seed_release, oxigraph_server.url)
    settings = store_settings(oxigraph_server.url, query_timeout=0.5, cache_bytes=0, store_refresh=0)
    client = create_app(settings, store=RemoteStore(settings)).test_client()
    ok = client.get("/sparql", query_string={"query": PRACTICES}, headers={"Accept": "text/csv"})
    assert ok.status_code == 200 and ok.data.startswith(b"practice,title,start\r\n") and ok.headers["ETag"]
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert description.status_code == 200 and b"sd:endpoint" in description.data
    service = client.get("/sparql", query_string={
        "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert service.status_code == 400 and b"SERVICE" in service.data
    slow = client.get("/sparql", query_string={"query": SLOW})
    assert slow.status_code == 503
    oxigraph_server.stop()   # the store goes away: a clear 503 that does not name the internal URL
    gone = client.get("/sparql", query_string={"query": PRACTICES}, headers={"Accept": "text/csv"})
    assert gone.status_code == 503 and b"the store" in gone.data
    assert oxigraph_server.url.split("//")[1].split("/")[0].encode() not in gone.data


def test_one_app_follows_a_push_in_its_answers_and_pages(oxigraph_server, seed_release, second_release):
    settings = store_settings(oxigraph_server.url, store_refresh=0)
    push(settings, seed_release, oxigraph_server.url)
    client = create_app(settings, store=RemoteStore(settings)).test_client()

    def current() -> tuple[bytes, bytes]:
        answer = client.get("/sparql", query_string={"query": TITLE}, headers={"Accept": "text/csv"})
        page = client.get("/practice/district-mothers", headers={"Accept": "text/html"})
        return answer.data, page.data

    answer, page = current()
    assert answer == b"title\r\nDistrict Mothers\r\n" and b"second release" not in page
    push(settings, second_release, oxigraph_server.url)
    answer, page = current()   # cached answers are keyed by release: none of the old ones come back
    assert answer == b"title\r\nDistrict Mothers (second release)\r\n" and b"District Mothers (second release)" in page


def test_a_store_that_is_down_gets_503_with_a_message_not_a_traceback(oxigraph_server, seed_release):
    push(store_settings(oxigraph_server.url), seed_release, oxigraph_server.url)
    client = create_app(store_settings(oxigraph_server.url, store_refresh=0.0),
                        RemoteStore(store_settings(oxigraph_server.url, store_refresh=0.0))).test_client()
    assert client.get("/practice/district-mothers").status_code == 200
    oxigraph_server.stop()
    # (A page already answered stays in the answer cache, keyed by release, and is still served: these were not.)
    for path in ("/", "/city/leeds", "/practices", "/sparql?query=ASK%20%7B%7D"):
        response = client.get(path)
        assert response.status_code == 503, f"{path}: {response.status_code} {response.data[:300]!r}"
        assert response.headers["Retry-After"].isdigit()
        text = response.get_data(as_text=True)
        assert "unavailable" in text and "Traceback" not in text, text
        assert oxigraph_server.url not in text, "the store's address stays out of public answers"

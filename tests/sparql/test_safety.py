"""Safe by default, checked on the real server: read-only, no outbound request, time limit, row cap, size limit,
CORS, and HTTP caching."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message

import pytest

from ..serving import cpu_ticks, query_processes
from .conftest import LIMITS

pytestmark = pytest.mark.server

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "ASK { <https://w3id.org/icc-graph/practice/district-mothers> ?p ?o }"


def call(server, method: str = "GET", params: dict | None = None, body: bytes | None = None,
         headers: dict | None = None, timeout: float = 30) -> tuple[int, Message, bytes]:
    url = server.endpoint + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()   # case-insensitive: servers may send lower case
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Listener:
    """A loopback socket that records every connection: the server must never make one."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/"
        self.hits: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(1)
                try:
                    self.hits.append(connection.recv(4096) or b"(connected)")
                except OSError:
                    self.hits.append(b"(connected)")

    def close(self):
        self.running = False
        self.thread.join(2)
        self.socket.close()


@pytest.fixture
def listener():
    spy = Listener()
    yield spy
    spy.close()


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?x ?y }} }} }} LIMIT 1",
])
def test_service_is_refused_and_calls_nobody(server, listener, template):
    status, _, body = call(server, params={"query": template.format(url=listener.url)})
    assert status == 400 and b"SERVICE" in body
    time.sleep(0.3)
    assert listener.hits == []


@pytest.mark.parametrize("template", [
    "SELECT * FROM <{url}data.ttl> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
])
def test_remote_from_loads_nothing(server, listener, template):
    status, _, body = call(server, params={"query": template.format(url=listener.url)},
                           headers={"Accept": "text/csv"})
    assert status == 200
    assert body.decode().splitlines()[1:] == [], "a graph the store does not hold is empty, never fetched"
    status, _, _ = call(server, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                        "default-graph-uri": listener.url + "data.ttl"})
    assert status == 200
    time.sleep(0.3)
    assert listener.hits == []


@pytest.mark.parametrize("how", ["form", "direct", "get", "query-param", "lower-case", "with-prefix"])
def test_updates_are_refused(server, how):
    update = "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }"
    status, _, body = {
        "form": lambda: call(server, "POST", body=urllib.parse.urlencode({"update": update}).encode(),
                             headers={"Content-Type": "application/x-www-form-urlencoded"}),
        "direct": lambda: call(server, "POST", body=update.encode(),
                               headers={"Content-Type": "application/sparql-update"}),
        "get": lambda: call(server, params={"update": update}),
        "query-param": lambda: call(server, params={"query": update}),
        "lower-case": lambda: call(server, params={"query": "insert data { <http://e/s> <http://e/p> 1 }"}),
        "with-prefix": lambda: call(server, params={"query": "PREFIX e: <http://e/> # a note\n"
                                                             "DELETE WHERE { ?s e:p ?o }"}),
    }[how]()
    assert 400 <= status < 500
    assert b"read-only" in body
    status, _, answer = call(server, params={"query": "ASK { <http://example.org/s> ?p ?o }"},
                             headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and b'"boolean": false' in answer.replace(b'":false', b'": false')


def test_timeout_stops_the_query_while_others_are_served(server):
    deadline = time.monotonic() + 30
    while len(query_processes(server)) < 4 and time.monotonic() < deadline:
        time.sleep(0.2)   # each worker starts its query processes as it boots, just after the server is ready
    before = set(query_processes(server))
    assert len(before) == 4, "one query process per thread (4)"
    call(server, params={"query": QUICK})   # the workers answer
    outcome = {}

    def slow():
        started = time.monotonic()
        outcome["slow"] = call(server, params={"query": SLOW}, timeout=60)
        outcome["slow_seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    status, _, body = call(server, params={"query": QUICK + " # not cached"},
                           headers={"Accept": "application/sparql-results+json"})
    slow_running = thread.is_alive()
    thread.join(60)
    assert status == 200 and b"true" in body
    assert slow_running, "the quick query was answered while the slow one ran"
    slow_status, slow_headers, slow_body = outcome["slow"]
    assert slow_status == 503
    assert b"stopped" in slow_body and f"{LIMITS['query_timeout']:g} s".encode() in slow_body
    assert outcome["slow_seconds"] < LIMITS["query_timeout"] + 5
    # The query really stopped: its process is gone, and no query process burns CPU any more. (A killed process
    # may take a moment to leave /proc on a busy machine: wait for it, up to a bound.)
    deadline = time.monotonic() + 10
    while not before - (after := set(query_processes(server))) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert before - after, "the process that ran the slow query was killed"
    ticks = cpu_ticks(sorted(after))
    time.sleep(1.0)
    assert cpu_ticks(sorted(after)) - ticks < 20, "no query process is still computing"
    # and the endpoint goes on answering, the same query included
    status, _, _ = call(server, params={"query": QUICK})
    assert status == 200


def test_row_cap_is_flagged_never_silent(server):
    status, headers, body = call(server, params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                                 headers={"Accept": "text/csv"})
    assert status == 200
    assert headers["ICC-Graph-Truncated"] == "true"
    assert headers["ICC-Graph-Row-Cap"] == str(LIMITS["row_cap"])
    assert len(body.decode().splitlines()) == LIMITS["row_cap"] + 1
    status, headers, body = call(server, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"},
                                 headers={"Accept": "text/csv"})
    assert headers["ICC-Graph-Truncated"] == "false" and len(body.decode().splitlines()) == 11


def test_row_cap_cuts_construct_too(server):
    status, headers, body = call(server, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                                 headers={"Accept": "application/n-triples"})
    assert status == 200 and headers["ICC-Graph-Truncated"] == "true"
    assert len(body.decode().splitlines()) == LIMITS["row_cap"]


def test_request_size_limit(server):
    padding = "#" + "x" * LIMITS["max_request_bytes"] + "\nASK {}"
    status, _, body = call(server, "POST", body=padding.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and b"larger than" in body
    status, _, _ = call(server, "POST", body=urllib.parse.urlencode({"query": padding}).encode(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413
    status, _, _ = call(server, params={"query": padding})
    assert status == 413
    status, _, _ = call(server, params={"query": "#" + "x" * 5000 + "\nASK {}"})
    assert status == 200, "a long GET query below the limit is served (the server's line limit is lifted)"


def test_cors_for_get_and_post(server):
    status, headers, _ = call(server, "OPTIONS", headers={
        "Origin": "https://notebook.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert status in (200, 204)
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"] and "GET" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()
    for method, kwargs in (("GET", {"params": {"query": QUICK}}),
                           ("POST", {"body": QUICK.encode(), "headers": {"Content-Type": "application/sparql-query",
                                                                         "Origin": "https://notebook.example"}})):
        status, headers, _ = call(server, method, **kwargs)
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
        assert "ICC-Graph-Truncated" in headers["Access-Control-Expose-Headers"]


def test_etag_and_last_modified_from_the_release(server):
    params = {"query": "SELECT ?s WHERE { ?s a <https://w3id.org/icc-graph/ontology#GoodPractice> } ORDER BY ?s"}
    status, headers, body = call(server, params=params, headers={"Accept": "text/csv"})
    assert status == 200
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert modified == "Sat, 28 Nov 2026 00:00:00 GMT", "dataset.yaml's modified date"
    status, again, empty = call(server, params=params, headers={"Accept": "text/csv", "If-None-Match": etag})
    assert status == 304 and empty == b"" and again["ETag"] == etag
    status, _, _ = call(server, params=params, headers={"Accept": "text/csv", "If-Modified-Since": modified})
    assert status == 304
    status, other, _ = call(server, params=params, headers={"Accept": "text/tab-separated-values",
                                                            "If-None-Match": etag})
    assert status == 200 and other["ETag"] != etag, "another representation has another validator"
    assert "Accept" in other["Vary"]
    status, _, again_body = call(server, params=params, headers={"Accept": "text/csv"})
    assert again_body == body


def test_bad_query_is_a_400_with_the_reason(server):
    status, _, body = call(server, params={"query": "SELECT * WHERE { ?s ?p "})
    assert status == 400 and b"does not parse at line 1, column 24" in body and b"expected" in body


def test_service_description_is_cacheable(server):
    status, headers, body = call(server, headers={"Accept": "text/turtle"})
    assert status == 200 and b"sparql-service-description" in body
    status, _, _ = call(server, headers={"Accept": "text/turtle", "If-None-Match": headers["ETag"]})
    assert status == 304
    status, headers, _ = call(server, headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"].startswith("text/html"), "a browser lands on the query page"

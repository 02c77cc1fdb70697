"""Requests that used to slip past a limit or kill a query process: a chunked body over the size limit, deep
nesting, answers too big in bytes, queries that take too much memory. Checked on a real server."""

from __future__ import annotations

import http.client
import select
import urllib.parse

import pytest

from icc_graph.store.embedded.store import QueryProcess, QueryServer
from icc_graph.vocabulary.formats import CSV
from icc_graph.vocabulary.release_folder import NQUADS as DUMP
from icc_graph.vocabulary.sparql_text import nesting_depth
from icc_graph.web.server import free_port

from ..serving import query_processes, running_server
from .conftest import LIMITS

pytestmark = pytest.mark.server

BYTE_CAP = 50_000
MEMORY_MB = 300
MAX_REQUEST = 100_000   # room for 20k parentheses
ASK = "ASK { <https://w3id.org/icc-graph/practice/district-mothers> ?p ?o }"


@pytest.fixture(scope="module")
def hostile_server(sparql_release):
    port = free_port("127.0.0.1")
    limits = {**LIMITS, "max_request_bytes": MAX_REQUEST, "query_timeout": 20}   # time to reach the memory limit
    with running_server(sparql_release, port=port, public_url=f"http://127.0.0.1:{port}/", answer_bytes_cap=BYTE_CAP,
                        query_memory_mb=MEMORY_MB, **limits) as running:
        yield running


def post(server, body, content_type: str = "application/sparql-query", accept: str = "text/csv",
         chunked: bool = False) -> tuple[int, dict, bytes]:
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    headers = {"Content-Type": content_type, "Accept": accept}
    if chunked:   # no Content-Length: Transfer-Encoding: chunked, 4 kB a chunk
        connection.request("POST", "/sparql", body=iter([body[i:i + 4096] for i in range(0, len(body), 4096)]),
                           headers=headers, encode_chunked=True)
    else:
        connection.request("POST", "/sparql", body=body, headers=headers)
    response = connection.getresponse()
    answer = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    connection.close()
    return answer


@pytest.mark.parametrize("form", ["direct", "urlencoded"])
def test_a_chunked_body_over_the_limit_is_a_413_not_its_prefix_run(hostile_server, form):
    query = "ASK {} #" + "x" * MAX_REQUEST   # its prefix alone is a good query
    body = query.encode() if form == "direct" else urllib.parse.urlencode({"query": query}).encode()
    content_type = "application/sparql-query" if form == "direct" else "application/x-www-form-urlencoded"
    status, _, answer = post(hostile_server, body, content_type, chunked=True)
    assert status == 413 and b"larger than" in answer


def test_a_chunked_body_within_the_limit_is_served(hostile_server):
    status, _, answer = post(hostile_server, ("ASK {} #" + "x" * (MAX_REQUEST - 100)).encode(), chunked=True,
                             accept="application/sparql-results+json")
    assert status == 200 and b"true" in answer


NESTED = {
    "5000 nested groups": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "20k parentheses": "ASK { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }",
    "3k nested OPTIONALs": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 3000 + "}" * 3000 + "}",
    "2k sub-selects": "SELECT * WHERE " + "{ SELECT * WHERE " * 2000 + "{ ?s ?p ?o }" + " }" * 2000,
}


@pytest.mark.parametrize("query", NESTED.values(), ids=NESTED.keys())
def test_deep_nesting_is_a_400_with_the_limit_before_anything_runs(hostile_server, query):
    before = set(query_processes(hostile_server))
    for _ in range(3):   # repeatable: nothing dies
        status, _, answer = post(hostile_server, query.encode())
        assert status == 400
        assert b"levels" in answer and b"the limit is 100" in answer and b"ICC_GRAPH_MAX_QUERY_DEPTH" in answer
    assert before <= set(query_processes(hostile_server)), "a query process died"


def test_nesting_is_counted_outside_strings_iris_and_comments():
    assert nesting_depth('SELECT * WHERE { ?s ?p "{{{((" . FILTER(<urn:x(> != ?o) } # {{{{') == 2
    assert nesting_depth("SELECT * WHERE { { ?s ?p ?o } UNION { ?s ?p ?o } }") == 2


def test_an_answer_is_cut_at_the_byte_cap_and_flagged(hostile_server):
    status, headers, answer = post(hostile_server, b"SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 400")
    assert status == 200
    assert headers["icc-graph-truncated"] == "true" and headers["icc-graph-byte-cap"] == str(BYTE_CAP)
    assert BYTE_CAP // 4 < len(answer) <= 2 * BYTE_CAP
    assert len(answer.splitlines()) - 1 < 400 < LIMITS["row_cap"]   # the bytes cut it, not the rows
    status, headers, answer = post(hostile_server, b"SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    assert headers["icc-graph-truncated"] == "false" and "icc-graph-byte-cap" not in headers


def _blow_up(levels: int) -> str:
    """A string of 10^(levels+1) characters, built by nested REPLACE: no data needed."""
    text = '"aaaaaaaaaa"'
    for _ in range(levels):
        text = f'REPLACE({text}, "a", "aaaaaaaaaa")'
    return f"SELECT (STRLEN({text}) AS ?n) WHERE {{}}"


def test_a_query_that_needs_too_much_memory_fails_alone_and_says_why(hostile_server):
    status, _, answer = post(hostile_server, _blow_up(9).encode())   # 10 GB
    assert status == 500, answer
    assert b"ICC_GRAPH_QUERY_MEMORY_MB" in answer and f"{MEMORY_MB} MB".encode() in answer
    status, _, answer = post(hostile_server, ASK.encode(), accept="application/sparql-results+json")
    assert status == 200 and b"true" in answer


def _closed_within(process: QueryProcess, seconds: float) -> bool:
    return bool(select.select([process.sock], [], [], seconds)[0])


def test_a_query_process_that_grew_past_half_its_budget_is_replaced_after_its_answer(seed_release):
    server = QueryServer(f"memory:{seed_release / DUMP}", 10_000, "", 0, 200)
    try:
        server.wait_ready()
        request = {"media_type": CSV, "default_graphs": [], "named_graphs": [], "timeout": 30}
        small = QueryProcess(server.address)
        for _ in range(20):
            assert small.ask({**request, "query": ASK.replace("ASK", "SELECT * WHERE")}, 30)[0] == "ok"
        assert not _closed_within(small, 0.5), "small answers do not make a process grow"
        grown = QueryProcess(server.address)
        reply = grown.ask({**request, "query": _blow_up(7)}, 30)   # a 100 MB string: more than half of 200 MB
        assert reply[0] == "ok" and reply[1].splitlines()[1] == b"100000000"
        assert _closed_within(grown, 5), "the process that grew is ended after its answer"
        small.kill()
        grown.kill()
    finally:
        server.close()

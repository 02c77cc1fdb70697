"""bench/loadgen.py against a real HTTP server: what wrk and the Python threads send, and what they count."""

from __future__ import annotations

import shutil
import sys
import threading
from collections import Counter
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import ROOT
from .serving import QuietHandler, loopback_http

sys.path.insert(0, str(ROOT / "bench"))

from loadgen import Request, run_threads, run_wrk  # noqa: E402

needs_wrk = pytest.mark.skipif(shutil.which("wrk") is None,
                               reason="wrk is not installed (Debian package wrk; .ci/run installs it)")
QUERIES = ["SELECT * WHERE { ?s ?p ?o }", "ASK { ?s a ?o }", "DESCRIBE <urn:x>"]


@pytest.fixture
def recording_server():
    """A keep-alive HTTP server that records every query text and Accept header; "ASK" texts get a 500."""
    seen: Counter = Counter()
    accepts: set[str] = set()
    lock = threading.Lock()

    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            query = parse_qs(urlsplit(self.path).query)["query"][0]
            with lock:
                seen[query] += 1
                accepts.add(self.headers["Accept"])
            if query.startswith("ASK"):
                self.reply(500, b"failed on purpose")
            else:
                self.reply(200, b"answer")

    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass   # wrk hangs up on the requests in flight when its time is up

    with loopback_http(Handler, Server) as port:
        yield port, seen, accepts


def requests() -> list[Request]:
    return [Request("/sparql", text, "application/sparql-results+json") for text in QUERIES]


@needs_wrk
def test_wrk_makes_every_text_unique_and_counts_errors(recording_server):
    port, seen, accepts = recording_server
    load = run_wrk(port, requests(), concurrency=4, seconds=1, timeout=5, start=100, unique=True)
    received = sum(seen.values())
    assert load.ok + load.errors <= received <= load.sent and received > 10   # the last few were in flight
    assert max(seen.values()) == 1   # no text twice
    assert {text.rsplit("\n# request ", 1)[1] for text in seen} <= {str(i) for i in range(100, 100 + load.sent)}
    asks = sum(1 for text in seen if text.startswith("ASK"))
    assert 0 < load.errors <= asks and 0 < load.ok <= received - asks
    assert load.first_error.startswith("HTTP 500: failed on purpose")
    assert accepts == {"application/sparql-results+json"}
    assert len(load.latencies) >= load.ok and load.throughput > 0


@needs_wrk
def test_wrk_rotates_the_texts_when_not_unique(recording_server):
    port, seen, _ = recording_server
    load = run_wrk(port, requests()[:1] + requests()[2:], concurrency=2, seconds=1, timeout=5)
    assert set(seen) == {QUERIES[0], QUERIES[2]} and abs(seen[QUERIES[0]] - seen[QUERIES[2]]) <= 2
    assert load.errors == 0 and 0 < load.ok <= sum(seen.values()) <= load.sent


def test_threads_go_on_where_the_last_run_stopped(recording_server):
    port, seen, _ = recording_server
    first = run_threads(port, requests(), concurrency=2, seconds=5, max_requests=5, unique=True)
    second = run_threads(port, requests(), concurrency=2, seconds=5, max_requests=5, start=first.sent, unique=True)
    assert first.sent == second.sent == 5 and max(seen.values()) == 1 and len(seen) == 10
    assert first.ok + first.errors == 5 and first.errors == sum(1 for t in seen if t.startswith("ASK")) - second.errors


def test_a_cached_workload_is_warmed_until_every_text_is_answered(recording_server):
    """bench/endpoint.ask_each_once asks each distinct text until it gets 200: a busy answer (here the 500 of the
    ASK text, which never succeeds) is asked again until the warm-up's time is up, the others once each."""
    from types import SimpleNamespace

    from endpoint import ask_each_once

    port, seen, _ = recording_server
    server = SimpleNamespace(port=port)
    args = SimpleNamespace(concurrency=2, request_timeout=5.0, warmup_seconds=1.5)
    done = ask_each_once(server, requests() * 3, args)   # each text three times over: asked as one
    assert done["texts"] == 3 and done["answered"] == 2 and done["seconds"] >= 1.5
    assert seen[QUERIES[0]] == 1 and seen[QUERIES[2]] == 1
    assert seen[QUERIES[1]] >= 2   # refused, asked again after a pause

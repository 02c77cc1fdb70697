"""bench/endpoint.py's warm-up against a real HTTP server: a first request answered 503 (busy, or the server's own
time limit) is asked again within the warm-up time, and a server that keeps refusing is reported, not measured."""

from __future__ import annotations

import sys
import threading
from types import SimpleNamespace

import pytest

from .conftest import ROOT
from .serving import QuietHandler, loopback_http

sys.path.insert(0, str(ROOT / "bench"))

from endpoint import warm_up  # noqa: E402
from loadgen import Request  # noqa: E402
from workloads import SELECT_JSON  # noqa: E402

ANSWER = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}'


@pytest.fixture
def refusing_server():
    """Answers 503 to the first ``refusals[0]`` requests, then the one-row JSON result."""
    refusals, asked, lock = [0], [0], threading.Lock()

    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"   # keep-alive, as the benchmark's servers

        def do_GET(self):  # noqa: N802 (the standard library's name)
            with lock:
                asked[0] += 1
                refuse = asked[0] <= refusals[0]
            self.reply(503, b"the query ran longer than 10 s and was stopped") if refuse else self.reply(200, ANSWER)

    with loopback_http(Handler) as port:
        yield SimpleNamespace(port=port), refusals, asked


def test_a_first_request_refused_with_503_is_asked_again_until_answered(refusing_server):
    server, refusals, asked = refusing_server
    refusals[0] = 2
    entry: dict = {}
    args = SimpleNamespace(request_timeout=5, warmup_seconds=10, concurrency=2, round_seconds=0.2)
    used = warm_up(server, [Request("/sparql", "SELECT ?n {}", SELECT_JSON)], True, entry, args)
    assert used is not None and entry["first_attempts"] == 3 and entry["results"] == 1 and "note" not in entry


def test_a_server_that_keeps_refusing_past_the_warm_up_time_is_not_measured(refusing_server):
    server, refusals, asked = refusing_server
    refusals[0] = 10**6
    entry: dict = {}
    args = SimpleNamespace(request_timeout=5, warmup_seconds=1.2, concurrency=2, round_seconds=0.2)
    assert warm_up(server, [Request("/sparql", "SELECT ?n {}", SELECT_JSON)], True, entry, args) is None
    assert entry["note"].startswith("answered HTTP 503") and 2 <= asked[0] == entry["first_attempts"] <= 4

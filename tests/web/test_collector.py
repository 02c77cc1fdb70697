"""What a busy endpoint leaves to Python's garbage collector: no reference cycle per request, and cache
entries it stops tracking (a worker's full collections once took 190 ms with 30,000 cached answers)."""

from __future__ import annotations

import gc
from dataclasses import replace

from werkzeug.test import EnvironBuilder

from icc_graph.store.base import Answer
from icc_graph.vocabulary.formats import CSV
from icc_graph.web.answer_cache import AnswerCache
from icc_graph.web.app import create_app
from icc_graph.web.endpoint.replay_cache import ReplayCache

QUERY = "SELECT ?practice WHERE {{ ?practice a <https://w3id.org/icc-graph/ontology#GoodPractice> }} LIMIT {}"


def collect() -> None:
    """Two passes: a pass stops tracking a tuple whose parts are untracked, so a nested tuple takes two
    (as it does in a worker: its young generations' collections come first)."""
    gc.collect()
    gc.collect()


def untracked(value) -> bool:
    if isinstance(value, tuple):
        return not gc.is_tracked(value) and all(untracked(part) for part in value)
    return not gc.is_tracked(value)


def sparql_get(app, limit: int) -> tuple[list, bytes]:
    environ = EnvironBuilder(path="/sparql", query_string={"query": QUERY.format(limit)},
                             headers={"Accept": "text/csv"}).get_environ()
    seen = []
    body = b"".join(app(environ, lambda status, headers, exc_info=None: seen.append(status)))
    return seen, body


def test_a_full_answer_cache_is_invisible_to_the_collector():
    cache = AnswerCache(max_bytes=1_000_000)
    for i in range(100):
        cache.put(("checksum", f"query {i}", CSV, (), ("urn:graph",)), Answer(b"a,b\r\n", CSV, i % 2 == 0))
    collect()
    assert len(cache.entries) == 100
    assert all(untracked(key) and untracked(entry) for key, entry in cache.entries.items())
    assert cache.get(("checksum", "query 4", CSV, (), ("urn:graph",))) == Answer(b"a,b\r\n", CSV, True)


def test_sparql_requests_leave_no_cycles_and_untracked_replays(seed_settings, seed_release, pages_store):
    settings = replace(seed_settings, release=str(seed_release), threads=1, memory_store_mb=0)
    app = create_app(settings, pages_store)   # a new app (empty caches) over the session's store
    sparql_get(app, 1)   # imports, first query process, lazily built state
    gc.collect()
    gc.disable()
    try:
        for limit in range(2, 12):
            statuses, body = sparql_get(app, limit)
            assert statuses == ["200 OK"] and body.startswith(b"practice\r\n")
        assert gc.collect() == 0, "a request left a reference cycle behind"
    finally:
        gc.enable()
    replay = app.wsgi_app.app   # inside the ResponseFilter (gzip, nosniff)
    collect()
    replies = {key: entry for key, entry in replay.cache.entries.items() if key[0] == "replay"}
    assert isinstance(replay, ReplayCache) and len(replies) == 11
    assert all(untracked(key) and untracked(entry) for key, entry in replay.cache.entries.items())

"""Identical queries asked at once share one run (web/endpoint/one_run.py)."""

from __future__ import annotations

import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from icc_graph.store import StoreBusy
from icc_graph.store.embedded.store import EmbeddedStore
from icc_graph.web.endpoint.one_run import OneRunPerKey

CITIES = "SELECT ?s WHERE { ?s a <https://schema.org/City> } ORDER BY ?s"


def test_waiting_requests_get_the_first_runs_result_or_its_error():
    runs: OneRunPerKey[str] = OneRunPerKey()
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow(answer):
        def work():
            calls.append(answer)
            started.set()
            release.wait(5)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return work

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(runs.run, "k", slow("one"), 5)
        started.wait(5)
        others = [pool.submit(runs.run, "k", slow("two"), 5) for _ in range(3)]
        time.sleep(0.1)     # the others are waiting on the first run
        release.set()
        assert first.result() == "one" and [o.result() for o in others] == ["one"] * 3
    assert calls == ["one"] and len(runs) == 0
    assert runs.run("k", lambda: "again", 5) == "again"    # a later request runs again (the cache serves repeats)

    started.clear(), release.clear()
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(runs.run, "k", slow(ValueError("bad")), 5)
        started.wait(5)
        other = pool.submit(runs.run, "k", slow("unused"), 5)
        time.sleep(0.1)
        release.set()
        for future in (first, other):
            with pytest.raises(ValueError, match="bad"):
                future.result()
    assert len(runs) == 0


def test_a_request_waits_no_longer_than_it_may():
    runs: OneRunPerKey[str] = OneRunPerKey()
    release = threading.Event()
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(runs.run, "k", lambda: release.wait(5) and "done", 5)
        while not len(runs):
            time.sleep(0.01)
        with pytest.raises(StoreBusy, match="identical query"):
            runs.run("k", lambda: "not run", 0.2)
        assert runs.run("other key", lambda: "runs at once", 0.2) == "runs at once"
        release.set()
        assert first.result() == "done"


def test_the_endpoint_runs_identical_concurrent_queries_once(seed_release):
    from icc_graph.config import load_settings
    from icc_graph.web.app import create_app

    # No answer cache (runs only), no per-client limit (every request comes from one test client).
    settings = load_settings(environ={}, release=str(seed_release), cache_bytes=0, client_queries=0)
    store = EmbeddedStore(seed_release, row_cap=1000, processes=2)
    app = create_app(settings, store)
    executed = []
    execute = store.execute

    def slow_execute(query, *args, **kwargs):   # the real store, made slow enough for the requests to overlap
        executed.append(query)
        time.sleep(0.5)
        return execute(query, *args, **kwargs)

    store.execute = slow_execute
    try:
        def ask(query: str):
            return app.test_client().get("/sparql?query=" + urllib.parse.quote(query), headers={"Accept": "text/csv"})

        other = CITIES.replace("ORDER BY ?s", "ORDER BY DESC(?s)")
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(ask, [CITIES] * 4 + [other] * 2))
        assert [a.status_code for a in answers] == [200] * 6
        assert len({a.data for a in answers[:4]}) == 1 and answers[0].data.startswith(b"s\r\nhttps://w3id.org/")
        assert answers[4].data == answers[5].data != answers[0].data
        assert sorted(executed) == sorted([CITIES, other])     # one run per distinct query
    finally:
        store.close()

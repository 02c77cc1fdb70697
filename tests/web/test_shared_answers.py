"""The answers the web workers share (web/shared_answers.py): what is kept, what is not, and a second app that
answers from it without its own store."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest

from icc_graph.store import Answer
from icc_graph.store.embedded.store import EmbeddedStore
from icc_graph.web import shared_answers
from icc_graph.web.answer_cache import AnswerCache
from icc_graph.web.app import create_app
from icc_graph.web.shared_answers import SharedAnswers

JSON = "application/sparql-results+json"
KEY = ("checksum", "SELECT * WHERE { ?s ?p ?o }", JSON, (), ())


@pytest.fixture
def shared():
    answers = SharedAnswers(slots=8, max_body=100, min_seconds=0.05)
    yield answers
    answers.close()


def test_slow_answers_are_shared_fast_or_big_ones_are_not(shared):
    slow, fast, big = Answer(b"{}", JSON), Answer(b"[]", JSON, True), Answer(b"x" * 101, JSON)
    shared.put(KEY, slow, seconds=0.2)
    shared.put(KEY[:1] + ("fast",) + KEY[2:], fast, seconds=0.01)
    shared.put(KEY[:1] + ("big",) + KEY[2:], big, seconds=5)
    assert shared.get(KEY) == slow
    assert shared.get(KEY[:1] + ("fast",) + KEY[2:]) is None and shared.get(KEY[:1] + ("big",) + KEY[2:]) is None
    assert shared.get(KEY[:1] + ("other checksum",) + KEY[2:]) is None   # another release: never its answer


def test_a_slot_holds_one_answer_and_never_gives_another_keys():
    answers = SharedAnswers(slots=1, min_seconds=0)
    try:
        answers.put(KEY, Answer(b"first", JSON), 1)
        answers.put(("other",), Answer(b"second", JSON), 1)
        assert answers.get(KEY) is None and answers.get(("other",)) == Answer(b"second", JSON)
        assert sorted(os.listdir(answers.folder)) == ["0", "index"], "one file per slot and the index, nothing aside"
    finally:
        answers.close()
    assert not os.path.exists(answers.folder)


def test_what_a_forked_worker_shares_is_found_by_the_others_and_a_miss_opens_no_file(shared, monkeypatch):
    child = os.fork()
    if child == 0:   # another worker: a forked process, as Granian's workers are
        try:
            shared.put(KEY, Answer(b"{}", JSON), seconds=1.0)
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    assert shared.get(KEY) == Answer(b"{}", JSON)
    opened = []
    monkeypatch.setattr(shared_answers, "open", lambda *args: opened.append(args) or open(*args),  # noqa: SIM115
                        raising=False)   # the module's own name for open, found before the builtin
    others = [KEY[:1] + (f"SELECT {n}",) + KEY[2:] for n in range(20)]
    assert all(shared.get(other) is None for other in others)
    assert opened == [], "the index tells a miss without opening the slot's file"
    assert shared.get(KEY) == Answer(b"{}", JSON) and len(opened) == 1


def test_a_slot_whose_file_holds_another_key_is_a_miss_whatever_the_index_says(shared):
    shared.put(KEY, Answer(b"{}", JSON), seconds=1.0)
    slot, _ = shared._slot(KEY)
    other = next(k for n in range(1000) if shared._slot(k := KEY[:1] + (f"SELECT {n}",) + KEY[2:])[0] == slot)
    shared.put(other, Answer(b"[]", JSON), seconds=1.0)
    shared_answers.DIGEST.pack_into(shared._index, slot * shared_answers.DIGEST.size, shared._slot(KEY)[1])  # stale
    assert shared.get(KEY) is None and shared.get(other) is None   # neither answer given for the wrong key


def test_a_workers_cache_takes_what_another_computed(shared):
    first, second = AnswerCache(10_000, shared), AnswerCache(10_000, shared)
    first.put(KEY, Answer(b"{}", JSON), seconds=1.0)
    assert second.entries == {} and second.get(KEY) == Answer(b"{}", JSON)
    assert KEY in second.entries, "kept in the worker's own cache from then on"
    written = os.stat(shared._file(shared._slot(KEY)[0])).st_ino
    first.put(KEY, Answer(b"{}", JSON), seconds=1.0)   # a request that waited for the same run puts it again
    assert os.stat(shared._file(shared._slot(KEY)[0])).st_ino == written, "written out once, not rewritten"


def test_a_second_app_answers_from_the_shared_tier_without_its_store(seed_settings, seed_release):
    settings = replace(seed_settings, release=str(seed_release))
    shared = SharedAnswers(min_seconds=0)   # every answer shared, so that a quick seed query is
    stores = [EmbeddedStore(seed_release, row_cap=1000, processes=1) for _ in range(2)]
    try:
        apps = [create_app(settings, store, shared_answers=shared).test_client() for store in stores]
        query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
        first = apps[0].get("/sparql", query_string=query, headers={"Accept": JSON})
        assert first.status_code == 200
        stores[1].close()   # the second worker's store is gone: only the shared tier can answer it
        second = apps[1].get("/sparql", query_string=query, headers={"Accept": JSON})
        assert second.status_code == 200 and second.data == first.data
        other = apps[1].get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON})
        assert other.status_code >= 500   # a query nobody answered before needs the store
    finally:
        for store in stores:
            store.close()
        shared.close()

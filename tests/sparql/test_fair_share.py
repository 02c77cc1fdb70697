"""How query capacity is shared, piece by piece: processes handed out by rank, clients ranked by when they last used
one, what the workers know of a client shared across processes, and the cost estimate that keeps obvious runaways
off the process kept for short queries. The whole, against a real server: test_admission.py."""

from __future__ import annotations

import os
import queue
import threading
import time
from pathlib import Path

import pytest

from icc_graph.store import StoreBusy
from icc_graph.store.embedded.handout import FairHandout
from icc_graph.web.endpoint import admission
from icc_graph.web.endpoint.admission import ClientLimit
from icc_graph.web.endpoint.client_table import ClientTable
from icc_graph.web.endpoint.cost_estimate import looks_costly

QUERIES = Path(__file__).resolve().parents[2] / "queries"


def wait_for(condition) -> None:
    for _ in range(1000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("the condition never held")


def test_a_free_process_goes_to_the_lowest_rank_then_to_the_first_come():
    handout: FairHandout[str] = FairHandout()
    handout.put("only")
    assert handout.get(rank=5.0) == "only"   # free: taken at once, whatever the rank
    served: list[str] = []

    def wait(name: str, rank: float) -> None:
        served.append(f"{name} got {handout.get(rank=rank, timeout=60)}")

    waiters = []
    for name, rank in [("busy client", 50.0), ("new client", 0.0), ("occasional client", 20.0),
                       ("page", float("-inf")), ("another new client", 0.0)]:
        waiters.append(threading.Thread(target=wait, args=(name, rank)))
        waiters[-1].start()
        queued = len(waiters)
        wait_for(lambda queued=queued: len(handout._waiting) == queued)   # they queue in this order
    for n in range(len(waiters)):
        handout.put(f"process {n}")
        wait_for(lambda n=n: len(served) == n + 1)
    for waiter in waiters:
        waiter.join()
    assert served == ["page got process 0", "new client got process 1", "another new client got process 2",
                      "occasional client got process 3", "busy client got process 4"]


def test_a_waiter_that_gave_up_is_skipped():
    handout: FairHandout[str] = FairHandout()
    with pytest.raises(queue.Empty):
        handout.get(rank=0.0, timeout=0.01)
    handout.put("process")
    assert not handout.empty() and handout.get_nowait() == "process" and handout.empty()


def test_a_client_ranks_by_when_it_last_used_a_process_and_as_now_while_it_runs_one():
    limit = ClientLimit(per_client=2, hold_off=10, table=ClientTable(slots=64))
    never = lambda: False  # noqa: E731 - capacity is never short here
    with limit.slot("10.0.0.1", never) as first:
        assert first == 0.0   # never seen: goes before anyone seen
        with limit.slot("10.0.0.1", never) as second:
            assert second > 0.0   # it runs a query already: ranks as using a process now
    used, stopped = limit.table.times("10.0.0.1")
    assert used >= second and stopped == 0.0
    with limit.slot("10.0.0.1", never) as third:
        assert third == used   # when it last used one
    with limit.slot("10.0.0.2", never) as other:
        assert other == 0.0


@pytest.mark.parametrize("mark_end_after, end_marked", [(0.0, True), (60.0, False)])
def test_a_query_that_held_its_slot_long_marks_its_end_as_the_last_use(monkeypatch, mark_end_after, end_marked):
    monkeypatch.setattr(admission, "MARK_END_AFTER", mark_end_after)
    limit = ClientLimit(per_client=2, hold_off=10, table=ClientTable(slots=64))
    before = time.monotonic()
    with limit.slot("10.0.0.3", lambda: False):
        time.sleep(0.02)
        started = limit.table.times("10.0.0.3")[0]
    assert started >= before, "the start is marked whatever the query's length"
    used = limit.table.times("10.0.0.3")[0]
    assert (used >= started + 0.02) if end_marked else (used == started)


def test_a_client_stopped_in_one_worker_is_held_off_in_another_process_sharing_the_table():
    table = ClientTable(slots=64)
    child = os.fork()
    if child == 0:   # another worker: a forked process, as Granian's workers are
        try:
            ClientLimit(2, hold_off=30, table=table).was_stopped("10.0.0.9")
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    here = ClientLimit(2, hold_off=30, table=table)
    with pytest.raises(StoreBusy, match="stopped less than"), here.slot("10.0.0.9", lambda: True):
        pass
    with here.slot("10.0.0.9", lambda: False) as rank:   # capacity free: not held off
        assert rank == 0.0
    with here.slot("10.0.0.10", lambda: True):   # another client: not held off
        pass


def test_a_full_table_forgets_the_client_seen_least_recently():
    table = ClientTable(slots=4)   # the window covers every slot: five clients, four slots
    for n in range(5):
        table.mark_used(f"10.0.1.{n}", 100.0 + n)
    kept = {n: table.times(f"10.0.1.{n}")[0] for n in range(5)}
    assert kept == {0: 0.0, 1: 101.0, 2: 102.0, 3: 103.0, 4: 104.0}


@pytest.mark.parametrize("query, costly", [
    ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", True),
    ("SELECT * WHERE { ?s ?p ?o . ?o ?q ?r }", True),                               # two patterns, nothing fixed
    ("SELECT * WHERE { ?s a icc:GoodPractice . ?c a schema:City }", True),          # a cross product
    ("SELECT * WHERE { { ?a ?b ?c } { ?d ?e ?f } }", True),                         # of groups too
    ("CONSTRUCT WHERE { ?s ?p ?o . ?a ?b ?c }", True),
    ("ASK { <https://w3id.org/icc-graph/practice/district-mothers> ?p ?o }", False),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 10", False),                                # one pattern: streamed
    ("SELECT * WHERE { ?s a icc:GoodPractice ; rdfs:label ?l . ?s icc:city ?c . ?c rdfs:label ?x }", False),
    ('SELECT * WHERE { ?s rdfs:label "Oslo"@en ; schema:containedInPlace ?c }', False),
    ("SELECT * WHERE { ?s geo:lat 1.5 ; geo:long ?x }", False),
    ("SELECT * WHERE { VALUES (?s ?t) { (<a> <b>) } ?s rdfs:label ?l FILTER(?l != ?t) }", False),
    ("CONSTRUCT { ?s a icc:X . ?o a icc:Y } WHERE { ?s icc:p ?o }", False),         # a template is no join
    ("SELECT * WHERE { ?s icc:p ?o OPTIONAL { ?o rdfs:label ?l } }", False),
    ("SELECT * WHERE { { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s icc:t ?t } GROUP BY ?s } ?s rdfs:label ?l }", False),
    ("SELECT * WHERE { GRAPH ?g { ?s icc:p ?o } }", False),
    ("SELECT * WHERE { ?a a ?t . ?b a ?t . ?c a ?t }", False),   # costly, but joined and fixed: time tells
])
def test_the_cost_estimate_reads_cross_products_and_patterns_with_nothing_fixed(query, costly):
    assert looks_costly(query) is costly


def test_the_cookbook_queries_mostly_look_cheap():
    flagged = sorted(path.name for path in QUERIES.glob("*.rq") if looks_costly(path.read_text(encoding="utf-8")))
    # Its cities and practices are joined by a FILTER only: a cross product for the engine too.
    assert flagged == ["cities-of-a-country.rq"]

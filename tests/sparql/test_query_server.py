"""The query server: one process holds the release and forks the query processes that web workers use."""

from __future__ import annotations

import os
import pickle
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from icc_graph.store import QueryTimeout
from icc_graph.store.embedded.answering import HEADER
from icc_graph.store.embedded.store import EmbeddedStore
from icc_graph.vocabulary.formats import CSV

from ..serving import alive, wait_until_gone

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# Runs for minutes on any release: a cross product of every triple with every triple, counted.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture
def memory_store(seed_release):
    store = EmbeddedStore(seed_release, row_cap=1000, processes=2, in_memory=True)
    yield store
    store.close()


def test_memory_and_disk_hold_the_same_release(seed_release, memory_store):
    disk = EmbeddedStore(seed_release, row_cap=1000, processes=1, in_memory=False)
    try:
        assert memory_store.in_memory and not disk.in_memory
        assert memory_store.execute(COUNT, CSV, 10).body == disk.execute(COUNT, CSV, 10).body
        assert memory_store.snapshot == disk.snapshot
    finally:
        disk.close()


def test_a_timed_out_query_process_is_killed_and_replaced_at_once(memory_store):
    memory_store.execute(COUNT, CSV, 10)
    (first,) = memory_store.pool.live
    with pytest.raises(QueryTimeout, match="stopped"):
        memory_store.execute(SLOW, CSV, timeout=0.5)
    assert wait_until_gone(first.pid, 2), "the query process that ran past its limit is gone"
    started = time.monotonic()
    assert memory_store.execute(COUNT + " # again", CSV, 10).body.startswith(b"n\r\n")
    assert time.monotonic() - started < 2, "the replacement is a fork of the loaded release, not a new load"
    assert all(alive(p.pid) for p in memory_store.pool.live if p.pid)


def test_an_orphaned_query_ends_itself_after_its_time_limit(memory_store):
    """Should the web worker die mid-query, no one is left to kill its query process: it ends itself."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(memory_store._server.address)
    reader = conn.makefile("rb")
    size = HEADER.unpack(reader.read(HEADER.size))[0]
    _, pid = pickle.loads(reader.read(size))
    request = pickle.dumps({"query": SLOW, "media_type": CSV, "default_graphs": [], "named_graphs": [],
                            "timeout": 0.5, "grace": 0.5})
    conn.sendall(HEADER.pack(len(request)) + request)
    time.sleep(0.2)
    reader.close()
    conn.close()   # the worker is gone, the query still runs
    assert alive(pid)
    assert wait_until_gone(pid, 0.5 + 0.5 + 5.0), "the query process ended itself after its limit and a grace"


def test_a_dead_query_server_is_started_again(memory_store):
    server = memory_store._server
    memory_store.pool.close()
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait()
    # the pool's idle processes died with the query server; the next query starts a new one and is answered
    assert memory_store.execute(COUNT + " # after", CSV, 10).body.startswith(b"n\r\n")
    assert memory_store._server is not server and memory_store._server.proc.poll() is None


def test_the_query_server_ends_with_the_store(seed_release):
    store = EmbeddedStore(seed_release, row_cap=1000, processes=1, in_memory=True)
    store.execute(COUNT, CSV, 10)
    server_pid = store._server.proc.pid
    (process,) = store.pool.live
    query_pid = process.pid
    folder = store._server.folder
    store.close()
    assert wait_until_gone(server_pid, 2) and wait_until_gone(query_pid, 2)
    assert not os.path.exists(folder), "its socket folder is removed"


def test_the_memory_budget_decides_where_the_release_is_held(seed_release):
    from icc_graph.config import load_settings
    from icc_graph.store import ON_DISK_SLOWER, open_store
    from icc_graph.store.embedded.store import memory_footprint_mb

    needed = memory_footprint_mb(seed_release, 2 * 4)   # the query server and 2 workers x 4 threads
    assert needed == pytest.approx(9 * 1.45 * (seed_release / "icc-graph.nq").stat().st_size / 1e6)
    for budget, in_memory in ((0, False), (int(needed) - 1, False), (int(needed) + 1, True)):
        store = open_store(load_settings(environ={}, release=str(seed_release), memory_store_mb=budget, workers=2,
                                         threads=4))
        try:
            assert store.in_memory is in_memory, budget
            # On disk a query counts as long after proportionally more seconds (the same queries run slower).
            assert store.admission.long_after == (1 if in_memory else ON_DISK_SLOWER) * 1.0
            # and a query waits proportionally longer for a process (the ones ahead hold theirs for longer).
            assert store.admission.queue_wait == (1 if in_memory else ON_DISK_SLOWER) * 0.5
        finally:
            store.close()
    # One query process per worker instead of one per thread: 3 copies fit where 9 did not.
    store = open_store(load_settings(environ={}, release=str(seed_release), memory_store_mb=int(needed) - 1,
                                     workers=2, threads=4, query_processes=1))
    try:
        assert store.in_memory and store.processes == 1
        with ThreadPoolExecutor(4) as threads:   # 4 web threads, 1 query process: they take turns
            answers = list(threads.map(lambda _: store.execute(COUNT, CSV, 5).body, range(8)))
        assert len(set(answers)) == 1 and answers[0].startswith(b"n\r\n") and len(store.pool.live) == 1
    finally:
        store.close()


def test_a_query_process_takes_its_copy_of_an_in_memory_release_at_once(memory_store):
    """Oxigraph's reads would copy the shared pages one fault at a time during the first queries; the
    query process takes its copy when it starts instead."""
    memory_store.execute(COUNT, CSV, 10)
    (process,) = memory_store.pool.live
    sizes = {}
    for line in Path(f"/proc/{process.pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            sizes[name] = int(rest.split()[0])
    # What stays shared is the libraries' relocated pages (about 2 MB); without the copy, the interpreter's
    # heap and the store (over 10 MB on the seed release) would still be shared after one query.
    assert sizes["Anonymous"] - sizes["Private_Dirty"] < 4096, sizes

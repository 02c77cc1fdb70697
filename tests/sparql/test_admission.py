"""How the workers share their query processes: a per-client limit, a limit on long queries, costly-looking queries
kept off the process for short ones, hold-offs every worker knows, and 503 with Retry-After instead of waiting when no
process frees in time. Behaviour only: the flood's timings are in bench/flood.py."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse

import pytest

from icc_graph.web.server import free_port

from ..serving import running_server

pytestmark = pytest.mark.server

# A runaway the cost estimate cannot see (its patterns are joined, each names a fixed term): only time tells.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a a ?t . ?b a ?t . ?c a ?t . ?d a ?t . ?e a ?t . ?f a ?t }} # {}"
# A runaway that looks costly before it runs: a cross product of patterns that name no fixed term.
COSTLY = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }} # {}"
QUICK = "ASK {{ <https://w3id.org/icc-graph/practice/district-mothers> ?p ?o }} # {}"
TIMEOUT = 2.5   # long enough to see the queries run, short enough for the suite


def ask(server, query: str, client: str = "127.0.0.1") -> tuple[int, dict, str]:
    """POST ``query`` from the loopback address ``client`` (each 127.x address is another client)."""
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60, source_address=(client, 0))
    connection.request("POST", "/sparql", body=query.encode(),
                       headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    response = connection.getresponse()
    answer = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    connection.close()
    return answer


class InFlight:
    """Runaway queries sent at once from the given clients, answered in the background."""

    def __init__(self, server, clients: list[str], runaway: str = RUNAWAY):
        self.answers: list[tuple[int, dict, str]] = []
        self.threads = [threading.Thread(target=self._send, args=(server, runaway.format(f"{c} {n} {id(self)}"), c),
                                         daemon=True) for n, c in enumerate(clients)]
        for thread in self.threads:
            thread.start()

    def _send(self, server, query: str, client: str) -> None:
        try:
            self.answers.append(ask(server, query, client))
        except OSError as exc:   # the server stopped with the query still running
            self.answers.append((0, {}, str(exc)))

    def answered(self, count: int, seconds: float = 60) -> list[tuple[int, dict, str]]:
        """Once ``count`` of the queries have answered (or ``seconds`` have passed): the answers so far."""
        deadline = time.monotonic() + seconds
        while len(self.answers) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.answers)

    def join(self) -> list[tuple[int, dict, str]]:
        for thread in self.threads:
            thread.join(60)
        return self.answers


@pytest.fixture(scope="module")
def shared_server(sparql_release):
    """One worker, three query processes (two may run long), two queries per client."""
    with running_server(sparql_release, workers=1, threads=6, query_processes=3, client_queries=2,
                        long_query_seconds=0.5, queue_wait=0.5, query_timeout=TIMEOUT, cache_bytes=0) as running:
        yield running


def wait_until_running(answers: InFlight, seconds: float = 1.0) -> None:
    """Give the queries time to reach their processes (the tests assert what happens then, not how fast)."""
    for thread in answers.threads:
        thread.join(seconds / len(answers.threads))


def test_one_client_cannot_take_all_the_query_processes(shared_server):
    flood = InFlight(shared_server, ["127.0.0.2"] * 2)
    wait_until_running(flood)
    status, headers, text = ask(shared_server, RUNAWAY.format("third"), "127.0.0.2")
    assert status == 503 and headers["retry-after"].isdigit() and "ICC_GRAPH_CLIENT_QUERIES" in text
    status, _, text = ask(shared_server, QUICK.format("other client"), "127.0.0.3")
    assert status == 200 and "true" in text
    answers = flood.join()
    assert [status for status, _, _ in answers] == [503, 503]   # each stopped at its time limit
    assert all("longer than" in text for _, _, text in answers)



def test_a_client_whose_query_was_stopped_is_held_off_while_no_process_is_free(shared_server):
    flood = InFlight(shared_server, ["127.0.0.8", "127.0.0.9", "127.0.0.10"])   # all three processes busy
    wait_until_running(flood, 1.2)   # two run long, the third was stopped at the long-query limit
    answers = flood.join()
    assert [status for status, _, _ in answers] == [503, 503, 503]   # each client's query stopped
    busy = InFlight(shared_server, ["127.0.0.11", "127.0.0.12", "127.0.0.13"])
    wait_until_running(busy, 0.3)
    status, headers, text = ask(shared_server, QUICK.format("held off"), "127.0.0.8")
    assert status == 503 and "stopped less than" in text and headers["retry-after"].isdigit()
    busy.join()
    status, _, text = ask(shared_server, QUICK.format("process free again"), "127.0.0.8")
    assert status == 200, text


def test_long_queries_leave_one_process_to_short_ones(shared_server):
    flood = InFlight(shared_server, ["127.0.0.4", "127.0.0.5", "127.0.0.6"])   # three clients, one query each
    wait_until_running(flood, 1.2)
    status, _, text = ask(shared_server, QUICK.format("while three run long"), "127.0.0.7")
    assert status == 200 and "true" in text
    answers = flood.join()
    stopped_early = [headers for status, headers, text in answers if status == 503 and "long queries" in text]
    timed_out = [text for status, _, text in answers if status == 503 and "longer than" in text]
    assert len(stopped_early) == 1 and len(timed_out) == 2
    assert stopped_early[0]["retry-after"].isdigit()


def test_a_query_that_looks_costly_never_takes_the_process_kept_for_short_ones(shared_server):
    flood = InFlight(shared_server, ["127.0.0.14", "127.0.0.15"], COSTLY)   # both long-query shares taken
    wait_until_running(flood)
    status, headers, text = ask(shared_server, COSTLY.format("a third"), "127.0.0.16")
    assert status == 503 and "looks costly" in text and headers["retry-after"].isdigit()   # at once, not after 0.5 s
    status, _, text = ask(shared_server, QUICK.format("beside them"), "127.0.0.17")
    assert status == 200 and "true" in text
    assert [status for status, _, _ in flood.join()] == [503, 503]   # each stopped at its time limit


def test_no_process_free_in_time_is_a_503_with_retry_after_not_a_wait(sparql_release):
    port = free_port("127.0.0.1")
    with running_server(sparql_release, port=port, workers=1, threads=4, query_processes=2, client_queries=0,
                        long_query_seconds=100, queue_wait=0.3, query_timeout=TIMEOUT, cache_bytes=0) as server:
        flood = InFlight(server, ["127.0.0.2", "127.0.0.3"])
        wait_until_running(flood)
        # A new server starts its query processes on first use: on a slow machine (a fresh clone compiles its
        # modules there) a flood query may not hold its process yet, and a quick one rightly gets it. Ask again.
        deadline = time.monotonic() + TIMEOUT / 2
        while (reply := ask(server, QUICK.format(f"no process free {time.monotonic()}"), "127.0.0.4"))[0] == 200 \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        status, headers, text = reply
        assert status == 503 and headers["retry-after"].isdigit() and "busy" in text
        assert [status for status, _, _ in flood.join()] == [503, 503]
        status, _, _ = ask(server, QUICK.format("after the flood"), "127.0.0.4")
        assert status == 200


def test_a_client_held_off_on_one_worker_is_held_off_on_the_other(sparql_release):
    # Two workers with two processes each, one of which may run long. Granian's workers accept from one socket:
    # a burst of connections may all go to one, connections one after another go to both.
    with running_server(sparql_release, workers=2, threads=2, query_processes=2, client_queries=2,
                        long_query_seconds=0.3, queue_wait=0.5, query_timeout=60, cache_bytes=0) as server:
        running: list[InFlight] = []
        for n in range(40):   # costly queries one at a time until both workers run one on their long-query share
            flight = InFlight(server, [f"127.0.1.{n + 1}"], COSTLY)
            running.append(flight)
            flight.answered(1, seconds=1.5)
            for done in [f for f in running if f.answers]:    # a refusal may come late on a loaded machine
                assert "looks costly" in done.answers[0][2]   # refused at once: that worker's share is taken
                running.remove(done)
            if len(running) == 2:
                break
        assert len(running) == 2 and not any(flight.answers for flight in running)

        status, _, text = ask(server, RUNAWAY.format("held off"), "127.0.0.30")   # stopped on one worker
        assert status == 503 and "long queries" in text
        answers = [ask(server, QUICK.format(f"again {n}"), "127.0.0.30") for n in range(12)]   # on both workers
        assert all(status == 503 and "stopped less than" in text for status, _, text in answers), answers
        status, _, text = ask(server, QUICK.format("another client"), "127.0.0.31")
        assert status == 200 and "true" in text

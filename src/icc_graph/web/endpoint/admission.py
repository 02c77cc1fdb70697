"""One client cannot take all the query capacity: a limit of queries running at once per client address, a client
whose query was just stopped waits its Retry-After while capacity is short, and a free query process goes to the
client that used one least recently.

The query processes are the scarce resource: a runaway query holds one (and a
web thread) until its time limit. Over the limit a client gets 503 with
Retry-After at once, without queueing, so that its flood never holds threads
and processes others need. The client is the connection's address (a proxy in
front should pass each client's own, e.g. through Granian's forwarded-headers
support); headers a client writes itself are not trusted for this.

Many clients with one runaway query each defeat a per-client limit, so a client
whose query was stopped (time limit, or too many long queries) is held off for
``hold_off`` seconds (the time limit) whenever capacity is short (no process
free, or the long queries' share taken): its next runaway cannot take the
process kept for short queries, and is refused at once instead of holding a
thread. A client whose last query was fine, or any client while capacity is
free, is not affected. What was stopped, and when each client last used a
process, is kept in the ClientTable every worker of the server shares, so a
client held off on one worker is held off on all of them.

When queries wait for a process, the one whose client used a process least
recently gets the next free one (its *rank*: that time; the store hands out by
rank), so a client that keeps the processes busy waits behind one that asks now
and then; a client with another query running counts as using one now.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ...store import StoreBusy
from .client_table import ClientTable

# A query held its slot this long or longer: its end is marked as the client's last use too. A shorter one's start,
# marked already, is as good (the hold-off and ranks are seconds apart) and saves one of a request's three rounds
# of the table's cross-process lock (the table in all took 12 % of uncached lookups' throughput: bench/RESULTS.md).
MARK_END_AFTER = 0.05


class ClientLimit:
    def __init__(self, per_client: int, hold_off: float, table: ClientTable | None = None):
        self.per_client = per_client   # 0: no limit
        self.hold_off = hold_off
        self.table = table or ClientTable()   # the server's shared one, or this worker's own (one process)
        self.running: Counter[str] = Counter()   # this worker's queries per client
        self.lock = threading.Lock()

    def was_stopped(self, client: str) -> None:
        self.table.mark_stopped(client, time.monotonic())

    @contextmanager
    def slot(self, client: str, saturated: Callable[[], bool]) -> Iterator[float]:
        """Hold one of ``client``'s slots while the block runs, which gets the query's rank (lower goes first);
        StoreBusy when it has none left, or when it is held off and ``saturated()`` (capacity is short)."""
        used, stopped = self.table.times(client)
        now = time.monotonic()
        if stopped and now - stopped < self.hold_off and saturated():
            raise StoreBusy(f"this client's last query was stopped less than {self.hold_off:g} s ago and the query "
                            "processes are busy: try again after Retry-After")
        with self.lock:
            if self.per_client and self.running[client] >= self.per_client:
                raise StoreBusy(f"this client already runs {self.per_client} queries here "
                                "(ICC_GRAPH_CLIENT_QUERIES): try again when one has answered")
            self.running[client] += 1
            busy_already = self.running[client] > 1
        self.table.mark_used(client, now)
        try:
            yield now if busy_already else used
        finally:
            with self.lock:
                self.running[client] -= 1
                if not self.running[client]:
                    del self.running[client]
            finished = time.monotonic()
            if finished - now >= MARK_END_AFTER:
                self.table.mark_used(client, finished)

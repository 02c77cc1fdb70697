"""One client cannot take all of a worker's query capacity: a limit of queries running at once per client address,
and a client whose query was just stopped for running too long waits its Retry-After while capacity is short.

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
free, is not affected.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from contextlib import contextmanager

from ...store import StoreBusy


class ClientLimit:
    def __init__(self, per_client: int, hold_off: float):
        self.per_client = per_client   # 0: no limit
        self.hold_off = hold_off
        self.running: Counter[str] = Counter()
        self.stopped: dict[str, float] = {}   # client -> when its last query was stopped (monotonic)
        self.lock = threading.Lock()

    def was_stopped(self, client: str) -> None:
        with self.lock:
            now = time.monotonic()
            self.stopped[client] = now
            if len(self.stopped) > 10_000:   # a flood from many addresses: forget those whose hold-off is over
                self.stopped = {c: t for c, t in self.stopped.items() if now - t < self.hold_off}

    @contextmanager
    def slot(self, client: str, saturated):
        """Hold one of ``client``'s slots while the block runs; StoreBusy when it has none left, or when it is held
        off and ``saturated()`` (no query process is free)."""
        stopped = self.stopped.get(client)
        if stopped is not None and time.monotonic() - stopped < self.hold_off and saturated():
            raise StoreBusy(f"this client's last query was stopped less than {self.hold_off:g} s ago and the query "
                            "processes are busy: try again after Retry-After")
        if not self.per_client:
            yield
            return
        with self.lock:
            if self.running[client] >= self.per_client:
                raise StoreBusy(f"this client already runs {self.per_client} queries here "
                                "(ICC_GRAPH_CLIENT_QUERIES): try again when one has answered")
            self.running[client] += 1
        try:
            yield
        finally:
            with self.lock:
                self.running[client] -= 1
                if not self.running[client]:
                    del self.running[client]

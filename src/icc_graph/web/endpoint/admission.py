"""One client cannot take all of a worker's query capacity: a limit of queries running at once per client address.

The query processes are the scarce resource: a runaway query holds one (and a
web thread) until its time limit. Over the limit a client gets 503 with
Retry-After at once, without queueing, so that its flood never holds threads
and processes others need. The client is the connection's address (a proxy in
front should pass each client's own, e.g. through Granian's forwarded-headers
support); headers a client writes itself are not trusted for this.
"""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager

from ...store import StoreBusy


class ClientLimit:
    def __init__(self, per_client: int):
        self.per_client = per_client   # 0: no limit
        self.running: Counter[str] = Counter()
        self.lock = threading.Lock()

    @contextmanager
    def slot(self, client: str):
        """Hold one of ``client``'s slots while the block runs; StoreBusy when it has none left."""
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

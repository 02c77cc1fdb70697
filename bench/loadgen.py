"""A small HTTP load generator: threads with keep-alive connections, bounded in requests and in time.

Each of ``concurrency`` threads holds one persistent connection and sends the
next request of a rotating list until the request budget or the time budget is
spent; latency is measured per request, from sending to the last body byte.
Loopback only: the benchmark never talks to another host.
"""

from __future__ import annotations

import http.client
import itertools
import math
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Request:
    """One SPARQL query sent as GET ``path?query=...`` with an Accept header (SPARQL 1.1 Protocol)."""

    path: str
    query: str
    accept: str

    def target(self) -> str:
        return f"{self.path}?{urlencode({'query': self.query})}"


@dataclass
class Load:
    """What one load run measured."""

    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    first_error: str | None = None
    bytes_read: int = 0
    sent: int = 0          # requests started, so that the next run can go on where this one stopped

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float | None:
        """Nearest-rank percentile of the successful requests' latencies, in seconds."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        rank = min(len(ordered), max(1, math.ceil(share * len(ordered))))
        return ordered[rank - 1]


def fetch(port: int, request: Request, timeout: float) -> tuple[int, bytes]:
    """One request on a fresh connection: status and body."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    try:
        conn.request("GET", request.target(), headers={"Accept": request.accept})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def run_load(port: int, requests: list[Request], *, concurrency: int = 8, max_requests: int = 2000,
             max_seconds: float = 10.0, timeout: float = 30.0, start: int = 0) -> Load:
    """Send up to ``max_requests`` requests for at most ``max_seconds`` (requests in flight may finish).

    Requests are taken in turn from ``requests``, beginning at index ``start``: a list of unique texts
    then stays unique across runs when each run starts at the previous run's ``start + sent``."""
    load = Load()
    counter = itertools.count()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + max_seconds

    def worker() -> None:
        conn = None
        while True:
            index = next(counter)   # atomic under the GIL: each index is used once
            if index >= max_requests or time.perf_counter() >= deadline:
                break
            request = requests[(start + index) % len(requests)]
            if conn is None:
                conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
            sent = time.perf_counter()
            try:
                conn.request("GET", request.target(), headers={"Accept": request.accept})
                response = conn.getresponse()
                body = response.read()
                error = None if response.status == 200 else f"HTTP {response.status}: {body[:200]!r}"
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as exc:
                error, body = f"{type(exc).__name__}: {exc}", b""
                conn.close()
                conn = None
            elapsed = time.perf_counter() - sent
            with lock:
                load.sent += 1
                if error is None:
                    load.ok += 1
                    load.latencies.append(elapsed)
                    load.bytes_read += len(body)
                else:
                    load.errors += 1
                    load.first_error = load.first_error or error
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max_seconds + timeout + 5)
    load.seconds = time.perf_counter() - started
    return load

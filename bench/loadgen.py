"""The load generators: wrk for fast answers, Python threads for slow ones; both keep-alive, on loopback.

- ``run_wrk``: wrk (C, one thread, bench/rotation.lua). The Python client alone
  topped out at about 3,700 requests a second against a server answering a
  constant (Granian, hello-world WSGI app) and took most of a core doing so:
  below what Oxigraph server and icc-graph's cached answers sustain, so it
  measured itself. wrk's runs are timed, and requests still in flight at the
  end are dropped: right for answers of milliseconds.
- ``run_threads``: one Python thread per connection; it stops sending at the
  time budget but lets requests in flight finish, so an answer taking seconds
  is still counted (wrk would drop it and measure nothing).

Both send GET with an Accept header, the texts in turn, each optionally made
unique by a trailing comment. ``fetch`` sends a single request.
"""

from __future__ import annotations

import http.client
import itertools
import math
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

LOOPBACK = "127.0.0.1"
SCRIPT = Path(__file__).with_name("rotation.lua")
UNIQUE_SUFFIX = "%0A%23+request+"   # + i: the URL-encoded trailing comment "\n# request i"


class LoadGeneratorMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class Request:
    """One SPARQL query sent as GET ``path?query=...`` with an Accept header (SPARQL 1.1 Protocol)."""

    path: str
    query: str
    accept: str

    def target(self, unique_index: int | None = None) -> str:
        target = f"{self.path}?{urlencode({'query': self.query})}"
        return target if unique_index is None else f"{target}{UNIQUE_SUFFIX}{unique_index}"


@dataclass
class Load:
    """What one load run measured."""

    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)   # seconds; wrk: every answer, threads: the 200s
    first_error: str | None = None
    bytes_read: int = 0
    sent: int = 0          # requests started, so that the next run can go on where this one stopped

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float | None:
        """Nearest-rank percentile of the latencies, in seconds."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        rank = min(len(ordered), max(1, math.ceil(share * len(ordered))))
        return ordered[rank - 1]


def fetch(port: int, request: Request, timeout: float, unique_index: int | None = None) -> tuple[int, bytes]:
    """One request on a fresh connection: status and body."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    try:
        conn.request("GET", request.target(unique_index), headers={"Accept": request.accept})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def run_wrk(port: int, requests: list[Request], *, concurrency: int = 8, seconds: int = 3, timeout: float = 30.0,
             start: int = 0, unique: bool = False) -> Load:
    """Send requests on ``concurrency`` connections for ``seconds`` (wrk's runs are timed, in whole seconds).

    Requests are taken in turn from ``requests`` (same path and Accept header), beginning at index
    ``start``; with ``unique`` each text gets the suffix of its index, so texts stay unique across runs
    when each run starts at the previous run's ``start + sent``."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise LoadGeneratorMissing("the benchmark's load generator is wrk: `apt install wrk` (Debian)")
    with tempfile.NamedTemporaryFile("w", suffix=".targets", encoding="ascii") as targets:
        targets.write("".join(request.target() + "\n" for request in requests))
        targets.flush()
        command = [wrk, "-t1", f"-c{concurrency}", f"-d{max(1, seconds)}s", f"--timeout={max(1, math.ceil(timeout))}s",
                   "-s", str(SCRIPT), f"http://{LOOPBACK}:{port}",
                   "--", targets.name, requests[0].accept, str(start)] + ([UNIQUE_SUFFIX] if unique else [])
        finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + timeout + 30)
    return parse_report(finished.stdout, finished.stderr)


def run_threads(port: int, requests: list[Request], *, concurrency: int = 8, seconds: float = 3.0,
                timeout: float = 30.0, start: int = 0, unique: bool = False, max_requests: int | None = None) -> Load:
    """Send requests for ``seconds`` (and at most ``max_requests``); requests in flight then finish.

    Requests are taken in turn as in ``run_wrk``."""
    load = Load()
    counter = itertools.count()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds
    max_requests = max_requests if max_requests is not None else 1 << 62

    def worker() -> None:
        conn = None
        while True:
            index = next(counter)   # atomic under the GIL: each index is used once
            if index >= max_requests or time.perf_counter() >= deadline:
                break
            request = requests[(start + index) % len(requests)]
            target = request.target(start + index if unique else None)
            if conn is None:
                conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
            sent = time.perf_counter()
            try:
                conn.request("GET", target, headers={"Accept": request.accept})
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
        thread.join(seconds + timeout + 5)
    load.seconds = time.perf_counter() - started
    return load


def parse_report(stdout: str, stderr: str = "") -> Load:
    """The Load of rotation.lua's done() lines."""
    load = Load()
    for line in stdout.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "result":
            ok, answered, sent, duration_us, read, socket_errors = (int(x) for x in rest.split())
            load.ok, load.sent, load.seconds, load.bytes_read = ok, sent, duration_us / 1e6, read
            load.errors = answered - ok + socket_errors
            if socket_errors:
                load.first_error = f"{socket_errors} connection errors or timeouts"
        elif kind == "latency":
            value, count = (int(x) for x in rest.split())
            load.latencies += [value / 1e6] * count
        elif kind == "error" and rest.strip():
            load.first_error = rest.strip()
    if not any(line.startswith("result ") for line in stdout.splitlines()):
        raise RuntimeError(f"wrk gave no result: {(stderr or stdout)[-500:]}")
    return load

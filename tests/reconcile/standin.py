"""A stand-in Wikidata: a real Oxigraph server loaded with our fixture, behind a small proxy of ours.

The proxy (a real HTTP server on 127.0.0.1) passes each request on to Oxigraph's
query endpoint and writes down what the client sent: how many requests, when,
and with which User-Agent. It answers the first ``throttle`` requests with 429
and ``Retry-After`` instead, as Wikidata does to a client that asks too much.
"""

from __future__ import annotations

import contextlib
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..conftest import FIXTURES
from ..remote.servers import start_oxigraph

FIXTURE = FIXTURES / "wikidata" / "standin.ttl"
RETRY_AFTER = 1


@dataclass
class Seen:
    at: float
    user_agent: str
    status: int


@dataclass
class Proxy:
    upstream: str
    throttle: int = 1
    retry_after: int = RETRY_AFTER
    requests: list[Seen] = field(default_factory=list)
    url: str = ""

    @property
    def count(self) -> int:
        return len(self.requests)


def _handler(proxy: Proxy):
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:     # keep the test output clean
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                throttled = proxy.throttle > 0
                proxy.throttle -= throttled
                proxy.requests.append(Seen(time.monotonic(), self.headers.get("User-Agent", ""),
                                           429 if throttled else 200))
            if throttled:
                self._answer(429, b"Too many requests", "text/plain", {"Retry-After": str(proxy.retry_after)})
                return
            request = urllib.request.Request(proxy.upstream, data=body, method="POST", headers={
                "Content-Type": self.headers["Content-Type"], "Accept": self.headers.get("Accept", "*/*")})
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    self._answer(answer.status, answer.read(), answer.headers["Content-Type"])
            except urllib.error.HTTPError as exc:
                self._answer(exc.code, exc.read(), exc.headers.get("Content-Type", "text/plain"))

        def _answer(self, status: int, body: bytes, media_type: str, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextlib.contextmanager
def standin_wikidata(folder: Path) -> Iterator[Proxy]:
    """Oxigraph server with FIXTURE loaded, and the throttling, counting proxy in front (its URL: ``.url``)."""
    server = start_oxigraph(folder / "oxigraph")
    try:
        store = server.url.rsplit("/", 1)[0] + "/store?default"
        load = urllib.request.Request(store, data=FIXTURE.read_bytes(), method="POST",
                                      headers={"Content-Type": "text/turtle"})
        urllib.request.urlopen(load, timeout=30).close()
        proxy = Proxy(server.url)
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(proxy))
        proxy.url = f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield proxy
        finally:
            httpd.shutdown()
            httpd.server_close()
    finally:
        server.stop()

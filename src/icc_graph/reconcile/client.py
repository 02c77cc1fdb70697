"""A polite SPARQL client for Wikidata's query service (or any SPARQL 1.1 Protocol endpoint).

What Wikidata asks of a client, and how this one does it:

- a User-Agent naming the tool, its version and a way to reach its operators:
  ``icc-graph/<version> (<contact URL>) Python-urllib/<version>``;
- one request at a time, with ``delay`` seconds between two requests;
- on 429 (too many requests) or 503, wait what ``Retry-After`` says (seconds or
  an HTTP date) before trying again; without it, back off exponentially. A wait
  longer than ``MAX_WAIT`` stops the run instead (what was answered is cached);
- every answer is cached (cache.py): a query already answered is never sent again.

Queries are sent by POST (``application/x-www-form-urlencoded``), because a
batch of names makes a query too long for a URL; answers are SPARQL JSON.
"""

from __future__ import annotations

import email.utils
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from importlib.metadata import version

from .cache import AnswerCache

RETRIES = 5             # attempts after the first
MAX_WAIT = 300.0        # seconds; a longer Retry-After stops the run
TIMEOUT = 75.0          # seconds per request; Wikidata stops a query at 60
RESULTS_JSON = "application/sparql-results+json"


class QueryFailed(Exception):
    """The endpoint could not answer (or, offline, the cache holds no answer)."""


def user_agent(contact: str) -> str:
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"icc-graph/{version('icc-graph')} ({contact}) Python-urllib/{python}"


def retry_after(header: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date; None when absent or bad."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class SparqlClient:
    """SELECT queries to one endpoint, answered from the cache when it can, else over HTTP, politely."""

    def __init__(self, endpoint: str, contact: str, cache: AnswerCache, *, offline: bool = False,
                 delay: float = 1.0):
        self.endpoint, self.cache, self.offline, self.delay = endpoint, cache, offline, delay
        self.headers = {"User-Agent": user_agent(contact), "Accept": RESULTS_JSON,
                        "Content-Type": "application/x-www-form-urlencoded"}
        self.sent = 0           # HTTP requests, retries included
        self.from_cache = 0
        self._last = 0.0        # time.monotonic() when the last request ended

    def select(self, query: str) -> list[dict]:
        """The rows (SPARQL JSON bindings) of a SELECT query."""
        answer = self.cache.get(self.endpoint, query)
        if answer is not None:
            self.from_cache += 1
        elif self.offline:
            raise QueryFailed(f"--offline, and the cache holds no answer to a query for {self.endpoint} "
                              "(run once without --offline to fill it)")
        else:
            answer = self._ask(query)
            self.cache.put(self.endpoint, query, answer)
        try:
            return answer["results"]["bindings"]
        except (KeyError, TypeError):
            raise QueryFailed(f"{self.endpoint} answered something that is not a SPARQL SELECT result") from None

    def _ask(self, query: str) -> dict:
        body = urllib.parse.urlencode({"query": query}).encode()
        for attempt in range(RETRIES + 1):
            self._pause(self.delay)
            try:
                return self._send(body)
            except urllib.error.HTTPError as exc:
                if exc.code not in (429, 500, 502, 503, 504) or attempt == RETRIES:
                    detail = exc.read()[:300].decode("utf-8", "replace").strip()
                    raise QueryFailed(f"{self.endpoint} answered {exc.code} {exc.reason}: {detail}") from None
                wait = retry_after(exc.headers.get("Retry-After"))
                if wait is not None and wait > MAX_WAIT:
                    raise QueryFailed(f"{self.endpoint} asks to wait {wait:.0f} s (Retry-After); run again later, "
                                      "what was answered so far is cached") from None
                self._pause(wait if wait is not None else self._backoff(attempt))
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                if attempt == RETRIES:
                    raise QueryFailed(f"{self.endpoint} could not be reached: {exc}") from None
                self._pause(self._backoff(attempt))
        raise AssertionError("unreachable")

    def _send(self, body: bytes) -> dict:
        request = urllib.request.Request(self.endpoint, data=body, headers=self.headers, method="POST")
        self.sent += 1
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                payload = response.read()
        finally:
            self._last = time.monotonic()
        try:
            return json.loads(payload)
        except ValueError:
            raise QueryFailed(f"{self.endpoint} answered something that is not JSON: {payload[:200]!r}") from None

    def _backoff(self, attempt: int) -> float:
        return max(self.delay, 1.0) * 2 ** attempt

    def _pause(self, seconds: float) -> None:
        """Wait until ``seconds`` have passed since the last request ended (no wait before the first)."""
        if self._last:
            left = self._last + seconds - time.monotonic()
            if left > 0:
                time.sleep(left)

"""SELECT queries to Wikidata's query service (or any SPARQL 1.1 Protocol endpoint), each sent at most once.

The manners (User-Agent, one request at a time, Retry-After, backoff, the
longest wait) are ``icc_graph.polite_http``'s; a wait longer than its
``MAX_WAIT`` stops the run (what was answered is cached). What this layer adds:
every answer is cached (cache.py), so a query already answered is never sent
again, and ``--offline`` sends nothing. Queries are sent by POST
(``application/x-www-form-urlencoded``), because a batch of names makes a
query too long for a URL; answers are SPARQL JSON.
"""

from __future__ import annotations

import json

from ..polite_http import FetchError, PoliteClient
from .cache import AnswerCache

RETRIES = 5             # attempts after the first
TIMEOUT = 75.0          # seconds per request; Wikidata stops a query at 60
RESULTS_JSON = "application/sparql-results+json"


class QueryFailed(Exception):
    """The endpoint could not answer (or, offline, the cache holds no answer)."""


class SparqlClient:
    """SELECT queries to one endpoint, answered from the cache when it can, else over HTTP, politely."""

    def __init__(self, endpoint: str, http: PoliteClient, cache: AnswerCache, *, offline: bool = False):
        self.endpoint, self.http, self.cache, self.offline = endpoint, http, cache, offline
        self.from_cache = 0

    @property
    def sent(self) -> int:
        """HTTP requests sent, retries included."""
        return self.http.requests

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
        try:
            answer = self.http.post_form(self.endpoint, {"query": query}, {"Accept": RESULTS_JSON})
        except FetchError as exc:
            raise QueryFailed(f"{exc}; run again later, what was answered so far is cached") from None
        if answer.status != 200:
            detail = answer.body[:300].decode("utf-8", "replace").strip()
            raise QueryFailed(f"{self.endpoint} answered {answer.status}: {detail}")
        try:
            return json.loads(answer.body)
        except ValueError:
            raise QueryFailed(f"{self.endpoint} answered something that is not JSON: {answer.body[:200]!r}") from None

"""A store reached over the SPARQL 1.1 Protocol (the products of endpoints.PRODUCTS, or any other), read-only.

The same rules as the embedded store, kept on this side of the wire because a
remote store may allow more than a public endpoint should:

- only queries leave, never updates; SERVICE and the products' own pragmas and
  functions are refused before forwarding (query_screen);
- each query has a time limit: the store's own limit is sent where the product
  has one (endpoints.PRODUCTS) and the client abandons the request at the limit
  by shutting the socket (transport);
- answers stop at the row cap with the truncation flag set (client);
- the query sees only the graphs of the release the control graph points at,
  under their public names (pointer): FROM and default-graph-uri may name
  those graphs only, so the query can reach nothing else in a shared store.

Several web workers on several machines can serve from one store: the pointer
is read again every ``store_refresh`` seconds, so a push reaches every worker
soon after the switch (and the previous release stays loaded for that grace time).
"""

from __future__ import annotations

import logging
import threading
import time

from ...config import Settings
from ...vocabulary.formats import GRAPH_TYPES, N_TRIPLES, SOLUTION_TYPES
from ...vocabulary.prefixes import prologue
from ..base import FIRST, Answer, GraphSelection, QuerySyntaxError, QueryTimeout, Snapshot, Store, StoreError, Turn
from ..results import write_boolean, write_graph, write_solutions
from .client import NT_ACCEPT, XML_ACCEPT, SparqlClient, solutions_reader, triples_reader
from .credentials import Credentials
from .endpoints import Endpoints, discover
from .pointer import Served, parse_served, read_query
from .query_screen import Screened, screen
from .transport import Transport, check_url, shown

POINTER_TIMEOUT = 10.0
log = logging.getLogger(__name__)


class RemoteStore(Store):
    def __init__(self, settings: Settings, endpoints: Endpoints | None = None):
        self.base = settings.base_iri
        self.row_cap = settings.row_cap
        self.default_timeout = settings.query_timeout
        transport = Transport(Credentials.from_settings(settings))
        self.endpoints = endpoints or discover(transport, check_url(settings.store))
        self.client = SparqlClient(transport, self.endpoints)
        self.pointer_ttl = settings.store_refresh
        self.store_max_rows = 0   # the store's own cut, once it has shown one (Signals.row_cut_headers)
        self._served: Served | None = None
        self._read_at = 0.0
        self._lock = threading.Lock()
        self.served()   # fail now, not on the first request, when the store holds no release

    def served(self) -> Served:
        """The release the store serves, read again when older than the store_refresh setting."""
        with self._lock:
            if self._served is not None and time.monotonic() - self._read_at < self.pointer_ttl:
                return self._served
        try:
            answer = self.client.select(read_query(self.base), POINTER_TIMEOUT)
        except StoreError as exc:
            if self._served is None:
                raise
            # Keep the pointer we have: the queries themselves will say whether the store is really gone.
            log.warning("could not re-read the release pointer, keeping %s: %s", self._served.tag, exc)
            with self._lock:
                self._read_at = time.monotonic()
            return self._served
        served = parse_served(self.base, answer.rows)
        if served is None:
            raise StoreError(f"the store at {shown(self.endpoints.query)} holds no icc-graph release: "
                             f"run `icc-graph push --store {shown(self.endpoints.query)}` first")
        with self._lock:
            self._served, self._read_at = served, time.monotonic()
        return served

    @property
    def snapshot(self) -> Snapshot:
        return self.served().snapshot

    def execute(self, query: str, media_type: str, timeout: float | None = None,
                graphs: GraphSelection = GraphSelection(),  # noqa: B008 - frozen, like the base class
                turn: Turn = FIRST) -> Answer:   # the remote store shares its capacity itself
        if media_type not in SOLUTION_TYPES + GRAPH_TYPES:
            raise QuerySyntaxError(f"cannot answer in {media_type}")
        timeout = self.default_timeout if timeout is None else timeout
        try:
            served = self.served()
            screened = screen(prologue() + query, served.rename)   # the prefixes /sparql declares for every query
            dataset = None if screened.has_dataset and not graphs else served.dataset()
            if graphs:
                dataset = {"default-graph-uri": [_renamed(served, g) for g in graphs.default_graphs],
                           "named-graph-uri": [_renamed(served, g) for g in graphs.named_graphs]}
            return self._run(screened, media_type, timeout, dataset, served)
        except QueryTimeout:
            # The transport's messages name the store's URL, which the public must not see; the log keeps it.
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from None
        except StoreError as exc:
            log.warning("remote store query failed: %s", exc)
            # Same kind (a StoreUnavailable stays one: 503, not 500), without the store's address.
            raise type(exc)(str(exc).replace(shown(self.endpoints.query), "the store")) from None

    def _run(self, screened: Screened, media_type: str, timeout: float, dataset, served: Served) -> Answer:
        if screened.form in ("SELECT", "ASK"):
            if media_type not in SOLUTION_TYPES:
                raise QuerySyntaxError(f"a {screened.form} query answers in {', '.join(SOLUTION_TYPES)}, "
                                       f"not {media_type}")
            reply = self.client.query(screened.text, XML_ACCEPT, solutions_reader(self.row_cap), timeout, dataset)
            solutions = reply.body
            if solutions.boolean is not None:
                return Answer(write_boolean(solutions.boolean, media_type), media_type)
            body = write_solutions(solutions.variables, solutions.rows, media_type)
            store_cut = self.endpoints.product.signals.row_cut(reply.header)
            if store_cut:
                # The store stopped at its own row limit: flag it, and remember it for graph answers,
                # which it cuts at the same count without saying so.
                self.store_max_rows = int(store_cut) if store_cut.isdigit() else self.store_max_rows
                return Answer(_public(body, served), media_type, True)
        else:
            if media_type not in GRAPH_TYPES:
                raise QuerySyntaxError(f"a {screened.form} query answers in {', '.join(GRAPH_TYPES)}, "
                                       f"not {media_type}")
            reply = self.client.query(screened.text, NT_ACCEPT, triples_reader(self.row_cap), timeout, dataset)
            body = write_graph(reply.body, media_type)
            if media_type == N_TRIPLES and body is None:
                body = b""
            if self.store_max_rows and len(reply.body) >= self.store_max_rows:
                return Answer(_public(body, served), media_type, True)
        return Answer(_public(body or b"", served), media_type, reply.truncated)


def _renamed(served: Served, iri: str) -> str:
    renamed = served.rename(iri)
    if renamed is None:
        names = ", ".join(f"<{p}>" for p in sorted(served.graphs) if p)
        raise QuerySyntaxError(f"<{iri}> is not a graph of this dataset; its graphs are {names}")
    return renamed


def _public(body: bytes, served: Served) -> bytes:
    """The answer with the release graphs' names replaced by their public names (plain and JSON-escaped)."""
    for stored, public in served.public_names():
        if stored in body:
            body = body.replace(stored, public)
        escaped = stored.replace(b"/", b"\\/")
        if escaped in body:
            body = body.replace(escaped, public.replace(b"/", b"\\/"))
    return body

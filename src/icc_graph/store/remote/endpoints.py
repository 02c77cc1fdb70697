"""A remote store's endpoints (query, update, Graph Store) and the product behind them.

The update and Graph Store URLs come, in this order, from what the user gave
(settings or options), from the store's SPARQL 1.1 Service Description
(``sd:endpoint`` of a service whose ``sd:supportedLanguage`` is
``sd:SPARQL11Update``), or from the known layout of the product that answers
(its ``Server`` header), because neither Oxigraph nor Virtuoso describe their
update endpoints: Virtuoso even names a host of its own invention
(``http://localuriqaserver/sparql``), so a described URL on another host is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from urllib.parse import urlsplit

from rdflib import Graph, Namespace, URIRef

from ...vocabulary.formats import BY_MEDIA_TYPE
from ..base import StoreError
from .transport import Transport, shown

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DESCRIPTION_TIMEOUT = 10.0


@dataclass(frozen=True)
class Signals:
    """What a product says beside its answer, outside the SPARQL protocol: tuples, so that rows can be merged."""

    stopped: tuple[tuple[str, str], ...] = ()   # (header, value): the time limit struck, the answer is partial
    timeout_texts: tuple[str, ...] = ()         # in an error answer's body: the query ran past the time limit
    row_cut_headers: tuple[str, ...] = ()       # names the store's own row limit when it cut a SELECT answer

    def stopped_early(self, header: Callable[[str], str]) -> bool:
        return any(header(name) == value for name, value in self.stopped)

    def timed_out(self, message: str) -> bool:
        return any(text in message for text in self.timeout_texts)

    def row_cut(self, header: Callable[[str], str]) -> str:
        """The store's own row limit when its answer says it cut there ("" when it does not)."""
        return next((value for value in map(header, self.row_cut_headers) if value), "")


@dataclass(frozen=True)
class Product:
    """What one store product needs: its endpoint layout, its time limit, and its quirks.

    Every product-specific behaviour lives on these rows; the rest of ``store/``
    reads the row and never names a product (tests/test_layout.py holds that).
    """

    name: str
    server: re.Pattern            # matched against the Server header
    update_path: str              # {dir}: the query URL's folder; {query}: the query URL itself
    gsp_path: str
    timeout_param: str = ""       # query parameter carrying the store-side time limit
    timeout_scale: float = 1.0    # seconds -> the parameter's unit
    signals: Signals = Signals()
    # Syntax beyond SPARQL 1.1 that reaches past the query (the screen refuses every product's, whatever answers):
    extension_words: tuple[str, ...] = ()        # keywords (pragmas)
    extension_namespaces: tuple[str, ...] = ()   # IRIs of built-in function libraries
    extension_prefixes: tuple[str, ...] = ()     # prefixes the store predeclares for them
    update_chunk: int = 10_000    # triples per INSERT DATA (a push without a Graph Store)
    blank_nodes_in_insert_data: bool = True     # SPARQL 1.1 allows them; where not, an INSERT template is sent


PRODUCTS = (
    # Writes go to the Digest-protected twins of /sparql; its `timeout` (ms) makes an "anytime" query that
    # returns partial results flagged only by X-SQL-State: S1TAT (never passed on: a timeout), and a query
    # stopped outright answers 500 with S1T00 in the body. Its ResultSetMaxRows cuts a SELECT answer with
    # X-SPARQL-MaxRows set, and a graph answer at the same count without saying so. Its DEFINE pragmas fetch
    # the web, its bif:/sql: functions run SQL or HTTP inside the store. Its SQL compiler chokes on big
    # INSERT DATA requests, and it refuses blank nodes in them. Its blank nodes are labelled nodeID://b123.
    Product("Virtuoso", re.compile(r"^Virtuoso", re.I), "{dir}sparql-auth", "{dir}sparql-graph-crud-auth",
            "timeout", 1000.0,
            signals=Signals(stopped=(("X-SQL-State", "S1TAT"),), timeout_texts=("S1T00",),
                            row_cut_headers=("X-SPARQL-MaxRows",)),
            extension_words=("DEFINE",),
            extension_namespaces=("http://www.openlinksw.com/schemas/bif#", "http://www.openlinksw.com/schemas/sql#"),
            extension_prefixes=("bif", "sql"),
            update_chunk=2_000, blank_nodes_in_insert_data=False),
    # Oxigraph server takes no per-query limit (its --timeout-s is for the whole server): it hangs up mid-answer.
    Product("Oxigraph", re.compile(r"^Oxigraph", re.I), "{dir}update", "{dir}store"),
    Product("Fuseki", re.compile(r"Fuseki|Jena", re.I), "{dir}update", "{dir}data", "timeout", 1.0),
    Product("GraphDB", re.compile(r"GraphDB|RDF4J", re.I), "{query}/statements", "{query}/rdf-graphs/service",
            "timeout", 1.0),
)


def _cautious(rows: tuple[Product, ...]) -> Product:
    """A store we cannot recognise (a proxy may hide its Server header) may be any of them: every row's signals,
    the smallest update chunk, no blank nodes in INSERT DATA; no time limit sent in a unit it may misread."""
    return Product(
        "a SPARQL 1.1 store", re.compile(r"$^"), "", "",
        signals=Signals(*(tuple(item for row in rows for item in getattr(row.signals, f.name))
                          for f in fields(Signals))),
        update_chunk=min(row.update_chunk for row in rows),
        blank_nodes_in_insert_data=all(row.blank_nodes_in_insert_data for row in rows))


UNKNOWN = _cautious(PRODUCTS)


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str = ""
    gsp: str = ""
    product: Product = UNKNOWN

    def timeout_params(self, seconds: float | None) -> dict[str, str]:
        """The store-side time limit to send with a query (the client abandons the request anyway)."""
        if seconds is None or not self.product.timeout_param:
            return {}
        value = seconds * self.product.timeout_scale
        return {self.product.timeout_param: str(int(value)) if value >= 1 else f"{value:g}"}


def product_of(server_header: str) -> Product:
    for product in PRODUCTS:
        if product.server.search(server_header or ""):
            return product
    return UNKNOWN


def discover(transport: Transport, query_url: str, update_url: str = "", gsp_url: str = "") -> Endpoints:
    """The endpoints of the store whose query endpoint is ``query_url``; StoreError when it does not answer."""
    reply = transport.request("GET", query_url, timeout=DESCRIPTION_TIMEOUT,
                              headers={"Accept": "text/turtle, application/rdf+xml;q=0.5"})
    if reply.status >= 500 or reply.status in (401, 403, 404):
        raise StoreError(f"the store at {shown(query_url)} answered {reply.status} to a GET for its "
                         "Service Description: is this its SPARQL query endpoint?")
    product = product_of(reply.header("Server"))
    described = _described_update(reply.body, reply.header("Content-Type"), query_url)
    folder = query_url.split("?")[0].rsplit("/", 1)[0] + "/"
    guessed_update = product.update_path.format(dir=folder, query=query_url.rstrip("/"))
    guessed_gsp = product.gsp_path.format(dir=folder, query=query_url.rstrip("/"))
    return Endpoints(query_url, update_url or described or guessed_update, gsp_url or guessed_gsp, product)


def _described_update(body: bytes, content_type: str, query_url: str) -> str:
    media = content_type.split(";")[0].strip().lower()
    fmt = BY_MEDIA_TYPE.get(media)
    if fmt is None or fmt.quads or not body:
        return ""
    try:
        graph = Graph().parse(data=body, format=fmt.rdflib, publicID=query_url)
    except Exception:   # noqa: BLE001 - a description we cannot read is one we do without
        return ""
    for service in graph.subjects(SD.supportedLanguage, SD.SPARQL11Update):
        for endpoint in graph.objects(service, SD.endpoint):
            if isinstance(endpoint, URIRef) and urlsplit(str(endpoint)).netloc == urlsplit(query_url).netloc:
                return str(endpoint)
    return ""

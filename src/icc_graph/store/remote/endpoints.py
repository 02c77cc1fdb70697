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
from dataclasses import dataclass
from urllib.parse import urlsplit

from rdflib import Graph, Namespace, URIRef

from ...vocabulary.formats import BY_MEDIA_TYPE
from ..base import StoreError
from .transport import Transport, shown

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DESCRIPTION_TIMEOUT = 10.0


@dataclass(frozen=True)
class Product:
    """What one store product needs: its endpoint layout and how it takes a query time limit."""

    name: str
    server: re.Pattern            # matched against the Server header
    update_path: str              # {dir}: the query URL's folder; {query}: the query URL itself
    gsp_path: str
    timeout_param: str = ""       # query parameter carrying the store-side time limit
    timeout_scale: float = 1.0    # seconds -> the parameter's unit


PRODUCTS = (
    # Writes go to the Digest-protected twins of /sparql; its `timeout` (ms) makes an "anytime" query that
    # returns partial results flagged only by X-SQL-State: S1TAT (store.py turns that into a timeout).
    Product("Virtuoso", re.compile(r"^Virtuoso", re.I), "{dir}sparql-auth", "{dir}sparql-graph-crud-auth",
            "timeout", 1000.0),
    Product("Oxigraph", re.compile(r"^Oxigraph", re.I), "{dir}update", "{dir}store"),
    Product("Fuseki", re.compile(r"Fuseki|Jena", re.I), "{dir}update", "{dir}data", "timeout", 1.0),
    Product("GraphDB", re.compile(r"GraphDB|RDF4J", re.I), "{query}/statements", "{query}/rdf-graphs/service",
            "timeout", 1.0),
)
UNKNOWN = Product("a SPARQL 1.1 store", re.compile(r"$^"), "", "")


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

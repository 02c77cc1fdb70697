"""``icc-graph push``: load a release into a SPARQL 1.1 store, so that a failed or interrupted push changes nothing.

0. The graphs it is about to load are recorded in the control graph (``stagedBy``), so
   that whatever a dead push leaves behind is found and dropped by the next one.
1. Each named graph of the release goes into a NEW graph named after the release
   (pointer.release_graph), by the Graph Store Protocol (an N-Triples
   body sent as text/turtle, which every store reads; never JSON-LD, which
   some Graph Stores refuse), in chunks: PUT the first, POST the others;
   or, where no Graph Store endpoint is known, by SPARQL Update INSERT DATA in
   chunks of the size the product's row (endpoints.PRODUCTS) allows.
2. Each graph is counted in the store: a short load is a failed push.
3. The control graph is switched to the new graphs in one update operation.
4. Only then are old releases dropped, all but the one just replaced (readers
   re-read the pointer within ``store_refresh`` seconds and may still be on it).

Pushing the release the store already serves (same SHA256SUMS) does nothing.

Until step 3 the store serves the previous release; a failure removes what the
push loaded and says so. Messages name the store by URL; credentials never
appear in them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import DefaultGraph, RdfFormat, Store, serialize

from ...config import Settings
from ...vocabulary.release_folder import CHECKSUMS, NQUADS
from ..base import StoreError
from ..snapshot import release_checksum, release_metadata
from .client import SparqlClient
from .credentials import Credentials
from .endpoints import Endpoints, discover
from .pointer import (
    DEFAULT,
    Served,
    parse_served,
    read_query,
    release_graph,
    release_tag,
    stage_update,
    staged,
    switch_update,
)
from .transport import Transport, check_url, shown

log = logging.getLogger(__name__)

GSP_CHUNK = 50_000        # triples per Graph Store request
REQUEST_TIMEOUT = 600.0   # seconds for one upload or update request
READ_TIMEOUT = 60.0


class PushError(StoreError):
    """The push failed; the store still serves what it served before."""


@dataclass(frozen=True)
class LocalRelease:
    folder: Path
    version: str
    checksum: str
    modified: datetime
    graphs: dict[str, list]   # public graph name ("" = default graph) -> pyoxigraph triples

    @property
    def tag(self) -> str:
        return release_tag(self.version, self.checksum)


@dataclass
class PushReport:
    tag: str
    endpoints: Endpoints
    counts: dict[str, int] = field(default_factory=dict)
    previous: str = ""
    dropped: list[str] = field(default_factory=list)
    unchanged: bool = False


def read_release(folder: Path) -> LocalRelease:
    folder = Path(folder)
    if not (folder / NQUADS).is_file() or not (folder / CHECKSUMS).is_file():
        raise PushError(f"{folder} is not an icc-graph release folder ({NQUADS} and {CHECKSUMS} are needed): "
                        "run `icc-graph build`")
    store = Store()
    try:
        store.load(path=str(folder / NQUADS), format=RdfFormat.N_QUADS)
    except (SyntaxError, ValueError, OSError) as exc:
        raise PushError(f"{folder / NQUADS} cannot be read: {exc}") from None
    version, modified = release_metadata(store, folder)
    graphs: dict[str, list] = {}
    for quad in store:
        name = DEFAULT if isinstance(quad.graph_name, DefaultGraph) else quad.graph_name.value
        graphs.setdefault(name, []).append(quad.triple)
    return LocalRelease(folder, version, release_checksum(folder), modified, graphs)


def chunks(triples: list, size: int) -> list[list]:
    """``triples`` in chunks of ``size``; every triple with a blank node goes in the first chunk, because a
    blank node label means the same node only within one request."""
    with_blank = [t for t in triples if _has_blank(t)]
    plain = sorted((t for t in triples if not _has_blank(t)), key=str)
    first = with_blank + plain[:max(size - len(with_blank), 0)]
    rest = plain[len(first) - len(with_blank):]
    return [first] + [rest[i:i + size] for i in range(0, len(rest), size)]


def _has_blank(triple) -> bool:
    return type(triple.subject).__name__ == "BlankNode" or type(triple.object).__name__ == "BlankNode"


class Pusher:
    def __init__(self, settings: Settings, query_url: str, update_url: str = "", gsp_url: str = "",
                 use_gsp: bool = True):
        self.base = settings.base_iri
        transport = Transport(Credentials.from_settings(settings))
        self.transport = transport
        self.endpoints = discover(transport, check_url(query_url), update_url or settings.store_update_url,
                                  gsp_url or settings.store_gsp_url)
        if not use_gsp:
            self.endpoints = replace(self.endpoints, gsp="")
        self.client = SparqlClient(transport, self.endpoints)

    def control_rows(self) -> list[list]:
        return self.client.select(read_query(self.base), READ_TIMEOUT).rows

    def current(self) -> Served | None:
        return parse_served(self.base, self.control_rows())

    def push(self, release: LocalRelease, on_graph: Callable[[str, int], None] | None = None) -> PushReport:
        report = PushReport(release.tag, self.endpoints)
        current = self.current()
        report.previous = current.tag if current else ""
        if current is not None and current.tag == release.tag:
            report.unchanged = True   # releases never change: the same tag is the same data
            return report
        targets = {public: release_graph(self.base, release.tag, public) for public in release.graphs}
        try:
            self.client.update(stage_update(self.base, {g: release.tag for g in targets.values()}), READ_TIMEOUT)
            for public, triples in sorted(release.graphs.items()):
                self._load(targets[public], triples)
                log.info("loaded %d triples into <%s>", len(triples), targets[public])
                if on_graph is not None:
                    on_graph(public, len(triples))
            # Counted after every load, just before the switch: what is counted is what will be served.
            for public, triples in sorted(release.graphs.items()):
                self._count(targets[public], len(triples))
                report.counts[public or "(default graph)"] = len(triples)
            served = Served(release.tag, release.version, release.checksum, release.modified, targets,
                            report.previous)
            self.client.update(switch_update(self.base, served), REQUEST_TIMEOUT)
        except (StoreError, OSError) as exc:
            self._forget({graph: release.tag for graph in targets.values()})
            before = f"release {report.previous}" if report.previous else "nothing (no release was pushed before)"
            raise PushError(f"pushing release {release.tag} to {shown(self.endpoints.query)} failed: {exc}\n"
                            f"the store still serves {before}") from None
        log.info("switched %s to release %s", shown(self.endpoints.query), release.tag)
        report.dropped = self._drop_old(keep={release.tag, report.previous})
        return report

    def _load(self, graph: str, triples: list) -> None:
        if self.endpoints.gsp:
            for number, chunk in enumerate(chunks(triples, GSP_CHUNK)):
                body = serialize(chunk, format=RdfFormat.N_TRIPLES) or b""
                separator = "&" if "?" in self.endpoints.gsp else "?"
                url = f"{self.endpoints.gsp}{separator}graph={quote(graph, safe='')}"
                reply = self.transport.request("PUT" if number == 0 else "POST", url, timeout=REQUEST_TIMEOUT,
                                               body=body, headers={"Content-Type": "text/turtle; charset=utf-8"})
                if reply.status >= 300:
                    raise StoreError(f"the Graph Store at {shown(self.endpoints.gsp)} answered {reply.status} "
                                     f"for <{graph}>: {reply.body[:300].decode('utf-8', 'replace')}")
            return
        self.client.update(f"DROP SILENT GRAPH <{graph}>", REQUEST_TIMEOUT)
        product = self.endpoints.product
        for chunk in chunks(triples, product.update_chunk):
            body = (serialize(chunk, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")
            if not product.blank_nodes_in_insert_data and any(_has_blank(t) for t in chunk):
                # An INSERT template over one empty solution is the same change as INSERT DATA, in standard
                # SPARQL, and makes each label one new node.
                self.client.update(f"INSERT {{ GRAPH <{graph}> {{\n{body}}} }} WHERE {{}}", REQUEST_TIMEOUT)
            else:
                self.client.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}", REQUEST_TIMEOUT)

    def _count(self, graph: str, expected: int) -> None:
        answer = self.client.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                                    READ_TIMEOUT)
        found = int(answer.rows[0][0].value) if answer.rows and answer.rows[0][0] is not None else 0
        if found != expected:
            raise StoreError(f"<{graph}> holds {found} triples after the load, not {expected}")

    def _forget(self, graphs: dict[str, str]) -> list[str]:
        """Drop ``graphs`` (release graph -> tag) and their stagedBy records; what could not be dropped stays
        recorded, for the next push."""
        dropped = {}
        for graph, tag in sorted(graphs.items()):
            try:
                self.client.update(f"DROP SILENT GRAPH <{graph}>", REQUEST_TIMEOUT)
                dropped[graph] = tag
            except StoreError as exc:   # the store may be gone: the next push drops what is left
                log.warning("could not drop <%s>: %s", graph, exc)
        if dropped:
            try:
                self.client.update(stage_update(self.base, dropped, insert=False), READ_TIMEOUT)
            except StoreError as exc:
                log.warning("could not clear the records of dropped graphs: %s", exc)
        return sorted(dropped)

    def _drop_old(self, keep: set[str]) -> list[str]:
        try:
            recorded = staged(self.base, self.control_rows())
        except StoreError as exc:
            log.warning("could not list old release graphs: %s", exc)
            return []
        return self._forget({graph: tag for graph, tag in recorded.items() if tag not in keep})


def push(settings: Settings, folder: Path, query_url: str, update_url: str = "", gsp_url: str = "",
         use_gsp: bool = True, on_graph: Callable[[str, int], None] | None = None) -> PushReport:
    """Load the release in ``folder`` into the store at ``query_url`` and switch the store to it.

    ``on_graph(public name, triples)`` is called after each graph is uploaded (progress reports)."""
    checksum = release_checksum(Path(folder))   # a folder that is no release fails here, before any request
    pusher = Pusher(settings, query_url, update_url, gsp_url, use_gsp)
    current = pusher.current()
    if current is not None and current.checksum == checksum:
        # Already served: say so without reading the dumps (seconds on a big release).
        return PushReport(current.tag, pusher.endpoints, previous=current.previous, unchanged=True)
    return pusher.push(read_release(folder), on_graph)

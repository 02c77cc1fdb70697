"""The narrow interface the web layer queries, whatever store answers (embedded Oxigraph or remote SPARQL).

A store runs one read-only SPARQL query and hands back either serialized bytes
(``execute``, what /sparql sends on) or Python values (``select``, ``ask``,
``construct``, what pages use). Terms are rdflib terms so that callers do not
depend on the engine. Only ``execute`` and ``close`` are engine-specific: the
other three are built on it here.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

# What a store must be able to write, by result kind: vocabulary.formats (SOLUTION_TYPES, GRAPH_TYPES).
from ..vocabulary.formats import N_TRIPLES, RESULTS_JSON


class StoreError(Exception):
    """The store failed (not the query's fault)."""


class StoreUnavailable(StoreError):
    """The store cannot be reached now (down, restarting, refusing connections): worth retrying later (503)."""


class QuerySyntaxError(ValueError):
    """The query does not parse, or asks for something a read-only endpoint refuses."""


class QueryTimeout(StoreError):
    """The query ran past its time limit and was stopped."""


class StoreBusy(QueryTimeout):
    """No query capacity for this query in time: every process stayed busy, or too many long queries run.
    Nothing is wrong with the query; the client may retry (503 with Retry-After)."""


class QueryStopped(StoreBusy):
    """The query was stopped mid-run because it became long while the long-query permits were all taken."""


@dataclass(frozen=True)
class Snapshot:
    """The release a store serves: what HTTP caching keys on (releases never change once built)."""

    version: str
    checksum: str          # SHA-256 of the release's SHA256SUMS file
    modified: datetime     # the dataset's dcterms:modified (from dataset.yaml), UTC


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    truncated: bool = False   # the row cap cut the answer
    from_core: bool = False   # an on-disk release's in-memory core answered (embedded.core), not the whole store


@dataclass(frozen=True)
class GraphSelection:
    """The protocol's default-graph-uri / named-graph-uri; empty means the store's own dataset."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


STORE_DATASET = GraphSelection()   # no protocol dataset: the store's own graphs, default graph = their union


@dataclass(frozen=True)
class Turn:
    """Where a query stands when the store's capacity is short (a remote store's is its own affair).

    ``rank``: lower is served first when queries wait (the endpoint passes when the client last used a query
    process; the pages' own lookups keep the default and go first). ``costly``: the query looked expensive before it
    ran (web/endpoint/cost_estimate.py), so it runs only on a long-query share, never on the process kept for
    short queries.
    """

    rank: float = float("-inf")
    costly: bool = False


FIRST = Turn()   # the pages' lookups: short by design, served before any client's query


class Store(ABC):
    snapshot: Snapshot
    row_cap: int

    @abstractmethod
    def execute(self, query: str, media_type: str, timeout: float | None = None,
                graphs: GraphSelection = STORE_DATASET, turn: Turn = FIRST) -> Answer:
        """Run ``query`` and serialize its answer as ``media_type`` (one of SOLUTION_TYPES or GRAPH_TYPES).

        Raises QuerySyntaxError for a bad query, QueryTimeout when it ran out of time, StoreError otherwise.
        """

    def close(self) -> None:  # noqa: B027 - a hook: most stores hold nothing to release
        """Release processes and connections (the default has none)."""

    def warm_up(self) -> None:  # noqa: B027 - a hook: most stores need nothing before the first query
        """Start what answering needs (processes, connections) now rather than on the first request."""

    def saturated(self) -> bool:
        """Whether a query would have to wait for capacity right now (a remote store's is its own affair)."""
        return False

    def select(self, query: str, timeout: float | None = None) -> tuple[list[str], list[tuple]]:
        """(variable names, rows); a row holds rdflib terms, or None where a variable is unbound."""
        doc = json.loads(self.execute(query, RESULTS_JSON, timeout).body)
        names = doc["head"].get("vars", [])
        rows = [tuple(_term(binding.get(name)) for name in names) for binding in doc["results"]["bindings"]]
        return names, rows

    def ask(self, query: str, timeout: float | None = None) -> bool:
        return bool(json.loads(self.execute(query, RESULTS_JSON, timeout).body)["boolean"])

    def construct(self, query: str, timeout: float | None = None) -> list[tuple]:
        """The triples a CONSTRUCT or DESCRIBE query builds, as rdflib terms."""
        from rdflib import Graph

        graph = Graph().parse(data=self.execute(query, N_TRIPLES, timeout).body, format="nt")
        return list(graph)


def _term(binding: dict | None):
    # rdflib is imported here, not at the top: the query processes import this module and must start fast.
    from rdflib import BNode, Literal, URIRef

    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        datatype = binding.get("datatype")
        return Literal(value, lang=binding.get("xml:lang"), datatype=URIRef(datatype) if datatype else None)
    raise StoreError(f"unsupported term in a SPARQL JSON result: {binding!r}")

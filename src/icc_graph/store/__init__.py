"""Stores the web layer queries: embedded Oxigraph over a release (default) or a remote SPARQL 1.1 store."""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..vocabulary.release_folder import NQUADS, latest
from .base import (
    Answer,
    GraphSelection,
    QueryStopped,
    QuerySyntaxError,
    QueryTimeout,
    Snapshot,
    Store,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    Turn,
)

__all__ = ["Answer", "GraphSelection", "QueryStopped", "QuerySyntaxError", "QueryTimeout", "Snapshot", "Store",
           "StoreBusy", "StoreError", "StoreUnavailable", "Turn", "holds_in_memory", "open_store", "release_dir"]


def release_dir(settings: Settings) -> Path:
    """The release folder to serve: the ``release`` setting, else <dist_dir>/latest."""
    return Path(settings.release) if settings.release else latest(settings.dist_dir)


# How many times longer listings and joins take on the on-disk store than in memory (3 to 5 at 10k and 100k).
ON_DISK_SLOWER = 5


def holds_in_memory(settings: Settings, release: Path) -> bool:
    """Whether the embedded store holds ``release`` in memory: when the query server's copy and one per query
    process fit ``memory_store_mb``; otherwise it is queried on disk."""
    from .embedded.store import memory_footprint_mb

    processes = settings.workers * (settings.query_processes or settings.threads)
    return (release / NQUADS).is_file() and memory_footprint_mb(release, processes) <= settings.memory_store_mb


def open_store(settings: Settings) -> Store:
    if settings.store:
        try:
            from .remote.store import RemoteStore
        except ImportError as exc:
            raise StoreError(f"ICC_GRAPH_STORE={settings.store!r}: this version has no remote store support") from exc
        return RemoteStore(settings)
    from .embedded.store import Admission, EmbeddedStore

    release = release_dir(settings)
    # Every worker gets its query processes (by default one per thread), all forked by one query server.
    processes = settings.query_processes or settings.threads
    in_memory = holds_in_memory(settings, release)
    # The long-query threshold names a kind of query (a listing over every practice, not a lookup), in the
    # seconds it takes in memory: on disk the same queries take several times as long, and a threshold in
    # seconds alone refused nearly every listing of a 100k release (bench/RESULTS.md, "Serving memory at 100k").
    # The queue wait likewise: a query waits for the ones ahead of it to end, and on disk they hold their processes
    # for longer. At 100k practices a 0.5 s wait refused most listings before the answer cache held them.
    slower = 1 if in_memory else ON_DISK_SLOWER
    return EmbeddedStore(release, settings.row_cap, processes, settings.public_base + "sparql", in_memory,
                         settings.answer_bytes_cap, settings.query_memory_mb,
                         Admission(settings.queue_wait * slower, settings.long_query_seconds * slower),
                         core=settings.disk_core)

"""The query processes: children that each own a read-only Oxigraph store and answer queries one at a time.

pyoxigraph cannot interrupt a running query, so each query runs in a process
the web worker may kill when time is up (see embedded.ProcessPool). This
module's main is the *query server*: started once per ``icc-graph serve``, it
opens the release (held in memory, or opened from the on-disk store by each
child) and forks one query process per connection on its Unix socket. A fork
costs milliseconds and starts with the store already loaded, so a killed
process is replaced at once, however big the release. Requests and replies
travel in frames (embedded.answering). A query process passes the sorting and
grouping queries that an on-disk release's in-memory core can answer to the
core server (embedded.core, embedded.core_server).

    python -m icc_graph.store.embedded.query_processes LISTEN_FD SOURCE ROW_CAP BASE_IRI BYTE_CAP MEMORY_MB CORE

CORE (``core`` or ``no-core``): whether an on-disk release's core is served.

An answer stops at ROW_CAP rows or (about) BYTE_CAP bytes, whichever comes
first, and says it was cut. A query process may take MEMORY_MB beyond what it
held once its store was open: past that a query's allocation fails (the
process ends and is replaced), and a process that has kept more than half of
it is replaced after its answer, so that no query process grows without bound.

SOURCE is ``memory:<N-Quads dump>`` (loaded here once; each child starts
from it through the fork, copy-on-write, and soon holds most of it as its own:
Oxigraph's reads write to what they touch) or ``disk:<store folder>`` (each
child opens it read-only: RocksDB must not cross a fork).

A query that names no dataset reads the union of the release's graphs: the
in-memory store merges the named graphs for each query, the on-disk one holds the
merge as its own default graph (see embedded.disk).
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from pyoxigraph import RdfFormat, Store

from ..snapshot import release_metadata
from .answering import (
    MERGE_PER_QUERY,
    MERGED_IN_STORE,
    answer,
    cap_address_space,
    die_with_parent,
    read_frame,
    write_frame,
)
from .core import CORE_FILE, core_may_answer, warm_parser
from .disk import holds_union

if TYPE_CHECKING:
    from .core_server import CoreLink

SELF_KILL_GRACE = 5.0   # seconds past its time limit a query process ends itself, unless the request names its "grace"


def serve(store: Store, row_cap: int, base_iri: str | None, reader: BinaryIO, writer: BinaryIO,
          byte_cap: int = 0, memory_mb: int = 0, union: dict = MERGE_PER_QUERY, core: CoreLink | None = None) -> None:
    """Answer the frames of one connection until it closes, or until this process has grown too much. A query
    the core may answer alone (embedded.core) is passed on to the core server, when there is one."""
    grown_too_much = None
    if memory_mb and sys.platform.startswith("linux"):
        budget = memory_mb * 1_000_000
        grown_too_much = cap_address_space(budget)["VmRSS"] + budget // 2
    write_frame(writer, ("ready", os.getpid()))
    while (request := read_frame(reader)) is not None:
        # Belt and braces: should the web worker die mid-query, nobody would kill this process; the
        # alarm's default action ends it (in the kernel, even inside Rust) a little after the time limit.
        if request.get("timeout"):
            signal.setitimer(signal.ITIMER_REAL, request["timeout"] + request.get("grace", SELF_KILL_GRACE))
        reply = None
        # A query that looked costly before it ran (a cross product, say) stays on disk: a runaway in the core
        # server would end it, and the core's other queries with it.
        if core is not None and not request["default_graphs"] and not request["named_graphs"] \
                and not request.get("costly") and core_may_answer(request["query"], base_iri):
            reply = core.ask(request)
            if reply is not None and reply[0] == "ok":
                reply = (*reply, "core")
        try:
            if reply is None:
                reply = answer(store, request, row_cap, base_iri, byte_cap, union)
        except MemoryError:
            reply = ("error", f"the query needed more than {memory_mb} MB (ICC_GRAPH_QUERY_MEMORY_MB)")
        except Exception as exc:  # noqa: BLE001 - any engine failure goes back as a 500, the process lives on
            reply = ("error", f"{type(exc).__name__}: {exc}")
        signal.setitimer(signal.ITIMER_REAL, 0)
        write_frame(writer, reply)
        if grown_too_much is not None and _peak_resident() > grown_too_much:
            return   # the connection closes: the web worker starts a fresh fork in this one's place


def _peak_resident() -> int:
    """VmHWM (bytes), as getrusage has it: 1 µs after every answer, where reading /proc/self/status took 27."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


MADV_POPULATE_WRITE = 23   # Linux 5.14+: fault the pages in for writing, i.e. copy them now


def copy_memory_now() -> None:
    """Take this forked process's own copy of its memory at once, not page by page during the first queries.

    Oxigraph's in-memory reads write to the pages they touch, so a query process
    copies the shared release bit by bit, and its first few hundred queries pay
    the page faults (at 100k practices: 1,111 lookups a second in the first 8 s
    after a start, 1,350 to 1,690 after). The copy is what it ends up holding
    anyway; taking it in one go costs about a second per gigabyte (10k
    practices: 0.2 s). Anonymous private mappings only.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            span, perms = fields[0], fields[1]
            named = len(fields) > 5 and not fields[5].startswith("[heap")
            if perms.startswith("rw") and perms.endswith("p") and not named:
                start, end = (int(x, 16) for x in span.split("-"))
                libc.madvise(start, end - start, MADV_POPULATE_WRITE)   # a refusal (old kernel) leaves it lazy


def open_source(source: str) -> tuple[Callable[[], Store], tuple | None, dict]:
    """What a query process calls to get its store (see SOURCE in the module's docstring); for a release
    loaded here, its version and modification time (the on-disk store keeps them beside it); and how the
    union of the release's graphs is asked for (``answer``'s ``union``)."""
    kind, _, path = source.partition(":")
    if kind == "memory":
        store = Store()
        store.bulk_load(path=path, format=RdfFormat.N_QUADS)
        version, modified = release_metadata(store, Path(path).parent)

        def own_copy() -> Store:
            copy_memory_now()
            return store

        return own_copy, (version, modified.isoformat()), MERGE_PER_QUERY
    if kind == "disk":
        return (lambda: Store.read_only(path)), None, MERGED_IN_STORE if holds_union(Path(path)) else MERGE_PER_QUERY
    raise ValueError(f"unknown store source {source!r}")


def fork_per_connection(listener: socket.socket, open_store: Callable[[], Store], row_cap: int,
                        base_iri: str | None, byte_cap: int = 0, memory_mb: int = 0,
                        union: dict = MERGE_PER_QUERY, core: CoreLink | None = None) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # the kernel reaps the children: no zombies, no waiting
    while True:
        connection, _ = listener.accept()
        if os.fork():
            connection.close()
            continue
        code = 1
        try:
            listener.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            die_with_parent()
            with connection.makefile("rb") as reader, connection.makefile("wb") as writer:
                serve(open_store(), row_cap, base_iri, reader, writer, byte_cap, memory_mb, union, core)
            code = 0
        except (BrokenPipeError, ConnectionResetError):
            code = 0   # the web worker went away between two queries
        except BaseException as exc:  # noqa: BLE001 - a child must never fall back into the accept loop
            print(f"icc-graph query process: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        finally:
            os._exit(code)


def main() -> None:
    die_with_parent()
    # The ready frame gets its own copy of stdout; anything else printed goes to stderr.
    status = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    listener = socket.socket(fileno=int(sys.argv[1]))
    source, row_cap, base_iri, byte_cap, memory_mb = sys.argv[2], int(sys.argv[3]), sys.argv[4] or None, \
        int(sys.argv[5]), int(sys.argv[6])
    open_store, metadata, union = open_source(source)
    write_frame(status, ("ready", os.getpid(), metadata))
    status.close()
    core = None
    core_file = Path(source.partition(":")[2]).parent / CORE_FILE
    if sys.argv[7] == "core" and source.startswith("disk:") and union is MERGED_IN_STORE and core_file.is_file():
        from .core_server import start_core_server

        # Its socket goes beside the query server's, in the folder QueryServer made (and removes).
        address = os.path.join(os.path.dirname(listener.getsockname()), "core.sock")
        core = start_core_server(core_file, address, row_cap, base_iri, byte_cap, memory_mb)
        warm_parser()
    fork_per_connection(listener, open_store, row_cap, base_iri, byte_cap, memory_mb, union, core)


if __name__ == "__main__":
    main()

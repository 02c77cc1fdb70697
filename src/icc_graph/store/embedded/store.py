"""The embedded store: a release in Oxigraph, queried through query processes that can be killed.

pyoxigraph has no query timeout and a thread stuck in Rust cannot be stopped,
so queries run in query processes (store.executor). One *query server* per
``icc-graph serve`` holds the release, in memory when it is small enough
(``memory_store_mb``), otherwise as the on-disk store; it forks a query process
for every connection to its Unix socket. Every web worker keeps a small pool
of such connections. A query goes to an idle one; when it runs past its time
limit that process is killed (the query really stops) and a new connection
forks a fresh one at once, while the other processes keep answering. The
query server starts in the process that opens the store, before any web
worker exists; the workers only connect to it.
"""

from __future__ import annotations

import os
import pickle
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ...vocabulary.release_folder import NQUADS
from ...vocabulary.sparql_text import uses_keyword
from ..base import (
    FIRST,
    STORE_DATASET,
    Answer,
    GraphSelection,
    QuerySyntaxError,
    QueryTimeout,
    Snapshot,
    Store,
    StoreError,
    StoreUnavailable,
    Turn,
)
from ..snapshot import release_checksum
from .answering import HEADER
from .disk import StoreLease, prepare
from .pool import NO_LIMITS, Admission, ProcessPool

# Oxigraph's in-memory store takes about 1.45 times the N-Quads dump (measured: 10k practices 207 MB for
# 143 MB, 100k 2,171 MB for 1,597 MB). Its reads write to the pages they touch (copy-on-write after the
# fork), so a query process that has answered a few dozen queries holds nearly a copy of its own.
MEMORY_PER_DUMP_BYTE = 1.45
START_TIMEOUT = 60.0   # a query process opening the on-disk store
LONG_QUERY_NICE = 15   # the CPU priority of a process running a long query (0: normal, 19: the lowest)
LOAD_TIMEOUT = 1800.0  # the query server loading a release into memory: minutes for a big one on a busy machine


def memory_footprint_mb(release: Path, query_processes: int) -> float:
    """What holding ``release`` in memory comes to: the query server's copy plus one per query process."""
    return (query_processes + 1) * MEMORY_PER_DUMP_BYTE * (Path(release) / NQUADS).stat().st_size / 1e6


def _receive(fd: int, deadline: float, gone, checkpoint: tuple[float, Callable[[], None]] | None = None):
    """One frame (see executor). Only one frame is ever in flight on a connection, so the first read may take
    up to 64 kB: a small answer arrives whole in one read. ``checkpoint``: (time, check) calls check() once,
    if the answer has not come by then (it may raise to give up)."""
    chunks, have, size = [], 0, None
    while size is None or have < size:
        now = time.monotonic()
        if checkpoint is not None and now >= checkpoint[0]:
            checkpoint, check = None, checkpoint[1]
            check()
        remaining = (deadline if checkpoint is None else min(deadline, checkpoint[0])) - now
        ready = remaining > 0 and select.select([fd], [], [], remaining)[0]
        if not ready:
            if checkpoint is not None and time.monotonic() < deadline:
                continue   # the checkpoint came first
            raise QueryTimeout("no answer in time")
        chunk = os.read(fd, 65536 if size is None else min(size - have, 1 << 20))
        if not chunk:
            raise StoreError(gone())
        chunks.append(chunk)
        have += len(chunk)
        if size is None and have >= HEADER.size:
            size = HEADER.size + HEADER.unpack_from(chunks[0] if len(chunks) == 1 else b"".join(chunks))[0]
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    return pickle.loads(memoryview(data)[HEADER.size:])


class QueryServer:
    """The process that holds the release and forks the query processes.

    It runs ``python -m icc_graph.store.embedded.query_processes``.
    """

    def __init__(self, source: str, row_cap: int, base_iri: str, byte_cap: int = 0, memory_mb: int = 0,
                 core: bool = False):
        self.folder = tempfile.mkdtemp(prefix="icc-graph-")   # mode 0700: only this user may connect
        self.address = os.path.join(self.folder, "query.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(self.address)
            listener.listen(128)
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "icc_graph.store.embedded.query_processes", str(listener.fileno()), source,
                 str(row_cap), base_iri, str(byte_cap), str(memory_mb), "core" if core else "no-core"],
                stdout=subprocess.PIPE, pass_fds=[listener.fileno()], close_fds=True)
        finally:
            listener.close()
        self.owner = os.getpid()

    def wait_ready(self, timeout: float = LOAD_TIMEOUT) -> tuple[str, str] | None:
        """Once the release is open: its (version, modified) when the query server loaded it itself."""
        try:
            frame = _receive(self.proc.stdout.fileno(), time.monotonic() + timeout, self._gone)
        except QueryTimeout:
            self.close()
            raise StoreError(f"the query server did not open the release in {timeout:g} s") from None
        self.proc.stdout.close()
        return frame[2]

    def _gone(self) -> str:
        return f"the query server ended while opening the release (exit code {self.proc.poll()})"

    def close(self) -> None:
        if os.getpid() != self.owner:   # a forked web worker: the server belongs to the process that started it
            return
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


class QueryProcess:
    """One connection to the query server, hence one forked query process, spoken to in frames."""

    def __init__(self, address: str):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.sock.connect(address)
        except OSError as exc:
            self.sock.close()
            raise StoreUnavailable(f"the query server is not running ({exc})") from exc
        self.pid = None
        self.handle = None   # a pidfd: kills the right process even if its pid were reused
        self.lowered = False

    def _gone(self) -> str:
        return f"the query process {self.pid} ended"

    def gone(self) -> bool:
        """Whether an idle process has ended: an idle connection is silent, so readable means closed."""
        return self.pid is not None and bool(select.select([self.sock], [], [], 0)[0])

    def ask(self, request: dict, timeout: float | None,
            checkpoint: tuple[float, Callable[[], None]] | None = None) -> tuple:
        fd = self.sock.fileno()
        if self.pid is None:
            self.pid = _receive(fd, time.monotonic() + START_TIMEOUT, self._gone)[1]
            self.handle = os.pidfd_open(self.pid) if hasattr(os, "pidfd_open") else None
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.sock.sendall(HEADER.pack(len(data)) + data)
        except OSError as exc:
            raise StoreError(self._gone()) from exc
        return _receive(fd, time.monotonic() + (timeout if timeout is not None else 10 ** 9), self._gone, checkpoint)

    def lower_priority(self) -> None:
        """Let short queries and the web workers go first on the CPU: this process runs a long query. Only
        privileged processes may raise a priority again, so the pool replaces it after its answer."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, LONG_QUERY_NICE)
            self.lowered = True
        except (OSError, TypeError):
            pass   # gone already, or no pid yet: nothing runs there to step back

    def kill(self) -> None:
        # SIGKILL: Oxigraph holds no lock a read-only reader could leave behind. The query server reaps it.
        try:
            if self.handle is not None:
                signal.pidfd_send_signal(self.handle, signal.SIGKILL)
            elif self.pid is not None:
                os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        finally:
            if self.handle is not None:
                os.close(self.handle)
            self.sock.close()


class EmbeddedStore(Store):
    """A release folder served by Oxigraph in query processes; ``processes`` of them per web worker.

    ``in_memory`` holds the release in Oxigraph's in-memory store (3 to 5 times
    faster on the benchmark's listing and join than its on-disk store, but each
    query process soon holds its own copy: see ``memory_footprint_mb``);
    otherwise it is queried from the on-disk store, with its in-memory core
    (embedded.core) unless ``core`` is false. ``base_iri`` resolves
    relative IRIs in queries (the protocol's choice: the endpoint's URL).
    """

    def __init__(self, release: Path, row_cap: int, processes: int = 2, base_iri: str = "", in_memory: bool = False,
                 byte_cap: int = 0, memory_mb: int = 0, admission: Admission = NO_LIMITS, core: bool = True):
        release = Path(release)
        dump = release / NQUADS
        if not dump.is_file():
            raise StoreError(f"{release} has no {NQUADS}: not an icc-graph release folder (run `icc-graph build`)")
        self.in_memory = in_memory
        self._lease: StoreLease | None = None   # the store folder's, while it is served from disk
        if in_memory:
            checksum = release_checksum(release)
            self.source = f"memory:{dump.resolve()}"
        else:
            store_dir, self.snapshot, self._lease = prepare(release)
            self.source = f"disk:{store_dir}"
        self.row_cap, self.processes, self.base_iri = row_cap, processes, base_iri
        self.byte_cap, self.memory_mb, self.admission = byte_cap, memory_mb, admission
        self.core = core and not in_memory
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._server, metadata = self._start_server()
        if self.in_memory:
            self.snapshot = Snapshot(metadata[0], checksum, datetime.fromisoformat(metadata[1]))

    def _start_server(self) -> tuple[QueryServer, tuple[str, str] | None]:
        server = QueryServer(self.source, self.row_cap, self.base_iri, self.byte_cap, self.memory_mb, self.core)
        return server, server.wait_ready()

    def _connect(self) -> QueryProcess:
        if self._closed:
            raise StoreError("the store is closed")
        server = self._server
        try:
            return QueryProcess(server.address)
        except StoreError:
            with self._lock:   # the query server died (killed, out of memory): start another, once
                if self._server is server:
                    self._server = self._start_server()[0]
            return QueryProcess(self._server.address)

    @property
    def pool(self) -> ProcessPool:
        # A pool belongs to the process that made it: after a fork the child makes its own.
        with self._lock:
            if self._pool is None or self._pool.pid != os.getpid():
                self._pool = ProcessPool(self._connect, self.processes, self.admission)
            return self._pool

    def execute(self, query: str, media_type: str, timeout: float | None = None,
                graphs: GraphSelection = STORE_DATASET, turn: Turn = FIRST) -> Answer:
        if uses_keyword(query, "SERVICE"):
            # Oxigraph would call the named endpoint: a public server must never be made to fetch for a client.
            raise QuerySyntaxError("SERVICE is refused: this endpoint never calls other endpoints "
                                   "(federated queries are off)")
        request = {"query": query, "media_type": media_type, "default_graphs": list(graphs.default_graphs),
                   "named_graphs": list(graphs.named_graphs), "timeout": timeout, "costly": turn.costly}
        try:
            reply = self.pool.run(request, timeout, turn)
        except QueryTimeout:
            raise
        except StoreError as exc:
            if self.memory_mb:   # the likeliest reason a query process ends mid-query: its memory limit
                raise StoreError(f"{exc} while answering: the query may have needed more than {self.memory_mb} MB "
                                 "(ICC_GRAPH_QUERY_MEMORY_MB)") from exc
            raise
        if reply[0] == "ok":
            return Answer(reply[1], reply[2], reply[3], from_core=reply[4:] == ("core",))
        if reply[0] == "syntax":
            raise QuerySyntaxError(reply[1])
        raise StoreError(reply[1])

    def warm_up(self) -> None:
        self.pool.start_all()

    def saturated(self) -> bool:
        """No process free, or no room for another long query: a client known for runaways would only take
        the process kept for short queries."""
        pool = self.pool
        return pool.idle.empty() or pool.long_running >= pool.long_permits_total

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._pool is not None and self._pool.pid == os.getpid():
                self._pool.close()
            self._pool = None
        self._server.close()
        if self._lease is not None:
            self._lease.close()

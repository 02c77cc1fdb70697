"""The embedded store: a release in Oxigraph, queried through query processes that can be killed.

pyoxigraph has no query timeout and a thread stuck in Rust cannot be stopped,
so every web worker keeps a small pool of long-lived query processes
(store.executor), each with the store opened read-only. A query goes to an
idle process over a pipe; when it runs past its time limit the process is
killed (the query really stops) and a fresh one takes its place, while the
other processes keep answering. The processes start lazily, in the worker
that uses them, so a forking server (gunicorn) never shares one between workers.
"""

from __future__ import annotations

import os
import pickle
import queue
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from .base import STORE_DATASET, Answer, GraphSelection, QuerySyntaxError, QueryTimeout, Store, StoreError
from .disk import prepare
from .executor import HEADER
from .keywords import uses_keyword

START_TIMEOUT = 60.0   # opening the store: generous, the first start of a big release takes a while


class QueryProcess:
    """One child process running store.executor, spoken to in frames over its stdin/stdout."""

    def __init__(self, store_dir: Path, row_cap: int, base_iri: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "icc_graph.store.executor", str(store_dir), str(row_cap), base_iri],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, close_fds=True)
        self.ready = False

    def _read_exactly(self, size: int, deadline: float) -> bytes:
        fd = self.proc.stdout.fileno()
        chunks, missing = [], size
        while missing:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise QueryTimeout("no answer in time")
            chunk = os.read(fd, min(missing, 1 << 20))
            if not chunk:
                raise StoreError(f"the query process ended (exit code {self.proc.poll()})")
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def _receive(self, deadline: float):
        (size,) = HEADER.unpack(self._read_exactly(HEADER.size, deadline))
        return pickle.loads(self._read_exactly(size, deadline))

    def ask(self, request: dict, timeout: float | None) -> tuple:
        if not self.ready:
            self._receive(time.monotonic() + START_TIMEOUT)
            self.ready = True
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.proc.stdin.write(HEADER.pack(len(data)) + data)
        except BrokenPipeError as exc:
            raise StoreError(f"the query process ended (exit code {self.proc.poll()})") from exc
        return self._receive(time.monotonic() + (timeout if timeout is not None else 10 ** 9))

    def kill(self) -> None:
        self.proc.kill()   # SIGKILL: Oxigraph holds no lock a read-only reader could leave behind
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            stream.close()


class ProcessPool:
    """Up to ``size`` query processes for one web worker; a broken or timed-out one is replaced."""

    def __init__(self, store_dir: Path, row_cap: int, size: int, base_iri: str):
        self.store_dir, self.row_cap, self.base_iri = store_dir, row_cap, base_iri
        self.idle: queue.LifoQueue[QueryProcess | None] = queue.LifoQueue()
        for _ in range(size):
            self.idle.put(None)   # a free slot: its process starts on first use
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.live: set[QueryProcess] = set()

    def run(self, request: dict, timeout: float | None) -> tuple:
        wait = 2 * timeout if timeout is not None else None
        try:
            process = self.idle.get(timeout=wait)
        except queue.Empty:
            raise QueryTimeout(f"every query process stayed busy for {wait:g} s: try again later") from None
        if process is None or process.proc.poll() is not None:
            # Never started, or gone while idle (it dies with the thread that started it: see executor).
            if process is not None:
                self._retire(process)
            try:
                process = self._start()
            except BaseException:
                self.idle.put(None)   # the slot stays, to try again on the next query
                raise
        try:
            reply = process.ask(request, timeout)
        except BaseException as exc:
            # Whatever went wrong, that process may be mid-query or mid-frame: it goes, and its slot comes back.
            self._retire(process)
            replacement = None
            try:
                replacement = self._start()   # now, so that it has opened the store before it is needed
            finally:
                self.idle.put(replacement)
            if isinstance(exc, QueryTimeout):
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from None
            raise
        self.idle.put(process)
        return reply

    def start_all(self) -> None:
        """Start every process not started yet (they open the store in parallel, in the background)."""
        slots = []
        while True:
            try:
                slots.append(self.idle.get_nowait())
            except queue.Empty:
                break
        for process in slots:
            self.idle.put(process if process is not None else self._start())

    def _start(self) -> QueryProcess:
        process = QueryProcess(self.store_dir, self.row_cap, self.base_iri)
        with self.lock:
            self.live.add(process)
        return process

    def _retire(self, process: QueryProcess) -> None:
        process.kill()
        with self.lock:
            self.live.discard(process)

    def close(self) -> None:
        with self.lock:
            processes, self.live = list(self.live), set()
        for process in processes:
            process.kill()


class EmbeddedStore(Store):
    """A release folder served by Oxigraph in query processes; ``processes`` of them per web worker.

    ``base_iri`` resolves relative IRIs in queries (the protocol's choice: the endpoint's URL).
    """

    def __init__(self, release: Path, row_cap: int, processes: int = 2, base_iri: str = ""):
        self.store_dir, self.snapshot = prepare(Path(release))
        self.row_cap, self.processes, self.base_iri = row_cap, processes, base_iri
        self._pool: ProcessPool | None = None
        self._pool_lock = threading.Lock()

    @property
    def pool(self) -> ProcessPool:
        # A pool belongs to the process that made it: after a fork the child makes its own.
        with self._pool_lock:
            if self._pool is None or self._pool.pid != os.getpid():
                self._pool = ProcessPool(self.store_dir, self.row_cap, self.processes, self.base_iri)
            return self._pool

    def execute(self, query: str, media_type: str, timeout: float | None = None,
                graphs: GraphSelection = STORE_DATASET) -> Answer:
        if uses_keyword(query, "SERVICE"):
            # Oxigraph would call the named endpoint: a public server must never be made to fetch for a client.
            raise QuerySyntaxError("SERVICE is refused: this endpoint never calls other endpoints "
                                   "(federated queries are off)")
        request = {"query": query, "media_type": media_type, "default_graphs": list(graphs.default_graphs),
                   "named_graphs": list(graphs.named_graphs)}
        reply = self.pool.run(request, timeout)
        if reply[0] == "ok":
            return Answer(reply[1], reply[2], reply[3])
        if reply[0] == "syntax":
            raise QuerySyntaxError(reply[1])
        raise StoreError(reply[1])

    def warm_up(self) -> None:
        self.pool.start_all()

    def close(self) -> None:
        with self._pool_lock:
            if self._pool is not None and self._pool.pid == os.getpid():
                self._pool.close()
            self._pool = None

"""How a web worker shares its query processes: a pool of them, handed out by rank, with shares for long queries.

Each process answers one query at a time (query_processes.py); a query that runs
past its time limit has its process killed and replaced (store.py starts them).
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ..base import FIRST, QueryStopped, QueryTimeout, StoreBusy, StoreError, Turn
from .handout import FairHandout


class QueryProcess(Protocol):
    """One query process as the pool sees it (store.QueryProcess)."""

    lowered: bool

    def ask(self, request: dict, timeout: float | None,
            checkpoint: tuple[float, Callable[[], None]] | None = None) -> tuple: ...

    def gone(self) -> bool: ...

    def lower_priority(self) -> None: ...

    def kill(self) -> None: ...


@dataclass(frozen=True)
class Admission:
    """How a web worker shares its query processes (see README, "Safety: every limit and its setting").

    A query waits at most ``queue_wait`` seconds for a free process, then gets 503 with Retry-After rather than
    queueing behind runaway queries. A query still running after ``long_after`` seconds is a long one: at most
    all processes but one may run long queries at once, so that one process always turns over short queries
    (lookups, pages); a further long query is stopped there and then (503). A query that looks costly before it
    runs (Turn.costly) takes a long-query share from the start, or is refused at once (503) when none is left, so
    it never holds the process kept for short ones. A process running a long query steps back on the CPU (a
    higher nice value), so that the short queries and the web workers go first, and is replaced after its answer.
    Waiting queries get a free process by rank (handout.py). None: no such limit.
    """

    queue_wait: float | None = None
    long_after: float | None = None


NO_LIMITS = Admission()


class ProcessPool:
    """Up to ``size`` query processes for one web worker; a broken or timed-out one is replaced."""

    def __init__(self, connect, size: int, admission: Admission = NO_LIMITS):
        self.connect = connect   # () -> a new QueryProcess
        self.admission = admission
        # Permits to run past admission.long_after: all processes but one (a single process has no spare).
        self.long_permits_total = max(1, size - 1)
        self.long_permits = threading.BoundedSemaphore(self.long_permits_total)
        self.long_running = 0   # permits taken (the semaphore does not say)
        self.idle: FairHandout[QueryProcess | None] = FairHandout()   # by the waiting queries' rank
        for _ in range(size):
            self.idle.put(None)   # a free slot: its process starts on first use
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.live: set[QueryProcess] = set()

    def run(self, request: dict, timeout: float | None, turn: Turn = FIRST) -> tuple:
        long_after, permitted = self.admission.long_after, []

        def take_long_permit() -> bool:
            if not self.long_permits.acquire(blocking=False):
                return False
            permitted.append(True)
            with self.lock:
                self.long_running += 1
            return True

        try:
            if turn.costly and long_after is not None and not take_long_permit():
                raise StoreBusy("the query looks costly (its patterns share no variable, or none names a fixed "
                                "term) and the query processes for long queries are all taken: try again in a few "
                                "seconds, or narrow the query")
            return self._run_on_a_process(request, timeout, turn, take_long_permit, permitted)
        finally:
            if permitted:
                with self.lock:
                    self.long_running -= 1
                self.long_permits.release()

    def _run_on_a_process(self, request: dict, timeout: float | None, turn: Turn, take_long_permit,
                          permitted: list) -> tuple:
        wait = self.admission.queue_wait
        if wait is None:
            wait = 2 * timeout if timeout is not None else None
        try:
            process = self.idle.get(turn.rank, timeout=wait)
        except queue.Empty:
            raise StoreBusy(f"every query process stayed busy for {wait:g} s: try again in a few seconds") from None
        if process is None or process.gone():
            if process is not None:
                self._retire(process)
            try:
                process = self._start()
            except BaseException:
                self.idle.put(None)   # the slot stays, to try again on the next query
                raise
        long_after = self.admission.long_after

        def may_run_long() -> None:
            if not permitted and not take_long_permit():
                raise QueryStopped(f"the query ran past {long_after:g} s while the other query processes were all "
                                   "running long queries, and was stopped: try again in a few seconds")
            process.lower_priority()

        checkpoint = None
        if long_after is not None and (permitted or timeout is None or long_after < timeout):
            # A costly-looking query holds its share already: its process steps back on the CPU at once.
            checkpoint = (time.monotonic() + (0 if permitted else long_after), may_run_long)
        try:
            reply = process.ask(request, timeout, checkpoint)
        except BaseException as exc:
            # Whatever went wrong, that process may be mid-query or mid-frame: it goes, and its slot comes back.
            self._replace(process)
            if isinstance(exc, QueryTimeout) and not isinstance(exc, StoreBusy):
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from None
            raise
        if process.lowered:
            self._replace(process)   # its priority cannot be raised again without privileges
        else:
            self.idle.put(process)
        return reply

    def _replace(self, process: QueryProcess) -> None:
        self._retire(process)
        replacement = None
        try:
            replacement = self._start()   # now: a fork of the query server, ready at once
        except StoreError:
            pass   # the slot stays empty; the next query tries again
        finally:
            self.idle.put(replacement)

    def start_all(self) -> None:
        """Start every process not started yet."""
        slots = []
        while True:
            try:
                slots.append(self.idle.get_nowait())
            except queue.Empty:
                break
        for process in slots:
            self.idle.put(process if process is not None else self._start())

    def _start(self) -> QueryProcess:
        process = self.connect()
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

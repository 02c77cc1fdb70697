"""The core server: one process that holds an on-disk release's core (embedded.core) in memory for every query
process, and answers the queries they pass on, each in a thread of its own.

pyoxigraph releases the GIL while it evaluates, so the threads use every core,
and Oxigraph's in-memory store is shared by them instead of copied into each
query process (its reads write to what they touch, so a fork would not share
it). What a thread cannot do is stop: a query still running past its time limit
(plus CORE_GRACE) ends the whole core server. Its keeper, a small process that
only waits, starts another, which loads the core again (seconds); meanwhile,
and while the first one loads, every query goes to the disk. A query process
whose core server ends mid-answer asks the disk instead; so does one that finds
the core not ready (a flag in memory the keeper and the core server share).

Started by the query server (query_processes.main) before it forks any query
process; the keeper and the core server die with it (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import mmap
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import RdfFormat, Store

from .answering import MERGED_IN_STORE, answer, cap_address_space, die_with_parent, read_frame, write_frame

CORE_GRACE = 1.0         # seconds past a query's time limit before the core server gives up on it (and itself)
WATCH_EVERY = 0.25       # how often the watchdog looks at the running queries' deadlines
QUICK_DEATH = 10.0       # a core server ending sooner than this after its start makes its keeper wait longer
ADDRESS_SPACE_SLACK = 512 * 2 ** 20   # thread stacks and malloc arenas: reserved address space, not memory
M_ARENA_MAX = -8                      # glibc's mallopt parameter


class CoreLink:
    """How a query process asks the core server: one connection, opened on its first question."""

    def __init__(self, address: str, ready: mmap.mmap):
        self.address, self.ready = address, ready
        self.sock: socket.socket | None = None
        self.reader: BinaryIO | None = None
        self.writer: BinaryIO | None = None

    def ask(self, request: dict) -> tuple | None:
        """The core server's reply (as answering.answer gives it), or None when it is not there to ask."""
        if not self.ready[0]:
            return None
        try:
            if self.sock is None:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(self.address)
                self.reader, self.writer = self.sock.makefile("rb"), self.sock.makefile("wb")
            assert self.reader is not None and self.writer is not None
            write_frame(self.writer, request)
            reply = read_frame(self.reader)
        except OSError:
            reply = None
        if reply is None:   # it ended (a runaway, or restarting): this question goes to the disk
            self.close()
        return reply

    def close(self) -> None:
        for stream in (self.reader, self.writer, self.sock):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass   # the writer's last flush, to a core server that is gone
        self.sock = self.reader = self.writer = None


def start_core_server(core_file: Path, address: str, row_cap: int, base_iri: str | None, byte_cap: int,
                      memory_mb: int) -> CoreLink:
    """Fork the keeper, which starts the core server; the link every query process forked after this inherits."""
    ready = mmap.mmap(-1, 1)   # anonymous and shared: the keeper, the core server and every query process see it
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(128)
    if os.fork() == 0:
        try:
            _keep(listener, ready, lambda: _serve_core(core_file, listener, ready, row_cap, base_iri, byte_cap,
                                                       memory_mb))
        finally:
            os._exit(0)
    listener.close()
    return CoreLink(address, ready)


def _keep(listener: socket.socket, ready: mmap.mmap, serve) -> None:
    """Start the core server, and again whenever it ends; the listening socket stays open meanwhile."""
    die_with_parent()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)   # the query server ignores it; this process waits for its child
    quick_deaths = 0
    while True:
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            try:
                die_with_parent()
                serve()   # returns never: it ends by os._exit, or a signal
            except BaseException as exc:  # noqa: BLE001 - reported, and the keeper starts another
                print(f"icc-graph core server: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            finally:
                os._exit(1)
        os.waitpid(pid, 0)
        ready[0] = 0
        _turn_away_waiting(listener)
        quick_deaths = quick_deaths + 1 if time.monotonic() - started < QUICK_DEATH else 0
        time.sleep(min(60.0, 0.5 * 2 ** quick_deaths) if quick_deaths else 0)


def _turn_away_waiting(listener: socket.socket) -> None:
    """Close the connections made while the core server was ending: their query processes then ask the disk,
    instead of waiting for the next core server to load."""
    listener.setblocking(False)
    try:
        while True:
            listener.accept()[0].close()
    except BlockingIOError:
        pass
    finally:
        listener.setblocking(True)


def _one_malloc_arena_per_core() -> None:
    """glibc gives each new thread a malloc arena of its own, up to 8 per core, each reserving 64 MB of address
    space: 8 threads took 516 MB more VmSize at 100k practices, out of the address-space budget meant for the
    queries' memory. As many arenas as cores is enough for threads that mostly wait on Oxigraph."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    # A C library without mallopt (musl) has no per-thread arenas to cap; one that refuses returns 0.
    with contextlib.suppress(AttributeError):
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, os.cpu_count() or 2)


def _serve_core(core_file: Path, listener: socket.socket, ready: mmap.mmap, row_cap: int, base_iri: str | None,
                byte_cap: int, memory_mb: int) -> None:
    _one_malloc_arena_per_core()
    store = Store()
    store.bulk_load(path=str(core_file), format=RdfFormat.N_TRIPLES)
    if memory_mb and sys.platform.startswith("linux"):
        # One budget for all its queries together: past it an allocation fails, the server ends and is restarted.
        cap_address_space(memory_mb * 1_000_000 + ADDRESS_SPACE_SLACK)
    deadlines: dict[int, float] = {}
    threading.Thread(target=_watch, args=(deadlines,), daemon=True).start()
    ready[0] = 1
    while True:
        connection, _ = listener.accept()
        threading.Thread(target=_answer_connection, daemon=True,
                         args=(store, connection, deadlines, row_cap, base_iri, byte_cap)).start()


def _answer_connection(store: Store, connection: socket.socket, deadlines: dict[int, float], row_cap: int,
                       base_iri: str | None, byte_cap: int) -> None:
    me = threading.get_ident()
    with connection, connection.makefile("rb") as reader, connection.makefile("wb") as writer:
        try:
            while (request := read_frame(reader)) is not None:
                if request.get("timeout"):
                    deadlines[me] = time.monotonic() + request["timeout"] + CORE_GRACE
                try:
                    reply = answer(store, request, row_cap, base_iri, byte_cap, MERGED_IN_STORE)
                except Exception as exc:  # noqa: BLE001 - as in a query process: a 500, and the server lives on
                    reply = ("error", f"{type(exc).__name__}: {exc}")
                finally:
                    deadlines.pop(me, None)
                write_frame(writer, reply)
        except OSError:
            pass   # the query process went away (killed at its time limit): nobody waits for this answer


def _watch(deadlines: dict[int, float]) -> None:
    """End the core server when a query runs past its deadline: no other way stops it."""
    while True:
        time.sleep(WATCH_EVERY)
        if any(deadline < time.monotonic() for deadline in list(deadlines.values())):
            print("icc-graph core server: a query ran past its time limit; starting afresh", file=sys.stderr,
                  flush=True)
            os._exit(1)

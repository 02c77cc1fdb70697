"""``icc-graph serve``: the app under Granian (several worker processes, threads; never Flask's development server).

Granian is a production HTTP server written in Rust: it parses HTTP and calls
the WSGI app from a pool of threads in each worker. On the seed release it
answered about 1.5 times as many uncached SPARQL requests a second as
gunicorn's threaded workers (bench/RESULTS.md).

The store is opened once, in this process (its query server starts here and
loads the release); Granian then forks the workers, and each builds its own app
over the store and connects its own query processes. The workers accept from
one listening socket, so a burst of connections can land on one worker (the
admission table is shared for that reason). ``--port 0`` is resolved to a free
port first, and the URL is printed once the port answers, so scripts can read it.
"""

from __future__ import annotations

import errno
import gc
import os
import signal
import socket
import sys
import time

from granian import Granian
from granian.constants import Interfaces
from granian.http import HTTP1Settings

from ..config import Settings
from ..store import Store, open_store, release_dir
from .endpoint.client_table import ClientTable
from .shared_answers import SharedAnswers

READY_TIMEOUT = 120.0


def free_port(host: str) -> int:
    """A port free right now on ``host``; whoever binds it next may lose a race with another process."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class PortInUse(OSError):
    """Another process listens on the port: Granian's SO_REUSEPORT would otherwise share it silently."""


def check_port_free(host: str, port: int) -> None:
    """Bind the port once without SO_REUSEPORT: it fails while anyone listens there (a second icc-graph too).

    SO_REUSEADDR lets the probe pass connections a previous server left in TIME_WAIT, never a live listener.
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(errno.EADDRINUSE, f"port {port} is in use on {host}: stop the server there, or "
                                                  "choose another with --port (make run PORT=...)") from None
            raise


def _reap_when_done(pid: int) -> None:
    """Collect the announcer when it exits, so that no <defunct> child stays under the server."""
    previous = signal.getsignal(signal.SIGCHLD)

    def reap(signum, frame):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done == pid:
            signal.signal(signal.SIGCHLD, previous)
        if callable(previous) and previous not in (signal.SIG_IGN, signal.SIG_DFL):
            previous(signum, frame)

    signal.signal(signal.SIGCHLD, reap)


def _announce(settings: Settings, store: Store, port: int) -> None:
    """Print the URLs once a worker accepts connections (Granian has no hook for that moment)."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        try:
            socket.create_connection((settings.host, port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        print(f"icc-graph: no worker answered on port {port} in {READY_TIMEOUT:g} s", file=sys.stderr, flush=True)
        return
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    base = f"http://{host}:{port}/"
    print(f"icc-graph: serving release {store.snapshot.version} with {settings.workers} workers\n"
          f"  site             {base}\n  SPARQL endpoint  {base}sparql\n  query page       {base}query",
          flush=True)
    if not settings.store:
        from ..store.embedded.prune import prune_hint

        hint = prune_hint(release_dir(settings).absolute().parent)
        if hint:
            print(f"icc-graph: {hint}", file=sys.stderr, flush=True)


def _worker_app(settings: Settings, store: Store, clients: ClientTable, shared: SharedAnswers | None):
    """Runs in each forked worker: its own app over the shared store, client table and answers, its query
    processes connected."""
    from .app import create_app

    app = create_app(settings, store, clients, shared)
    store.warm_up()
    # What start-up built (Flask, rdflib, the vocabularies) lives as long as the worker: out of the collector's
    # way, so that its full collections walk only what requests leave behind.
    gc.freeze()
    return app


def serve(settings: Settings) -> None:
    if settings.port:
        check_port_free(settings.host, settings.port)   # before loading the release: fail in a second, not a minute
    store = open_store(settings)
    clients = ClientTable()   # made before Granian forks the workers: they all share it (endpoint/client_table.py)
    # Likewise the answers that took time: with one worker its own cache holds them all.
    shared = SharedAnswers() if settings.cache_bytes > 0 and settings.workers > 1 else None
    print(f"icc-graph: release {store.snapshot.version} ready ({store.snapshot.checksum[:12]})", file=sys.stderr)
    port = settings.port or free_port(settings.host)
    server = Granian(
        "icc_graph.web.app", address=settings.host, port=port, interface=Interfaces.WSGI,
        # Threads beyond the query processes' count: a thread that waits on a runaway query is not one that could
        # have served a page (see README, "Safety").
        workers=settings.workers, blocking_threads=settings.threads + settings.extra_threads,
        # Long GET queries: the app applies max_request_bytes itself (413), so the request line must fit first.
        http1_settings=HTTP1Settings(max_buffer_size=max(settings.max_request_bytes + 65_536, 417_792)),
        respawn_failed_workers=True, websockets=False,
    )
    # A process, not a thread: Granian forks the workers next, and a thread caught holding a lock (an import
    # lock, say) at that moment would leave the lock held for ever in every worker.
    announcer = os.fork()
    if announcer == 0:
        try:
            _announce(settings, store, port)
        finally:
            os._exit(0)
    _reap_when_done(announcer)
    try:
        server.serve(target_loader=lambda: _worker_app(settings, store, clients, shared), wrap_loader=False)
    finally:
        store.close()
        if shared is not None:
            shared.close()

"""Real HTTP servers on a free loopback port, for tests that talk HTTP to them.

``loopback_http``: a test's own small server (a ``QuietHandler`` subclass) in a thread, for what talks to
servers that are not ours.

``running_server``: a real ``icc-graph serve`` (Granian, its workers and their query
processes), end to end; the server is asked for port 0 and prints the URL it
really listens on; the context manager stops it (SIGTERM, then SIGKILL) whatever
happens in the test. ``in_process_server``: the same app (create_app over the
embedded store and its query processes) under Werkzeug's threaded HTTP server in
the test process: no interpreter, Granian or worker to start, so most HTTP tests use it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

START_SECONDS = 90


@dataclass(frozen=True)
class Server:
    url: str    # http://127.0.0.1:PORT/
    pid: int    # the server's main process

    @property
    def endpoint(self) -> str:
        return self.url + "sparql"


@contextlib.contextmanager
def running_server(release: Path | None, workers: int = 2, threads: int = 2, port: int = 0,
                   cwd: Path | None = None, **settings) -> Iterator[Server]:
    """Yield a server on ``release`` (None: the default, dist/latest under ``cwd``); keyword settings become
    ICC_GRAPH_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICC_GRAPH_")}
    env.update({f"ICC_GRAPH_{name.upper()}": str(value) for name, value in settings.items()})
    command = [sys.executable, "-m", "icc_graph", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--threads", str(threads)]
    if release is not None:
        command += ["--release", str(release)]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=log, text=True,
                                start_new_session=True, cwd=cwd)
        try:
            base = _wait_for_url(proc, log)
            drain = threading.Thread(target=proc.stdout.read, daemon=True)
            drain.start()
            yield Server(base, proc.pid)
        finally:
            _stop(proc)


@contextlib.contextmanager
def in_process_server(release: Path, threads: int = 4, **settings) -> Iterator[Server]:
    """Yield the app on ``release`` over real HTTP, served from this process; keyword settings as above.

    ``Server.pid`` is the embedded store's query server, whose children are the query processes.
    """
    from werkzeug.serving import make_server

    from icc_graph.config import load_settings
    from icc_graph.store import open_store
    from icc_graph.web.app import create_app

    environ = {f"ICC_GRAPH_{name.upper()}": str(value) for name, value in settings.items()}
    config = load_settings(environ=environ, release=str(release), threads=threads, workers=1)
    store = open_store(config)
    try:
        store.warm_up()   # as each Granian worker does: its query processes connected before the first request
        http = make_server("127.0.0.1", 0, create_app(config, store), threaded=True)
        thread = threading.Thread(target=http.serve_forever, daemon=True)
        thread.start()
        try:
            yield Server(f"http://127.0.0.1:{http.server_port}/", store._server.proc.pid)
        finally:
            http.shutdown()
            thread.join(10)
            http.server_close()
    finally:
        store.close()


class QuietHandler(BaseHTTPRequestHandler):
    """A handler for a test's own server: no log lines, and an answer in one call."""

    def reply(self, status: int, body: bytes = b"", headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def loopback_http(handler: type[BaseHTTPRequestHandler],
                  server_class: type[ThreadingHTTPServer] = ThreadingHTTPServer) -> Iterator[int]:
    """Serve ``handler`` on a free port of 127.0.0.1 in a thread (a ``server_class``); yield the port."""
    server = server_class(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _wait_for_url(proc: subprocess.Popen, log) -> str:
    found: list[str] = []

    def read() -> None:
        for line in proc.stdout:
            if "SPARQL endpoint" in line:
                found.append(line.split()[-1].removesuffix("sparql"))
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(START_SECONDS)
    if not found:
        _stop(proc)
        log.seek(0)
        raise RuntimeError(f"icc-graph serve did not start: {log.read().decode(errors='replace')[-3000:]}")
    return found[0]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)   # the whole group: the server, its workers and their query processes
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def process_tree() -> dict[int, list[int]]:
    """Every process's children (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def living_children(pid: int) -> list[int]:
    return [child for child in process_tree().get(pid, []) if alive(child)]


def descendants(pid: int, tree: dict[int, list[int]] | None = None) -> list[int]:
    """Every process below ``pid``, to look at the query processes of a server."""
    tree = process_tree() if tree is None else tree
    found, todo = [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _runs_executor(pid: int) -> bool:
    try:
        return b"icc_graph.store.embedded.query_processes" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def query_processes(server: Server) -> list[int]:
    """The pids of the server's SPARQL query processes (the query server's children, not the query server)."""
    tree = process_tree()
    executors = {pid for pid in (server.pid, *descendants(server.pid, tree)) if _runs_executor(pid)}
    return [child for pid in executors for child in tree.get(pid, []) if child in executors]


def core_ready(store, seconds: float = 60.0) -> None:
    """Wait until an on-disk EmbeddedStore's core server has loaded (it loads in the background while the disk
    answers): until a query the core may answer comes from it."""
    from icc_graph.vocabulary.formats import CSV

    deadline = time.monotonic() + seconds
    while not store.execute("SELECT ?s WHERE { ?s a ?t } ORDER BY ?s LIMIT 1", CSV, 30).from_core:
        assert time.monotonic() < deadline, "the core server did not come up"
        time.sleep(0.05)


def cpu_ticks(pids: list[int]) -> int:
    """User + system CPU clock ticks the processes used so far (gone processes count 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total

"""The three SPARQL servers the benchmark compares, started on free loopback ports and always stopped.

- icc-graph:       ``icc-graph serve --release DIR`` (Granian workers, embedded Oxigraph)
- oxigraph:        ``oxigraph load`` into a store folder, then ``oxigraph serve-read-only``
- rdflib-endpoint: ``rdflib-endpoint serve icc-graph.nq`` (rdflib's in-memory store and SPARQL engine)

Each server runs in its own process group, so stopping it also stops its
workers; its memory is the summed resident size of that group after the load.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from loadgen import LOOPBACK, Request, fetch
from measure import memory_cap, pss_kb

from icc_graph.config import load_settings
from icc_graph.store import holds_in_memory
from icc_graph.web.server import free_port

BIN = Path(sys.executable).parent
DUMP = "icc-graph.nq"
PROBE = "ASK { ?s ?p ?o }"


class ServerFailed(RuntimeError):
    """A server did not start (or its loader failed); the message says why, with the end of its log."""


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@dataclass
class Server:
    name: str
    path: str              # the SPARQL endpoint's path
    proc: subprocess.Popen
    port: int
    log: Path
    ready_seconds: float = 0.0
    load_seconds: float | None = None     # a separate loading step before the server starts (oxigraph load)
    notes: list[str] = field(default_factory=list)
    store: str | None = None              # icc-graph: where it held the release ("in memory" or "on disk")

    def request(self, query: str, accept: str) -> Request:
        return Request(self.path, query, accept)

    def _group_stats(self) -> dict[str, list[str]]:
        """The fields of /proc/PID/stat after the command name, for every process of the server's group."""
        stats = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
                    if int(fields[2]) == self.proc.pid:   # the process group the server leads
                        stats[entry.name] = fields
                except (OSError, ValueError, IndexError):
                    continue
        return stats

    def group_cpu_ticks(self) -> int:
        return sum(int(fields[11]) + int(fields[12]) for fields in self._group_stats().values())   # utime + stime

    def wait_idle(self, max_wait: float) -> bool:
        """Wait until the server stops computing (abandoned queries still run after a client timed out).

        False when it is still busy after ``max_wait`` seconds."""
        deadline = time.perf_counter() + max_wait
        ticks_per_second = os.sysconf("SC_CLK_TCK")
        before = self.group_cpu_ticks()
        while time.perf_counter() < deadline:
            time.sleep(1.0)
            after = self.group_cpu_ticks()
            if after - before < 0.1 * ticks_per_second:
                return True
            before = after
        return False

    def group_memory_mb(self) -> float | None:
        """Memory of every process in the server's group, in MB: the sum of their proportional set sizes
        (PSS), so that pages forked processes share are counted once, not once per process as RSS would."""
        total = sum(pss_kb(int(pid)) for pid in self._group_stats())
        return total / 1024 if total else None

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass
        with contextlib.suppress(ProcessLookupError, PermissionError):   # workers left behind by their master
            os.killpg(self.proc.pid, signal.SIGKILL)


def launch(name: str, path: str, command: list[str], port: int, log: Path, ready_timeout: float,
           env: dict | None = None, preexec_fn=None) -> Server:
    """Start ``command`` in its own process group and wait until its endpoint answers a query."""
    started = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, env=env, preexec_fn=preexec_fn)
    server = Server(name, path, proc, port, log)
    probe = Request(path, PROBE, "application/sparql-results+json")
    deadline = started + ready_timeout
    while True:
        if proc.poll() is not None:
            raise ServerFailed(f"{name} exited with code {proc.returncode} before answering:\n{tail(log)}")
        if time.perf_counter() > deadline:
            server.stop()
            raise ServerFailed(f"{name} did not answer within {ready_timeout:g} s")
        try:
            status, _ = fetch(port, probe, timeout=5)
            if status == 200:
                break
        except OSError:
            pass
        time.sleep(0.2)
    server.ready_seconds = time.perf_counter() - started
    return server


# icc-graph's settings in the benchmark (bench/RESULTS.md says so): 2 workers x 2 threads, so 4 query processes,
# and the memory budget at its default (ICC_GRAPH_MEMORY_STORE_MB=4000): what a deployment gets. The release is then
# held in memory up to about 35,000 practices (the query server and each query process hold a copy) and queried
# from the on-disk store beyond. icc-graph-memory and icc-graph-disk force one or the other, to compare them.
# The load generator is one address with 8 connections: the per-client limit (ICC_GRAPH_CLIENT_QUERIES, against
# floods) would turn most of its requests into 503s, so it is off here.
ICC_GRAPH_SETTINGS = {"ICC_GRAPH_THREADS": "2", "ICC_GRAPH_CLIENT_QUERIES": "0"}
IN_MEMORY = {"ICC_GRAPH_MEMORY_STORE_MB": "1000000"}
ON_DISK = {"ICC_GRAPH_MEMORY_STORE_MB": "0"}


def chosen_store(release: Path, settings: dict) -> str:
    """Where ``icc-graph serve`` with these settings holds the release: "in memory" or "on disk"."""
    held = holds_in_memory(load_settings(environ=settings), release)
    return "in memory" if held else "on disk"


# The src/ folder of an older checkout (bench/run --baseline-src): its code serves as icc-graph-baseline, in the
# same run, so that a change's endpoint numbers are compared on the same machine and data, not across runs.
BASELINE_SRC: Path | None = None


def start_icc_graph(release: Path, work: Path, ready_timeout: float, name: str = "icc-graph",
                    settings: dict | None = None, src: Path | None = None) -> Server:
    port = free_port(LOOPBACK)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICC_GRAPH_")}
    if src is not None:   # the same installed entry point and dependencies, importing the package from there
        env["PYTHONPATH"] = str(src)
    settings = ICC_GRAPH_SETTINGS | (settings or {})
    command = [str(BIN / "icc-graph"), "serve", "--host", LOOPBACK, "--port", str(port), "--release", str(release)]
    server = launch(name, "/sparql", command, port, work / f"{name}.log", ready_timeout, env | settings)
    server.store = chosen_store(release, settings)
    return server


def start_icc_graph_memory(release: Path, work: Path, ready_timeout: float) -> Server:
    """icc-graph with the release in memory whatever its size: the query server and each query process hold a copy."""
    return start_icc_graph(release, work, ready_timeout, "icc-graph-memory", IN_MEMORY)


def start_icc_graph_disk(release: Path, work: Path, ready_timeout: float) -> Server:
    """icc-graph on its on-disk store (``ICC_GRAPH_MEMORY_STORE_MB=0``): every query process opens it read-only."""
    return start_icc_graph(release, work, ready_timeout, "icc-graph-disk", ON_DISK)


def start_icc_graph_baseline(release: Path, work: Path, ready_timeout: float, settings: dict | None = None,
                             name: str = "icc-graph-baseline") -> Server:
    """icc-graph as the checkout at ``BASELINE_SRC`` serves, with the benchmark's settings."""
    if BASELINE_SRC is None:
        raise ServerFailed(f"{name} needs --baseline-src (the src/ folder of the checkout to compare with)")
    return start_icc_graph(release, work, ready_timeout, name, settings, BASELINE_SRC)


def start_icc_graph_baseline_memory(release: Path, work: Path, ready_timeout: float) -> Server:
    return start_icc_graph_baseline(release, work, ready_timeout, IN_MEMORY, "icc-graph-baseline-memory")


def start_oxigraph(release: Path, work: Path, ready_timeout: float) -> Server:
    store, log = work / "oxigraph-store", work / "oxigraph-load.log"
    shutil.rmtree(store, ignore_errors=True)   # a load into an empty store, every time
    started = time.perf_counter()
    with log.open("wb") as out:
        loaded = subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(store), "--file",
                                 str(release / DUMP)], stdout=out, stderr=subprocess.STDOUT, timeout=ready_timeout)
    load_seconds = time.perf_counter() - started
    if loaded.returncode != 0:
        raise ServerFailed(f"oxigraph load failed with code {loaded.returncode}:\n{tail(log)}")
    port = free_port(LOOPBACK)
    # The union of the named graphs as default graph, as icc-graph and rdflib-endpoint answer.
    command = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(store), "--bind", f"{LOOPBACK}:{port}",
               "--union-default-graph"]
    server = launch("oxigraph", "/query", command, port, work / "oxigraph.log", ready_timeout)
    server.load_seconds = load_seconds
    return server


def start_rdflib_endpoint(release: Path, work: Path, ready_timeout: float, memory_gb: float | None = None) -> Server:
    port = free_port(LOOPBACK)
    command = [str(BIN / "rdflib-endpoint"), "serve", "--host", LOOPBACK, "--port", str(port), str(release / DUMP)]
    return launch("rdflib-endpoint", "/", command, port, work / "rdflib-endpoint.log", ready_timeout,
                  preexec_fn=memory_cap(memory_gb))


STARTERS = {"icc-graph": start_icc_graph, "icc-graph-memory": start_icc_graph_memory,
            "icc-graph-disk": start_icc_graph_disk, "icc-graph-baseline": start_icc_graph_baseline,
            "icc-graph-baseline-memory": start_icc_graph_baseline_memory, "oxigraph": start_oxigraph,
            "rdflib-endpoint": start_rdflib_endpoint}

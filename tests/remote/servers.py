"""Real triple stores for the remote-store tests: Oxigraph server (PyPI) and Virtuoso (Debian), on loopback.

Each runs in its own temporary folder on ports free at start time and is
stopped by the context manager that started it, whatever the test did.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from icc_graph.web.server import free_port

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
START_SECONDS = 120
ORPHAN_SECONDS = 5   # the longest a store works on a query the client gave up on


@dataclass
class Running:
    url: str                 # the SPARQL query endpoint
    proc: subprocess.Popen
    folder: Path
    port: int

    def stop(self) -> None:
        _stop(self.proc)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the store exited ({proc.returncode}): {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    _stop(proc)
    raise RuntimeError(f"the store did not answer within {START_SECONDS} s: {log.read_text(errors='replace')[-2000:]}")


def start_oxigraph(folder: Path, port: int | None = None) -> Running:
    """``oxigraph serve`` on ``folder`` (kept between starts, so a restarted server has the same data)."""
    port = port or free_port("127.0.0.1")
    log = folder.with_suffix(".log")
    # --timeout-s: Oxigraph takes no per-query limit, and an abandoned query would otherwise run on.
    proc = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
                             "--timeout-s", str(ORPHAN_SECONDS)],
                            stdout=log.open("ab"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/query"
    _wait(url, proc, log)
    return Running(url, proc, folder, port)


@contextlib.contextmanager
def oxigraph(folder: Path) -> Iterator[Running]:
    server = start_oxigraph(folder)
    try:
        yield server
    finally:
        server.stop()


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
MaxClientConnections = 10
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
; Below the seed release's size on purpose, to test that its cut is flagged (deployments: above the row cap).
ResultSetMaxRows = 1000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""


@contextlib.contextmanager
def virtuoso(folder: Path) -> Iterator[Running]:
    """A private ``virtuoso-t +foreground`` (dba/dba) in ``folder``; writes go to /sparql-auth (Digest)."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port("127.0.0.1"), free_port("127.0.0.1")
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port, vsp=VIRTUOSO_VSP))
    log = folder / "stdout.log"
    proc = subprocess.Popen([VIRTUOSO, "+configfile", str(ini), "+foreground"], cwd=folder,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait(url, proc, log)
        yield Running(url, proc, folder, http_port)
    finally:
        _stop(proc)

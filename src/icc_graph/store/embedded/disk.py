"""The on-disk Oxigraph copy of a release: loaded once from its N-Quads dump, kept per release checksum.

Releases never change once built, so a store folder named after the checksum of
the release's SHA256SUMS (and the layout below) stays valid for ever: ``icc-graph
serve`` loads it on the first start and opens it read-only on every later one. It
lives beside the releases (``<dist>/.stores/``), or in the temporary folder when
that is not writable. A build goes to a temporary folder first and is renamed into place,
so two processes starting together never see a half-loaded store.

The layout: the named graphs of the N-Quads dump, and their merge (the same
lines without their graph name) as the store's own default graph. A query that
names no dataset then reads the default graph's indexes instead of Oxigraph
merging every named graph for each triple pattern (bench/RESULTS.md, "The merged
default graph on disk"),
for a store folder half as big again. Beside it, the merge's core as N-Triples
(``core.nt``: what embedded.core_server holds in memory). ``release.json`` says whether the merge is
there (``union_in_default_graph``): a release whose N-Quads fill the default graph
themselves is served with Oxigraph's per-query merge instead.

The loading runs in a child process: RocksDB starts threads that a forked
process does not inherit, and a process that forks web workers (Granian) or
query processes must never have opened it, or its children hang on exit.

A server holds a shared ``flock`` on the store folder it serves for as long as it
runs (``StoreLease``; its forked workers share it, and the kernel drops it when
the last of them ends), and a load holds an exclusive one on its staging folder:
``icc-graph stores prune`` (embedded.prune) removes only folders nobody holds.

    python -m icc_graph.store.embedded.disk RELEASE TARGET CHECKSUM   (what prepare runs)
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from pyoxigraph import DefaultGraph, RdfFormat, Store

from ...vocabulary.release_folder import NQUADS, STORES
from ..base import Snapshot, StoreError
from ..snapshot import release_checksum, release_metadata
from .core import CORE_FILE, write_core

LAYOUT = 3   # in the folder's name: a store folder of another layout is never opened as this one


def _stores_folder(release: Path) -> Path:
    folder = release.absolute().parent / STORES
    try:
        folder.mkdir(exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    folder = Path(tempfile.gettempdir()) / "icc-graph-stores"
    folder.mkdir(exist_ok=True)
    return folder


class _WithoutGraphNames(io.RawIOBase):
    """An N-Quads file read as N-Triples: every line without its graph name (each line must have one)."""

    def __init__(self, path: Path):
        self._quads = path.open("rb")
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while len(self._pending) < len(buffer) and (lines := self._quads.readlines(1 << 20)):
            self._pending += b"".join(_triple(line) for line in lines)
        size = min(len(buffer), len(self._pending))
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        return size

    def close(self) -> None:
        self._quads.close()
        super().close()


def _triple(quad_line: bytes) -> bytes:
    statement = quad_line.strip()
    if not statement or statement.startswith(b"#"):
        return b""
    terms = statement.removesuffix(b".").rstrip()
    # The graph name ends the line: an IRI (holds no "<") or a blank node label (holds no space).
    cut = terms.rfind(b"<") if terms.endswith(b">") else terms.rfind(b" ")
    return terms[:cut].rstrip() + b" .\n"


class StoreLease:
    """A shared lock on a store folder, held while it is served (see the module's docstring)."""

    def __init__(self, fd: int):
        self._fd: int | None = fd

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def lock_folder(folder: Path, operation: int) -> int | None:
    """An open descriptor of ``folder`` holding ``flock(operation)``; None when the folder is gone (or was
    replaced while the lock was awaited) or, with LOCK_NB, when another process holds a conflicting lock."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, operation)
        if os.stat(folder).st_ino == os.fstat(fd).st_ino:
            return fd
    except (BlockingIOError, FileNotFoundError):
        pass
    os.close(fd)
    return None


def _staging_folder(stores: Path, checksum: str) -> tuple[Path, int]:
    """A new staging folder and the exclusive lock that tells a prune it is being loaded."""
    while True:
        staging = Path(tempfile.mkdtemp(prefix=f".{checksum[:16]}-", dir=stores))
        # A prune between mkdtemp and the lock may take the new folder for a dead load's and remove it: then
        # lock_folder finds it gone, and another is made.
        fd = lock_folder(staging, fcntl.LOCK_EX)
        if fd is not None:
            return staging, fd


def _load(release: Path, target: Path, checksum: str) -> None:
    staging, _held_until_exit = _staging_folder(target.parent, checksum)
    try:
        store = Store(str(staging / "store"))
        store.bulk_load(path=str(release / NQUADS), format=RdfFormat.N_QUADS)
        version, modified = release_metadata(store, release)
        union = next(store.quads_for_pattern(None, None, None, DefaultGraph()), None) is None
        if union:
            with io.BufferedReader(_WithoutGraphNames(release / NQUADS), 1 << 20) as triples:
                store.bulk_load(triples, format=RdfFormat.N_TRIPLES)
            write_core(store, staging / CORE_FILE)
        store.optimize()
        meta = {"checksum": checksum, "version": version, "modified": modified.isoformat(),
                "union_in_default_graph": union}
        store.flush()
        del store
        (staging / "release.json").write_text(json.dumps(meta, indent=1) + "\n")
        try:
            staging.rename(target)
        except OSError:
            if not (target / "release.json").is_file():   # another process did not win the race: a real error
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def holds_union(store_dir: Path) -> bool:
    """Whether the store in ``store_dir`` (from ``prepare``) holds its named graphs merged as its default graph."""
    return json.loads((Path(store_dir).parent / "release.json").read_text()).get("union_in_default_graph", False)


def store_folder_name(checksum: str) -> str:
    return f"{checksum[:32]}-{LAYOUT}"


def prepare(release: Path) -> tuple[Path, Snapshot, StoreLease]:
    """(store folder, snapshot, lease) for ``release``, loading its N-Quads dump on the first call. Hold the
    lease while the store is served, and close it after."""
    release = Path(release)
    if not (release / NQUADS).is_file():
        raise StoreError(f"{release} has no {NQUADS}: not an icc-graph release folder (run `icc-graph build`)")
    checksum = release_checksum(release)
    target = _stores_folder(release) / store_folder_name(checksum)
    while True:   # again if a prune removed the folder between the check and the lock
        if not (target / "release.json").is_file():
            loading = subprocess.run([sys.executable, "-m", "icc_graph.store.embedded.disk", str(release),
                                      str(target), checksum], capture_output=True, text=True)
            if loading.returncode != 0:
                raise StoreError(f"loading {release / NQUADS} into {target} failed: "
                                 f"{loading.stderr.strip()[-2000:]}")
        fd = lock_folder(target, fcntl.LOCK_SH)
        if fd is not None and (target / "release.json").is_file():
            break
        if fd is not None:
            os.close(fd)
    meta = json.loads((target / "release.json").read_text())
    return (target / "store", Snapshot(meta["version"], checksum, datetime.fromisoformat(meta["modified"])),
            StoreLease(fd))


if __name__ == "__main__":
    _load(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])

"""The on-disk Oxigraph copy of a release: loaded once from its N-Quads dump, kept per release checksum.

Releases never change once built, so a store folder named after the checksum of
the release's SHA256SUMS stays valid for ever: ``icc-graph serve`` loads it on
the first start and opens it read-only on every later one. It lives beside the
releases (``<dist>/.stores/``), or in the temporary folder when that is not
writable. A build goes to a temporary folder first and is renamed into place,
so two processes starting together never see a half-loaded store.

The loading runs in a child process: RocksDB starts threads that a forked
process does not inherit, and a process that forks web workers (Granian) or
query processes must never have opened it, or its children hang on exit.

    python -m icc_graph.store.embedded.disk RELEASE TARGET CHECKSUM   (what prepare runs)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from ...vocabulary.release_folder import NQUADS, STORES
from ..base import Snapshot, StoreError
from ..snapshot import release_checksum, release_metadata


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


def _load(release: Path, target: Path, checksum: str) -> None:
    staging = Path(tempfile.mkdtemp(prefix=f".{checksum[:16]}-", dir=target.parent))
    try:
        store = Store(str(staging / "store"))
        store.bulk_load(path=str(release / NQUADS), format=RdfFormat.N_QUADS)
        store.optimize()
        version, modified = release_metadata(store, release)
        meta = {"checksum": checksum, "version": version, "modified": modified.isoformat()}
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


def prepare(release: Path) -> tuple[Path, Snapshot]:
    """(store folder, snapshot) for ``release``, loading its N-Quads dump on the first call."""
    release = Path(release)
    if not (release / NQUADS).is_file():
        raise StoreError(f"{release} has no {NQUADS}: not an icc-graph release folder (run `icc-graph build`)")
    checksum = release_checksum(release)
    target = _stores_folder(release) / checksum[:32]
    if not (target / "release.json").is_file():
        loading = subprocess.run([sys.executable, "-m", "icc_graph.store.embedded.disk", str(release), str(target),
                                  checksum], capture_output=True, text=True)
        if loading.returncode != 0:
            raise StoreError(f"loading {release / NQUADS} into {target} failed: {loading.stderr.strip()[-2000:]}")
    meta = json.loads((target / "release.json").read_text())
    return target / "store", Snapshot(meta["version"], checksum, datetime.fromisoformat(meta["modified"]))


if __name__ == "__main__":
    _load(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])

"""``icc-graph stores prune``: remove the on-disk stores (``<dist>/.stores/``) that no published release needs.

Each release served from disk gets a store folder the size of its N-Quads dump
and more (2.7 GB at 100k practices), named by the release's checksum and the
store's layout (embedded.disk). Nothing else ever removes one: a new release, or
a new layout, adds a folder beside the old ones. A folder is kept when a release
published in ``<dist>`` (a link there: ``latest``, ``<version>``) needs it in the
current layout; the others go, unless a running server holds the folder (its
lease) or a load is still writing it. Servers of versions before the lease took
no lock: stop them before pruning. Entries that are not store folders (no
checksum-shaped name) are never touched.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ...vocabulary.release_folder import NQUADS, STORES, checksum_of
from .disk import lock_folder, store_folder_name

# <checksum>-<layout> (layout 1 had no suffix), and a load's staging folder .<checksum[:16]>-XXXX
STORE_FOLDER = re.compile(r"[0-9a-f]{32}(-\d+)?|\.[0-9a-f]{16}-.+")


@dataclass(frozen=True)
class Pruned:
    folder: Path
    size: int       # bytes
    in_use: bool    # held by a server or a load: left in place


def needed(dist_dir: Path) -> set[str]:
    """The store folder names the releases published in ``dist_dir`` are served from."""
    names = set()
    for entry in dist_dir.iterdir() if dist_dir.is_dir() else ():
        checksum = checksum_of(entry) if (entry / NQUADS).is_file() else None
        if checksum is not None:
            names.add(store_folder_name(checksum))
    return names


def folder_size(folder: Path) -> int:
    return sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(folder) for name in names)


def prune(dist_dir: Path, dry_run: bool = False) -> list[Pruned]:
    """Remove (or, with ``dry_run``, only list) the store folders under ``dist_dir/.stores`` nothing needs;
    a folder a server or a load holds is listed as in use and left."""
    stores = dist_dir / STORES
    keep = needed(dist_dir)
    pruned = []
    for folder in sorted(stores.iterdir()) if stores.is_dir() else ():
        if folder.name in keep or not STORE_FOLDER.fullmatch(folder.name) or not folder.is_dir():
            continue
        size = folder_size(folder)
        fd = lock_folder(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if fd is None and not folder.exists():
            continue   # removed by another prune meanwhile
        try:
            if fd is not None and not dry_run:
                shutil.rmtree(folder)   # holding the lock: no server can take the folder meanwhile
        finally:
            if fd is not None:
                os.close(fd)
        pruned.append(Pruned(folder, size, in_use=fd is None))
    return pruned


def prune_hint(dist_dir: Path) -> str | None:
    """What ``icc-graph serve`` says at start when store folders nobody needs take room, or None."""
    idle = [entry for entry in prune(dist_dir, dry_run=True) if not entry.in_use]
    if not idle:
        return None
    size = sum(entry.size for entry in idle)
    return (f"{len(idle)} store folder(s) in {dist_dir / STORES} no published release needs ({size / 1e6:,.0f} MB): "
            "`icc-graph stores prune` removes them")

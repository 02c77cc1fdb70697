"""What a store reads from a release folder about the release: its checksum, version and date (base.Snapshot)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import Store

from ..vocabulary.prefixes import sparql_prologue
from ..vocabulary.release_folder import CHECKSUMS, checksum_of
from .base import StoreError

DATASET_QUERY = sparql_prologue("dcat", "dcterms", "owl") + """SELECT ?modified ?version WHERE {
  ?dataset a dcat:Dataset ; dcterms:modified ?modified . OPTIONAL { ?dataset owl:versionInfo ?version }
} ORDER BY DESC(?modified) LIMIT 1
"""


def release_checksum(release: Path) -> str:
    checksum = checksum_of(release)
    if checksum is None:
        raise StoreError(f"{release} is not an icc-graph release: {CHECKSUMS} is missing (run `icc-graph build`)")
    return checksum


def release_metadata(store: Store, release: Path) -> tuple[str, datetime]:
    """Version and dcterms:modified of the dataset; the folder name and SHA256SUMS's time when it has none."""
    version = release.resolve().name.split("-")[0]
    modified = datetime.fromtimestamp((release / CHECKSUMS).stat().st_mtime, UTC).replace(microsecond=0)
    for row in store.query(DATASET_QUERY, use_default_graph_as_union=True):
        version = row["version"].value if row["version"] is not None else version
        try:
            moment = datetime.fromisoformat(row["modified"].value)
        except ValueError:
            break
        modified = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    return version, modified

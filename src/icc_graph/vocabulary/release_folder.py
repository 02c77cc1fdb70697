"""The release folder's layout: the one module that knows what a release folder holds and how dist/ is laid out.

    dist/<version>/  (and dist/latest -> <version>): links into dist/.builds/<version>-XXXX/
        icc-graph.{ttl,nt,jsonld,trig,nq}  and a .gz of each     the dumps (vocabulary.formats.DUMPS)
        context.jsonld                                          the JSON-LD context of the dumps
        description.ttl, description.jsonld                     DCAT-AP + VoID + Service Description
        validation-report.ttl                                   the SHACL gate's report
        SHA256SUMS                                              sha256sum lines of every other file
    dist/.stores/<checksum>-<layout>/                           on-disk Oxigraph stores (store/embedded/disk.py)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .formats import DUMPS

DUMP_STEM = "icc-graph"
NQUADS = f"{DUMP_STEM}.nq"          # the dump the stores load (every named graph)
CONTEXT = "context.jsonld"
DESCRIPTION_STEM = "description"
DESCRIPTION_FILES = (f"{DESCRIPTION_STEM}.ttl", f"{DESCRIPTION_STEM}.jsonld")   # best first
REPORT = "validation-report.ttl"
CHECKSUMS = "SHA256SUMS"
LATEST = "latest"
BUILDS = ".builds"      # real folders; dist/<version> and dist/latest are links into them
STORES = ".stores"


def dump_name(suffix: str) -> str:
    return f"{DUMP_STEM}.{suffix}"


def dump_suffix(name: str) -> str | None:
    """The format suffix of a dump file name (its .gz too), or None when ``name`` is no dump."""
    stem, _, suffix = name.removesuffix(".gz").rpartition(".")
    return suffix if stem == DUMP_STEM and suffix in {f.suffix for f in DUMPS} else None


def latest(dist_dir: Path) -> Path:
    return Path(dist_dir) / LATEST


def checksum_of(release: Path) -> str | None:
    """SHA-256 of the release's SHA256SUMS (it names the whole release), None when the folder has none."""
    sums = Path(release) / CHECKSUMS
    return hashlib.sha256(sums.read_bytes()).hexdigest() if sums.is_file() else None


def read_checksums(release: Path) -> dict[str, str]:
    """name -> SHA-256 from the release's SHA256SUMS (``sha256sum`` format)."""
    sums = Path(release) / CHECKSUMS
    if not sums.is_file():
        return {}
    table = {}
    for line in sums.read_text(encoding="ascii").splitlines():
        digest, _, name = line.partition("  ")
        if name:
            table[name.lstrip("*")] = digest
    return table

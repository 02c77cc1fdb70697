"""The build: data/ -> records -> graph -> dumps in dist/<version>/, published atomically.

The new release is written beside the old one and swapped in with one rename
of a symbolic link, so a failure at any step leaves the previous release exactly
as it was, and a reader never sees a half-written folder.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from .config import Settings
from .datadir import read_records
from .description import describe_release, description_files
from .formats import DUMP_SUFFIXES, serialize, sorted_quads, sorted_triples
from .generated import CONTEXT_FILE, load_context
from .iris import Minter
from .links import LINKS_GRAPH, derive_links, describe_links_graph
from .mapping import map_records, theme_slugs, vocabulary_graph
from .progress import Progress
from .records import Records
from .validation import REPORT_NAME, Validation, ValidationFailed, render_report, validate
from .vocab import PREFIXES

DUMP_STEM = "icc-graph"
CONTEXT_NAME = "context.jsonld"
CHECKSUMS = "SHA256SUMS"
BUILDS = ".builds"      # real folders; dist/<version> and dist/latest are links into it
LATEST = "latest"


@dataclass
class Built:
    """What one build produced, in memory, before it is written."""

    records: Records
    dataset: Dataset
    files: dict[str, bytes]


def build_graph(settings: Settings, progress: Progress) -> tuple[Records, Dataset]:
    mint = Minter(settings.base_iri)
    with progress.step("reading the ontology and theme schemes"):
        vocabulary = vocabulary_graph(mint)
    with progress.step(f"reading {settings.data_dir}"):
        records = read_records(settings.data_dir, theme_slugs(vocabulary, mint))
    with progress.step(f"mapping {len(records.practices)} practices to RDF"):
        dataset = map_records(records, mint, vocabulary)
    with progress.step("deriving cross-city links"):
        derive_links(records, mint, into=dataset.graph(mint.graph(LINKS_GRAPH)))
        metadata = dataset.graph(mint.graph("metadata"))
        metadata += describe_links_graph(records, mint)
    return records, dataset


def render_files(dataset: Dataset, progress: Progress) -> dict[str, bytes]:
    """Every file of a release: dumps, their gzips, the JSON-LD context and SHA256SUMS."""
    context = load_context()
    files: dict[str, bytes] = {CONTEXT_NAME: CONTEXT_FILE.read_bytes()}
    prefixes = dict(sorted((prefix, str(ns)) for prefix, ns in dataset.namespace_manager.namespaces()
                           if prefix in PREFIXES or prefix == "icc"))
    with progress.step("sorting the quads"):
        quads = sorted_quads(dataset)
        triples = sorted_triples(quads)
    for suffix in DUMP_SUFFIXES:
        with progress.step(f"writing the {suffix} dump"):
            data = serialize(quads, suffix, context, prefixes, triples)
            files[f"{DUMP_STEM}.{suffix}"] = data
            files[f"{DUMP_STEM}.{suffix}.gz"] = gzip_bytes(data)
    files[CHECKSUMS] = checksums(files)
    return files


def gzip_bytes(data: bytes) -> bytes:
    # No file name and a zero time stamp in the header, so that the bytes repeat;
    # level 6 is as small within a few per cent and three times faster than 9.
    return gzip.compress(data, compresslevel=6, mtime=0)


def checksums(files: dict[str, bytes]) -> bytes:
    lines = [f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
             if name != CHECKSUMS]
    return "".join(lines).encode("ascii")


def publish(files: dict[str, bytes], dist_dir: Path, version: str) -> Path:
    """Write ``files`` as release ``version`` and switch dist/<version> and dist/latest to it."""
    builds = dist_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{version}-", dir=builds))
    try:
        for name, data in files.items():
            (folder / name).write_bytes(data)
        folder.chmod(0o755)
        previous = _switch(dist_dir / version, Path(BUILDS) / folder.name)
        _switch(dist_dir / LATEST, Path(version))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if previous is not None and previous.name != folder.name:
        shutil.rmtree(dist_dir / BUILDS / previous.name, ignore_errors=True)
    return dist_dir / version


def _switch(link: Path, target: Path) -> Path | None:
    """Point ``link`` at ``target`` in one atomic rename; return where it pointed before."""
    if link.exists() and not link.is_symlink():
        raise FileExistsError(f"{link} is a real folder, not a release link: move it away first")
    previous = Path(os.readlink(link)) if link.is_symlink() else None
    staging = link.with_name(f".{link.name}.new")
    staging.unlink(missing_ok=True)
    staging.symlink_to(target)
    os.replace(staging, link)
    return previous


def check_shapes(settings: Settings, records: Records, dataset: Dataset, progress: Progress) -> Validation:
    """Validate against shapes/; print the findings; raise ValidationFailed on any Violation."""
    with progress.step("validating against shapes/"):
        validation = validate(records, dataset, Minter(settings.base_iri), settings.data_dir)
    if validation.findings:
        print(render_report(validation, limit=20), file=progress.stream)
    if not validation.conforms:
        raise ValidationFailed(validation)
    return validation


def describe_files(settings: Settings, records: Records, dataset: Dataset, files: dict[str, bytes],
                   validation: Validation) -> dict[str, bytes]:
    """description.ttl / .jsonld (of the dump files in ``files``) and validation-report.ttl."""
    prefixes = dict(sorted((prefix, str(ns)) for prefix, ns in dataset.namespace_manager.namespaces()
                           if prefix in PREFIXES or prefix == "icc"))
    description = describe_release(settings, records, dataset, files)
    out = description_files(description, load_context(), prefixes)
    out[REPORT_NAME] = validation.report.serialize(format="turtle").encode("utf-8")
    return out


def build(settings: Settings, progress: Progress | None = None) -> Path:
    """Build and publish one release; return its folder."""
    progress = progress or Progress()
    records, dataset = build_graph(settings, progress)
    # The SHACL gate: a Violation raises ValidationFailed before anything is written.
    validation = check_shapes(settings, records, dataset, progress)
    files = render_files(dataset, progress)
    with progress.step("describing the release (DCAT-AP, VoID, Service Description)"):
        files.update(describe_files(settings, records, dataset, files, validation))
        files[CHECKSUMS] = checksums(files)
    with progress.step(f"publishing {settings.dist_dir / records.metadata.version}"):
        return publish(files, settings.dist_dir, records.metadata.version)

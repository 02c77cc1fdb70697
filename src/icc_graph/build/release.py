"""The build: data/ -> records -> graph -> dumps in dist/<version>/, published atomically.

The new release is written beside the old one and swapped in with one rename
of a symbolic link, so a failure at any step leaves the previous release exactly
as it was, and a reader never sees a half-written folder.
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
from pathlib import Path

from ..config import Settings
from ..vocabulary.generated import CONTEXT_FILE, load_context
from ..vocabulary.iris import Minter
from ..vocabulary.namespaces import PREFIXES
from ..vocabulary.release_folder import BUILDS, CHECKSUMS, CONTEXT, DUMP_STEM, REPORT, latest
from .chunks import ReleaseQuads, build_quads
from .datadir import read_records
from .deadruns import RunLock, sweep
from .description import VoidStatistics, count_ntriples, describe_release, description_files
from .dumps import FileDigest, digest, write_dumps
from .forked import Forked
from .gate import Validation, ValidationFailed, render_report
from .links import compute_links
from .mapping import theme_slugs, vocabulary_graph
from .progress import Progress
from .records import Records
from .suggestions import compute_suggestions


def _read(settings: Settings, mint: Minter, progress: Progress):
    with progress.step("reading the ontology and theme schemes"):
        vocabulary = vocabulary_graph(mint)
    with progress.step(f"reading {settings.data_dir}"):
        records = read_records(settings.data_dir, theme_slugs(vocabulary, mint), settings.max_text_bytes)
    return vocabulary, records


def build_checked(settings: Settings, progress: Progress,
                  spill_dir: Path | None = None) -> tuple[Records, ReleaseQuads]:
    """Map and link the records chunk by chunk, validating each chunk (chunks.py): bounded memory.

    The quads wait for the dumps as sorted runs in a temporary folder under ``spill_dir``
    (by default the system's); ``quads.close()`` removes them.
    The same quads and the same validation as the whole-graph reference in tests/reference_pipeline.py.
    """
    mint = Minter(settings.base_iri)
    vocabulary, records = _read(settings, mint, progress)
    with progress.step("deriving cross-city links, and suggesting themes beside them"), \
            Forked(lambda: compute_suggestions(records, vocabulary, mint)) as suggesting:    # on the second core
        derived = compute_links(records, settings.link_min_score)
        suggested = suggesting.result()
    with progress.step(f"mapping {len(records.practices)} practices and their links to RDF, "
                       "validating against shapes/ chunk by chunk"):
        quads = build_quads(records, mint, vocabulary, derived, suggested, settings.data_dir, spill_dir)
    return records, quads


def _prefixes(quads: ReleaseQuads) -> dict[str, str]:
    return dict(sorted((prefix, ns) for prefix, ns in quads.namespaces.items()
                       if prefix in PREFIXES or prefix == "icc"))


def write_files(quads: ReleaseQuads, folder: Path, progress: Progress,
                validation: Validation) -> tuple[dict[str, FileDigest], VoidStatistics, bytes]:
    """The dumps, their gzips and the JSON-LD context, written into ``folder``; with the VoID counts of the
    N-Triples dump, made by the forked child that writes JSON-LD, and the validation report's Turtle (dumps.py)."""
    (folder / CONTEXT).write_bytes(CONTEXT_FILE.read_bytes())

    def report() -> bytes:
        with progress.step("writing the validation report"):
            return validation.report.serialize(format="turtle").encode("utf-8")

    def void_counts(path: dict[str, Path]) -> VoidStatistics:
        return count_ntriples(path["nt"])

    dumps, statistics, report_turtle = write_dumps(quads.runs, folder, DUMP_STEM, load_context(), _prefixes(quads),
                                                   progress, ("counting the N-Triples dump for VoID", void_counts),
                                                   report)
    return {CONTEXT: digest(folder / CONTEXT), **dumps}, statistics, report_turtle


def checksums(files: dict[str, bytes | FileDigest]) -> bytes:
    lines = [f"{data.sha256 if isinstance(data, FileDigest) else hashlib.sha256(data).hexdigest()}  {name}\n"
             for name, data in sorted(files.items()) if name != CHECKSUMS]
    return "".join(lines).encode("ascii")


def clean_dead_builds(dist_dir: Path) -> list[Path]:
    """Remove what killed builds left in dist/.builds: release folders no release link points at and sorted-runs
    folders (sorted_runs.py), each only when nobody holds its lock. Returns what was removed."""
    builds = dist_dir / BUILDS
    published = _published(dist_dir) if dist_dir.is_dir() else set()
    return sweep(builds, owner_of=lambda entry: entry.name, keep=lambda entry: entry.name in published)


def new_build_folder(dist_dir: Path, version: str) -> tuple[Path, RunLock]:
    """A new folder under dist/.builds and the lock that marks it as being written (release it once published).

    What killed builds left there first goes (clean_dead_builds).
    """
    builds = dist_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    clean_dead_builds(dist_dir)
    lock = RunLock(builds, prefix=f"{version}-")
    folder = builds / lock.stem
    folder.mkdir(mode=0o700)
    return folder, lock


def _published(dist_dir: Path) -> set[str]:
    """The names of the folders under dist/.builds that a link in dist/ points at."""
    names = set()
    for link in dist_dir.iterdir():
        if link.is_symlink():
            parts = Path(os.readlink(link)).parts
            if len(parts) == 2 and parts[0] == BUILDS:
                names.add(parts[1])
    return names


def publish_folder(folder: Path, dist_dir: Path, version: str) -> Path:
    """Switch dist/<version> and dist/latest to ``folder`` (under dist/.builds), already written."""
    try:
        folder.chmod(0o755)
        previous = _switch(dist_dir / version, Path(BUILDS) / folder.name)
        _switch(latest(dist_dir), Path(version))
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


def check_shapes(settings: Settings, records: Records, quads: ReleaseQuads, progress: Progress) -> Validation:
    """The findings of the SHACL gate (run while the graph was built); raise ValidationFailed on any Violation."""
    validation = quads.validation
    if validation.findings:
        print(render_report(validation, limit=20), file=progress.stream)
    if not validation.conforms:
        raise ValidationFailed(validation)
    return validation


def describe_files(settings: Settings, records: Records, quads: ReleaseQuads, files: dict[str, FileDigest],
                   statistics: VoidStatistics, report: bytes) -> dict[str, bytes]:
    """description.ttl / .jsonld (of the dump files in ``files``) and validation-report.ttl."""
    description = describe_release(settings, records, quads.graph_sizes(), files, statistics)
    return {**description_files(description, load_context(), _prefixes(quads)), REPORT: report}


def build(settings: Settings, progress: Progress | None = None) -> Path:
    """Build and publish one release; return its folder."""
    progress = progress or Progress()
    # The sorted runs go beside the releases: the system's temporary folder may be memory (tmpfs). What a killed
    # build left there goes first, before this one adds its own.
    clean_dead_builds(settings.dist_dir)
    try:
        records, quads = build_checked(settings, progress, settings.dist_dir / BUILDS)
        try:
            return _write_release(settings, records, quads, progress)
        finally:
            quads.close()
    finally:
        gc.unfreeze()   # what forked.py froze before its forks: collectable again


def _write_release(settings: Settings, records: Records, quads: ReleaseQuads, progress: Progress) -> Path:
    # The SHACL gate: a Violation raises ValidationFailed before anything is written.
    validation = check_shapes(settings, records, quads, progress)
    version = records.metadata.version
    folder, lock = new_build_folder(settings.dist_dir, version)
    try:
        try:
            files, statistics, report = write_files(quads, folder, progress, validation)
            with progress.step("describing the release (DCAT-AP, VoID, Service Description)"):
                for name, data in describe_files(settings, records, quads, files, statistics, report).items():
                    (folder / name).write_bytes(data)
                    files[name] = FileDigest(len(data), hashlib.sha256(data).hexdigest())
                (folder / CHECKSUMS).write_bytes(checksums(files))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        with progress.step(f"publishing {settings.dist_dir / version}"):
            return publish_folder(folder, settings.dist_dir, version)
    finally:
        lock.release()

"""Merging imported practices into data/: new records added, source blocks updated, curation never touched.

Every new file text is computed and checked (read back with the same reader
the build uses) before anything is written; then each file is written beside
its target and renamed over it, so an error at any step leaves data/ as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..build.datadir import PLACES, PRACTICES, PlaceNames, read_places, read_practice, read_yaml
from ..build.deadruns import RunLock, sweep
from ..build.places_text import add_places
from ..build.records import Country, Place
from ..errors import DataError
from .entry import Entry
from .places import Gazetteer
from .review import ReviewItem
from .sourceblock import build_source, changed_fields, new_file, replace_source

STAGED_SUFFIX = ".import"
STAGING_LOCK = ".import-"   # the lock of one import's staged files in one folder
_STAGED_BY = re.compile(r"\.(\.import-[a-z0-9_]+)\.[a-z0-9_]+\.import$")


@dataclass
class Report:
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)   # slug -> source fields that changed
    unchanged: list[str] = field(default_factory=list)
    new_countries: list[Country] = field(default_factory=list)
    new_places: list[Place] = field(default_factory=list)
    untitled: list[str] = field(default_factory=list)             # new records that got a provisional label

    def lines(self) -> list[str]:
        out = [f"added {slug}" for slug in self.added]
        out += [f"changed {slug}: {', '.join(fields)}" for slug, fields in self.changed.items()]
        out += [f"new country {c.name} ({c.iso2}), unconfirmed: check it in places.yaml" for c in self.new_countries]
        out += [f"new {p.kind} {p.name} ({p.country}) as {p.slug}, unconfirmed: check it in places.yaml"
                for p in self.new_places]
        out += [f"untitled {slug}: given a provisional curation.label, please review" for slug in self.untitled]
        out.append(f"{len(self.added)} added, {len(self.changed)} changed, {len(self.unchanged)} unchanged")
        return out


def read_sources(data_dir: Path) -> dict[str, dict]:
    """slug -> the ``source`` block of every practice file in data/."""
    sources = {}
    for path in sorted((data_dir / PRACTICES).glob("*.yaml")):
        source = read_yaml(path).get("source")
        if source is None:      # a file a curator started, with only curation.corrections, for the import to fill
            source = {}
        if not isinstance(source, dict):
            raise DataError(path, "expected a 'source' mapping", field="source")
        sources[path.stem] = source
    return sources


def _provisional_label(entries: list[Entry], gazetteer: Gazetteer) -> str:
    first = entries[0]
    where = ", ".join(first.cities) or gazetteer.country(first.country).name
    year = first.period.start_year or first.period.end_year
    return f"Untitled practice in {where}" + (f" ({year})" if year else "")


def plan(data_dir: Path, groups: dict[str, list[Entry]], sources: dict[str, dict], gazetteer: Gazetteer,
         listing_url: str, read_on: dt.date) -> tuple[dict[Path, str], Report]:
    """The new text of every file to write, and what the merge does; nothing is written."""
    files: dict[Path, str] = {}
    report = Report()

    def country_name(iso2: str) -> str:
        return gazetteer.country(iso2).name

    for slug, entries in sorted(groups.items()):
        path = data_dir / PRACTICES / f"{slug}.yaml"
        old = sources.get(slug)
        source = build_source(slug, entries, old, listing_url, country_name, read_on)
        if old is None:
            label = None
            if not source.get("title"):
                label = _provisional_label(entries, gazetteer)
                report.untitled.append(slug)
            files[path] = new_file(slug, source, label)
            report.added.append(slug)
            continue
        fields = changed_fields(old, source)
        if not fields:
            report.unchanged.append(slug)
            continue
        text = replace_source(path.read_text(encoding="utf-8"), source)
        if text is None:
            raise DataError(path, "no block-style 'source:' key to update", field="source")
        files[path] = text
        report.changed[slug] = fields
    report.new_countries = list(gazetteer.new_countries.values())
    report.new_places = list(gazetteer.new_places.values())
    if report.new_countries or report.new_places:
        places = data_dir / PLACES
        files[places] = add_places(places.read_text(encoding="utf-8"), report.new_countries, report.new_places)
    return files, report


def check(data_dir: Path, files: dict[Path, str], review: list[ReviewItem] | None = None) -> dict[Path, str]:
    """Read every new text back as the build would, in a scratch folder; a DataError names the real file.

    With ``review``, a practice file that does not read back is left out (and reviewed) instead; the files
    that remain are returned.
    """
    kept = dict(files)
    with tempfile.TemporaryDirectory(prefix="icc-import-") as scratch:
        root = Path(scratch)
        (root / PRACTICES).mkdir()
        places = data_dir / PLACES
        (root / PLACES).write_text(files.get(places) or places.read_text(encoding="utf-8"), encoding="utf-8")
        try:
            names = PlaceNames(*read_places(root / PLACES))
        except DataError as exc:
            raise DataError(places, f"after the import: {exc.message}", field=exc.field, record=exc.record) from None
        for path, text in files.items():
            if path == places:
                continue
            copy = root / PRACTICES / path.name
            copy.write_text(text, encoding="utf-8")
            # Curation is not the importer's to judge: its own themes are accepted as they are.
            themes = frozenset((read_yaml(copy).get("curation") or {}).get("themes") or [])
            try:
                read_practice(copy, names, themes)
            except DataError as exc:
                error = DataError(path, f"after the import: {exc.message}", field=exc.field)
                if review is None:
                    raise error from None
                source = read_yaml(copy).get("source") or {}
                review.append(ReviewItem(source.get("page") or str(path), text, str(error), source.get("language"),
                                         path.stem))
                del kept[path]
    return kept


def _staging_owner(entry: Path) -> str | None:
    """The lock stem a staged file ``.<file>.<stem>.import`` belongs to ("" when it names none: a dead run's)."""
    if not (entry.name.startswith(".") and entry.name.endswith(STAGED_SUFFIX)):
        return None
    match = _STAGED_BY.search(entry.name)
    return match.group(1) if match else ""


def write(files: dict[Path, str]) -> None:
    """Write each file beside its target, then rename them all into place; on error remove what was written.

    Each folder written into is first swept of what a killed import left there (deadruns.py).
    """
    staged: list[tuple[Path, Path]] = []
    locks: dict[Path, RunLock] = {}
    try:
        try:
            for path, text in sorted(files.items()):
                path.parent.mkdir(parents=True, exist_ok=True)
                if path.parent not in locks:
                    sweep(path.parent, _staging_owner)
                    locks[path.parent] = RunLock(path.parent, prefix=STAGING_LOCK)
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{locks[path.parent].stem}.", suffix=STAGED_SUFFIX,
                                           dir=path.parent)
                staged.append((Path(tmp), path))
                # mkstemp makes owner-only files; data files are shared like any file in the repository
                os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                    f.write(text)
        except OSError as exc:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
            raise DataError(exc.filename or "data", f"cannot write: {exc.strerror}; nothing was changed") from None
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for lock in locks.values():
            lock.release()

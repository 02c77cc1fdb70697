"""Importers: saved ICC listing and detail pages (text or HTML, English or French) into data/.

``import_pages`` reads pages into entries (``reader``: ``listing``, ``detail``,
``places``, ``template``), groups the entries of one practice (``identity``) and
plans the merge into data/ (``merge``, ``sourceblock``; new places go into places.yaml
through ``build.places_text``). Only ``write`` touches the disk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..build.datadir import METADATA, PLACES, PRACTICES, read_metadata, read_places
from ..errors import DataError
from .corrections import read_corrections
from .entry import Entry
from .identity import group_entries, known_records
from .merge import Report, check, plan, read_sources, write
from .page_text import Page, read_page
from .places import Gazetteer
from .reader import entries_of
from .review import ReviewItem
from .sourceblock import build_source

__all__ = ["Imported", "import_pages", "merge_entries", "reading", "Report"]


@dataclass
class Imported:
    """What an import found and what it would write."""

    groups: dict[str, list[Entry]]
    files: dict[Path, str]
    report: Report
    listing_url: str
    gazetteer: Gazetteer
    read_on: dt.date

    def practices(self) -> list[dict]:
        """One JSON-ready object per practice, from the pages alone (data/ only decides the slugs)."""
        out = []
        for slug, entries in sorted(self.groups.items()):
            source = build_source(slug, entries, None, self.listing_url,
                                  lambda iso2: self.gazetteer.country(iso2).name, self.read_on)
            read = [{"file": str(e.file), "line": e.line, "kind": e.kind, "language": e.language, "link": e.link}
                    for e in entries]
            out.append({
                "slug": slug, "title": source.get("title"), "country": source.get("country"),
                "country_code": entries[-1].country, "cities": source.get("cities"),
                "period": source.get("period"), "start_year": source.get("start_year"),
                "end_year": source.get("end_year"), "ongoing": source.get("ongoing"),
                "summary": source.get("summary"), "sections": source.get("sections"),
                "language": source.get("language"),
                "translations": source.get("translations", {}),
                "source": {"page": source.get("page"), "detail_page": source.get("detail_page"), "read": read},
            })
        return out

    def write(self) -> None:
        write(self.files)


def import_pages(paths: list[Path], data_dir: Path, *, read_on: dt.date | None = None,
                 url: str | None = None, review: list[ReviewItem] | None = None) -> Imported:
    """Read ``paths`` and plan their merge into ``data_dir``.

    Without ``review``, a DataError (file, line) on the first entry not read for sure; with it, such entries
    go there and every other entry is merged. A file that is no ICC page at all is always a DataError.
    ``url`` names the page when the saved file does not (HTML gives its canonical URL); the
    listing's URL otherwise defaults to the dataset's source page, in the page's language.
    """
    gazetteer, listing_url = reading(data_dir)
    entries = [entry for path in paths
               for entry in _entries(read_page(Path(path)), gazetteer, listing_url, url, review)]
    return merge_entries(entries, data_dir, gazetteer, listing_url, read_on or dt.date.today(), review)


def _entries(page: Page, gazetteer: Gazetteer, listing_url: str, url: str | None,
             review: list[ReviewItem] | None) -> list[Entry]:
    """A saved file's entries. Read strictly first: a file that is no ICC page at all (an error with no line)
    stops the import; an entry the page prints but that cannot be read for sure goes to ``review``."""
    try:
        return entries_of(page, gazetteer, listing_url, url)
    except DataError as exc:
        if review is None or exc.line is None:
            raise
    return entries_of(page, gazetteer, listing_url, url, review)


def reading(data_dir: Path) -> tuple[Gazetteer, str]:
    """What reading pages into ``data_dir`` starts from: its places, and the dataset's listing URL."""
    gazetteer = Gazetteer(*read_places(data_dir / PLACES), corrections=read_corrections(data_dir))
    return gazetteer, read_metadata(data_dir / METADATA).source


def merge_entries(entries: list[Entry], data_dir: Path, gazetteer: Gazetteer, listing_url: str, read_on: dt.date,
                  review: list[ReviewItem] | None = None) -> Imported:
    """Plan the merge of ``entries`` into ``data_dir``; with ``review``, a practice that cannot be merged for
    sure goes there and the others are merged, else the first one raises a DataError."""
    sources = read_sources(data_dir)
    place_slugs = {p.name: p.slug for p in (*gazetteer.places, *gazetteer.new_places.values())}
    groups = group_entries(entries, known_records(sources, gazetteer), place_slugs, review)
    files, report = plan(data_dir, groups, sources, gazetteer, listing_url, read_on)
    files = check(data_dir, files, review)
    report.added = [s for s in report.added if data_dir / PRACTICES / f"{s}.yaml" in files]
    report.changed = {s: f for s, f in report.changed.items() if data_dir / PRACTICES / f"{s}.yaml" in files}
    return Imported(groups, files, report, listing_url, gazetteer, read_on)

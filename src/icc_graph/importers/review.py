"""The review list: entries the importer could not read for sure, kept out of data/practices/ until a curator decides.

An entry that cannot be read for sure (a "Country City Period" line it cannot
split, a period it cannot read, a country it does not know, two practices on
one slug) never stops the others: it becomes a ``ReviewItem`` with the page,
the raw text and the reason, written to ``data/review.yaml``. A curator
resolves it by adding the place to ``places.yaml`` (a city, a district, a
country's name in another language) or with ``curation.corrections``
(``importers.corrections``); the next import (``icc-graph harvest --offline``
needs no network) reads it again. The file is rewritten by every harvest, in a
fixed order, so an unchanged site leaves it byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import DataError
from .entry import Entry

REVIEW = "review.yaml"
NEEDS_REVIEW = 3     # the exit status of `harvest` and `import` when something was left for a curator
HEADER = ("# Entries `icc-graph harvest` or `import` could not read for sure; nothing of them was published.\n"
          "# Resolve one by adding its place to places.yaml (a city, a district, a country's name) or with\n"
          "# curation.corrections (country, cities, years) in practices/<slug>.yaml (a new practice: a file of\n"
          "# `slug`, an empty `source:` and the corrections); then run `icc-graph harvest --offline` (or the\n"
          "# import of that page) again.\n")


@dataclass(frozen=True)
class ReviewItem:
    page: str                 # the URL of the page (or the saved file) that prints the entry
    text: str                 # the entry's lines as the page prints them
    reason: str
    language: str | None = None
    slug: str | None = None   # the practice, when the page links it

    def as_dict(self) -> dict:
        out = {"page": self.page, "slug": self.slug, "language": self.language, "reason": self.reason,
               "text": self.text}
        return {k: v for k, v in out.items() if v is not None}


def item_of(error: DataError, page: str | None, text: str, language: str | None = None,
            slug: str | None = None) -> ReviewItem:
    where = f" (line {error.line})" if error.line else ""
    return ReviewItem(page or str(error.path), text, error.message + where, language, slug)


def item_of_entry(entry: Entry, reason: str) -> ReviewItem:
    return ReviewItem(entry.page or str(entry.file), entry.raw or "", reason, entry.language, entry.site_slug)


def render(items: list[ReviewItem]) -> str:
    """The review file's text: one item per entry, sorted, duplicates (one page read twice) dropped."""
    unique = sorted({(i.page, i.text, i.reason): i for i in items}.values(),
                    key=lambda i: (i.slug or "", i.page, i.text))
    body = yaml.safe_dump([i.as_dict() for i in unique], allow_unicode=True, sort_keys=False,
                          width=float("inf")) if unique else "[]\n"
    return HEADER + body


def read_review(data_dir: Path) -> list[ReviewItem]:
    """The items the review file holds now (none when there is no file)."""
    path = data_dir / REVIEW
    if not path.is_file():
        return []
    kept = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [ReviewItem(d["page"], d["text"], d["reason"], d.get("language"), d.get("slug")) for d in kept]


def add_to_review(data_dir: Path, items: list[ReviewItem]) -> Path:
    """An import's items added to the list (a harvest rewrites it whole; an import reads only some pages)."""
    return write_review(data_dir, [*read_review(data_dir), *items])


def write_review(data_dir: Path, items: list[ReviewItem]) -> Path:
    path = data_dir / REVIEW
    text = render(items)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path

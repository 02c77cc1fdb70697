"""One practice as one page prints it, before it meets data/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..build.period import Period
from ..vocabulary.iris import slugify

# The ICC site's own page of a practice ends in "/-/<slug>"; that slug is the practice's slug here too.
_SITE_SLUG = re.compile(r"/-/([a-z0-9][a-z0-9-]*)/?(?:[?#].*)?$")


@dataclass(frozen=True)
class Entry:
    title: str | None
    country: str                       # ISO 3166-1 alpha-2
    cities: tuple[str, ...]
    period: Period
    summary: str | None                # listing pages only: the excerpt as printed
    sections: tuple[tuple[str, str], ...]
    language: str
    page: str | None                   # the URL of the page read (None: a detail page that names none)
    kind: str                          # "listing" or "detail"
    file: Path
    line: int                          # the line of its "Country City Period" text
    link: str | None = None            # the practice's own page, when the listing links it
    raw: str | None = None             # the entry's lines as printed (for the review list)

    @property
    def site_slug(self) -> str | None:
        """The slug in the site's URL of the practice, when the page gives that URL."""
        return self.slug_in(self.link if self.kind == "listing" else self.page)

    @staticmethod
    def slug_in(url: str | None) -> str | None:
        match = _SITE_SLUG.search(url or "")
        return match.group(1) if match else None

    def own_slug(self, place_slugs: dict[str, str]) -> str:
        """The site's slug, else the title's; untitled: ``untitled-<first city or country>-<start year>``."""
        if self.site_slug:
            return self.site_slug
        if self.title and slugify(self.title):
            return slugify(self.title)
        where = place_slugs.get(self.cities[0], slugify(self.cities[0])) if self.cities else self.country.lower()
        year = self.period.start_year or self.period.end_year
        return f"untitled-{where}" + (f"-{year}" if year else "")

    def where(self) -> str:
        return f"{self.file}:{self.line}"

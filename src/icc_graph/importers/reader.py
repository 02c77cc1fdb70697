"""One saved page -> its entries: which kind of page it is, its language and its URL."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..errors import DataError
from .detail import first_heading, read_detail
from .entry import Entry
from .listing import read_listing
from .page_text import Page, read_page
from .places import Gazetteer
from .review import ReviewItem
from .template import guess_language, is_read_more

LANGUAGES = ("en", "fr")
# coe.int puts the page's language in the path: https://www.coe.int/<lang>/web/interculturalcities/...
_LANGUAGE_SEGMENT = re.compile(r"^(https?://[^/]+/)[a-z]{2}(/web/)")


def listing_url_in(language: str, listing_url: str) -> str:
    """The listing page's URL in ``language`` (the site keeps one URL per language)."""
    return _LANGUAGE_SEGMENT.sub(rf"\g<1>{language}\g<2>", listing_url)


def detail_url(listing_url: str, slug: str) -> str:
    """The site's page of one practice: beside the listing, under "/-/<slug>"."""
    return f"{listing_url.rstrip('/').rsplit('/', 1)[0]}/-/{slug}"


def page_language(page: Page) -> str:
    language = page.language or guess_language([line.text for line in page.lines])
    if language not in LANGUAGES:
        raise DataError(page.path, f"the page is in {language!r}; the importer reads {' and '.join(LANGUAGES)}")
    return language


def read_entries(path: Path, gazetteer: Gazetteer, listing_url: str, url: str | None = None) -> list[Entry]:
    """Every practice entry of one saved page, or a DataError naming the file (and line)."""
    return entries_of(read_page(path), gazetteer, listing_url, url)


def entries_of(page: Page, gazetteer: Gazetteer, listing_url: str, url: str | None = None,
               review: list[ReviewItem] | None = None) -> list[Entry]:
    """Every practice entry of one page; with ``review``, entries not read for sure go there instead of raising.

    A page that is no ICC page at all (empty, another language, neither listing nor practice) is always an error.
    """
    if not page.lines:
        raise DataError(page.path, "the page has no text: expected a saved ICC listing or detail page")
    language = page_language(page)
    url = url or page.url
    if any(is_read_more(line.text) for line in page.lines):
        entries = read_listing(page, gazetteer, language, url or listing_url_in(language, listing_url), review)
        if entries or review is not None:
            return entries
    else:
        try:
            entry = read_detail(page, gazetteer, language, url or "", review)
        except DataError as exc:
            if first_heading(list(page.lines)) is not None or "no template section" not in exc.message:
                raise
        else:
            if entry is None:
                return []
            return [entry if url else replace(entry, page=None)]
    raise DataError(page.path, "not an ICC good-practice page: no 'Read More' entry and no template section "
                               "(Purpose, Process, ...)")

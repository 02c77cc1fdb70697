"""One harvest: fetch (or read the cache), read every page into entries, merge them into data/, write the review list.

Nothing half-read is published: an entry, a page or a practice that cannot be
read for sure goes to ``data/review.yaml`` (``importers.review``) and the others
are merged with the importer's rules (curation never touched, one record per
practice across pages and languages, every file checked before any is written).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import Settings
from ..errors import DataError
from ..importers import Report, merge_entries, reading
from ..importers.entry import Entry
from ..importers.page_text import parse_text
from ..importers.places import Gazetteer
from ..importers.reader import entries_of
from ..importers.review import NEEDS_REVIEW, ReviewItem, item_of, write_review
from ..polite_http import FetchError, PoliteClient, user_agent_for
from .cache import ResponseCache
from .display import Display
from .site import Site
from .walk import Fetcher, Got, Harvested, read_robots, walk


@dataclass
class HarvestResult:
    report: Report
    review: list[ReviewItem]
    review_file: Path
    problems: list[str]
    counts: dict[str, int]                 # fetches by how they were answered
    requests: int = 0
    downloaded: int = 0                    # bytes of bodies received
    seconds: float = 0.0
    lines: list[str] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        return NEEDS_REVIEW if self.review else 0


def harvest(settings: Settings, *, offline: bool = False, display: Display | None = None,
            read_on: dt.date | None = None) -> HarvestResult:
    """Harvest ``settings.harvest_site`` (or, offline, the cache alone) into ``settings.data_dir``."""
    started = time.monotonic()
    display = display or Display()
    site = Site.at(settings.harvest_site)
    languages = [lang.strip() for lang in settings.harvest_languages.split(",") if lang.strip()]
    cache = ResponseCache(settings.harvest_cache_dir)
    client = None
    robots = None
    if not offline:
        client = PoliteClient(user_agent_for(settings), settings.harvest_delay, settings.harvest_retries,
                              settings.harvest_timeout)
        robots = read_robots(cache, client, site)
        crawl_delay = robots.crawl_delay()
        if crawl_delay and crawl_delay > client.delay:
            client.delay = crawl_delay
        if cache.resumed:
            display.note(f"resuming the harvest that stopped: pages it fetched come from {cache.folder}")
    fetcher = Fetcher(cache, client, robots)
    harvested = walk(fetcher, site, languages, settings.harvest_page_size, display)
    if not harvested.listings:
        # Nothing read at all (the site down, an empty cache offline): data/ and its review list stay as they are.
        raise FetchError("no listing page could be read: " + "; ".join(harvested.problems))
    review: list[ReviewItem] = []
    gazetteer, listing_url = reading(settings.data_dir)
    entries = read_harvest(harvested, site, gazetteer, listing_url, review)
    imported = merge_entries(entries, settings.data_dir, gazetteer, listing_url, read_on or dt.date.today(), review)
    imported.write()
    review_file = write_review(settings.data_dir, review)
    if not offline:
        cache.finish()
    result = HarvestResult(imported.report, review, review_file, harvested.problems, dict(fetcher.counts),
                           client.requests if client else 0, client.downloaded if client else 0,
                           time.monotonic() - started)
    result.lines = summary(result, imported.report)
    display.summary(result.lines)
    return result


def read_harvest(harvested: Harvested, site: Site, gazetteer: Gazetteer, listing_url: str,
                 review: list[ReviewItem]) -> list[Entry]:
    """The entries of every page fetched; what cannot be read for sure goes to ``review``."""
    # A practice page that moved (301 within the site) is known by its new slug: the listing's link follows it.
    moved = {slug: got.final_url for _, slug, got in harvested.practices if got.final_url != got.url}
    entries: list[Entry] = []

    def read(got: Got, url: str) -> list[Entry]:
        page = parse_text(got.path, got.text)
        try:
            return entries_of(page, gazetteer, listing_url, url, review)
        except DataError as exc:
            review.append(item_of(exc, url, "\n".join(line.text for line in page.lines[:12]),
                                  slug=Entry.slug_in(url)))
            return []

    for language, got in harvested.listings:
        for entry in read(got, site.listing(language)):
            if entry.site_slug in moved:
                entry = replace(entry, link=moved[entry.site_slug])
            entries.append(entry)
    for _, _, got in harvested.practices:
        entries += read(got, got.final_url)
    return entries


def summary(result: HarvestResult, report: Report) -> list[str]:
    lines = [line for line in report.lines()[:-1]]
    lines += [f"not read: {problem}" for problem in result.problems]
    counts = ", ".join(f"{n} {how}" for how, n in sorted(result.counts.items()))
    lines.append(f"pages: {counts}; {result.requests} requests, {result.downloaded:,} bytes downloaded, "
                 f"{result.seconds:.1f} s")
    lines.append(f"practices: {len(report.added)} new, {len(report.changed)} changed, {len(report.unchanged)} "
                 f"unchanged, {len(result.review)} need review"
                 + (f" (see {result.review_file})" if result.review else ""))
    return lines

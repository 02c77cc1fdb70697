"""What a harvest fetches, in order: robots.txt, each language's listing page by page, then every practice page.

The listing is walked with ``start`` = 0, delta, 2 x delta, ... until a page
brings no practice not seen before (Liferay repeats its last page, or shows an
empty one, past the end). ``Fetcher`` answers each URL from the network or the
cache: a URL fetched earlier in a harvest that was killed comes from the cache
(resuming), one fetched by an earlier harvest is asked again with its validators
(a 304 costs no body), and ``--offline`` reads the cache alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..importers.page_text import parse_text
from ..polite_http import FetchError, PoliteClient
from .cache import ResponseCache, Stored
from .robots import Robots
from .site import Site

MAX_LISTING_PAGES = 1000     # a site that never stops bringing new practices is not walked for ever
ACCEPT = "text/html,*/*;q=0.5"


@dataclass(frozen=True)
class Fetched:
    url: str                 # asked for
    stored: Stored | None    # None: not fetched (robots.txt, an error, not in the cache offline)
    how: str                 # downloaded, not-modified, resumed, cached, disallowed, failed, missing
    body_path: Path | None = None
    note: str = ""

    def page(self) -> Got | None:
        """The page as text, when the site answered 200 (now or in the cache)."""
        if self.stored is None or self.stored.status != 200 or self.body_path is None:
            return None
        return Got(self.url, self.stored.final_url, self.body_path, self.stored.text())


@dataclass(frozen=True)
class Got:
    """A page read: where it was asked, where it was found (after redirects), its cached file and its text."""

    url: str
    final_url: str
    path: Path
    text: str


class Fetcher:
    def __init__(self, cache: ResponseCache, client: PoliteClient | None, robots: Robots | None):
        self.cache, self.client, self.robots = cache, client, robots
        self.counts: Counter[str] = Counter()

    def get(self, url: str) -> Fetched:
        fetched = self._get(url)
        self.counts[fetched.how] += 1
        return fetched

    def _get(self, url: str) -> Fetched:
        cached = self.cache.get(url)
        if self.client is None:
            return Fetched(url, cached, "cached" if cached else "missing", self.cache.body_path(url),
                           "" if cached else "not in the cache")
        if cached is not None and self.cache.fetched_this_run(url):
            return Fetched(url, cached, "resumed", self.cache.body_path(url))
        if self.robots is not None and not self.robots.allows(url):
            return Fetched(url, None, "disallowed", note="robots.txt disallows it")
        conditional = cached.validators if cached is not None and cached.status == 200 else {}
        try:
            answer = self.client.get(url, {"Accept": ACCEPT, **conditional})
        except FetchError as exc:
            return Fetched(url, None, "failed", note=str(exc))
        if answer.status == 304 and cached is not None:
            how, stored = "not-modified", cached
            if answer.final_url != cached.final_url:
                stored = Stored(url, answer.final_url, cached.status, cached.headers, cached.body)
                self.cache.put(stored)
        else:
            how = "downloaded"
            stored = Stored(url, answer.final_url, answer.status, answer.headers, answer.body)
            self.cache.put(stored)
        self.cache.note_fetched(url)
        return Fetched(url, stored, how, self.cache.body_path(url))


def read_robots(cache: ResponseCache, client: PoliteClient, site: Site) -> Robots:
    """robots.txt, fetched (conditionally) and kept like any response; a site that cannot serve it is refused."""
    fetcher = Fetcher(cache, client, None)
    fetched = fetcher.get(site.robots())
    if fetched.stored is None:
        raise FetchError(f"cannot read {site.robots()}: {fetched.note}")
    return Robots(fetched.stored.status, fetched.stored.text(), client.agent)


@dataclass
class Harvested:
    listings: list[tuple[str, Got]] = field(default_factory=list)              # (language, page)
    practices: list[tuple[str, str, Got]] = field(default_factory=list)        # (language, slug, page)
    problems: list[str] = field(default_factory=list)                          # pages not read, and why


def walk(fetcher: Fetcher, site: Site, languages: list[str], delta: int, display) -> Harvested:
    harvested = Harvested()
    for language in languages:
        slugs: list[str] = []
        for number in range(MAX_LISTING_PAGES):
            url = site.listing_page(language, delta, number * delta)
            fetched = fetcher.get(url)
            display.listing_page(language, fetched)
            got = fetched.page()
            if got is None:
                harvested.problems.append(_problem(url, fetched))
                break
            page = parse_text(got.path, got.text)
            new = [s for s in site.practice_slugs(page.links, language, got.final_url) if s not in slugs]
            if not new:
                break
            harvested.listings.append((language, got))
            slugs += new
        display.expect(len(slugs))
        for slug in slugs:
            fetched = fetcher.get(site.practice(language, slug))
            display.practice_page(language, slug, fetched)
            got = fetched.page()
            if got is not None:
                harvested.practices.append((language, slug, got))
            else:
                harvested.problems.append(_problem(fetched.url, fetched) + "; its listing entry is kept")
    return harvested


def _problem(url: str, fetched: Fetched) -> str:
    if fetched.stored is not None:
        gone = " (gone)" if fetched.stored.status in (404, 410) else ""
        return f"{url}: HTTP {fetched.stored.status}{gone}"
    return f"{url}: {fetched.note or fetched.how}"

"""The URL layout of the ICC site (a Liferay portal): one listing per language, one page per practice.

Listing pages page with ``start`` (the offset) and ``delta`` (the page size);
practice pages end in ``/-/<slug>``, the slug the importers use too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

_SECTION = "/web/interculturalcities"
_PRACTICE = re.compile(r"^/([a-z]{2})/web/interculturalcities/-/([a-z0-9][a-z0-9-]*)/?$")


@dataclass(frozen=True)
class Site:
    root: str          # scheme and host, no trailing slash: https://www.coe.int

    @classmethod
    def at(cls, url: str) -> Site:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not a site URL (http(s)://host): {url!r}")
        return cls(f"{parts.scheme}://{parts.netloc}")

    def listing(self, language: str) -> str:
        """The listing's URL without paging: what a record names as the page that listed it."""
        return f"{self.root}/{language}{_SECTION}/good-practice"

    def listing_page(self, language: str, delta: int, start: int) -> str:
        return f"{self.listing(language)}?delta={delta}&start={start}"

    def practice(self, language: str, slug: str) -> str:
        return f"{self.root}/{language}{_SECTION}/-/{slug}"

    def robots(self) -> str:
        return f"{self.root}/robots.txt"

    def holds(self, url: str) -> bool:
        """Whether ``url`` is on this site (same scheme and host): redirects are followed only there."""
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == self.root

    def practice_slugs(self, links: tuple[str, ...], language: str, base: str) -> list[str]:
        """The slugs of the practice pages ``links`` point at, in page order, each once."""
        found: dict[str, None] = {}
        for link in links:
            url = urljoin(base, link)
            if not self.holds(url):
                continue
            match = _PRACTICE.match(urlsplit(url).path)
            if match and match.group(1) == language:
                found.setdefault(match.group(2))
        return list(found)

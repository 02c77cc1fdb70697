"""Saved ICC pages (plain text or HTML) as numbered lines of text.

HTML is flattened with the standard library's parser: block elements end a
line, links are kept beside the line they sit on (the "Read More" link names
the practice's own page), and the canonical URL and declared language are
noted. Line numbers are those of the file, so errors can point at them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..build.datarules import CONTROL
from ..errors import DataError

_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}
# Navigation and footers are the site's furniture, not the page's text (HTML's own elements, not CSS classes).
_SKIPPED = {"script", "style", "head", "noscript", "template", "svg", "nav", "footer"}
_HTML_START = re.compile(r"\s*(<!--.*?-->\s*)*(<!doctype html|<html|<body|<div|<p[\s>]|<h[1-6]|<ul|<section|<article)",
                         re.IGNORECASE | re.DOTALL)
# Browsers that save a page note where it came from: <!-- saved from url=(0063)https://... -->
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_SPACE = re.compile(r"[\s\u00a0\u200b]+")


@dataclass(frozen=True)
class Line:
    number: int             # 1-based line number in the file
    text: str               # whitespace collapsed, never empty
    link: str | None = None  # the first link's target on this line (HTML only)


@dataclass(frozen=True)
class Page:
    path: Path
    lines: tuple[Line, ...]
    language: str | None = None   # as the page declares it (<html lang>), else None
    url: str | None = None        # canonical URL, when the page names one
    heading: str | None = None    # the text of the first <h1> (HTML only): a detail page's title
    links: tuple[str, ...] = ()   # every link target, in page order (HTML only)


class _Flattener(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.language: str | None = None
        self.url: str | None = None
        self._parts: list[str] = []
        self._start = 1
        self._link: str | None = None
        self._skip = 0
        self.heading: str | None = None
        self.links: list[str] = []
        self._in_h1 = False

    def _flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self._parts)).strip()
        self._parts = []
        if text:   # a link opened before a block (<a><h3>Title</h3></a>) belongs to the text inside it
            self.lines.append(Line(self._start, text, self._link))
            self._link = None
            if self._in_h1 and self.heading is None:
                self.heading = text

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "html" and attrs.get("lang"):
            self.language = attrs["lang"].split("-")[0].lower()
        elif tag == "link" and "canonical" in attrs.get("rel", "").split():
            self.url = attrs.get("href") or self.url
        elif tag == "meta" and attrs.get("property") == "og:url" and not self.url:
            self.url = attrs.get("content") or None
        if tag == "body":
            self._skip = 0         # a <head> left open (HTML allows it) ends where the body starts
        if tag in _SKIPPED:
            self._skip += 1
        elif tag in _BLOCKS:
            self._flush()
            self._in_h1 = tag == "h1" and not self._skip
        elif tag == "a" and attrs.get("href") and not self._skip:
            self.links.append(attrs["href"])
            if self._link is None:
                self._link = attrs["href"]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _SKIPPED:
            self._skip -= 1

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self._flush()
            self._in_h1 = False

    def handle_data(self, data):
        if self._skip:
            return
        if data.strip() and not "".join(self._parts).strip():
            # the chunk may begin with the newlines that precede its text
            leading = data[: len(data) - len(data.lstrip())]
            self._start = self.getpos()[0] + leading.count("\n")
        self._parts.append(data)

    def close(self):
        super().close()
        self._flush()


def _decode(path: Path, raw: bytes) -> str:
    if not raw.strip():
        raise DataError(path, "the file is empty: expected a saved ICC listing or detail page")
    if b"\x00" in raw:
        raise DataError(path, "the file is binary, not a saved page (text or HTML)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(path, f"the file is not UTF-8 text (byte {exc.start}): save the page as UTF-8") from None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > len(text) // 100:
        raise DataError(path, "the file holds control characters: it is binary, not a saved page")
    # A few stray ones (a form feed, an escape sequence pasted into the page): a space each, so that the data
    # never holds what XML and HTML cannot carry (the build would refuse it, datarules.check_text).
    return CONTROL.sub(" ", text)


def parse_text(path: Path, text: str) -> Page:
    """A page from its text: HTML when it starts like HTML, else plain lines."""
    if _HTML_START.match(text):
        parser = _Flattener()
        parser.feed(text)
        parser.close()
        saved_from = _SAVED_FROM.search(text[:2000])
        return Page(path, tuple(parser.lines), parser.language,
                    parser.url or (saved_from.group(1) if saved_from else None), parser.heading, tuple(parser.links))
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _SPACE.sub(" ", raw).strip()
        if line:
            lines.append(Line(number, line))
    return Page(path, tuple(lines))


def read_page(path: Path) -> Page:
    """Read one saved page; a DataError naming the file when it is empty, binary or not text."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(path, f"cannot read the page: {exc.strerror}") from None
    return parse_text(path, _decode(path, raw))

"""Listing pages: entries of a title, a "Country City Period" line and a summary, each closed by "Read More".

The lines before the first entry (address, heading, intro, facets, the
template link) and after the last "Read More" (the facet block) are no entry.
Inside an entry the "Country City Period" line is the line that splits as one;
the line before it, when there is one, is the title.
"""

from __future__ import annotations

from urllib.parse import urljoin

from ..build.period import doubt as period_doubt
from ..build.period import parse_period
from ..errors import DataError
from .corrections import corrected_split, corrects_years
from .entry import Entry
from .page_text import Line, Page
from .places import Gazetteer, PlaceLine, SplitError
from .review import ReviewItem, item_of
from .template import ICC_MARKER, is_furniture, is_read_more, split_sections

# An entry's title is its first line, so the "Country City Period" line is its first or second.
_PLACE_LINE_WITHIN = 2


def split_blocks(lines: tuple[Line, ...]) -> list[tuple[list[Line], Line]]:
    """(lines, Read More line) for every entry; the lines after the last "Read More" are dropped."""
    blocks, current = [], []
    for line in lines:
        if is_read_more(line.text):
            blocks.append((current, line))
            current = []
        else:
            current.append(line)
    return blocks


def find_place_line(page: Page, lines: list[Line], candidates: range, gazetteer: Gazetteer,
                    expected: int | None = None) -> tuple[int, PlaceLine]:
    """The last candidate line that splits as "Country City Period", or a DataError naming the line.

    ``expected`` is where the line should be, to point at when none splits.
    """
    found, failures = [], []
    for i in candidates:
        try:
            split = gazetteer.split(lines[i].text)
        except SplitError as exc:
            failures.append((i, exc))
            continue
        if split is not None:
            found.append((i, split))
    # A line that looks like a place line but cannot be split, after the chosen one, would be lost silently.
    late = [(i, exc) for i, exc in failures if not found or i > found[-1][0]]
    if found and not late:
        return found[-1]
    if late:
        i, exc = late[0]
        raise DataError(page.path, f"cannot split {lines[i].text!r} into country, city and period: {exc}",
                        line=lines[i].number)
    if expected is None and candidates:
        expected = candidates[-1]
    shown = lines[expected] if expected is not None else None
    raise DataError(page.path, "this entry has no 'Country City Period' line that starts with a known country"
                    + (f" (this line: {shown.text[:80]!r})" if shown else ""), line=shown.number if shown else None)


def _title_like(text: str) -> bool:
    """Not furniture, not the page heading, not an intro paragraph (which ends with a full stop)."""
    heading = ICC_MARKER.search(text) and ("practi" in text.lower())
    return not (is_furniture(text) or heading or (text.endswith(".") and not text.endswith("...")))


def read_place_line(page: Page, lines: list[Line], candidates: range, gazetteer: Gazetteer,
                    expected: int | None = None, slug: str | None = None) -> tuple[int, PlaceLine]:
    """``find_place_line``, and a DataError too when the period it prints cannot be read for sure.

    A practice whose ``curation.corrections`` give its country and cities (or years) is read with them
    (``corrections``) when its line alone cannot be.
    """
    corrections = gazetteer.corrections.get(slug or "")
    try:
        index, split = find_place_line(page, lines, candidates, gazetteer, expected)
    except DataError:
        corrected = ((i, corrected_split(gazetteer, lines[i].text, corrections)) for i in candidates)
        index, split = next(((i, c) for i, c in corrected if c is not None), (None, None))
        if split is None:
            raise
    reason = period_doubt(split.period)
    if reason and not corrects_years(corrections):
        raise DataError(page.path, f"cannot read the period of {lines[index].text!r}: {reason}",
                        line=lines[index].number)
    return index, split


def read_listing(page: Page, gazetteer: Gazetteer, language: str, url: str,
                 review: list[ReviewItem] | None = None) -> list[Entry]:
    """The page's entries; with ``review``, an entry not read for sure goes there and the others are read on."""
    entries = []
    for number, (lines, read_more) in enumerate(split_blocks(page.lines)):
        try:
            entries.append(_entry(page, number == 0, lines, read_more, gazetteer, language, url))
        except DataError as exc:
            if review is None:
                raise
            # the first block also holds the page's heading and intro: only its last lines are the entry
            shown = lines[-3:] if number == 0 else lines
            link = read_more.link or next((line.link for line in shown if line.link), None)
            review.append(item_of(exc, url, "\n".join(line.text for line in shown), language,
                                  Entry.slug_in(urljoin(url, link) if link else None)))
    return entries


def _entry(page: Page, first: bool, lines: list[Line], read_more: Line, gazetteer: Gazetteer, language: str,
           url: str) -> Entry:
    if not lines:
        raise DataError(page.path, "a 'Read More' line with no entry before it", line=read_more.number)
    # The first block also holds the address, heading and intro, so any of its lines may be the place line.
    candidates = range(len(lines)) if first else range(min(_PLACE_LINE_WITHIN, len(lines)))
    # Where it should be: before the summary (first block), after the title (the others).
    expected = max(len(lines) - 2, 0) if first else (1 if len(lines) >= 3 else 0)
    own = read_more.link or next((line.link for line in lines[:2] if line.link), None)
    index, split = read_place_line(page, lines, candidates, gazetteer, expected,
                                   Entry.slug_in(urljoin(url, own) if own else None))
    gazetteer.accept(split)
    before = lines[index - 1] if index else None
    title_line = before if before is not None and (not first or _title_like(before.text)) else None
    summary = " ".join(line.text for line in lines[index + 1:]) or None
    shown = lines[index - 1 if title_line else index:]
    link = read_more.link or (title_line.link if title_line else None)
    return Entry(
        title=title_line.text if title_line else None, country=split.country, cities=split.cities,
        period=parse_period(split.period), summary=summary,
        sections=tuple(split_sections(summary)[1]) if summary else (),
        language=language, page=url, kind="listing", file=page.path, line=lines[index].number,
        link=urljoin(url, link) if link else None, raw="\n".join(line.text for line in shown),
    )

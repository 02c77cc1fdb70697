"""Detail pages: one practice, its title, a subtitle, its "Country City Period" line and its text.

Template headings may stand on their own line ("Purpose") or open a paragraph
("Purpose: ..."); some pages have no heading at all. The "Country City Period"
line may come before the body or after it; a "Back" link (in any language the
template knows) may sit anywhere. The title is the page's ``<h1>`` when it has
one, else the first line after a "Back" link, else the line before the text.
The lines between the title and the body (a subtitle), and the whole text of a
page without headings, are the entry's ``summary``: with the sections they
replace the listing's excerpt.
"""

from __future__ import annotations

from ..build.period import parse_period
from ..errors import DataError
from .entry import Entry
from .listing import read_place_line
from .page_text import Line, Page
from .places import Gazetteer
from .review import ReviewItem, item_of
from .template import SECTION_HEADING, is_back, is_furniture, split_sections


def first_heading(lines: list[Line]) -> int | None:
    """The index of the first line that is, or opens with, a template section heading."""
    for i, line in enumerate(lines):
        match = SECTION_HEADING.match(line.text)
        if match and match.start() == 0:
            return i
    return None


def _content(page: Page) -> tuple[list[Line], int | None]:
    """The lines that are no furniture, and the index among them of the first line after a "Back" link."""
    lines, after_back = [], None
    for line in page.lines:
        if is_back(line.text) and after_back is None:
            after_back = len(lines)
        if not is_furniture(line.text):
            lines.append(line)
    return lines, after_back


def _place_line(page: Page, lines: list[Line], heading: int | None, gazetteer: Gazetteer, slug: str | None):
    if heading is None:
        return read_place_line(page, lines, range(len(lines)), gazetteer, slug=slug)
    try:
        return read_place_line(page, lines, range(heading), gazetteer, slug=slug)
    except DataError as before:
        # The period may follow the body instead; only then is "nothing before the body" the error to show.
        after = range(heading + 1, len(lines))
        if not after:
            raise
        try:
            return read_place_line(page, lines, after, gazetteer, slug=slug)
        except DataError:
            raise before from None


def _title(page: Page, lines: list[Line], anchor: int, after_back: int | None) -> int | None:
    """The index of the title line (before ``anchor``), or None when the page prints none."""
    if page.heading:
        found = next((i for i, line in enumerate(lines) if line.text == page.heading), None)
        if found is not None:
            return found
    if after_back is not None and after_back < anchor:
        return after_back
    return anchor - 1 if anchor > 0 else None


def read_detail(page: Page, gazetteer: Gazetteer, language: str, url: str,
                review: list[ReviewItem] | None = None) -> Entry | None:
    """The page's entry; with ``review``, a page not read for sure goes there (None is returned)."""
    try:
        return _read(page, gazetteer, language, url)
    except DataError as exc:
        if review is None:
            raise
        shown = "\n".join(line.text for line in page.lines[:12])
        review.append(item_of(exc, url or None, shown, language, Entry.slug_in(url)))
        return None


def _read(page: Page, gazetteer: Gazetteer, language: str, url: str) -> Entry:
    lines, after_back = _content(page)
    heading = first_heading(lines)
    try:
        index, split = _place_line(page, lines, heading, gazetteer, Entry.slug_in(url))
    except DataError as exc:
        if heading is None and "no 'Country City Period' line" in exc.message:
            raise DataError(page.path, "no 'Country City Period' line and no template section (Purpose, "
                            "Process, ...) on this detail page") from None
        raise
    gazetteer.accept(split)
    anchor = min(index, heading) if heading is not None else index
    title = _title(page, lines, anchor, after_back)
    first_text = title + 1 if title is not None else anchor
    if heading is None:
        body = lines[first_text:index] + lines[index + 1:]
        lead, sections = "\n".join(line.text for line in body), []
    else:
        end = index if index > heading else len(lines)
        # a subtitle: between the title and the body, except the place line
        lead = "\n".join(line.text for i, line in enumerate(lines[first_text:heading], first_text) if i != index)
        sections = split_sections("\n".join(line.text for line in lines[heading:end]))[1]
    return Entry(
        title=lines[title].text if title is not None else None, country=split.country, cities=split.cities,
        period=parse_period(split.period), summary=lead or None, sections=tuple(sections), language=language,
        page=url, kind="detail", file=page.path, line=lines[index].number,
        raw="\n".join(line.text for line in lines[title if title is not None else index:index + 1]),
    )

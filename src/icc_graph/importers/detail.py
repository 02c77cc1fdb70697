"""Detail pages: one practice, its title, its "Country City Period" line and the template sections.

Template headings may stand on their own line ("Purpose") or open a paragraph
("Purpose: ..."). The "Country City Period" line may come before the body or
after it; a "Back" link (in any language the template knows) may sit anywhere.
"""

from __future__ import annotations

from ..build.period import parse_period
from ..errors import DataError
from .entry import Entry
from .listing import find_place_line
from .page_text import Line, Page
from .places import Gazetteer
from .template import SECTION_HEADING, is_furniture, split_sections


def first_heading(lines: list[Line]) -> int | None:
    """The index of the first line that is, or opens with, a template section heading."""
    for i, line in enumerate(lines):
        match = SECTION_HEADING.match(line.text)
        if match and match.start() == 0:
            return i
    return None


def read_detail(page: Page, gazetteer: Gazetteer, language: str, url: str) -> Entry:
    lines = [line for line in page.lines if not is_furniture(line.text)]
    heading = first_heading(lines)
    if heading is None:
        raise DataError(page.path, "no template section (Purpose, Process, ...) on this detail page")
    try:
        index, split = find_place_line(page, lines, range(heading), gazetteer)
    except DataError as before:
        # The period may follow the body instead; only then is "nothing before the body" the error to show.
        after = range(heading + 1, len(lines))
        if not after:
            raise
        try:
            index, split = find_place_line(page, lines, after, gazetteer)
        except DataError:
            raise before from None
    gazetteer.accept(split)
    anchor = min(index, heading)
    title = lines[anchor - 1].text if anchor > 0 else None
    end = index if index > heading else len(lines)
    body = "\n".join(line.text for line in lines[heading:end])
    return Entry(
        title=title, country=split.country, cities=split.cities, period=parse_period(split.period),
        summary=None, sections=tuple(split_sections(body)[1]), language=language, page=url, kind="detail",
        file=page.path, line=lines[index].number,
    )

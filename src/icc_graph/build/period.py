"""Reading the period a practice runs, as the ICC pages print it.

The rules, applied the same way by the importer, the build and the docs
(README, "Period rules"):

1. "N/A", "-", an empty text or no text: nothing is known (start, end and
   ongoing all unknown).
2. Years are four-digit numbers from 1900 to 2099. A two-digit number right
   after a year and a dash or slash ends that range in the same century
   ("2015-17", "2019/20": 2017, 2020; the next century when it would fall
   before the start). Day and month names (English, French, Serbian), ordinal
   halves and quarters ("2nd half", "1er semestre") and free words ("launched
   in", "pilot") only qualify a year and are ignored.
3. The practice is *ongoing* when the text says so: "ongoing", "on-going",
   "onwards", "present", "current", "since", "to date", "continuing",
   "still", "depuis", "en cours", "à ce jour", "u toku", or a range left open
   ("2016-").
4. A year opened by "since", "from", "starting", "depuis", "à partir de",
   "dès" or "od" (Serbian) is a start, and the practice is ongoing unless a
   later year closes it ("From 2015 to 2018", "od 2015 do 2018"): then that
   year is the end. "2018 (since 2012)" started in 2012 and goes on; 2018 is
   no end.
5. Otherwise, two or more years (several ranges too: "2012-14, 2016-18"):
   the earliest is the start, the latest is the end ("2013-July 2023" ->
   2013..2023; "2019-2023 (ongoing)" -> 2019..2023, ongoing).
6. One year and ongoing: it is the start and there is no end ("2018 onwards").
7. One year and not ongoing: the practice started and ended that year
   ("2016", "21 June 2018", "January - February 2018", "2nd half 2019").
8. No year but ongoing ("ongoing", "Ongoing for several years"): start and
   end unknown, ongoing. No year and no marker: nothing is known.

``doubt`` says when a printed period cannot be read for sure (no year and no
marker, a number that is neither a year nor a day, a year out of range): the
importer sends such an entry to the review list instead of publishing a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .yaml_fields import from_yaml

_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
# "2015-17", "2019/20", "2015 - 17": a two-digit end year of a range.
_SHORT_END = re.compile(r"(?<!\d)((?:19|20)\d\d)(\s*[-–—/]\s*)(\d\d)(?![\d.,]?\d)(?!\s+[^\s\d]+\s+(?:19|20)\d\d)")
_ONGOING = re.compile(
    r"on-?going|onwards?|present|current|since|to date|continuing|still|depuis|en cours|à ce jour|a ce jour"
    r"|aujourd|u toku",
    re.IGNORECASE,
)
# Words that open a period at a start year; up to three qualifying words ("since May", "od marta") may follow.
_FROM = re.compile(
    r"(?:\bsince|\bfrom|\bstarting(?: in| from)?|\bstarted in|\bdepuis|\bà partir de|\ba partir de|\bdès"
    r"|\bod)\b(?:\s+(?!(?:19|20)\d\d)[^\s\d]+){0,3}\s+((?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
# Words that close a range at an end year ("to 2018", "until 2019", "jusqu'en 2019", "do 2018", "- 2018").
_UNTIL = re.compile(r"(?:\bto|\buntil|\btill|\bjusqu['’]\s*(?:en|à|a)?|\bà|\bau|\bdo|[-–—])\s*"
                    r"(?:[^\s\d]+\s+){0,2}((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_OPEN_RANGE = re.compile(r"(19|20)\d\d\s*[-–—]\s*$")
_UNKNOWN = {"", "-", "n/a", "na", "n.a.", "unknown", "non disponible", "nije poznato"}
# Numbers that qualify a year: days ("21 June"), ordinals ("2nd half", "1er semestre", "3rd quarter").
_QUALIFYING_NUMBER = re.compile(r"(?<!\d)(?:[0-3]?\d(?:st|nd|rd|th|er|e|ème|eme|\.)?)(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """A period as printed (``text``) and what the rules above read from it."""

    text: str | None = field(metadata=from_yaml("source.period", "icc:periodText"))
    start_year: int | None = field(default=None, metadata=from_yaml("source.start_year", "icc:startYear"))
    end_year: int | None = field(default=None, metadata=from_yaml("source.end_year", "icc:endYear"))
    ongoing: bool | None = field(default=None, metadata=from_yaml("source.ongoing", "icc:ongoing"))


def _full_years(text: str) -> str:
    """The text with two-digit range ends written out ("2015-17" -> "2015-2017")."""
    def expand(match: re.Match) -> str:
        start = int(match.group(1))
        end = start // 100 * 100 + int(match.group(3))
        if end < start:
            end += 100
        return f"{match.group(1)}{match.group(2)}{end}"
    return _SHORT_END.sub(expand, text)


def parse_period(text: str | None) -> Period:
    """Apply the period rules to one printed period."""
    if text is None or text.strip().lower() in _UNKNOWN:
        return Period(text)
    full = _full_years(text)
    years = [int(y) for y in _YEAR.findall(full)]
    ongoing = bool(_ONGOING.search(full) or _OPEN_RANGE.search(full.strip()))
    starts = list(_FROM.finditer(full))
    if starts:
        first = min(starts, key=lambda m: int(m.group(1)))
        start = min(years)
        closing = [int(m.group(1)) for m in _UNTIL.finditer(full, first.end())]
        closing = [y for y in closing if y > int(first.group(1))]
        if closing and not _ONGOING.search(full):
            return Period(text, start, max(closing), False)
        return Period(text, start, None, True)
    if len(years) >= 2:
        return Period(text, min(years), max(years), ongoing)
    if len(years) == 1:
        return Period(text, years[0], None if ongoing else years[0], ongoing)
    return Period(text, None, None, True if ongoing else None)


def doubt(text: str | None) -> str | None:
    """Why a printed period cannot be read for sure, or None when the rules read it."""
    if text is None or text.strip().lower() in _UNKNOWN:
        return None
    period = parse_period(text)
    if period.start_year is None and not period.ongoing:
        return f"no year and no 'ongoing' in the period {text!r}"
    rest = _YEAR.sub(" ", _full_years(text))
    rest = _QUALIFYING_NUMBER.sub(" ", rest)
    stray = re.search(r"\d+", rest)
    if stray:
        return f"the number {stray.group(0)!r} in the period {text!r} is neither a year nor a day"
    return None

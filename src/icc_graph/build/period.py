"""Reading the period a practice runs, as the ICC pages print it.

The rules, applied the same way by the importer, the build and the docs
(README, "Period rules"):

1. "N/A", "-", an empty text or no text: nothing is known (start, end and
   ongoing all unknown).
2. Years are four-digit numbers from 1900 to 2099; day and month names
   (English or French) only qualify a year and are ignored.
3. The practice is *ongoing* when the text says so: "ongoing", "on-going",
   "onwards", "present", "since", "to date", "continuing", "depuis",
   "en cours", "à ce jour", or a range left open ("2016-").
4. Two or more years: the first is the start, the last is the end
   ("2013-July 2023" -> 2013..2023; "2019-2023 (ongoing)" -> 2019..2023, ongoing).
5. One year and ongoing: it is the start and there is no end ("2018 onwards").
6. One year and not ongoing: the practice started and ended that year
   ("2016", "21 June 2018", "January - February 2018", "mai 2016").
7. No year but ongoing ("ongoing", "Ongoing for several years"): start and
   end unknown, ongoing. No year and no marker: nothing is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_ONGOING = re.compile(
    r"on-?going|onwards?|present|since|to date|continuing|depuis|en cours|à ce jour|a ce jour|aujourd",
    re.IGNORECASE,
)
_OPEN_RANGE = re.compile(r"(19|20)\d\d\s*[-–—]\s*$")
_UNKNOWN = {"", "-", "n/a", "na", "n.a.", "unknown", "non disponible"}


@dataclass(frozen=True)
class Period:
    """A period as printed (``text``) and what the rules above read from it."""

    text: str | None
    start_year: int | None = None
    end_year: int | None = None
    ongoing: bool | None = None


def parse_period(text: str | None) -> Period:
    """Apply the period rules to one printed period."""
    if text is None or text.strip().lower() in _UNKNOWN:
        return Period(text)
    years = [int(y) for y in _YEAR.findall(text)]
    ongoing = bool(_ONGOING.search(text) or _OPEN_RANGE.search(text.strip()))
    if len(years) >= 2:
        return Period(text, years[0], years[-1], ongoing)
    if len(years) == 1:
        return Period(text, years[0], None if ongoing else years[0], ongoing)
    return Period(text, None, None, True if ongoing else None)

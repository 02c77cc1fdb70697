"""Splitting a "Country City Period" line, with country names from ISO 3166 and the places in data/.

Countries come from pycountry (ISO 3166-1 names, common and official names,
and their French translations from the iso-codes gettext catalogues shipped in
``pycountry.LOCALES_DIR``) plus every name ``data/places.yaml`` gives. Cities
are the places of ``data/places.yaml``; a name it does not know becomes a new,
unconfirmed city of the recognised country, reported to the curator. What
cannot be split for sure (a known city run together with unknown words, a city
in another country) raises ``SplitError``: the caller turns it into an error
naming the file and line, so nothing is guessed silently.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field

import pycountry

from ..build.records import Country, Place
from ..vocabulary.iris import slugify
from .template import fold

# English names the ISO standard no longer uses but pages still print.
FORMER_NAMES = {"Turkey": "TR", "Russia": "RU"}
MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre",
    "decembre",
    # Serbian (Latin script), nominative and genitive ("od marta 2015")
    "januar", "januara", "februar", "februara", "mart", "marta", "maj", "maja", "juna", "jula",
    "avgust", "avgusta", "septembar", "septembra", "oktobar", "oktobra", "novembar", "novembra", "decembar",
    "decembra", "aprila",
}
# Words that open a period ("Since 2017", "Depuis 2014", "On-going since 2014", "N/A").
PERIOD_OPENERS = {"since", "from", "ongoing", "on-going", "onwards", "present", "until", "depuis", "n/a", "n.a.",
                  "na", "unknown", "jusqu'en", "jusqu'a", "current", "currently", "des", "od", "starting", "started",
                  "launched", "pilot", "approx.", "circa", "early", "mid", "late", "first", "second"}
PERIOD_PAIRS = {("en", "cours"), ("a", "partir"), ("non", "disponible"), ("u", "toku")}
# Words that bind to the next one inside a city name ("San Sebastian", "Donostia-San Sebastian", "Novi Sad"):
# two unknown capitalised words without one of these could be one city or two, and are not guessed.
BINDING = {"san", "santa", "santo", "sao", "saint", "sainte", "st.", "st", "sankt", "bad", "novi", "nova", "novo",
           "las", "los", "la", "le", "el", "port", "porto", "mont", "nieuw", "new", "north", "south", "east", "west",
           "upper", "lower", "great", "little", "stara", "staro", "velika", "veliko", "castel", "villa"}
_ORDINAL = re.compile(r"^\d(st|nd|rd|th|er|e|eme)$")

_YEAR = re.compile(r"^(19|20)\d\d(?!\d)")
_DAY = re.compile(r"^\d{1,2}(st|nd|rd|th|er)?$")
_SEPARATOR = re.compile(r"\s*[,;/&+]\s*|\s+(?:and|et)\s+")
_WORD = re.compile(r"^[^\W\d_][\w'’.\-]*$")
_CONNECTORS = {"da", "de", "del", "della", "di", "do", "dos", "das", "du", "des", "la", "le", "les", "sur", "upon",
               "on", "am", "an", "der", "im", "in", "en", "of", "the", "aan", "op", "van", "von", "bei", "ob"}
MAX_NAME_WORDS = 6


class SplitError(ValueError):
    """A line that looks like "Country City Period" but cannot be split for sure."""


@dataclass(frozen=True)
class PlaceLine:
    country: str                     # ISO 3166-1 alpha-2
    cities: tuple[str, ...]          # names as data/places.yaml spells them (or as printed, when new)
    period: str | None               # as printed
    new_cities: tuple[str, ...] = ()  # the cities above that data/places.yaml does not know


@dataclass
class Gazetteer:
    """The country and place names an import recognises; it learns the new cities it accepts."""

    countries: tuple[Country, ...]
    places: tuple[Place, ...]
    new_countries: dict[str, Country] = field(default_factory=dict)
    new_places: dict[str, Place] = field(default_factory=dict)
    corrections: dict[str, dict] = field(default_factory=dict)   # slug -> curation.corrections (see corrections)

    def __post_init__(self) -> None:
        self._countries = _iso_country_names()
        for country in self.countries:     # data/places.yaml wins over ISO names
            for name in (country.name, *dict(country.names).values()):
                self._countries[fold(name)] = country.iso2
        self._known = {c.iso2: c for c in self.countries}
        self._places = {fold(n): p for p in self.places for n in (p.name, *dict(p.names).values())}
        self._slugs = {p.slug for p in self.places}

    # -- countries -------------------------------------------------------------------------------------------
    def country(self, iso2: str) -> Country:
        """The country as data/places.yaml has it, or a new one named from ISO 3166."""
        if iso2 in self._known:
            return self._known[iso2]
        if iso2 not in self.new_countries:
            record = pycountry.countries.get(alpha_2=iso2)
            name = getattr(record, "common_name", None) or _uninvert(record.name)
            french = _french().gettext(record.name)
            names = (("fr", _uninvert(french)),) if french != record.name else ()
            self.new_countries[iso2] = Country(iso2, name, None, "unconfirmed", names)
        return self.new_countries[iso2]

    def country_code(self, name: str) -> str:
        """The ISO code of a country name in any known language, or "" when the name is unknown."""
        return self._countries.get(fold(name), "")

    def country_prefix(self, words: list[str]) -> tuple[str, int] | None:
        """(ISO code, number of words) of the country name the words start with, or None."""
        for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
            iso2 = self._countries.get(fold(" ".join(words[:size]).rstrip(":,")))
            if iso2:
                return iso2, size
        return None

    # -- the line --------------------------------------------------------------------------------------------
    def split(self, text: str) -> PlaceLine | None:
        """The parts of a "Country City Period" line; None when the line is not one (a title, a sentence)."""
        words = text.split()
        prefix = self.country_prefix(words)
        if prefix is None:
            return None
        iso2, size = prefix
        rest = words[size:]
        start = next((i for i in range(len(rest)) if _opens_period(rest, i)), len(rest))
        free = next((i for i in range(start) if rest[i][0].islower() and rest[i] not in _CONNECTORS | {"and", "et"}
                     and rest[i][:2] not in {"d'", "l'", "d’", "l’"}), None)
        if free is not None:
            # Free words before the years ("Oslo launched in 2016"): the period starts there, but only when
            # a year or marker follows, or a title such as "Portugal welcomes you" would pass for a place line.
            if not _PERIOD_HINT.search(" ".join(rest[free:])):
                return None
            start = free
        while start > 0 and rest[start - 1] in _CONNECTORS:    # "Oslo in 2016": "in" is the period's
            start -= 1
        city_text, period = " ".join(rest[:start]), " ".join(rest[start:]) or None
        pieces = [p for p in _SEPARATOR.split(city_text) if p] if city_text else []
        if not all(_looks_like_name(p) for p in pieces):
            return None
        cities: list[str] = []
        new: list[str] = []
        for piece in pieces:
            for name, known in self._cities_in(piece, iso2):
                cities.append(name)
                if not known:
                    new.append(name)
        return PlaceLine(iso2, tuple(cities), self._without_places(period, iso2, cities, pieces), tuple(new))

    def _without_places(self, period: str | None, iso2: str, cities: list[str], printed: list[str]) -> str | None:
        """The period without the place printed again after it ("2016 Lisbon", "2019 (Turin, Italy)")."""
        if not period:
            return period
        names = {fold(n) for n in (*cities, *printed)} | {
            name for name, code in self._countries.items() if code == iso2}
        words = period.split()
        while words and fold(words[-1].strip("()[],;:")) in names | {""}:
            words.pop()
        # multi-word names ("Reggio Emilia", "United Kingdom") printed again
        changed = True
        while changed and words:
            changed = False
            for n in range(2, MAX_NAME_WORDS + 1):
                if len(words) >= n and fold(" ".join(words[-n:]).strip("()[],;:")) in names:
                    del words[-n:]
                    changed = True
                    break
            while words and fold(words[-1].strip("()[],;:")) in names | {""}:
                words.pop()
                changed = True
        if len(words) == len(period.split()):
            return period
        return " ".join(words).rstrip(" ,;(") or None

    def _cities_in(self, piece: str, iso2: str) -> list[tuple[str, bool]]:
        """(name, known) pairs for one piece between separators: one place, several known ones, or one new."""
        place = self.place(piece)
        if place is not None:
            return [(self._in_country(place, iso2, piece), True)]
        words, found, unknown, i = piece.split(), [], [], 0
        while i < len(words):
            size = next((n for n in range(len(words) - i, 0, -1) if self.place(" ".join(words[i:i + n]))), 0)
            if size:
                found.append(self._in_country(self.place(" ".join(words[i:i + size])), iso2, piece))
                i += size
            else:
                unknown.append(words[i])
                i += 1
        if found and unknown:
            raise SplitError(
                f"cannot tell where the cities end in {piece!r}: {', '.join(found)} is known but "
                f"{' '.join(unknown)!r} is not; separate the cities with commas or add the city to places.yaml")
        if found:
            return [(name, True) for name in found]
        if len(words) == 1 and "-" in piece:
            district = self._district(piece, iso2)
            if district:
                return [(piece, False)]
        if len(words) > 1 and not any(w in _CONNECTORS for w in words) and not all(
                fold(w.rsplit("-", 1)[-1]) in BINDING for w in words[:-1]):
            raise SplitError(f"cannot tell whether {piece!r} is one city or several: separate the cities with "
                             "commas or add them to places.yaml")
        return [(piece, False)]

    def _district(self, name: str, iso2: str) -> Place | None:
        """The known city of a hyphenated district name ("Berlin-Mitte" -> Berlin), when it is in the country."""
        head = name.split("-", 1)[0]
        place = self.place(head)
        return place if place is not None and place.kind == "city" and place.country == iso2 else None

    def place(self, name: str) -> Place | None:
        """The known place of that name (in any language places.yaml gives), or None."""
        return self._places.get(fold(name))

    def _in_country(self, place: Place, iso2: str, printed: str) -> str:
        if place.country != iso2:
            raise SplitError(f"{printed!r} is a place in {self.country(place.country).name}, "
                             f"not in {self.country(iso2).name}")
        return place.name

    def accept(self, line: PlaceLine) -> None:
        """Remember the new country and cities of a line the page really gives, for the lines after it."""
        self.country(line.country)
        for name in line.new_cities:
            if fold(name) in self._places:
                continue
            slug = slugify(name)
            if not slug:
                raise SplitError(f"{name!r} gives no usable slug")
            if slug in self._slugs:
                slug = f"{slug}-{line.country.lower()}"
            city = self._district(name, line.country)
            place = (Place(slug, name, "district", line.country, parent=city.slug) if city
                     else Place(slug, name, "city", line.country))
            self._places[fold(name)] = place
            self._slugs.add(slug)
            self.new_places[slug] = place


_PERIOD_HINT = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)|on-?going|onwards|present|current|since|depuis|en cours",
                          re.IGNORECASE)


def _opens_period(words: list[str], i: int) -> bool:
    word = fold(words[i]).strip("()[],;:")
    following = fold(words[i + 1]).strip("()[],;:") if i + 1 < len(words) else ""
    if word in {"first", "second", "early", "mid", "late", "pilot", "launched", "started", "starting"}:
        # English words that also start names ("First Street"): a period only before a year or "half"
        return bool(_YEAR.match(following) or following in {"half", "in", "of", "quarter"} or following in MONTHS)
    return bool(
        _YEAR.match(word) or word in MONTHS or word in PERIOD_OPENERS or (word, following) in PERIOD_PAIRS
        or (_DAY.match(word) and following in MONTHS) or (_ORDINAL.match(word) and following in {"half", "semestre"}))


def _looks_like_name(piece: str) -> bool:
    """A place name: a few words, the first capitalised, lower-case words only as connectors ("da", "upon")."""
    words = piece.split()
    if not words or len(words) > MAX_NAME_WORDS or not words[0][0].isupper():
        return False
    return all(_WORD.match(w) and (w[0].isupper() or w in _CONNECTORS or w[:2] in {"d'", "l'", "d’", "l’"})
               for w in words)


def _uninvert(name: str) -> str:
    """ "Korea, Republic of" -> "Republic of Korea"; "Iran, République islamique d'" -> "... d'Iran"."""
    if ", " not in name:
        return name
    head, tail = name.split(", ", 1)
    glue = "" if tail.endswith(("’", "'")) else " "
    return f"{tail}{glue}{head}"


_FRENCH: list[gettext.NullTranslations] = []


def _french() -> gettext.NullTranslations:
    if not _FRENCH:
        _FRENCH.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True))
    return _FRENCH[0]


def _iso_country_names() -> dict[str, str]:
    """Every English and French name of every ISO 3166-1 country, folded; names two countries share are left out."""
    french = _french()
    candidates: dict[str, set[str]] = {}

    def add(name: str, iso2: str) -> None:
        for variant in {name, _uninvert(name), re.sub(r"\s*\(.*\)", "", name)}:
            candidates.setdefault(fold(variant), set()).add(iso2)
        if ", " in name:   # "Moldova, Republic of" -> "Moldova" (dropped below when ambiguous, like "Korea")
            candidates.setdefault(fold(name.split(", ")[0]), set()).add(iso2)

    for record in pycountry.countries:
        english = [n for n in (record.name, getattr(record, "common_name", None),
                               getattr(record, "official_name", None)) if n]
        for name in english:
            add(name, record.alpha_2)
            translated = french.gettext(name)
            if translated != name:
                add(translated, record.alpha_2)
    for name, iso2 in FORMER_NAMES.items():
        candidates.setdefault(fold(name), set()).add(iso2)
    return {name: next(iter(codes)) for name, codes in candidates.items() if len(codes) == 1 and name}

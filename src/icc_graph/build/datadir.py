"""Reading the curated data folder into records, with errors that name file, record and field.

Layout: ``dataset.yaml`` (release metadata), ``places.yaml`` (countries, cities,
districts) and ``practices/<slug>.yaml`` (one practice each: a ``source`` block
the importer owns and a ``curation`` block it never touches).
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import yaml

from ..config import Settings
from ..errors import DataError
from ..vocabulary.sections import SECTIONS
from .datarules import check_iri, check_language, check_number, check_slug, check_text, check_unique, check_version
from .forked import Forked
from .period import Period
from .records import WIKIDATA_ID, WIKIDATA_STATUSES, Country, Metadata, Place, Practice, Records
from .yaml_fields import Declared, declared

PRACTICES = "practices"
PLACES = "places.yaml"
METADATA = "dataset.yaml"
# libyaml's loader when it is built in: ten times faster on 100k practice files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_TEXT_BYTES = Settings.max_text_bytes
FORK_FROM_FILES = 500     # fewer practice files read faster in one process than a fork and a pickle cost


def _open_regular(path: Path):
    """The file opened for reading, only when it is a regular file: a FIFO or a device would block or never end
    (O_NONBLOCK: opening a FIFO returns at once), a folder named *.yaml is no data."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise DataError(path, "file is missing") from None
    except OSError as exc:
        raise DataError(path, f"cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DataError(path, "is not a regular file (a folder, a FIFO or a device): data files are plain files")
    os.set_blocking(fd, True)
    return open(fd, encoding="utf-8")


def read_yaml(path: Path, max_text_bytes: int = MAX_TEXT_BYTES) -> dict:
    """One YAML mapping, or a DataError naming the file (and line) when it is not one, or when one of its strings
    holds a control character or is longer than ``max_text_bytes``."""
    try:
        with _open_regular(path) as f:
            doc = yaml.load(f, Loader=_LOADER)
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not UTF-8 text ({exc.reason})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError(path, f"malformed YAML: {problem}", line=mark.line + 1 if mark else None) from None
    if not isinstance(doc, dict):
        raise DataError(path, "expected a YAML mapping at the top level")
    check_text(path, doc, max_text_bytes)
    return doc


class _Fields:
    """Typed access to one YAML mapping, raising DataError with the path of the field."""

    def __init__(self, path: Path, doc: dict, record: str | None = None, prefix: str = ""):
        self.path, self.doc, self.record, self.prefix = path, doc, record, prefix

    def _error(self, key: str, message: str) -> DataError:
        return DataError(self.path, message, field=self.prefix + key, record=self.record)

    def get(self, key: str, kind, *, required: bool = False, default=None):
        value = self.doc.get(key)
        if value is None:
            if required:
                raise self._error(key, "is required")
            return default
        if kind is dt.date:
            return self._date(key, value)
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 2999:
                raise self._error(key, f"{value!r} is not a year")
            return value
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if kind is float and isinstance(value, float):
            return check_number(self.path, value, self.prefix + key, self.record)
        if not isinstance(value, kind):
            raise self._error(key, f"expected {kind.__name__}, got {type(value).__name__} {value!r}")
        return value

    def _date(self, key: str, value) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self._error(key, f"{value!r} is not a date (YYYY-MM-DD)") from None

    def read(self, item: Declared):
        """A declared field (yaml_fields) by its type: a list of texts comes back as a tuple."""
        if item.kind is not tuple:
            return self.get(item.yaml_name, item.kind, required=item.required)
        texts = self.get(item.yaml_name, list, required=item.required)
        for i, text in enumerate(texts or ()):
            if not isinstance(text, str):
                raise self._error(f"{item.yaml_name}[{i}]", f"expected a text, got {type(text).__name__} {text!r}")
        return None if texts is None else tuple(texts)

    def sub(self, key: str) -> _Fields:
        return _Fields(self.path, self.get(key, dict, default={}), self.record, f"{self.prefix}{key}.")

    def names(self) -> tuple[tuple[str, str], ...]:
        names = self.get("names", dict, default={})
        for language in names:
            check_language(self.path, str(language), f"{self.prefix}names", self.record)
        return tuple(sorted(names.items()))

    def language(self, key: str = "language") -> str:
        return check_language(self.path, self.get(key, str, default="en"), self.prefix + key, self.record)

    def wikidata_ids(self, key: str) -> tuple[str, ...]:
        """A list of Wikidata ids (``wikidata_candidates``, ``wikidata_rejected``)."""
        ids = self.get(key, list, default=[])
        for i, qid in enumerate(ids):
            if not isinstance(qid, str) or not WIKIDATA_ID.match(qid):
                raise self._error(f"{key}[{i}]", f"{qid!r} is not a Wikidata id (Q and a number)")
        return tuple(ids)

    def status(self) -> str:
        status = self.get("wikidata_status", str, default="unconfirmed")
        if status not in WIKIDATA_STATUSES:
            raise self._error("wikidata_status", f"{status!r} is not one of {', '.join(WIKIDATA_STATUSES)}")
        return status


def read_metadata(path: Path, max_text_bytes: int = MAX_TEXT_BYTES) -> Metadata:
    f = _Fields(path, read_yaml(path, max_text_bytes))
    publisher = f.sub("publisher")
    for key in ("license", "contact_page", "source"):
        if key in f.doc:
            check_iri(path, f.get(key, str), key)
    if "homepage" in publisher.doc:
        check_iri(path, publisher.get("homepage", str), "publisher.homepage")
    return Metadata(
        title=f.get("title", str, required=True),
        description=f.get("description", str, required=True),
        version=check_version(path, str(f.get("version", (str, int, float), required=True))),
        issued=f.get("issued", dt.date, required=True),
        modified=f.get("modified", dt.date, required=True),
        license=f.get("license", str, required=True),
        publisher_name=publisher.get("name", str, required=True),
        publisher_homepage=publisher.get("homepage", str, required=True),
        contact_page=f.get("contact_page", str, required=True),
        source=f.get("source", str, required=True),
        curator=f.get("curator", str, required=True),
        language=f.language(),
        keywords=tuple(f.get("keywords", list, default=[])),
        rights=f.get("rights", str, default=""),
    )


def read_places(path: Path, max_text_bytes: int = MAX_TEXT_BYTES) -> tuple[tuple[Country, ...], tuple[Place, ...]]:
    doc = read_yaml(path, max_text_bytes)
    countries: dict[str, Country] = {}
    for i, entry in enumerate(doc.get("countries") or []):
        f = _Fields(path, entry, record=f"countries[{i}]")
        iso2 = f.get("iso2", str, required=True)
        if len(iso2) != 2 or not iso2.isupper():
            raise DataError(path, f"{iso2!r} is not an ISO 3166-1 alpha-2 code", field="iso2", record=f.record)
        countries[iso2] = Country(iso2, f.get("name", str, required=True), f.get("wikidata", str),
                                  f.status(), f.names(), f.wikidata_ids("wikidata_candidates"),
                                  f.wikidata_ids("wikidata_rejected"))
    places: dict[str, Place] = {}
    slugs: dict[str, str] = {}   # case-folded slug -> slug
    for kind, section in (("city", "cities"), ("district", "districts")):
        for i, entry in enumerate(doc.get(section) or []):
            f = _Fields(path, entry, record=f"{section}[{i}]")
            slug = check_slug(path, f.get("slug", str, required=True), f.record)
            check_unique(path, slug, slugs, f.record)
            parent = f.get("city", str, required=True) if kind == "district" else None
            if parent is not None and (parent not in places or places[parent].kind != "city"):
                raise DataError(path, f"{parent!r} is not a city listed before this district",
                                field="city", record=f.record)
            country = places[parent].country if parent else f.get("country", str, required=True)
            if country not in countries:
                raise DataError(path, f"unknown country {country!r}", field="country", record=f.record)
            places[slug] = Place(slug, f.get("name", str, required=True), kind, country,
                                 f.get("lat", float), f.get("lon", float), parent, f.get("wikidata", str),
                                 f.status(), f.get("iso_code", str), f.names(),
                                 f.wikidata_ids("wikidata_candidates"), f.wikidata_ids("wikidata_rejected"))
    return tuple(countries.values()), tuple(places.values())


class PlaceNames:
    """Resolves the names a page prints ("Royaume-Uni", "Berlin-Neukölln") to countries and places."""

    def __init__(self, countries: tuple[Country, ...], places: tuple[Place, ...]):
        self.countries = {n.casefold(): c.iso2 for c in countries for n in (c.name, *dict(c.names).values())}
        self.places = {n.casefold(): p for p in places for n in (p.name, *dict(p.names).values())}


def read_practice(path: Path, names: PlaceNames, themes: frozenset[str],
                  max_text_bytes: int = MAX_TEXT_BYTES, record_type: type[Practice] = Practice) -> Practice:
    """One practice file. The fields with a rule below are read by it; every other field ``record_type`` declares
    (yaml_fields.from_yaml) is read by its key and type, so a new plain field needs no line here."""
    f = _Fields(path, read_yaml(path, max_text_bytes))
    slug = check_slug(path, f.get("slug", str, required=True))
    if slug != path.stem:
        raise DataError(path, f"slug {slug!r} does not match the file name", field="slug")
    source, curation = f.sub("source"), f.sub("curation")
    corrections = curation.sub("corrections")

    def value(key, kind, **kw):
        """The curated correction when there is one, else the source's value."""
        return corrections.get(key, kind) if key in corrections.doc else source.get(key, kind, **kw)

    title = value("title", str)
    label = curation.get("label", str) or title
    if not label:
        raise DataError(path, "the source gives no title, so curation must give a label", field="curation.label")
    country_name = value("country", str, required=True)
    iso2 = names.countries.get(country_name.casefold())
    if iso2 is None:
        raise DataError(path, f"unknown country {country_name!r} (not in places.yaml)", field="source.country")
    place_slugs = []
    for city in value("cities", list, default=[]):
        place = names.places.get(str(city).casefold())
        if place is None:
            raise DataError(path, f"unknown city or district {city!r} (not in places.yaml)", field="source.cities")
        if place.country != iso2:
            raise DataError(path, f"{city!r} is not in {country_name}", field="source.cities")
        place_slugs.append(place.slug)
    period = Period(value("period", str), value("start_year", int), value("end_year", int),
                    value("ongoing", bool))
    if period.start_year and period.end_year and period.end_year < period.start_year:
        raise DataError(path, f"end year {period.end_year} is before start year {period.start_year}",
                        field="source.end_year")
    sections = source.sub("sections")
    unknown_sections = set(sections.doc) - set(SECTIONS)
    if unknown_sections:
        raise DataError(path, f"unknown template section(s) {sorted(unknown_sections)}; known: {SECTIONS}",
                        field="source.sections")
    theme_slugs = tuple(curation.get("themes", list, default=[]))
    for theme in theme_slugs:
        if theme not in themes:
            raise DataError(path, f"unknown theme {theme!r} (not in ontology/themes.ttl)", field="curation.themes")
    ruled = dict(
        slug=slug, title=title, label=label, country=iso2, places=tuple(place_slugs), period=period,
        sections=tuple((s, sections.get(s, str)) for s in SECTIONS if sections.get(s, str)),
        themes=theme_slugs,
        source_page=check_iri(path, source.get("page", str, required=True), "source.page"),
        language=source.language(),
        path=path,
    )
    for item in declared(record_type):
        if item.name not in ruled:
            holder = corrections if item.block == "source" and item.yaml_name in corrections.doc else f
            if holder is f:
                for block in filter(None, item.block.split(".")):
                    holder = holder.sub(block)
            read = holder.read(item)
            if read is not None or not item.has_default:
                ruled[item.name] = read
    return record_type(**ruled)


def read_records(data_dir: Path, themes: frozenset[str], max_text_bytes: int = MAX_TEXT_BYTES) -> Records:
    """Every record under ``data_dir``; the first bad field stops the read with a DataError."""
    if not data_dir.is_dir():
        raise DataError(data_dir, "data folder is missing")
    metadata = read_metadata(data_dir / METADATA, max_text_bytes)
    countries, places = read_places(data_dir / PLACES, max_text_bytes)
    names = PlaceNames(countries, places)
    paths = sorted((data_dir / PRACTICES).glob("*.yaml"))

    def read(part: list[Path]) -> list[Practice]:
        return [read_practice(path, names, themes, max_text_bytes) for path in part]

    if len(paths) < FORK_FROM_FILES:
        practices = read(paths)
    else:   # the second half in a forked child, on the other core; the first bad file in path order still stops it
        half = len(paths) // 2
        with Forked(lambda: read(paths[half:])) as second:
            practices = read(paths[:half])
            practices += second.result()
    slugs: dict[str, str] = {}
    for path, practice in zip(paths, practices, strict=True):
        check_unique(path, practice.slug, slugs)
    return Records(metadata, countries, places, tuple(practices), themes)

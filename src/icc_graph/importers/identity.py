"""Which record an entry belongs to, so that one practice seen twice (two pages, two languages) is one record.

In order:

1. the slug in the site's URL of the practice (a detail page's canonical URL,
   a listing's "Read More" link), when the page gives it;
2. the slug of its title (``iris.slugify``), when a record has it; an untitled
   entry's slug is ``untitled-<first city>-<start year>``;
3. a record with the same title in the entry's language (a translation read before);
4. the one record that has no text in the entry's language yet and the same
   country, cities and period years: the same practice in another language.
   When several records fit, the entry is an error (the page does not say which
   one it is; its HTML, with links, does);
5. else a new record under the slug of step 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import DataError
from .entry import Entry
from .places import Gazetteer
from .review import ReviewItem, item_of_entry
from .template import fold


@dataclass
class Known:
    slug: str
    key: tuple
    titles: dict[str, str] = field(default_factory=dict)   # language -> folded title


def entry_key(country: str, cities, start, end, ongoing) -> tuple:
    return country, tuple(fold(c) for c in cities), start, end, ongoing


def known_records(sources: dict[str, dict], gazetteer: Gazetteer) -> dict[str, Known]:
    """What identifies each record already in data/ (its ``source`` block)."""
    known = {}
    for slug, source in sources.items():
        country = gazetteer.country_code(str(source.get("country") or ""))
        key = entry_key(country, source.get("cities") or [], source.get("start_year"), source.get("end_year"),
                        source.get("ongoing"))
        titles = {source.get("language", "en"): fold(source.get("title") or "")}
        for language, text in (source.get("translations") or {}).items():
            titles[language] = fold((text or {}).get("title") or "")
        known[slug] = Known(slug, key, titles)
    return known


def _same(a: Entry, b: Entry) -> bool:
    """Whether two entries of one language under one slug are one practice (two pages may word it differently)."""
    if a.site_slug and a.site_slug == b.site_slug:
        return True
    return (a.country, a.cities, a.period.start_year, a.period.end_year) == (
        b.country, b.cities, b.period.start_year, b.period.end_year)


def group_entries(entries: list[Entry], known: dict[str, Known], place_slugs: dict[str, str],
                  review: list[ReviewItem] | None = None) -> dict[str, list[Entry]]:
    """slug -> the entries of that practice, in the order read; with ``review``, an entry that cannot be placed
    for sure goes there instead of raising."""
    groups: dict[str, list[Entry]] = {}

    def resolve(entry: Entry) -> str:
        own = entry.own_slug(place_slugs)
        if own in known and not entry.site_slug and known[own].key[0] not in ("", entry.country):
            # Same title, another country: another practice, not an update of this one.
            raise DataError(entry.file, f"the slug {own!r} is taken by a practice in another country "
                            f"({known[own].key[0]}); give this practice a page link or rename one of them",
                            line=entry.line)
        if entry.site_slug or not entry.title or own in known:
            return own
        title = fold(entry.title)
        by_title = [k.slug for k in known.values() if k.titles.get(entry.language) == title]
        if by_title:
            return by_title[0]
        key = entry_key(entry.country, entry.cities, entry.period.start_year, entry.period.end_year,
                        entry.period.ongoing)
        fits = sorted(k.slug for k in known.values() if k.key == key and entry.language not in k.titles)
        if len(fits) > 1:
            raise DataError(entry.file, f"{entry.title!r} could be the {entry.language} text of any of "
                            f"{', '.join(fits)} (same place and period): import the page as HTML, whose links "
                            "name the practice", line=entry.line)
        return fits[0] if fits else own

    # Entries whose slug the page itself fixes go first, so that the others can find them.
    ordered = sorted(entries, key=lambda e: 0 if (e.site_slug or not e.title or e.own_slug(place_slugs) in known)
                     else 1)
    for entry in ordered:
        try:
            slug = resolve(entry)
            for other in groups.get(slug, []):
                if other.language == entry.language and not _same(other, entry):
                    raise DataError(entry.file, f"two different practices take the slug {slug!r}: this one and "
                                    f"the one at {other.where()}", line=entry.line)
        except DataError as exc:
            if review is None:
                raise
            review.append(item_of_entry(entry, exc.message))
            continue
        groups.setdefault(slug, []).append(entry)
        record = known.setdefault(slug, Known(slug, entry_key(
            entry.country, entry.cities, entry.period.start_year, entry.period.end_year, entry.period.ongoing)))
        record.titles.setdefault(entry.language, fold(entry.title or ""))
    return groups

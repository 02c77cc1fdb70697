"""``icc-graph places reconcile``: every country, city and district of places.yaml looked up on Wikidata.

Order: countries by ISO code (their items are what P17 must name), then every
city and district by name (cities first, so a district can require the item
its city was just confirmed as), then the details (coordinates, ISO 3166-2
code, labels) of every confirmed place. Every place is looked up, confirmed or
not, so that the queries depend only on the names in places.yaml: a re-run
sends the same queries, all answered from the cache. Nothing is written until
every answer is in; then places.yaml is edited as text (build/places_text.py),
read back through the data reader, and renamed into place.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..build.datadir import PLACES, read_places
from ..build.places_text import apply_changes
from ..build.records import Place
from ..config import Settings
from ..errors import DataError
from ..polite_http import PoliteClient, user_agent_for
from .cache import AnswerCache
from .client import RETRIES, TIMEOUT, SparqlClient
from .fill import LABEL_LANGUAGES, Plan, apply_decision, fill_details
from .matching import NONE, decide, decide_country, lookup_names
from .queries import countries_query, details_query, names_query, read_countries, read_details, read_names


@dataclass
class Outcome:
    lines: list[str]
    changed: bool
    sent: int               # HTTP requests (retries included)
    from_cache: int         # queries answered from the cache


def _batches(values: list, size: int) -> list[list]:
    values = sorted(set(values), key=str)
    return [values[i:i + size] for i in range(0, len(values), max(1, size))]


def reconcile(settings: Settings, *, offline: bool = False) -> Outcome:
    path = settings.data_dir / PLACES
    countries, places = read_places(path)
    http = PoliteClient(user_agent_for(settings), settings.wikidata_delay, RETRIES, TIMEOUT)
    client = SparqlClient(settings.wikidata_endpoint, http, AnswerCache(settings.wikidata_cache), offline=offline)

    def select(build, values) -> list[dict]:
        return [row for batch in _batches(values, settings.wikidata_batch) for row in client.select(build(batch))]

    plan = Plan()
    carrying = read_countries(select(countries_query, [c.iso2 for c in countries]))
    country_item = {}
    for i, country in enumerate(countries):
        decision = decide_country(country, carrying.get(country.iso2, set()))
        country_item[country.iso2] = apply_decision(plan, "countries", i, country, decision)

    by_slug = {p.slug: p for p in places}
    wanted = {p.slug: lookup_names(p, by_slug.get(p.parent)) for p in places}
    by_name, items = read_names(select(names_query, [n for names in wanted.values() for n in names]))
    confirmed: dict[str, str] = {}
    positions = _positions(places)
    for place in places:
        named = set().union(*(by_name.get(n, set()) for n in wanted[place.slug]))
        parent = confirmed.get(place.parent) if place.parent else None
        decision = decide(place, named, items, country_item.get(place.country), parent) if named else NONE
        section, index = positions[place.slug]
        qid = apply_decision(plan, section, index, place, decision)
        if qid:
            confirmed[place.slug] = qid

    if confirmed:
        details = read_details(select(lambda batch: details_query(batch, LABEL_LANGUAGES), list(confirmed.values())))
        in_use = {n.casefold() for r in (*countries, *places) for n in (r.name, *dict(r.names).values())}
        for place in places:
            if place.slug in confirmed:
                fill_details(plan, *positions[place.slug], place, details.get(confirmed[place.slug]), in_use)

    changed = bool(plan.changes) and _write(path, plan)
    return Outcome(plan.lines, changed, client.sent, client.from_cache)


def _positions(places: tuple[Place, ...]) -> dict[str, tuple[str, int]]:
    counts = {"city": 0, "district": 0}
    positions = {}
    for place in places:
        positions[place.slug] = ("cities" if place.kind == "city" else "districts", counts[place.kind])
        counts[place.kind] += 1
    return positions


def _write(path: Path, plan: Plan) -> bool:
    """Write the edited file if it changed; it is read back by the data reader before it replaces the old one."""
    text = path.read_text(encoding="utf-8")
    try:
        new = apply_changes(text, plan.changes)
    except ValueError as exc:
        raise DataError(path, f"cannot edit the file in place: {exc}") from None
    if new == text:
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".places-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(new)
        read_places(Path(tmp))      # an edit that broke the file stops here, the old file untouched
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True

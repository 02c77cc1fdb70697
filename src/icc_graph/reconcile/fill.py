"""What a decision changes in places.yaml, without ever overwriting what a curator wrote.

- An entry with a ``wikidata`` id keeps it and its status, whoever wrote them
  (a curator, or an earlier run that confirmed it). The run only reports when
  Wikidata's rules agree with a partly confirmed id, or point elsewhere.
- An entry without one gets the decision: ``confirmed`` writes ``wikidata`` and
  ``wikidata_status: confirmed``; ``partial`` writes ``wikidata_status: partial``
  and ``wikidata_candidates``; no match leaves it alone (and takes back
  candidates an earlier run listed, when a curator has rejected them all).
- A confirmed entry gets what it lacks, never what it has: ``lat``/``lon`` (P625),
  ``iso_code`` (P300, when Wikidata gives exactly one of the shape ISO 3166-2
  codes have) and ``names.fr`` (the French label, when it differs from ``name``
  and names no other place).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..build.places_text import Change, deletion
from ..build.records import Country, Place
from .matching import SOURCE_LANGUAGES, Decision
from .queries import Details

# Labels filled in: the languages the site and the ICC pages use, besides English (which is `name`).
LABEL_LANGUAGES = tuple(lang for lang in SOURCE_LANGUAGES if lang != "en")
_ISO_3166_2 = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def record_name(section: str, index: int, record: Country | Place) -> str:
    return f"{section}[{index}] {getattr(record, 'slug', None) or record.iso2}"


def apply_decision(plan: Plan, section: str, index: int, record: Country | Place, decision: Decision) -> str | None:
    """Plan the status change; returns the item the record is now confirmed as, if any."""
    where = record_name(section, index, record)
    if record.wikidata:
        if record.wikidata_status != "confirmed" and decision.qid == record.wikidata:
            plan.lines.append(f"agrees   {where}: Wikidata's rules confirm the curated {record.wikidata} "
                              f"({record.wikidata_status}); set wikidata_status: confirmed once reviewed")
        elif decision.status != "none" and record.wikidata not in (decision.qid, *decision.candidates):
            found = decision.qid or ", ".join(decision.candidates)
            plan.lines.append(f"differs  {where}: curated {record.wikidata} kept; Wikidata's rules find {found}")
        return record.wikidata if record.wikidata_status == "confirmed" else None

    def set_(key, value):
        plan.changes.append(Change(section, index, (key,), value))

    if decision.status == "confirmed":
        set_("wikidata", decision.qid)
        set_("wikidata_status", "confirmed")
        if record.wikidata_candidates:
            plan.changes.append(deletion(section, index, "wikidata_candidates"))
        plan.lines.append(f"confirmed {where}: {decision.qid}")
        return decision.qid
    if decision.status == "partial":
        if record.wikidata_status != "partial" or record.wikidata_candidates != decision.candidates:
            set_("wikidata_status", "partial")
            set_("wikidata_candidates", list(decision.candidates))
        plan.lines.append(f"partial  {where}: candidates {', '.join(decision.candidates)}")
        return None
    if record.wikidata_candidates:          # every candidate an earlier run listed has been rejected
        plan.changes.append(deletion(section, index, "wikidata_candidates"))
        set_("wikidata_status", "unconfirmed")
    plan.lines.append(f"no match {where}")
    return None


def fill_details(plan: Plan, section: str, index: int, place: Place, details: Details | None,
                 names_in_use: set[str]) -> None:
    """Plan what a confirmed place lacks, from its item's details."""
    if details is None:
        return
    filled = []
    if place.lat is None and place.lon is None and details.points:
        lat, lon = sorted(details.points)[0]
        plan.changes += [Change(section, index, ("lat",), lat), Change(section, index, ("lon",), lon)]
        filled.append(f"lat/lon {lat}, {lon}")
    codes = {c for c in details.iso_codes if _ISO_3166_2.match(c)}
    if place.iso_code is None and len(codes) == 1:
        code = codes.pop()
        plan.changes.append(Change(section, index, ("iso_code",), code))
        filled.append(f"iso_code {code}")
    have = dict(place.names)
    for lang in LABEL_LANGUAGES:
        labels = details.labels.get(lang, set())
        if lang in have or len(labels) != 1:
            continue
        label = next(iter(labels))
        if label != place.name and label.casefold() not in names_in_use:
            plan.changes.append(Change(section, index, ("names", lang), label))
            names_in_use.add(label.casefold())
            filled.append(f"names.{lang} {label}")
    if filled:
        plan.lines.append(f"filled   {record_name(section, index, place)}: {'; '.join(filled)}")

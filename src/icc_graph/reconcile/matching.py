"""The rules that turn Wikidata's answers into a status for one place.

An item *fits strictly* when all of these hold:

1. one of its labels or aliases is one of the place's names (``name``, its
   ``names`` in languages other than English and French, and for a district
   "Berlin-Neukölln" also "Neukölln"), in English, French (the languages ICC
   pages print) or a language of the place's own ``names``;
2. its country (P17) is the place's country's confirmed Wikidata item;
3. it is a settlement (queries.SETTLEMENT_ROOTS; a district may also be a city
   district or borough, queries.DISTRICT_ROOTS);
4. for a district: it lies in the parent city's confirmed item (P131, followed
   transitively).

It *fits loosely* when 1 and 2 hold but 3 or 4 does not (a region with the
city's name; a district whose city has no confirmed item yet). Items a curator
rejected (``wikidata_rejected``) fit nothing.

- exactly one strict fit: ``confirmed`` with that item;
- several strict fits: ``partial``, all of them candidates;
- no strict fit, some loose ones: ``partial``, the loose ones candidates;
- nothing: no status change.

A country is matched by its ISO 3166-1 code (P297): one item confirmed, several partial.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..build.records import Country, Place
from .queries import DISTRICT_ROOTS, SETTLEMENT_ROOTS, Item

SOURCE_LANGUAGES = ("en", "fr")      # the languages the ICC pages are read in


@dataclass(frozen=True)
class Decision:
    status: str                      # "confirmed", "partial" or "none"
    qid: str | None = None
    candidates: tuple[str, ...] = ()


NONE = Decision("none")


def by_number(qids) -> tuple[str, ...]:
    return tuple(sorted(set(qids), key=lambda q: int(q[1:])))


def name_variants(place: Place, parent: Place | None) -> list[str]:
    # Not the French name: this command fills it in, and the queries must not change with what it writes.
    names = [place.name, *(n for lang, n in place.names if lang not in SOURCE_LANGUAGES)]
    if parent is not None:      # "Berlin-Neukölln", "London Lewisham": the district's own name too
        for name in list(names):
            for sep in (" - ", "-", " "):
                prefix = parent.name + sep
                if name.startswith(prefix) and len(name) > len(prefix):
                    names.append(name[len(prefix):].strip())
                    break
    return list(dict.fromkeys(names))


def lookup_names(place: Place, parent: Place | None) -> list[tuple[str, str]]:
    """(text, language) pairs to look up: every name variant in every language that may print it."""
    languages = dict.fromkeys([*SOURCE_LANGUAGES, *(lang for lang, _ in place.names)])
    return [(name, lang) for name in name_variants(place, parent) for lang in languages]


def decide(place: Place, named: set[str], items: dict[str, Item], country: str | None,
           parent: str | None) -> Decision:
    """The decision for ``place`` among the items ``named`` by its names.

    ``country`` and ``parent``: the confirmed items of its country and (for a district) its city.
    """
    if country is None:
        return NONE
    rejected = set(place.wikidata_rejected)
    roots = set(SETTLEMENT_ROOTS) | (set(DISTRICT_ROOTS) if place.kind == "district" else set())
    strict, loose = [], []
    for qid in named - rejected:
        item = items[qid]
        if country not in item.countries:
            continue
        inside = place.kind != "district" or (parent is not None and parent in item.within)
        (strict if item.roots & roots and inside else loose).append(qid)
    if len(strict) == 1:
        return Decision("confirmed", strict[0])
    if strict or loose:
        return Decision("partial", None, by_number(strict or loose))
    return NONE


def decide_country(country: Country, carrying: set[str]) -> Decision:
    left = by_number(carrying - set(country.wikidata_rejected))
    if len(left) == 1:
        return Decision("confirmed", left[0])
    return Decision("partial", None, left) if left else NONE

"""Which media type answers a query: the ``format`` parameter if given, else the Accept header (Werkzeug's parser).

Tables, not code paths: each query kind has its media types, the first being
the default, plus aliases clients send (application/json, text/xml, ...).
"""

from __future__ import annotations

from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ...vocabulary.formats import ANSWER_GRAPH_FORMATS, GRAPH_TYPES, RESULT_FORMATS, SOLUTION_TYPES
from ..errors import NotAcceptable

# format=NAME short names and the other media types that mean one of ours, by query kind (vocabulary.formats).
SOLUTION_NAMES = {name: f.media_type for f in RESULT_FORMATS for name in f.names}
GRAPH_NAMES = {name: f.media_type for f in ANSWER_GRAPH_FORMATS for name in f.names}
SOLUTION_ALIASES = {alias: f.media_type for f in RESULT_FORMATS for alias in f.aliases}
GRAPH_ALIASES = {alias: f.media_type for f in ANSWER_GRAPH_FORMATS for alias in f.aliases}


def not_acceptable(supported: tuple[str, ...], asked: str) -> NotAcceptable:
    return NotAcceptable(asked, supported, f"cannot answer in {asked}; this query can be answered in: "
                         f"{', '.join(supported)} (choose with the Accept header or the 'format' parameter)")


def choose(kind: str, accept: MIMEAccept, format_names: list[str]) -> str:
    """The media type for a query of ``kind`` ("solutions" or "graph").

    Several ``format`` values may come (SPARQLWrapper sends a name and a media
    type): the first one understood wins.
    """
    types, names, aliases = ((SOLUTION_TYPES, SOLUTION_NAMES, SOLUTION_ALIASES) if kind == "solutions"
                             else (GRAPH_TYPES, GRAPH_NAMES, GRAPH_ALIASES))
    wanted = [name.strip().lower() for name in format_names if name.strip()]
    for name in wanted:
        chosen = names.get(name) or aliases.get(name) or (name if name in types else None)
        if chosen is not None:
            return chosen
    if wanted:
        raise not_acceptable(types, "format=" + ", ".join(wanted))
    if not accept:
        return types[0]
    # Werkzeug matches media type parameters too: "text/csv; charset=utf-8" would not match text/csv,
    # and we write UTF-8 always, so only the type and the quality count.
    accept = MIMEAccept([(value.split(";")[0].strip(), quality) for value, quality in accept])
    offered = list(types) + list(aliases)
    best = accept.best_match(offered)
    if best is None:
        raise not_acceptable(types, accept.to_header())
    return aliases.get(best, best)


@lru_cache(maxsize=1024)
def choose_for_header(kind: str, accept_header: str, format_names: tuple[str, ...]) -> str:
    """``choose`` for a raw Accept header, remembered: clients send the same few headers again and again."""
    return choose(kind, parse_accept_header(accept_header, MIMEAccept), list(format_names))

"""How a record field says where it comes from: its key in the data's YAML and the terms the mapping makes of it.

One declaration per field, on the record itself (``records.Practice``, ``period.Period``):
``datadir`` reads every declared field it has no special rule for by its key and type, and
``data_locations`` points a gate finding on one of its terms back at that key. So a new
plain field (a text, a year, a flag, a date, a list of texts) is one line on the record,
and neither the reading nor the error locations has a table to edit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import dataclass

YAML_KEY, TERMS = "yaml", "terms"


def from_yaml(key: str, *terms: str) -> dict[str, object]:
    """Field metadata: ``key`` as ``block.name`` (``source.summary``; a source value may be corrected under
    ``curation.corrections``), ``terms`` as prefixed names (``dcterms:abstract``: records carry no rdflib)."""
    return {YAML_KEY: key, TERMS: terms}


@dataclass(frozen=True)
class Declared:
    """One declared field of a record type, with what reading it needs."""

    name: str
    key: str                    # block.name in the YAML file, or a top-level name
    terms: tuple[str, ...]
    kind: type                  # str, int (a year), float, bool, datetime.date, tuple (a list of texts), or a record
    required: bool              # no default and None not allowed
    has_default: bool

    @property
    def block(self) -> str:
        return self.key.rpartition(".")[0]

    @property
    def yaml_name(self) -> str:
        return self.key.rpartition(".")[2]


# record type -> its declared fields: asked once per practice file, and resolving the type hints costs
# about 170 us a time (17 s of reading data/ at 100k practices).
_DECLARED: dict[type, tuple[Declared, ...]] = {}


def declared(record_type: type) -> tuple[Declared, ...]:
    """The fields of ``record_type`` that declare a YAML key, in their order."""
    if record_type not in _DECLARED:
        _DECLARED[record_type] = _declared(record_type)
    return _DECLARED[record_type]


def _declared(record_type: type) -> tuple[Declared, ...]:
    hints = typing.get_type_hints(record_type)
    found = []
    for f in dataclasses.fields(record_type):
        if YAML_KEY not in f.metadata:
            continue
        kind, optional = _kind(hints[f.name])
        no_default = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        found.append(Declared(f.name, str(f.metadata[YAML_KEY]), tuple(f.metadata.get(TERMS, ())), kind,
                              no_default and not optional, not no_default))
    return tuple(found)


def located(record_type: type) -> dict[str, str]:
    """Every term the declared fields of ``record_type`` (and of the records inside it) map to -> its YAML key."""
    terms: dict[str, str] = {}
    for item in declared(record_type):
        if dataclasses.is_dataclass(item.kind):
            terms.update(located(item.kind))
        terms.update(dict.fromkeys(item.terms, item.key))
    return terms


def _kind(hint) -> tuple[type, bool]:
    """(the type a value is read as, whether None is allowed) for a field's type hint."""
    args = typing.get_args(hint) if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union \
        else ()
    optional = type(None) in args
    if args:
        (hint,) = [a for a in args if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin is tuple:
        return tuple, optional
    if hint in (str, int, float, bool, dt.date) or dataclasses.is_dataclass(hint):
        return hint, optional
    raise TypeError(f"a declared field cannot be read as {hint!r}")

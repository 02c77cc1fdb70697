"""Editing places.yaml as text, so its comments, order and one-line entries stay as written.

The curated file is reviewed in git: a tool that re-dumped it would drop the
comments and turn every one-line entry into a block. Two kinds of edit, both
writing values as YAML flow text (``inline``):

- ``add_places`` (the importers, the harvest): new countries, cities and
  districts, each a one-line ``unconfirmed`` entry after the last item of its
  list (the list created at the end of the file when absent);
- ``apply_changes`` (``places reconcile``): keys of existing entries set or
  deleted. Each change is a splice at the positions PyYAML's composer gives
  for the entry's nodes: a value is replaced where it stands, a new key goes
  after the entry's last one (inside ``{...}`` for a one-line entry, on its own
  line for a block entry), a key is cut out with its separator. Splices are
  applied from the end of the text to the start, so the positions of the
  others stay valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .records import Country, Place

_DELETE = object()
# Where a new key goes: before the first key of the entry that this order puts after it (else last).
KEY_ORDER = ("slug", "iso2", "name", "country", "city", "wikidata", "wikidata_status", "wikidata_candidates",
             "wikidata_rejected", "lat", "lon", "iso_code", "names")


def country_entry(country: Country) -> dict:
    entry: dict[str, object] = {"iso2": country.iso2, "name": country.name, "wikidata_status": "unconfirmed"}
    if country.names:
        entry["names"] = dict(country.names)
    return entry


def city_entry(place: Place) -> dict:
    if place.kind == "district":
        return {"slug": place.slug, "name": place.name, "city": place.parent, "wikidata_status": "unconfirmed"}
    return {"slug": place.slug, "name": place.name, "country": place.country, "wikidata_status": "unconfirmed"}


def add_places(text: str, countries: list[Country], cities: list[Place]) -> str:
    """The text with new countries, cities and districts appended, one line each, as ``unconfirmed``."""
    text = _append(text, "countries", [country_entry(c) for c in countries])
    text = _append(text, "cities", [city_entry(p) for p in cities if p.kind == "city"])
    return _append(text, "districts", [city_entry(p) for p in cities if p.kind == "district"])


def _append(text: str, section: str, entries: list[dict]) -> str:
    """Insert one-line entries after the last item of a top-level list (created at the end when absent)."""
    lines = [f"- {inline(entry)}\n" for entry in entries]
    if not lines:
        return text
    flow = _flow_list(text, section)
    if flow is not None:
        # "cities: []" (or "[a, b]") is a list too: a second "cities:" key would hide it.
        if not flow.value:
            return text[:flow.start_mark.index].rstrip(" \t") + "\n" + "".join(lines).rstrip("\n") + \
                text[flow.end_mark.index:]
        added = "".join(f", {inline(entry)}" for entry in entries)
        at = flow.value[-1].end_mark.index
        return text[:at] + added + text[at:]
    head = re.search(rf"^{section}:[ \t]*(#.*)?$", text, re.MULTILINE)
    if head is None:
        return text + ("" if text.endswith("\n") or not text else "\n") + f"{section}:\n" + "".join(lines)
    following = re.search(r"^[^\s#-]", text[head.end():], re.MULTILINE)
    end = head.end() + following.start() if following else len(text)
    items = list(re.finditer(r"^(- |\s+\S).*$", text[head.end():end], re.MULTILINE))
    at = head.end() + items[-1].end() + 1 if items else head.end() + 1
    at = min(at, len(text))
    before = text[:at] if text[:at].endswith("\n") else text[:at] + "\n"
    return before + "".join(lines) + text[at:]


@dataclass(frozen=True)
class Change:
    """Set ``path`` (keys from the entry down, e.g. ("names", "fr")) to ``value``, or delete it."""

    section: str            # top-level list: countries, cities, districts
    index: int              # the entry's position in that list
    path: tuple[str, ...]
    value: object = _DELETE

    @property
    def deletes(self) -> bool:
        return self.value is _DELETE


def deletion(section: str, index: int, key: str) -> Change:
    return Change(section, index, (key,))


def _flow_list(text: str, section: str) -> SequenceNode | None:
    """The top-level list ``section`` when written in flow style (``cities: []``), else None."""
    root = yaml.compose(text) if text.strip() else None
    if not isinstance(root, MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == section:
            return value if isinstance(value, SequenceNode) and value.flow_style else None
    return None


def inline(value) -> str:
    """One value as YAML flow text: ``'NO'``, ``52.5167``, ``[Q1, Q2]``, ``{fr: Londres}``."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=float("inf"), sort_keys=False)
    return text.removesuffix("\n...\n").strip()


def apply_changes(text: str, changes: list[Change]) -> str:
    """The text with every change made; raises ValueError when an entry or a nested mapping is not where said."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    splices: list[tuple[int, int, str]] = []
    for change in changes:
        entry = _entry(root, change.section, change.index)
        splices.append(_splice(text, entry, change.path, change.value))
    # From the end to the start; of two insertions at one place, the later-planned goes in first, so it ends up second.
    for start, end, _, new in sorted(((s, e, i, t) for i, (s, e, t) in enumerate(splices)), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _entry(root: Node | None, section: str, index: int) -> MappingNode:
    sequence = _value(root, section)
    if not isinstance(sequence, SequenceNode) or index >= len(sequence.value):
        raise ValueError(f"places.yaml has no {section}[{index}]")
    entry = sequence.value[index]
    if not isinstance(entry, MappingNode):
        raise ValueError(f"{section}[{index}] is not a mapping")
    return entry


def _value(mapping: Node | None, key: str) -> Node | None:
    if not isinstance(mapping, MappingNode):
        return None
    return next((v for k, v in mapping.value if isinstance(k, ScalarNode) and k.value == key), None)


def _splice(text: str, mapping: MappingNode, path: tuple[str, ...], value) -> tuple[int, int, str]:
    key, rest = path[0], path[1:]
    pairs = mapping.value
    found = next((i for i, (k, _) in enumerate(pairs) if isinstance(k, ScalarNode) and k.value == key), None)
    if found is not None and rest:
        nested = pairs[found][1]
        if isinstance(nested, MappingNode):
            return _splice(text, nested, rest, value)
        if value is _DELETE:
            return (0, 0, "")
        raise ValueError(f"{key!r} is not a mapping")
    if rest:            # a nested key under a key the entry lacks: add the whole mapping
        if value is _DELETE:
            return (0, 0, "")
        for part in reversed(rest):
            value = {part: value}
    if value is _DELETE:
        return (0, 0, "") if found is None else _cut(text, mapping, found)
    if found is not None:
        node = pairs[found][1]
        return node.start_mark.index, node.end_mark.index, inline(value)
    return _add(text, mapping, key, value)


def _add(text: str, mapping: MappingNode, key: str, value) -> tuple[int, int, str]:
    rank = KEY_ORDER.index(key) if key in KEY_ORDER else len(KEY_ORDER)
    after = next((k for k, _ in mapping.value
                  if isinstance(k, ScalarNode) and k.value in KEY_ORDER and KEY_ORDER.index(k.value) > rank), None)
    if after is not None and mapping.flow_style:
        at = after.start_mark.index
        return at, at, f"{key}: {inline(value)}, "
    if after is not None:
        at = text.rfind("\n", 0, after.start_mark.index) + 1
        return at, at, f"{' ' * after.start_mark.column}{key}: {inline(value)}\n"
    if mapping.flow_style:
        if not mapping.value:
            at = mapping.start_mark.index + 1
            return at, at, f"{key}: {inline(value)}"
        at = mapping.value[-1][1].end_mark.index
        return at, at, f", {key}: {inline(value)}"
    indent = " " * mapping.value[0][0].start_mark.column
    end = mapping.value[-1][1].end_mark.index
    # A block value may end at the start of the next line; a scalar ends on its own line.
    at = end if text[end - 1:end] == "\n" else (text.find("\n", end) + 1 or len(text))
    lead = "" if at == 0 or text[at - 1] == "\n" else "\n"
    return at, at, f"{lead}{indent}{key}: {inline(value)}\n"


def _cut(text: str, mapping: MappingNode, i: int) -> tuple[int, int, str]:
    key, value = mapping.value[i]
    if mapping.flow_style:
        if i > 0:       # ", key: value" after the previous value
            return mapping.value[i - 1][1].end_mark.index, value.end_mark.index, ""
        if len(mapping.value) > 1:      # "key: value, " before the next key
            return key.start_mark.index, mapping.value[1][0].start_mark.index, ""
        return key.start_mark.index, value.end_mark.index, ""
    start = text.rfind("\n", 0, key.start_mark.index) + 1
    end = value.end_mark.index
    end = end if text[end - 1:end] == "\n" else (text.find("\n", end) + 1 or len(text))
    return start, end, ""

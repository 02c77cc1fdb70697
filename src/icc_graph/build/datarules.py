"""What the curated data may not hold, whatever the shapes say: the checks that keep a release inside its folder.

A version names a folder of dist/ and a slug is one segment of an IRI's path
(and a file name), so both are plain names: a ``../`` or a ``/`` in them would
write outside the release or mint IRIs of other resources. Text must be what
XML 1.0 can carry (the RDF/XML dumps, the SPARQL XML answers, the pages), so
control characters are refused rather than published, and each text field has
a size limit, so that one runaway field cannot exhaust the build's memory.
Every refusal is a DataError naming the file, the record and the field.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from ..errors import DataError

# A version names dist/<version>: one plain path segment, never the `latest` link itself.
VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")
RESERVED_VERSIONS = {"latest"}
# A slug is one IRI path segment and a file name: runs of letters and digits joined by one `-`, `_` or `.`
# (no `..`, no leading or trailing separator, no `--`, which joins two slugs in a link's IRI).
SLUG = re.compile(r"[0-9A-Za-z]+(?:[._-][0-9A-Za-z]+)*")
MAX_SLUG = 200
# C0 controls but tab, newline and carriage return; lone surrogates; U+FFFE and U+FFFF: none is allowed in XML 1.0.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What an IRI may not hold (RFC 3987: spaces, quotes, angle brackets, braces, ...).
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def check_version(path: Path, version: str) -> str:
    if not VERSION.fullmatch(version) or version in RESERVED_VERSIONS:
        raise DataError(path, f"{version!r} is not a release version: a plain name of letters, digits, '.', '_' "
                              "and '-' that starts with a letter or digit and is not 'latest'", field="version")
    return version


def check_slug(path: Path, slug: str, record: str | None = None) -> str:
    if len(slug) > MAX_SLUG or not SLUG.fullmatch(slug):
        raise DataError(path, f"{slug!r} is not a slug: letters and digits joined by single '-', '_' or '.' "
                              f"(at most {MAX_SLUG} characters), one segment of an IRI", field="slug", record=record)
    return slug


def check_iri(path: Path, value: str, field: str, record: str | None = None) -> str:
    """Refuse what no IRI may hold (the graph could not be written); whether it is the right kind of address
    is the shapes' to say."""
    bad = _IRI_FORBIDDEN.search(value)
    if bad:
        raise DataError(path, f"{value!r} is not an IRI: it holds {bad.group()!r}", field=field, record=record)
    return value


def check_language(path: Path, tag: str, field: str, record: str | None = None) -> str:
    if not _LANGUAGE.fullmatch(tag):
        raise DataError(path, f"{tag!r} is not a language tag (BCP 47, like en or pt-BR)", field=field, record=record)
    return tag


def check_number(path: Path, value: float, field: str, record: str | None = None) -> float:
    if not math.isfinite(value):
        raise DataError(path, f"{value!r} is not a number", field=field, record=record)
    return value


def check_text(path: Path, doc, max_text_bytes: int) -> None:
    """Every string of a YAML document (keys too): no control characters, at most ``max_text_bytes`` in UTF-8."""
    for where, text in _strings(doc, ()):
        bad = CONTROL.search(text)
        if bad:
            raise _located(path, where, f"holds the control character U+{ord(bad.group()):04X} at position "
                                        f"{bad.start()}: remove it (XML and HTML cannot carry it)")
        # Characters first (cheap): UTF-8 takes at most 4 bytes each, so short text never needs encoding.
        if len(text) * 4 > max_text_bytes and len(text.encode("utf-8", "surrogatepass")) > max_text_bytes:
            raise _located(path, where, f"is longer than {max_text_bytes} bytes (ICC_GRAPH_MAX_TEXT_BYTES): "
                                        "shorten it")


def _strings(node, where: tuple):
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key, where + (str(key),))
            yield from _strings(value, where + (str(key),))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, where + (i,))


def _located(path: Path, where: tuple, message: str) -> DataError:
    """A DataError for a string found at ``where`` (keys and list indexes): ``cities[2]`` is the record of
    a file holding several; the rest is the field."""
    record = None
    if len(where) >= 2 and isinstance(where[1], int):
        record, where = f"{where[0]}[{where[1]}]", where[2:]
    field = ""
    for part in where:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else part)
    return DataError(path, message, field=field or None, record=record)


def check_unique(path: Path, slug: str, seen: dict[str, str], record: str | None = None) -> None:
    """Slugs are unique ignoring case: two that differ only in case are one file on some file systems."""
    other = seen.get(slug.casefold())
    if other is None:
        seen[slug.casefold()] = slug
    else:
        same = "is used twice" if other == slug else f"differs from {other!r} only in case"
        raise DataError(path, f"slug {slug!r} {same}", field="slug", record=record)

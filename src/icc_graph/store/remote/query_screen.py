"""The screen a query passes before it is forwarded to a remote store: read-only, local, and on our graphs only.

A remote store does what it is asked: an update sent as ``query=`` may run
when the account may write, ``SERVICE`` makes it call out, and a product's own
pragmas and function libraries (its row in endpoints.PRODUCTS) reach past SPARQL.
Every known product's extensions are refused whatever store answers: a proxy
can hide which one it is, and no SPARQL 1.1 query uses them.
So the query text is lexed here (strings, IRIs and comments skipped, so that a
word inside them never counts) and refused before anything leaves the process.
The same pass finds the IRIs the query names, so that the public graph names
can be swapped for the graphs of the release the store serves now.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from ...vocabulary.sparql_text import QUERY_FORMS, TOKEN, UPDATE_WORDS
from ..base import QuerySyntaxError
from .endpoints import PRODUCTS, Product

CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _codepoint(match: re.Match) -> str:
    value = int(match.group(1) or match.group(2), 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        raise QuerySyntaxError(f"{match.group()} is not a character")
    return chr(value)


@dataclass(frozen=True)
class Screened:
    """A query that passed: its text with graph names swapped, its form, and whether it names its own dataset."""

    text: str
    form: str            # SELECT, ASK, CONSTRUCT or DESCRIBE
    has_dataset: bool    # FROM or FROM NAMED in the query


@dataclass(frozen=True)
class _Extensions:
    """The products' own syntax, each item with the product it belongs to (for the message)."""

    words: frozenset[str]
    prefixes: dict[str, str]              # predeclared prefix -> product
    namespaces: tuple[tuple[str, str], ...]   # (namespace IRI, product)

    @staticmethod
    @functools.cache
    def of(products: tuple[Product, ...]) -> _Extensions:
        return _Extensions(frozenset(w for p in products for w in p.extension_words),
                   {prefix: p.name for p in products for prefix in p.extension_prefixes},
                   tuple((ns, p.name) for p in products for ns in p.extension_namespaces))

    def product_of(self, iri: str) -> str | None:
        return next((name for ns, name in self.namespaces if iri.startswith(ns)), None)


def screen(query: str, rename: Callable[[str], str | None] = lambda iri: None,
           products: tuple[Product, ...] = PRODUCTS) -> Screened:
    """Refuse what a public read-only endpoint must not forward; swap IRIs ``rename`` maps (to a new IRI).

    ``products``: the store products whose own extensions are refused. Raises QuerySyntaxError naming the reason.
    """
    extensions = _Extensions.of(products)
    # SPARQL reads \u and \U escapes before anything else (so "\u0053ERVICE" is SERVICE to the store):
    # screen, and forward, the text the store will parse.
    query = CODEPOINT.sub(_codepoint, query)
    prefixes: dict[str, str] = {}
    out: list[str] = []
    form: str | None = None
    has_dataset = False
    expect_prefix = expect_from_iri = False
    pending_prefix: str | None = None
    position = 0
    for match in TOKEN.finditer(query):
        if match.start() != position:
            raise QuerySyntaxError(f"the query does not lex at character {position}: {query[position:position + 20]!r}")
        position = match.end()
        kind, text = match.lastgroup, match.group()
        if kind in ("comment", "space", "string", "var", "bnode", "other"):
            out.append(text)
            continue
        if kind == "word":
            upper = text.upper()
            if upper in UPDATE_WORDS:
                raise QuerySyntaxError(f"this endpoint is read-only: {upper} (a SPARQL update) is refused")
            if upper == "SERVICE":
                raise QuerySyntaxError("SERVICE is refused: this endpoint never calls other endpoints")
            if upper in extensions.words:
                raise QuerySyntaxError(f"{upper} is not SPARQL 1.1 and is refused")
            if upper == "PREFIX":
                expect_prefix = True
            elif upper == "FROM":
                has_dataset = expect_from_iri = True
            elif upper in QUERY_FORMS and form is None:
                form = upper
            out.append(text)
            continue
        if kind == "pname":
            if expect_prefix:                   # PREFIX name: <iri>
                pending_prefix, expect_prefix = text[:-1] if text.endswith(":") else text, False
                out.append(text)
                continue
            prefix, _, local = text.partition(":")
            if prefix in prefixes:
                iri = prefixes[prefix] + local.replace("\\", "")
            elif prefix in extensions.prefixes:
                raise QuerySyntaxError(f"{text} is a {extensions.prefixes[prefix]} extension and is refused")
            else:
                raise QuerySyntaxError(f"the prefix {prefix + ':'!r} of {text} is not declared")
            out.append(_checked(iri, text, rename, expect_from_iri, extensions))
            expect_from_iri = False
            continue
        # an IRI
        iri = text[1:-1]
        if pending_prefix is not None:
            prefixes[pending_prefix] = iri
            pending_prefix = None
            out.append(text)
            continue
        out.append(_checked(iri, text, rename, expect_from_iri, extensions))
        expect_from_iri = False
    if position != len(query):
        raise QuerySyntaxError(f"the query does not lex at character {position}: {query[position:position + 20]!r}")
    if form is None:
        raise QuerySyntaxError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return Screened("".join(out), form, has_dataset)


def _checked(iri: str, text: str, rename: Callable[[str], str | None], in_from: bool,
             extensions: _Extensions) -> str:
    product = extensions.product_of(iri)
    if product is not None:
        raise QuerySyntaxError(f"{text} is a {product} extension and is refused")
    renamed = rename(iri)
    if in_from and renamed is None:
        raise QuerySyntaxError(f"FROM may name only this dataset's graphs, not {text}")
    return f"<{renamed}>" if renamed is not None else text

"""The keywords of a SPARQL text: bare words outside strings, IRIs, comments, variables and prefixed names.

Oxigraph's engine calls out over HTTP for ``SERVICE``; the embedded store
refuses any query that uses the keyword, and finding it must not be fooled by
the same letters inside a string, an IRI, a comment or a name. (Oxigraph does
not decode ``\\u`` escapes in keywords, so an escaped keyword is a syntax error,
not a way around this.)
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<bnode>_:[\w.-]*)
    | (?P<pname>(?:[^\W\d_][\w.-]*)?:[\w.:%\\-]*)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def keywords(query: str) -> set[str]:
    """The upper-cased bare words of ``query`` (SELECT, WHERE, SERVICE, function names, ...)."""
    return {m.group().upper() for m in _TOKEN.finditer(query) if m.lastgroup == "word"}


def uses_keyword(query: str, word: str) -> bool:
    """``word`` (upper case) is a keyword of ``query``; the lexer runs only when the letters occur at all."""
    return word in query.upper() and word in keywords(query)

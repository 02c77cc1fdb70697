"""SPARQL text read as tokens: the one lexer behind every check of a query's words.

Strings, IRIs, comments, variables, blank nodes and prefixed names are tokens of
their own, so a word inside them never counts as a keyword ("SERVICE" in a
string is no SERVICE). The embedded store looks for SERVICE and FROM, the
endpoint for the query form, the remote store's screen walks every token.
"""

from __future__ import annotations

import re

QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_PROLOGUE_SKIPPED = {"comment", "space", "iri", "pname"}

TOKEN = re.compile(r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
    | (?P<bnode>_:[\w\-.\u00B7-\uFFFF]*[\w\-\u00B7-\uFFFF])
    | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)?:(?:[\w\-:%.\u00B7-\uFFFF\\]*[\w\-:%\u00B7-\uFFFF])?)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>\S)
    | (?P<space>\s+)
""", re.VERBOSE | re.DOTALL)


def keywords(query: str) -> set[str]:
    """The upper-cased bare words of ``query`` (SELECT, WHERE, SERVICE, function names, ...)."""
    return {m.group().upper() for m in TOKEN.finditer(query) if m.lastgroup == "word"}


def uses_keyword(query: str, word: str) -> bool:
    """``word`` (upper case) is a keyword of ``query``; the lexer runs only when the letters occur at all.

    (Oxigraph does not decode ``\\u`` escapes in keywords, so an escaped keyword is a
    syntax error there, not a way around this.)
    """
    return word in query.upper() and word in keywords(query)


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE (any update operation), or None when it cannot tell.

    Reads only the prologue (BASE, PREFIX) and the first keyword, so it is cheap;
    the engine parses the whole query later and reports real syntax errors.
    """
    for match in TOKEN.finditer(query):
        kind = match.lastgroup
        if kind in _PROLOGUE_SKIPPED:
            continue
        word = match.group().upper() if kind == "word" else ""
        if word in ("BASE", "PREFIX"):
            continue
        if word in QUERY_FORMS:
            return word
        return "UPDATE" if word in UPDATE_WORDS else None
    return None


_OPENERS, _CLOSERS = "{([", "})]"


class TooDeep(ValueError):
    """The query nests deeper than the limit (the endpoint answers 400 before anything runs)."""


def nesting_depth(query: str) -> int:
    """How deep the query's groups, parentheses and brackets nest (``{ { } }`` is 2), outside strings, IRIs and
    comments. Oxigraph's parser and evaluator recurse once per level: a few thousand levels overflow the stack
    of the process that runs them, so the depth is checked before any of it runs."""
    depth = deepest = 0
    for match in TOKEN.finditer(query):
        if match.lastgroup != "other":
            continue
        char = match.group()
        if char in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
    return deepest


def check_nesting(query: str, limit: int) -> None:
    """Raise TooDeep when ``query`` nests deeper than ``limit`` (only lexed when it has that many opening
    brackets at all)."""
    if sum(query.count(c) for c in _OPENERS) <= limit:
        return
    depth = nesting_depth(query)
    if depth > limit:
        raise TooDeep(f"the query nests {depth} levels of groups or brackets deep; the limit is {limit} "
                      "(ICC_GRAPH_MAX_QUERY_DEPTH)")

"""A query that does not parse, explained: where (line, column, the line with a caret) and the usual fix.

The engine reports ``error at 1:29: expected one of Prefix not found, ['%'], ...``:
exact about the position, unreadable about the cause. The message keeps the
position, shows the place, and names the common mistakes in words.
"""

from __future__ import annotations

import re

from ...vocabulary.prefixes import PREDECLARED

_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_PREFIXED_NAME = re.compile(r"([A-Za-z][\w.-]*)?:[^\s]*$")
EXPECTED_SHOWN = 160     # characters of the engine's "expected ..." list worth showing
LIKELY_MEANT = {"dc": "dcterms", "dct": "dcterms", "sdo": "schema", "wgs": "geo"}   # prefix -> the one meant


def explain(query: str, engine_message: str) -> str:
    """The engine's syntax error as a person can act on it; the message unchanged when it names no position."""
    found = _POSITION.match(engine_message.strip())
    if not found:
        return engine_message
    line_no, column, expected = int(found.group(1)), int(found.group(2)), found.group(3)
    lines = query.splitlines() or [""]
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    hint = _hint(line[:max(0, column - 1)], expected)
    name = _PREFIXED_NAME.search(line[:max(0, column - 1)]) if "Prefix not found" in expected else None
    if name:
        column = name.start() + 1   # the engine stops after the name; the mistake is where it starts
    caret = " " * max(0, min(column, len(line) + 1) - 1) + "^"
    return (f"the query does not parse at line {line_no}, column {column}:\n"
            f"  {line}\n  {caret}\n{hint}")


def _hint(before: str, expected: str) -> str:
    if "Prefix not found" in expected:
        name = _PREFIXED_NAME.search(before)
        prefix = (name.group(1) or "") if name else ""
        known = ", ".join(f"{p}:" for p in PREDECLARED)
        if prefix in LIKELY_MEANT:
            meant = LIKELY_MEANT[prefix]
            return (f"hint: the prefix {prefix}: is not declared; this endpoint knows {meant}: "
                    f"<{PREDECLARED[meant]}>. Write {meant}: or add PREFIX {prefix}: <...> before the query.")
        return (f"hint: the prefix {prefix}: is not declared. Add PREFIX {prefix}: <namespace IRI> before the query; "
                f"these are declared already: {known}")
    expected = " ".join(expected.split())
    if len(expected) > EXPECTED_SHOWN:
        expected = expected[:EXPECTED_SHOWN].rsplit(",", 1)[0] + ", ..."
    return f"the parser {expected}" if expected.startswith("expected") else expected

"""Does a query look costly before it runs? A cheap reading of its text, so that an obvious runaway never takes the
query process kept for short queries (it goes to a long-query share from the start, or is refused at once).

Without this, every runaway query from a new client held the kept process for
the first second it ran, until it was known as a long one: fifty new clients at
once kept it busy for most of a minute (bench/RESULTS.md, "Runaway flood").

Two shapes are taken as costly, in any group ``{ }`` of the query:

- its triple patterns fall apart into two or more parts that share no variable:
  the engine joins them as a cross product (``?a ?b ?c . ?d ?e ?f``);
- two or more of its triple patterns name no fixed term at all (only variables):
  each matches every triple of the store.

It reads tokens (vocabulary.sparql_text, the one lexer) and never parses the
query: expressions in parentheses (FILTER, BIND, functions, path groups) are
skipped, VALUES data and solution modifiers too. It is a first filter, not a
proof: a costly query it misses is still stopped when it runs past
ICC_GRAPH_LONG_QUERY_SECONDS without a long-query share, and a cheap query it
flags still runs, on a long-query share, whenever one is free.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...vocabulary.sparql_text import TOKEN

_TERM_KINDS = {"var", "iri", "pname", "string", "bnode"}
_SKIP_NEXT_TERM = {"GRAPH", "SERVICE"}            # the graph's or the endpoint's name: not part of a pattern
_MODIFIERS = {"GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET"}   # a sub-select's, up to the end of its group


@dataclass
class _Group:
    data: bool = False                    # a VALUES block: no patterns
    patterns: list[tuple[set[str], bool]] = field(default_factory=list)   # (variables, names a fixed term)
    variables: set[str] = field(default_factory=set)
    fixed: bool = False
    terms: int = 0
    done: bool = False                    # past a sub-select's modifiers: nothing more to read here
    every_variable: set[str] = field(default_factory=set)   # its patterns' and its nested groups'

    def join(self, nested: _Group) -> None:
        """A nested group (GRAPH, OPTIONAL, UNION, a sub-select) is joined to this one on their shared variables."""
        if nested.every_variable:
            self.end_pattern()
            self.patterns.append((nested.every_variable, True))
            self.every_variable |= nested.every_variable

    def end_pattern(self) -> None:
        if self.terms:
            self.patterns.append((self.variables, self.fixed))
            self.every_variable |= self.variables
        self.variables, self.fixed, self.terms = set(), False, 0

    def costly(self) -> bool:
        self.end_pattern()
        unfixed = sum(not fixed for _, fixed in self.patterns)
        return unfixed >= 2 or _parts([variables for variables, _ in self.patterns if variables]) >= 2


def _parts(patterns: list[set[str]]) -> int:
    """How many groups of patterns share no variable with one another."""
    parts: list[set[str]] = []
    for variables in patterns:
        joined = [part for part in parts if part & variables]
        merged = set(variables).union(*joined)
        parts = [part for part in parts if not part & variables] + [merged]
    return len(parts)


def looks_costly(query: str) -> bool:
    groups: list[_Group] = []
    parentheses = 0
    skip_term = values_next = before_group = language = False
    for match in TOKEN.finditer(query):
        kind, text = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            continue
        group = groups[-1] if groups else None
        if group is None and kind == "word":
            # CONSTRUCT's template is a group of patterns it writes, not one it matches; CONSTRUCT WHERE's is both.
            values_next = text.upper() == "CONSTRUCT"
            continue
        if kind == "other" and text in "{}":
            if text == "{":
                groups.append(_Group(data=values_next or bool(group and group.data)))
                values_next = before_group = False
            elif groups:
                closed = groups.pop()
                if not closed.data and closed.costly():
                    return True
                if groups and not closed.data:
                    groups[-1].join(closed)   # what follows a nested group starts a new pattern
            continue
        if group is None or group.data or group.done or before_group:
            continue
        if kind == "other" and text in "()":
            parentheses += 1 if text == "(" else -1
            continue
        if parentheses > 0:
            continue
        if language:   # "chat"@fr: the tag belongs to the literal
            language = False
            if kind == "word":
                continue
        if kind == "other" and text == "@":
            language = True
            continue
        if kind == "word" and text not in ("a", "true", "false"):   # a keyword: the pattern ends there
            word = text.upper()
            group.end_pattern()
            skip_term = word in _SKIP_NEXT_TERM
            values_next = values_next or word == "VALUES"
            before_group = word == "SELECT"   # a sub-select's projection, up to its WHERE group
            group.done = word in _MODIFIERS
            continue
        if kind == "other" and text == "." and not query[match.end():match.end() + 1].isdigit():   # not 1.5
            group.end_pattern()
        elif kind in _TERM_KINDS or kind == "word" or (kind == "other" and text.isdigit()):
            if skip_term:
                skip_term = False
                continue
            if values_next:
                continue   # VALUES ?x { ... }: the variable names the data, it is no pattern
            group.terms += 1
            if kind == "var":
                group.variables.add(text[1:])
            else:
                group.fixed = True
    return False

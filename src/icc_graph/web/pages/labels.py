"""Picking the text to show from language-tagged literals: the request's languages first, then English."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from werkzeug.datastructures import LanguageAccept

from ...vocabulary.namespaces import SCHEMA

FALLBACK = "en"
# Where a resource's name is found, best first.
LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, SCHEMA.name, DCTERMS.title)


def pick_text(options: Iterable[tuple[str, str | None]], accept: LanguageAccept) -> tuple[str, str | None] | None:
    """The (text, language) in the language the request prefers, else English, else untagged, else any."""
    options = sorted(set(options), key=lambda o: (o[1] or "", o[0]))
    if len(options) <= 1:
        return options[0] if options else None
    tagged = {lang.lower(): (text, lang) for text, lang in options if lang}
    best = accept.best_match(list(tagged)) if tagged else None
    if best is not None:
        return tagged[best]
    if FALLBACK in tagged:
        return tagged[FALLBACK]
    untagged = [o for o in options if not o[1]]
    return untagged[0] if untagged else options[0]


def pick(literals: Iterable[Literal], accept: LanguageAccept) -> Literal | None:
    """The literal to show of ``literals`` (see pick_text)."""
    by_pair = {(str(lit), lit.language): lit for lit in literals if isinstance(lit, Literal)}
    chosen = pick_text(by_pair, accept)
    return by_pair[chosen] if chosen is not None else None


class Labeller:
    """Names the terms of one graph for one request."""

    def __init__(self, graph: Graph, accept: LanguageAccept, extra: dict[URIRef, list[Literal]] | None = None):
        self.graph, self.accept, self.extra = graph, accept, extra or {}
        self._names: dict = {}   # a big city names the same practices and themes hundreds of times

    def text(self, subject, predicate) -> str | None:
        lit = pick(self.graph.objects(subject, predicate), self.accept)
        return str(lit) if lit is not None else None

    def lang(self, subject, predicate) -> str | None:
        lit = pick(self.graph.objects(subject, predicate), self.accept)
        return lit.language if lit is not None else None

    def label(self, term) -> str:
        """The best name of ``term``; for an IRI without one, its last path segment."""
        if isinstance(term, Literal):
            return str(term)
        if term not in self._names:
            self._names[term] = self._find_label(term)
        return self._names[term]

    def _find_label(self, term) -> str:
        for prop in LABEL_PROPERTIES:
            lit = pick(self.graph.objects(term, prop), self.accept)
            if lit is not None:
                return str(lit)
        lit = pick(self.extra.get(term, ()), self.accept)
        if lit is not None:
            return str(lit)
        text = str(term)
        return text.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text

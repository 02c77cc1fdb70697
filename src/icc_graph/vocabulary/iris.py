"""The one place that knows icc-graph's IRI patterns (mapping and web both use it)."""

from __future__ import annotations

import re
import unicodedata

from rdflib import URIRef

# kind -> path template under the base IRI; the web app routes the same paths.
PATTERNS = {
    "practice": "practice/{}",
    "city": "city/{}",          # cities and districts share one pattern
    "country": "country/{}",    # lower-case ISO 3166-1 alpha-2
    "theme": "theme/{}",
    "scheme": "scheme/{}",
    "graph": "graph/{}",
    "agent": "agent/{}",
    "link": "link/{}--{}",              # a city link; the two place slugs sorted
    "similarity": "similarity/{}--{}",  # a practice similarity; the two practice slugs sorted
    "rule": "rule/{}",                  # a derivation rule of the links or themes stage (its plan: rule/{}#plan)
    "suggestion": "suggestion/{}--{}",  # a theme suggested for a practice: practice slug, theme slug
}
SINGLETONS = {"dataset": "dataset", "catalog": "catalog", "sparql": "sparql", "release": "release/{}"}
WIKIDATA = "http://www.wikidata.org/entity/{}"
DEFAULT_BASE = "https://w3id.org/icc-graph/"
# The ontology's IRI stays the same wherever the data is published: it names the vocabulary.
ONTOLOGY = DEFAULT_BASE + "ontology"


def slugify(text: str) -> str:
    """A slug like the ICC site's own: "Lisbon’s ethnic economy" -> "lisbons-ethnic-economy"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’‘`]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


class Minter:
    """Mints IRIs under one base, e.g. ``Minter(base).practice("district-mothers")``."""

    def __init__(self, base: str):
        if not base.endswith("/"):
            raise ValueError(f"the base IRI must end with '/': {base!r}")
        self.base = base

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def practice(self, slug: str) -> URIRef:
        return self._iri(PATTERNS["practice"].format(slug))

    def place(self, slug: str) -> URIRef:
        return self._iri(PATTERNS["city"].format(slug))

    def geometry(self, slug: str) -> URIRef:
        return self._iri(PATTERNS["city"].format(slug) + "#geometry")

    def country(self, iso2: str) -> URIRef:
        return self._iri(PATTERNS["country"].format(iso2.lower()))

    def theme(self, slug: str) -> URIRef:
        return self._iri(PATTERNS["theme"].format(slug))

    def scheme(self, slug: str) -> URIRef:
        return self._iri(PATTERNS["scheme"].format(slug))

    def graph(self, name: str) -> URIRef:
        return self._iri(PATTERNS["graph"].format(name))

    def agent(self, name: str) -> URIRef:
        return self._iri(PATTERNS["agent"].format(name))

    def city_link(self, a: str, b: str) -> URIRef:
        """The link between places ``a`` and ``b``: the same IRI whichever end comes first."""
        return self._iri(PATTERNS["link"].format(*sorted((a, b))))

    def similarity(self, a: str, b: str) -> URIRef:
        return self._iri(PATTERNS["similarity"].format(*sorted((a, b))))

    def suggestion(self, practice: str, theme: str) -> URIRef:
        return self._iri(PATTERNS["suggestion"].format(practice, theme))

    def rule(self, name: str) -> URIRef:
        return self._iri(PATTERNS["rule"].format(name))

    def plan(self, name: str) -> URIRef:
        """The method a rule's activity follows (a prov:Plan): a hash IRI, described on the rule's page."""
        return self._iri(PATTERNS["rule"].format(name) + "#plan")

    def dataset(self) -> URIRef:
        return self._iri(SINGLETONS["dataset"])

    def catalog(self) -> URIRef:
        return self._iri(SINGLETONS["catalog"])

    def sparql_service(self) -> URIRef:
        return self._iri(SINGLETONS["sparql"])

    def release(self, version: str) -> URIRef:
        return self._iri(SINGLETONS["release"].format(version))

    def local_path(self, iri: str) -> str | None:
        """The path of ``iri`` under the base ("practice/x"), or None when it is not ours."""
        return iri[len(self.base):] if iri.startswith(self.base) else None

    def rebase(self, iri: URIRef) -> URIRef:
        """Move an IRI written under the default base (themes.ttl) to this base; ontology terms stay."""
        if self.base == DEFAULT_BASE or not iri.startswith(DEFAULT_BASE) or iri.startswith(ONTOLOGY):
            return iri
        return URIRef(self.base + iri[len(DEFAULT_BASE):])

    @staticmethod
    def wikidata(qid: str) -> URIRef:
        return URIRef(WIKIDATA.format(qid))

"""The links stage: cross-city links derived from the records, in their own named graph (graph/links).

Three derivations, each named by a rule (``rule/<name>``, a prov:Activity whose
comment states how it works and which limits applied to this build; it uses a
plan, ``rule/<name>#plan``, a prov:Plan that carries the method's name and
threshold: PROV keeps activities and entities apart, and a plan is an entity):

- ``shared-themes`` (citylinks.py): two places whose practices share themes and
  whose theme profiles score at least the threshold get an icc:CityLink at
  ``link/<a>--<b>`` (slugs sorted) with both ends, the score (icc:linkScore),
  the number of shared themes (icc:weight), the themes, and the evidence
  practices (icc:evidence and prov:wasDerivedFrom); icc:linkedCity is stated
  both ways.
- ``tfidf-cosine`` (similarity.py): practices that share a theme and whose
  texts are alike get an icc:PracticeSimilarity at ``similarity/<a>--<b>``
  with an icc:score; icc:similarPractice is stated both ways.
- ``involved-cities``: a practice the source lists in several places gets
  icc:involvesCity for each of them.

Districts: a link names the district as the source does, not its city, and a
place is never linked to its own district. A district's links count for its
city when a query asks for it, by following schema:containedInPlace from the
link's ends (queries/city-links-with-districts.rq): the themes of the links
that passed the threshold, merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..vocabulary.iris import Minter
from ..vocabulary.terms import ICC
from .citylinks import MIN_SCORE, Limits, PlaceLink, city_links, involved_places, practice_places
from .mapping import describe_graph
from .records import Records
from .similarity import CANDIDATE_DF, METHOD, THRESHOLD, TOP_K, SimilarPair, similar_practices

SHARED_THEMES = "shared-themes"
INVOLVED_CITIES = "involved-cities"
LINKS_GRAPH = "links"


@dataclass
class DerivedLinks:
    """What the links stage derives, as plain values: the build turns it into triples chunk by chunk."""

    limits: Limits
    min_score: Decimal                      # the city links' threshold this build used
    city_links: list[PlaceLink]
    similar_pairs: list[SimilarPair]
    involved: list[tuple[str, str]]         # (practice slug, place slug)


def compute_links(records: Records, min_score: Decimal = MIN_SCORE) -> DerivedLinks:
    limits = Limits.for_places(len(practice_places(records)))
    return DerivedLinks(limits, min_score, city_links(records, limits=limits, min_score=min_score),
                        list(similar_practices(records.practices)), list(involved_places(records)))


def derive_links(records: Records, mint: Minter, into: Graph | None = None, min_score: Decimal = MIN_SCORE) -> Graph:
    """The links graph: rules, city links, practice similarities and involved cities.

    ``into`` receives the triples instead of a new graph. The build does not use this
    (it adds the same triples chunk by chunk, see chunks.py); tests and benchmarks do.
    """
    g = Graph() if into is None else into
    derived = compute_links(records, min_score)
    add_rules(g, mint, derived)
    names = place_names(records)
    for link in derived.city_links:
        add_city_link(g, mint, link, names)
        add_linked_cities(g, mint, link)
    for pair in derived.similar_pairs:
        add_similarity(g, mint, pair)
        add_similar_practices(g, mint, pair)
    for practice, place in derived.involved:
        add_involved_city(g, mint, practice, place)
    return g


def place_names(records: Records) -> dict[str, str]:
    return {place.slug: place.name for place in records.places}


def rules(derived: DerivedLinks) -> dict[str, tuple[str, str, object]]:
    """rule name -> (label, how it works, threshold or None)."""
    return {
        SHARED_THEMES: (
            "shared themes, scored by rarity",
            "Links two places (cities, or city districts as the source names them) whose practices share at least "
            "one curated theme (dcterms:subject) and whose score reaches the threshold (the plan's icc:threshold, "
            "the setting ICC_GRAPH_LINK_MIN_SCORE). icc:linkScore is the cosine of the two places' TF-IDF theme "
            "vectors: a place weighs a theme (1 + ln of its practices carrying it) x ln(places with practices / places "
            "holding the theme). An IDF-weighted overlap rather than a significance test against a null model: "
            "with one to a dozen practices per place, p-values are coarse and unstable, while the cosine is "
            "bounded (0 to 1), comparable between releases and explainable theme by theme. A theme every place "
            "holds weighs nothing and a rare one much; a place with many practices on many themes has a long "
            "vector, so one common theme shared with it counts for little. icc:weight keeps the raw number of "
            "shared themes; evidence lists the practices of each side that carry a shared theme. A place and its "
            "own district, or two districts of one city, are not linked (containment is "
            "schema:containedInPlace); a district's links count for its city through schema:containedInPlace. "
            "Suggested themes are not used. Scores are rounded to four decimal places. " + derived.limits.describe(),
            derived.min_score),
        METHOD: (
            "TF-IDF cosine similarity",
            "Practices that share at least one theme, compared by the cosine of their TF-IDF vectors (sublinear "
            "term frequency, smoothed IDF, L2-normalised) over title, summary and every template section. Only "
            f"pairs sharing a term found in at most {CANDIDATE_DF} practices are compared (an inverted index; "
            f"exhaustive while a release has no more practices). Pairs scoring at least {THRESHOLD} are kept, "
            f"each practice keeping its {TOP_K} best. Scores are rounded to four decimal places.", THRESHOLD),
        INVOLVED_CITIES: (
            "involved cities",
            "A practice that the source lists in several cities or districts involves each of them "
            "(icc:involvesCity).", None),
    }


def add_rules(g: Graph, mint: Minter, derived: DerivedLinks) -> None:
    for name, (label, comment, threshold) in rules(derived).items():
        rule, plan = mint.rule(name), mint.plan(name)
        g.add((rule, RDF.type, PROV.Activity))
        g.add((rule, RDFS.label, Literal(label, lang="en")))
        g.add((rule, RDFS.comment, Literal(comment, lang="en")))
        for graph in ("source", "curation"):
            g.add((rule, PROV.used, mint.graph(graph)))
        g.add((rule, PROV.used, plan))
        g.add((plan, RDF.type, PROV.Plan))
        g.add((plan, RDFS.label, Literal(f"{label}: the method", lang="en")))
        g.add((plan, ICC.method, Literal(name)))
        if threshold is not None:
            g.add((plan, ICC.threshold, Literal(threshold, datatype=XSD.decimal)))


def add_city_link(g: Graph, mint: Minter, link: PlaceLink, names: dict[str, str]) -> None:
    """The icc:CityLink resource (its own triples only)."""
    s = mint.city_link(link.a, link.b)
    a, b = mint.place(link.a), mint.place(link.b)
    g.add((s, RDF.type, ICC.CityLink))
    g.add((s, RDFS.label, Literal(f"{names[link.a]} – {names[link.b]}", lang="en")))
    g.add((s, ICC.linkEnd, a))
    g.add((s, ICC.linkEnd, b))
    g.add((s, ICC.weight, Literal(link.weight, datatype=XSD.integer)))
    g.add((s, ICC.linkScore, Literal(link.score, datatype=XSD.decimal)))
    g.add((s, ICC.method, Literal(SHARED_THEMES)))
    g.add((s, PROV.wasGeneratedBy, mint.rule(SHARED_THEMES)))
    for theme in link.themes:
        g.add((s, ICC.sharedTheme, mint.theme(theme)))
    for practice in link.evidence:
        g.add((s, ICC.evidence, mint.practice(practice)))
        g.add((s, PROV.wasDerivedFrom, mint.practice(practice)))


def add_linked_cities(g: Graph, mint: Minter, link: PlaceLink) -> None:
    """The shortcut both ways: triples about the places, so they travel with the places, not the link."""
    a, b = mint.place(link.a), mint.place(link.b)
    g.add((a, ICC.linkedCity, b))
    g.add((b, ICC.linkedCity, a))


def add_similarity(g: Graph, mint: Minter, pair: SimilarPair) -> None:
    """The icc:PracticeSimilarity resource (its own triples only)."""
    s = mint.similarity(pair.a, pair.b)
    a, b = mint.practice(pair.a), mint.practice(pair.b)
    g.add((s, RDF.type, ICC.PracticeSimilarity))
    g.add((s, ICC.linkEnd, a))
    g.add((s, ICC.linkEnd, b))
    g.add((s, ICC.score, Literal(pair.score, datatype=XSD.decimal)))
    g.add((s, ICC.method, Literal(METHOD)))
    g.add((s, PROV.wasGeneratedBy, mint.rule(METHOD)))
    for practice in (a, b):
        g.add((s, PROV.wasDerivedFrom, practice))
    for theme in pair.themes:
        g.add((s, ICC.sharedTheme, mint.theme(theme)))


def add_similar_practices(g: Graph, mint: Minter, pair: SimilarPair) -> None:
    a, b = mint.practice(pair.a), mint.practice(pair.b)
    g.add((a, ICC.similarPractice, b))
    g.add((b, ICC.similarPractice, a))


def add_involved_city(g: Graph, mint: Minter, practice: str, place: str) -> None:
    g.add((mint.practice(practice), ICC.involvesCity, mint.place(place)))


def describe_links_graph(records: Records, mint: Minter) -> Graph:
    """Statements about graph/links for the metadata graph, like those mapping makes for the other graphs."""
    g = Graph()
    describe_graph(g, mint, records.metadata, LINKS_GRAPH, [
        (RDFS.comment, Literal("Derived by the links stage: city links on shared themes, practice similarities "
                               "and the cities a practice involves.", lang="en")),
        *((PROV.wasGeneratedBy, mint.rule(name)) for name in (SHARED_THEMES, METHOD, INVOLVED_CITIES))])
    return g

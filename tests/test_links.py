"""The links stage: hand-checked city links and similarities on the seed data, their invariants, and the export."""

from __future__ import annotations

import math
import re
from collections import Counter
from decimal import Decimal

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS, XSD

from icc_graph.build.citylinks import MIN_SCORE, Limits, city_links, involved_places, practice_places
from icc_graph.build.links import LINKS_GRAPH, derive_links
from icc_graph.build.similarity import THRESHOLD, practice_text, similar_practices
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter
from icc_graph.vocabulary.namespaces import SCHEMA
from icc_graph.vocabulary.terms import ICC

from .conftest import DATA, ROOT, records_of

MINT = Minter(DEFAULT_BASE)


@pytest.fixture(scope="module")
def release_links(seed_dataset) -> Graph:
    """The links graph as published in the seed release's TriG dump."""
    return seed_dataset.graph(MINT.graph(LINKS_GRAPH))


@pytest.fixture(scope="module")
def release_union(seed_dataset) -> Graph:
    """Every graph of the seed release in one (a copy: tests may change it)."""
    g = Graph()
    for context in seed_dataset.graphs():
        g += context
    return g


def by_pair(links):
    return {(link.a, link.b): link for link in links}


# --- hand-checked on data/practices/*.yaml (curation.themes) ----------------------------------

# Leeds runs community-connector-project (welcoming, public-and-community-services) and the
# employment-and-skills programme (business-and-employment, education).
LEEDS = {
    "auckland": ("public-and-community-services", "welcoming-and-social-integration"),
    "berlin": ("welcoming-and-social-integration",),
    "berlin-neukolln": ("public-and-community-services", "welcoming-and-social-integration"),
    "erlangen": ("business-and-employment",),
    "lisbon": ("business-and-employment",),
    "oslo": ("education",),
    "reggio-emilia": ("public-and-community-services", "welcoming-and-social-integration"),
    "stavanger": ("business-and-employment", "welcoming-and-social-integration"),
}
LEEDS_PRACTICES = {"community-connector-project",
                   "employment-and-skills-adult-learning-programme-build-programme-leeds-anchors-network"}


def test_leeds_candidates_are_the_ones_computed_by_hand(seed_records):
    links = [link for link in city_links(seed_records, min_score=Decimal(0)) if "leeds" in (link.a, link.b)]
    found = {(link.b if link.a == "leeds" else link.a): link.themes for link in links}
    assert found == LEEDS
    stavanger = by_pair(links)[("leeds", "stavanger")]
    assert stavanger.weight == 2
    assert set(stavanger.evidence) == LEEDS_PRACTICES | {"welcoming-internationals-to-the-city"}


def theme_vector(records, place: str) -> dict[str, float]:
    """Plain Python: (1 + ln practices on the theme) x ln(places / places holding it), unit length."""
    places = practice_places(records)
    holders = Counter(t for ps in places.values() for t in {t for p in ps for t in p.themes})
    counts = Counter(t for p in places[place] for t in set(p.themes))
    v = {t: (1 + math.log(c)) * math.log(len(places) / holders[t]) for t, c in counts.items()}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1
    return {t: x / norm for t, x in v.items()}


def test_scores_are_the_idf_weighted_cosine_recomputed_by_hand(seed_records):
    candidates = city_links(seed_records, min_score=Decimal(0))
    for link in candidates:
        a, b = theme_vector(seed_records, link.a), theme_vector(seed_records, link.b)
        assert link.score == Decimal(f"{sum(x * b.get(t, 0) for t, x in a.items()):.4f}").normalize(), link
    scores = by_pair(candidates)
    # Leeds and Stavanger share business and welcoming; Leeds and Berlin only welcoming, which six of the
    # fourteen places hold, beside Berlin's refugees: a weak link.
    assert scores[("leeds", "stavanger")].score > MIN_SCORE > scores[("berlin", "leeds")].score


def test_the_threshold_keeps_the_strong_links_only(seed_records):
    kept = by_pair(city_links(seed_records))
    candidates = by_pair(city_links(seed_records, min_score=Decimal(0)))
    assert set(kept) == {pair for pair, link in candidates.items() if link.score >= MIN_SCORE}
    assert len(candidates) == 37 and len(kept) == 20
    leeds = {(b if a == "leeds" else a) for a, b in kept if "leeds" in (a, b)}
    assert leeds == {"auckland", "erlangen", "lisbon", "oslo", "reggio-emilia", "stavanger"}
    assert set(city_links(seed_records, min_score=Decimal("0.5"))) < set(kept.values())


def test_oslo_and_reggio_emilia_share_no_topic(seed_records):
    # Oslo: education, anti-discrimination; Reggio Emilia: leadership, openness, welcoming, refugees, services.
    assert ("oslo", "reggio-emilia") not in by_pair(city_links(seed_records, min_score=Decimal(0)))


def test_no_place_is_linked_to_its_own_district_or_two_districts_of_a_city(seed_records, data_copy):
    candidates = by_pair(city_links(seed_records, min_score=Decimal(0)))
    assert "london" not in {end for pair in candidates for end in pair}   # London runs no practice itself
    assert ("london-lewisham", "melitopol") in candidates                # leadership-and-political-commitment
    assert ("berlin", "berlin-neukolln") not in candidates                # they share welcoming: containment
    # A second Berlin district running the same themes as Neukölln is linked to neither Berlin nor Neukölln.
    places = yaml.safe_load((data_copy / "places.yaml").read_text(encoding="utf-8"))
    places["districts"].append({"slug": "berlin-mitte", "name": "Berlin-Mitte", "city": "berlin"})
    (data_copy / "places.yaml").write_text(yaml.safe_dump(places, allow_unicode=True), encoding="utf-8")
    path = data_copy / "practices" / "district-mothers.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["source"]["cities"] = ["Berlin-Mitte"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    pairs = by_pair(city_links(records_of(data_copy), min_score=Decimal(0)))
    assert any("berlin-mitte" in pair for pair in pairs)
    assert not {("berlin", "berlin-mitte"), ("berlin-mitte", "berlin-neukolln"), ("berlin", "berlin-neukolln")} & \
        set(pairs)


def test_roll_up_counts_districts_for_their_city(seed_records):
    rolled = by_pair(city_links(seed_records, roll_up=True, min_score=Decimal(0)))
    # Berlin with Berlin-Neukölln: refugees, welcoming (Berlin) + services, participation, health, gender (Neukölln).
    assert rolled[("berlin", "reggio-emilia")].themes == (
        "public-and-community-services", "refugees", "welcoming-and-social-integration")
    assert rolled[("berlin", "leeds")].themes == ("public-and-community-services", "welcoming-and-social-integration")
    # Neukölln and Lewisham both run political-and-public-participation practices.
    assert rolled[("berlin", "london")].evidence == ("local-assemblies", "nachbarschaftsheim-neukolln", "young-mayor")
    assert not any("berlin-neukolln" in pair or "london-lewisham" in pair for pair in rolled)
    assert ("berlin", "berlin") not in rolled


# --- invariants of the published links graph ----------------------------------------------------

def slug(iri, kind: str) -> str:
    return str(iri)[len(str(MINT.base)) + len(kind) + 1:]


def test_linked_city_is_symmetric_and_never_a_self_link(release_links):
    pairs = set(release_links.subject_objects(ICC.linkedCity))
    assert pairs
    assert all((b, a) in pairs for a, b in pairs)
    assert all(a != b for a, b in pairs)
    assert set(release_links.subject_objects(ICC.similarPractice)) == \
        {(b, a) for a, b in release_links.subject_objects(ICC.similarPractice)}


def test_every_link_has_two_ends_matching_its_iri_and_its_shortcut(release_links):
    links = list(release_links.subjects(RDF.type, ICC.CityLink))
    assert len(links) == 20
    for link in links:
        a, b = sorted(release_links.objects(link, ICC.linkEnd))
        assert a != b
        assert link == MINT.city_link(slug(b, "city"), slug(a, "city"))
        assert (a, ICC.linkedCity, b) in release_links
        assert release_links.value(link, ICC.weight) == Literal(len(set(release_links.objects(link, ICC.sharedTheme))),
                                                                datatype=XSD.integer)
        assert release_links.value(link, PROV.wasGeneratedBy) == MINT.rule("shared-themes")
        score = release_links.value(link, ICC.linkScore)
        assert score.datatype == XSD.decimal and MIN_SCORE <= score.toPython() <= 1
        assert set(release_links.objects(link, PROV.wasDerivedFrom)) == set(release_links.objects(link, ICC.evidence))


def test_evidence_really_shares_what_each_link_says(release_links, release_union):
    for link in release_links.subjects(RDF.type, ICC.CityLink):
        ends = set(release_links.objects(link, ICC.linkEnd))
        themes = set(release_links.objects(link, ICC.sharedTheme))
        evidence = set(release_links.objects(link, ICC.evidence))
        assert themes and evidence
        for practice in evidence:
            assert set(release_union.objects(practice, SCHEMA.spatialCoverage)) & ends, practice
            assert set(release_union.objects(practice, DCTERMS.subject)) & themes, practice
        # Each shared theme is carried by an evidence practice at each end (the seed is below every limit).
        for theme in themes:
            for end in ends:
                assert any((p, DCTERMS.subject, theme) in release_union
                           and (p, SCHEMA.spatialCoverage, end) in release_union for p in evidence), (link, theme, end)


def test_evidence_is_every_practice_that_carries_a_shared_theme(seed_records):
    places = practice_places(seed_records)
    for link in city_links(seed_records, min_score=Decimal(0)):
        expected = {p.slug for end in (link.a, link.b) for p in places[end] if set(p.themes) & set(link.themes)}
        assert set(link.evidence) == expected


def test_links_are_the_same_on_every_build(seed_records, release_links):
    first, second = derive_links(seed_records, MINT), derive_links(seed_records, MINT)
    assert sorted(first.serialize(format="nt").splitlines()) == sorted(second.serialize(format="nt").splitlines())
    assert set(first) == set(release_links)


def test_results_do_not_depend_on_record_order(seed_records):
    reordered = type(seed_records)(seed_records.metadata, seed_records.countries, seed_records.places,
                                   tuple(reversed(seed_records.practices)), seed_records.themes)
    assert city_links(reordered) == city_links(seed_records)
    assert similar_practices(reordered.practices) == similar_practices(seed_records.practices)


# --- practice similarity ---------------------------------------------------------------------------

def test_similar_practices_on_the_seed(seed_records):
    pairs = {(p.a, p.b): p for p in similar_practices(seed_records.practices)}
    assert set(pairs) == {("community-connector-project", "nachbarschaftsheim-neukolln"),
                          ("first-welcome", "welcoming-internationals-to-the-city")}
    assert pairs[("first-welcome", "welcoming-internationals-to-the-city")].themes == \
        ("welcoming-and-social-integration",)
    assert pairs[("community-connector-project", "nachbarschaftsheim-neukolln")].themes == \
        ("public-and-community-services",)
    assert all(p.score >= THRESHOLD for p in pairs.values())


def test_score_is_the_tfidf_cosine_recomputed_by_hand(seed_records):
    """An independent, plain-Python TF-IDF gives the published score to four places."""
    from icc_graph.build.similarity import MAX_DF, STOP_WORDS

    docs = {p.slug: [t for t in re.findall(r"[^\W\d_]{3,}", practice_text(p).lower()) if t not in STOP_WORDS]
            for p in seed_records.practices}
    n = len(docs)
    df = Counter(t for tokens in docs.values() for t in set(tokens))

    def vector(tokens):
        counts = Counter(tokens)
        v = {t: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in counts.items()
             if df[t] <= MAX_DF * n}
        norm = math.sqrt(sum(x * x for x in v.values()))
        return {t: x / norm for t, x in v.items()}

    a, b = vector(docs["first-welcome"]), vector(docs["welcoming-internationals-to-the-city"])
    cosine = sum(x * b.get(t, 0) for t, x in a.items())
    published = {(p.a, p.b): p.score for p in similar_practices(seed_records.practices)}
    assert published[("first-welcome", "welcoming-internationals-to-the-city")] == Decimal(f"{cosine:.4f}")


def test_scores_are_decimals_in_range_and_the_rule_names_method_and_threshold(release_links):
    sims = list(release_links.subjects(RDF.type, ICC.PracticeSimilarity))
    assert len(sims) == 2
    for s in sims:
        score = release_links.value(s, ICC.score)
        assert score.datatype == XSD.decimal and 0 <= score.toPython() <= 1
        assert len(str(score).split(".")[-1]) <= 4
        assert str(release_links.value(s, ICC.method)) == "tfidf-cosine"
    rule, plan = MINT.rule("tfidf-cosine"), MINT.plan("tfidf-cosine")
    assert (rule, RDF.type, PROV.Activity) in release_links
    # The activity uses a plan (an entity) that carries the method: PROV keeps activities and entities apart.
    assert (rule, PROV.used, plan) in release_links and (plan, RDF.type, PROV.Plan) in release_links
    assert str(release_links.value(plan, ICC.method)) == "tfidf-cosine"
    assert release_links.value(plan, ICC.threshold) == Literal(THRESHOLD, datatype=XSD.decimal)
    assert release_links.value(rule, ICC.method) is None


# --- practices in several places -----------------------------------------------------------------

def test_a_practice_listed_in_two_cities_involves_both_and_links_them(data_copy):
    path = data_copy / "practices" / "first-welcome.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["source"]["cities"] = ["Reggio Emilia", "Turin"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    records = records_of(data_copy)
    assert involved_places(records) == [("first-welcome", "reggio-emilia"), ("first-welcome", "turin")]
    g = derive_links(records, MINT)
    assert set(g.objects(MINT.practice("first-welcome"), ICC.involvesCity)) == \
        {MINT.place("reggio-emilia"), MINT.place("turin")}
    assert set(g.subjects(ICC.involvesCity, None)) == {MINT.practice("first-welcome")}
    link = MINT.city_link("turin", "reggio-emilia")
    assert (link, ICC.evidence, MINT.practice("first-welcome")) in g
    assert (link, ICC.sharedTheme, MINT.theme("refugees")) in g


# --- limits at scale -------------------------------------------------------------------------------

def test_limits_keep_the_strongest_links_and_bound_the_evidence(seed_records):
    limits = Limits(posting=3, per_place=2, evidence=1)
    full = by_pair(city_links(seed_records))
    limited = city_links(seed_records, limits=limits)
    assert limited and len(limited) < len(full)
    degree = Counter(end for pair in full for end in pair)
    for link in limited:
        assert set(link.themes) == set(full[(link.a, link.b)].themes)      # themes are never cut
        assert set(link.evidence) <= set(full[(link.a, link.b)].evidence)
        assert len(link.evidence) <= 2 * link.weight
    # A place with at most per_place links keeps them all (its own top links).
    for (a, b) in full:
        if degree[a] <= 2 and degree[b] <= 2:
            assert (a, b) in by_pair(limited)
    assert Limits.for_places(10) == Limits(None, None, None)


# --- shapes ----------------------------------------------------------------------------------------

SHAPES = ROOT / "shapes" / "links.ttl"
ICSH = "https://w3id.org/icc-graph/shapes#"


def failing_shapes(data: Graph) -> set[str]:
    import pyshacl

    conforms, report, _ = pyshacl.validate(data, shacl_graph=Graph().parse(SHAPES))
    sh = "http://www.w3.org/ns/shacl#"
    found = set()
    for result in report.subjects(RDF.type, URIRef(sh + "ValidationResult")):
        for key in ("sourceShape", "sourceConstraint"):
            for shape in report.objects(result, URIRef(sh + key)):
                if str(shape).startswith(ICSH):
                    found.add(str(shape)[len(ICSH):])
    assert conforms == (not found)
    return found


def test_links_of_the_seed_conform_to_the_shapes(release_union):
    assert failing_shapes(release_union) == set()


def link_within_berlin(g: Graph) -> None:
    link = MINT.city_link("berlin", "berlin-neukolln")
    for triple in ((link, RDF.type, ICC.CityLink), (link, ICC.linkEnd, MINT.place("berlin")),
                   (link, ICC.linkEnd, MINT.place("berlin-neukolln"))):
        g.add(triple)


BROKEN = {
    "self link": (lambda g, link: g.add((MINT.place("oslo"), ICC.linkedCity, MINT.place("oslo"))),
                  "NoSelfLinkedCity"),
    "zero weight": (lambda g, link: g.set((link, ICC.weight, Literal(0))), "CityLinkWeight"),
    "no score": (lambda g, link: g.remove((link, ICC.linkScore, None)), "CityLinkScore"),
    "score below the plan's threshold": (lambda g, link: g.set((link, ICC.linkScore, Literal(Decimal("0.1"),
                                                                datatype=XSD.decimal))), "LinkBelowThreshold"),
    "a city linked to its own district": (lambda g, link: link_within_berlin(g), "LinkWithinACity"),
    "third end": (lambda g, link: g.add((link, ICC.linkEnd, MINT.place("turin"))), "CityLinkEnds"),
    "evidence not a practice": (lambda g, link: g.add((link, ICC.evidence, MINT.place("turin"))),
                                "CityLinkEvidence"),
    "country linked": (lambda g, link: g.add((MINT.place("oslo"), ICC.linkedCity, MINT.country("NO"))),
                       "LinkedPlaceContained"),
    "score above 1": (lambda g, link: g.set((MINT.similarity("first-welcome", "welcoming-internationals-to-the-city"),
                                             ICC.score, Literal(Decimal("1.5"), datatype=XSD.decimal))),
                      "SimilarityScore"),
    "no rule": (lambda g, link: g.remove((link, PROV.wasGeneratedBy, None)), "LinkRule"),
    "theme not a concept": (lambda g, link: g.add((link, ICC.sharedTheme, MINT.place("turin"))), "CityLinkTheme"),
    "practice similar to itself": (lambda g, link: g.add((MINT.practice("young-mayor"), ICC.similarPractice,
                                                          MINT.practice("young-mayor"))), "NoSelfSimilarPractice"),
    "rule unexplained": (lambda g, link: g.remove((MINT.rule("shared-themes"), RDFS.comment, None)), "RuleComment"),
    "similar to a city": (lambda g, link: g.add((MINT.practice("young-mayor"), ICC.similarPractice,
                                                 MINT.place("turin"))), "SimilarPracticeEnd"),
    # A country is a geo:Feature too: each of these used to pass.
    "country as a link end": (lambda g, link: (g.remove((link, ICC.linkEnd, MINT.place("stavanger"))),
                                               g.add((link, ICC.linkEnd, MINT.country("NO")))), "CityLinkEnds"),
    "country as an involved city": (lambda g, link: (g.add((MINT.practice("young-mayor"), ICC.involvesCity,
                                                            MINT.place("oslo"))),
                                                     g.add((MINT.practice("young-mayor"), ICC.involvesCity,
                                                            MINT.country("NO")))), "InvolvedCities"),
    "country linked from a city": (lambda g, link: g.add((MINT.place("oslo"), ICC.linkedCity, MINT.country("NO"))),
                                   "LinkedPlace"),
    "one involved city": (lambda g, link: g.add((MINT.practice("young-mayor"), ICC.involvesCity,
                                                 MINT.place("oslo"))), "InvolvedCities"),
    "a city involves a city": (lambda g, link: (g.add((MINT.place("oslo"), ICC.involvesCity, MINT.place("turin"))),
                                                g.add((MINT.place("oslo"), ICC.involvesCity, MINT.place("leeds")))),
                               "InvolvingPractice"),
    "not derived from practices": (lambda g, link: g.remove((link, PROV.wasDerivedFrom, None)),
                                   "CityLinkDerivedFrom"),
    "no method": (lambda g, link: g.remove((link, ICC.method, None)), "LinkMethod"),
    "two labels": (lambda g, link: g.add((link, RDFS.label, Literal("Another", lang="en"))), "LinkLabel"),
    "similarity to a city": (lambda g, link: g.add((SIMILARITY, ICC.linkEnd, MINT.place("turin"))),
                             "SimilarityEnds"),
    "similarity theme not a concept": (lambda g, link: g.add((SIMILARITY, ICC.sharedTheme, MINT.place("turin"))),
                                       "SimilarityTheme"),
    "similarity from one practice": (lambda g, link: g.remove((SIMILARITY, PROV.wasDerivedFrom,
                                                               MINT.practice("first-welcome"))),
                                     "SimilarityDerivedFrom"),
    "rule not an activity": (lambda g, link: g.remove((MINT.rule("shared-themes"), RDF.type, PROV.Activity)),
                             "RuleType"),
    "rule unlabelled": (lambda g, link: g.remove((MINT.rule("involved-cities"), RDFS.label, None)), "RuleLabel"),
    "rule without its plan": (lambda g, link: g.remove((MINT.rule("tfidf-cosine"), PROV.used,
                                                        MINT.plan("tfidf-cosine"))), "RulePlan"),
    "plan without a method": (lambda g, link: g.remove((MINT.plan("shared-themes"), ICC.method, None)),
                              "PlanMethod"),
    "plan with a text threshold": (lambda g, link: g.set((MINT.plan("tfidf-cosine"), ICC.threshold,
                                                          Literal("0.1"))), "PlanThreshold"),
}
SIMILARITY = MINT.similarity("first-welcome", "welcoming-internationals-to-the-city")


def test_every_link_shape_has_a_case_that_fires_it():
    shapes = Graph().parse(SHAPES)
    named = {str(s)[len(ICSH):] for kind in (SH.PropertyShape, SH.SPARQLConstraint)
             for s in shapes.subjects(RDF.type, kind)}
    assert named - {shape for _, shape in BROKEN.values()} == set()


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_links_trigger_the_named_shape(release_union, case):
    change, shape = BROKEN[case]
    g = Graph()
    g += release_union
    change(g, MINT.city_link("leeds", "stavanger"))
    assert shape in failing_shapes(g)


def test_themes_link_to_index_areas_as_the_oslo_query_says(release_union):
    # Oslo's education -> Index Education, broader "The city through an intercultural lens";
    # Reggio Emilia's public services -> Index Public services, broader the same area.
    area = MINT.theme("index-the-city-through-an-intercultural-lens")
    for topic, index in (("education", "index-education"), ("public-and-community-services", "index-public-services")):
        assert (MINT.theme(topic), SKOS.closeMatch, MINT.theme(index)) in release_union
        assert (MINT.theme(index), SKOS.broader, area) in release_union


def test_the_release_gate_runs_the_link_shapes_under_another_base(tmp_path):
    """Through the validation module (shapes rebased, no SHACL-AF), a self link stops the release."""
    from icc_graph.build.progress import Progress

    from .conftest import settings_for
    from .reference_pipeline import build_graph, validate

    settings = settings_for(DATA, tmp_path, base_iri="http://example.org/icc/")
    records, dataset = build_graph(settings, Progress(enabled=False))
    mint = Minter(settings.base_iri)
    assert validate(records, dataset, mint, DATA).conforms
    oslo = mint.place("oslo")
    dataset.graph(mint.graph(LINKS_GRAPH)).add((oslo, ICC.linkedCity, oslo))
    validation = validate(records, dataset, mint, DATA)
    assert not validation.conforms
    assert {str(f.shape) for f in validation.violations} == {"https://w3id.org/icc-graph/shapes#NoSelfLinks"}


def test_packed_sort_orders_like_lexsort_with_ties():
    import numpy as np

    from icc_graph.build.citylinks import _order

    rng = np.random.default_rng(7)
    keys = [rng.integers(-5, 5, 2000), rng.integers(0, 3, 2000), rng.integers(0, 1 << 20, 2000)]
    assert (_order(*keys) == np.lexsort(keys[::-1])).all()
    wide = [rng.integers(0, 1 << 40, 50), rng.integers(0, 1 << 40, 50)]     # too wide to pack: lexsort
    assert (_order(*wide) == np.lexsort(wide[::-1])).all()


def test_at_scale_candidates_and_links_grow_with_places_not_with_their_square(tmp_path):
    """Synthetic data above the exhaustive limit: counts of what the inverted indexes propose and keep."""
    import sys

    import numpy as np

    from icc_graph.build import citylinks, similarity

    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import write_data

    records = records_of(write_data(tmp_path / "data", 2500, seed=3))
    places = practice_places(records)
    assert len(places) > citylinks.EXHAUSTIVE_PLACES
    limits = Limits.for_places(len(places))
    themes = sorted({t for ps in places.values() for p in ps for t in p.themes})
    counts = np.array([[sum(t in p.themes for p in ps) for t in themes] for ps in places.values()])
    candidates = len(citylinks._candidate_pairs(counts, limits.posting)[0])
    holders = int((counts > 0).sum())
    assert candidates <= holders * limits.posting          # linear in (place, theme) pairs
    assert candidates < len(places) * (len(places) - 1) // 2
    links = city_links(records)
    assert len(links) <= limits.per_place * len(places)
    for link in links:
        assert len(link.evidence) <= 2 * limits.evidence * link.weight
    pairs = similar_practices(records.practices)
    assert len(pairs) <= similarity.TOP_K * len(records.practices)
    assert all(p.score >= THRESHOLD and p.themes for p in pairs)

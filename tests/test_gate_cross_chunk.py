"""The SPARQL constraints that join a chunk of links with the context chunk fire in the chunked release gate.

A chunk of city links holds no place's containment and no rule's threshold: without the context's
triples, a link between a city and its own district, or one scored below the rule's threshold, passed
the release gate and was caught only by a whole-graph validation.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from rdflib.namespace import SH

from icc_graph.build.chunks import build_quads
from icc_graph.build.citylinks import PlaceLink
from icc_graph.build.datadir import read_records
from icc_graph.build.gate import SHAPES_NS
from icc_graph.build.links import DerivedLinks, compute_links
from icc_graph.build.mapping import theme_slugs, vocabulary_graph
from icc_graph.build.suggestions import compute_suggestions
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter

from .conftest import ROOT

MINT = Minter(DEFAULT_BASE)


def _sparql_findings(edit) -> tuple[DerivedLinks, set[tuple[str, str, str]]]:
    """The links as edited, and the gate's SPARQL findings as (shape, focus, value)."""
    vocabulary = vocabulary_graph(MINT)
    records = read_records(ROOT / "data", theme_slugs(vocabulary, MINT))
    derived = edit(compute_links(records))
    quads = build_quads(records, MINT, vocabulary, derived, compute_suggestions(records, vocabulary, MINT),
                        ROOT / "data")
    try:
        return derived, {(str(f.shape).removeprefix(str(SHAPES_NS)), str(f.focus), str(f.value))
                         for f in quads.validation.findings if f.component == SH.SPARQLConstraintComponent}
    finally:
        quads.close()


def test_the_seed_release_has_no_cross_chunk_finding():
    assert _sparql_findings(lambda derived: derived)[1] == set()


def test_a_link_inside_a_city_and_a_link_below_the_threshold_are_refused():
    def broken(derived: DerivedLinks) -> DerivedLinks:
        sound = derived.city_links[0]
        below = dataclasses.replace(sound, score=derived.min_score - Decimal("0.01"))
        inside = PlaceLink("berlin", "berlin-neukolln", sound.themes, sound.evidence, sound.score)
        return dataclasses.replace(derived, city_links=[below, inside, *derived.city_links[1:]])

    derived, findings = _sparql_findings(broken)
    rule, below = str(MINT.rule("shared-themes")), derived.city_links[0]
    assert findings == {
        ("CityLinkAboveThreshold", rule, str(MINT.city_link(below.a, below.b))),
        ("NoLinkWithinACity", rule, str(MINT.city_link("berlin", "berlin-neukolln"))),
    }

"""Theme suggestions as RDF, in their own named graph (graph/suggestions), apart from curated themes.

Each suggestion is a qualified statement, never a dcterms:subject:

    <suggestion/<practice>--<theme>> a icc:ThemeSuggestion ;
        icc:suggestedFor <practice/...> ; icc:suggestedTheme <theme/...> ;
        icc:confidence 0.21 ; prov:wasGeneratedBy <rule/tfidf-centroid> .

The rule (a prov:Activity, like the links stage's) says how the suggester works
and that it used the source, curation and vocabulary graphs and its plan
(``rule/tfidf-centroid#plan``, a prov:Plan), which names the method, the lowest
confidence published (icc:threshold) and the model's version (icc:modelVersion).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..vocabulary.iris import Minter
from ..vocabulary.terms import ICC
from .mapping import describe_graph
from .records import Records
from .suggest import METHOD, MIN_CONFIDENCE, RELATIVE, TOP, Suggestion, suggest_themes

SUGGESTIONS_GRAPH = "suggestions"
RULE_COMMENT = (
    "Suggests themes of the topics scheme for each practice that curation gives none; curated themes always win "
    "and a suggestion is never a dcterms:subject. Nearest centroid over TF-IDF vectors (sublinear term frequency, "
    "smoothed IDF, the tokenizer of the practice similarity): a topic's profile is the normalised sum of the "
    "vectors of its scheme text (labels in every language, definition, notes, and the labels of the Index areas it "
    "matches) and of every curated practice carrying it; icc:confidence is the cosine between a practice's text "
    "(title, summary, every template section) and the profile. Chosen over a language model because it needs no "
    "download and nothing from the network, is deterministic, fast at 100k practices, treats every language of the "
    "database alike and can be explained word by word. A practice gets its best topic and up to "
    f"{TOP - 1} more whose confidence is at least {RELATIVE:.0%} of the best's and at least the threshold. "
    "Leave-one-out precision and recall are in bench/RESULTS.md. A curator accepts a suggestion by adding the "
    "theme to the practice's curation.themes (`icc-graph themes suggest` lists them).")


@dataclass(frozen=True)
class SuggestedThemes:
    """What the themes stage derives, as plain values."""

    model_version: str
    suggestions: list[Suggestion]


def compute_suggestions(records: Records, vocabulary: Graph, mint: Minter) -> SuggestedThemes:
    return SuggestedThemes(*suggest_themes(records.practices, vocabulary, mint))


def add_suggestion_rule(g: Graph, mint: Minter, suggested: SuggestedThemes) -> None:
    rule, plan = mint.rule(METHOD), mint.plan(METHOD)
    label = "theme suggestion by TF-IDF nearest centroid"
    g.add((rule, RDF.type, PROV.Activity))
    g.add((rule, RDFS.label, Literal(label, lang="en")))
    g.add((rule, RDFS.comment, Literal(RULE_COMMENT, lang="en")))
    for graph in ("source", "curation", "vocabulary"):
        g.add((rule, PROV.used, mint.graph(graph)))
    g.add((rule, PROV.used, plan))
    g.add((plan, RDF.type, PROV.Plan))
    g.add((plan, RDFS.label, Literal(f"{label}: the method", lang="en")))
    g.add((plan, ICC.method, Literal(METHOD)))
    g.add((plan, ICC.modelVersion, Literal(suggested.model_version)))
    g.add((plan, ICC.threshold, Literal(MIN_CONFIDENCE, datatype=XSD.decimal)))


def add_suggestion(g: Graph, mint: Minter, s: Suggestion) -> None:
    node = mint.suggestion(s.practice, s.theme)
    g.add((node, RDF.type, ICC.ThemeSuggestion))
    g.add((node, ICC.suggestedFor, mint.practice(s.practice)))
    g.add((node, ICC.suggestedTheme, mint.theme(s.theme)))
    g.add((node, ICC.confidence, Literal(s.confidence, datatype=XSD.decimal)))
    g.add((node, PROV.wasGeneratedBy, mint.rule(METHOD)))


def describe_suggestions_graph(records: Records, mint: Minter) -> Graph:
    """Statements about graph/suggestions for the metadata graph."""
    g = Graph()
    describe_graph(g, mint, records.metadata, SUGGESTIONS_GRAPH, [
        (RDFS.comment, Literal("Themes suggested by the build for practices that curation gives none, for "
                               "curators to review; never dcterms:subject.", lang="en")),
        (PROV.wasGeneratedBy, mint.rule(METHOD))])
    return g


def suggestions_graph(records: Records, mint: Minter, suggested: SuggestedThemes, into: Graph | None = None) -> Graph:
    """The whole graph/suggestions at once (tests and the small-data build; the release adds it chunk by chunk)."""
    g = Graph() if into is None else into
    add_suggestion_rule(g, mint, suggested)
    for s in suggested.suggestions:
        add_suggestion(g, mint, s)
    return g

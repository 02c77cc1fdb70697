"""Theme suggestions: what the suggester proposes and why, how the release publishes it, and the curator's view."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, SH, XSD

from icc_graph.build.gate import SHAPES_NS, run_shapes
from icc_graph.build.mapping import vocabulary_graph
from icc_graph.build.suggest import MIN_CONFIDENCE, RELATIVE, TOP, ThemeModel, chosen, theme_texts
from icc_graph.build.suggestions import SUGGESTIONS_GRAPH
from icc_graph.cli import main
from icc_graph.vocabulary.handwritten import resource_dir
from icc_graph.vocabulary.terms import ICC

from .conftest import DATA, records_of
from .test_links import MINT

LEFT_FOR_REVIEW = "safer-alta-de-lisboa"      # the seed practice whose curation gives no theme


@pytest.fixture(scope="module")
def vocabulary():
    return vocabulary_graph(MINT)


def test_each_topic_has_a_profile_from_the_schemes_own_words(vocabulary):
    texts = theme_texts(vocabulary, MINT)
    assert len(texts) == 20 and not any(t.startswith("index-") for t in texts)
    security = texts["security-justice-and-safety"]
    assert "Security, justice and safety" in security and "Sécurité" in security   # labels, both languages
    assert "policing" in security                                                 # its definition
    assert "Public services" in security          # the Index area it matches (skos:closeMatch / broadMatch)


def test_a_text_about_policing_gets_the_security_topic(data_copy, vocabulary):
    path = data_copy / "practices" / "local-assemblies.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["source"]["sections"] = {"purpose": "Community policing and crime prevention with police officers "
                                            "to keep the streets safe for victims."}
    doc["source"]["summary"] = None
    doc["curation"]["themes"] = []
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    records = records_of(data_copy)
    model = ThemeModel.learn(records.practices, theme_texts(vocabulary, MINT))
    suggestions = model.suggest()
    mine = [s for s in suggestions if s.practice == "local-assemblies"]
    assert mine[0].theme == "security-justice-and-safety" and mine[0].rank == 1
    assert {s.practice for s in suggestions} == {"local-assemblies", LEFT_FOR_REVIEW}   # curated ones get none


def test_chosen_keeps_the_best_and_the_close_ones():
    scores = np.array([0.05, 0.30, 0.20, 0.17, 0.25, 0.0])
    assert chosen(scores) == [1, 4, 2]                 # 0.20 >= 0.6 x 0.30; 0.17 is not; at most TOP
    assert TOP == 3 and RELATIVE == 0.6
    assert chosen(np.array([0.02, 0.01])) == [0]       # the best is always kept, even below the floor
    assert chosen(np.zeros(4)) == []                   # a text sharing no word with any profile gets nothing
    assert chosen(np.array([0.2, 0.2])) == [0, 1]      # ties by theme order


def test_leaving_one_out_ignores_the_practices_own_curation(seed_records, vocabulary):
    """Scored without its own votes, a practice is scored as if its curation were empty."""
    model = ThemeModel.learn(seed_records.practices, theme_texts(vocabulary, MINT))
    slugs = [p.slug for p in model.practices]
    row = slugs.index("young-mayor")
    left_out = model.scores(np.array([row]), leave_out=True)[0]
    blanked = type(seed_records)(seed_records.metadata, seed_records.countries, seed_records.places, tuple(
        p if p.slug != "young-mayor" else type(p)(**{**p.__dict__, "themes": ()}) for p in seed_records.practices),
        seed_records.themes)
    assert np.allclose(left_out, ThemeModel.learn(blanked.practices, theme_texts(vocabulary, MINT))
                       .scores(np.array([row]))[0])
    assert not np.allclose(left_out, model.scores(np.array([row]))[0])


def test_the_model_version_follows_what_it_learnt_from(seed_records, vocabulary, data_copy):
    texts = theme_texts(vocabulary, MINT)
    version = ThemeModel.learn(seed_records.practices, texts).version
    assert version == ThemeModel.learn(tuple(reversed(seed_records.practices)), texts).version
    assert version.startswith("tfidf-centroid/1+")
    path = data_copy / "practices" / "young-mayor.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["curation"]["themes"] = ["education"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert ThemeModel.learn(records_of(data_copy).practices, texts).version != version


def test_the_release_publishes_suggestions_apart_with_their_provenance(seed_dataset, seed_records):
    g = seed_dataset.graph(MINT.graph(SUGGESTIONS_GRAPH))
    suggestions = set(g.subjects(RDF.type, ICC.ThemeSuggestion))
    assert suggestions
    practice = MINT.practice(LEFT_FOR_REVIEW)
    rule, plan = MINT.rule("tfidf-centroid"), MINT.plan("tfidf-centroid")
    for s in suggestions:
        assert g.value(s, ICC.suggestedFor) == practice
        confidence = g.value(s, ICC.confidence)
        assert confidence.datatype == XSD.decimal and 0 < confidence.toPython() <= 1
        assert g.value(s, PROV.wasGeneratedBy) == rule
    themes = {g.value(s, ICC.suggestedTheme) for s in suggestions}
    assert MINT.theme("security-justice-and-safety") in themes
    assert (rule, PROV.used, plan) in g and (plan, RDF.type, PROV.Plan) in g
    assert str(g.value(plan, ICC.modelVersion)).startswith("tfidf-centroid/1+")
    assert g.value(plan, ICC.threshold) == Literal(MIN_CONFIDENCE, datatype=XSD.decimal)
    # Never a dcterms:subject, in any graph: the practice has no curated theme and stays so.
    assert not any(True for _ in seed_dataset.quads((practice, DCTERMS.subject, None, None)))
    assert not any(True for _ in g.triples((None, DCTERMS.subject, None)))
    # Every practice has curated themes or suggested ones.
    suggested_for = {g.value(s, ICC.suggestedFor) for s in suggestions}
    for p in seed_records.practices:
        assert p.themes or MINT.practice(p.slug) in suggested_for, p.slug


def test_the_metadata_describes_the_suggestions_graph(seed_dataset):
    meta = seed_dataset.graph(MINT.graph("metadata"))
    graph = MINT.graph(SUGGESTIONS_GRAPH)
    assert (MINT.dataset(), DCTERMS.hasPart, graph) in meta
    assert meta.value(graph, PROV.wasGeneratedBy) == MINT.rule("tfidf-centroid")


def test_themes_suggest_prints_blocks_a_curator_can_paste(tmp_path):
    result = CliRunner().invoke(main, ["themes", "suggest", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert f"data/practices/{LEFT_FOR_REVIEW}.yaml: Safer Alta de Lisboa" in result.output
    block = yaml.safe_load(result.output)          # comments aside, the output is the YAML to paste
    assert "security-justice-and-safety" in block["curation"]["themes"]
    again = CliRunner().invoke(main, ["themes", "suggest", "--data", str(DATA), "--practice", "young-mayor"])
    assert "(curated: political-and-public-participation" in again.output
    unknown = CliRunner().invoke(main, ["themes", "suggest", "--data", str(DATA), "--practice", "nope"])
    assert unknown.exit_code == 1 and "no practice nope" in unknown.output


SUGGESTION = MINT.suggestion(LEFT_FOR_REVIEW, "security-justice-and-safety")
BROKEN = {   # case -> (change to the release's union graph, the shape it must fire)
    "two practices": (lambda g: g.add((SUGGESTION, ICC.suggestedFor, MINT.practice("young-mayor"))),
                      "SuggestionPractice"),
    "theme outside the schemes": (lambda g: g.set((SUGGESTION, ICC.suggestedTheme, MINT.place("oslo"))),
                                  "SuggestionTheme"),
    "confidence above 1": (lambda g: g.set((SUGGESTION, ICC.confidence, Literal("1.5", datatype=XSD.decimal))),
                           "SuggestionConfidence"),
    "no rule": (lambda g: g.remove((SUGGESTION, PROV.wasGeneratedBy, None)), "SuggestionRule"),
    "no model version": (lambda g: g.remove((MINT.plan("tfidf-centroid"), ICC.modelVersion, None)),
                         "SuggestionPlanVersion"),
}


def test_every_suggestion_shape_has_a_case_that_fires_it():
    shapes = Graph().parse(resource_dir("shapes") / "suggestions.ttl")
    named = {str(s).removeprefix(SHAPES_NS) for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    assert named == {shape for _, shape in BROKEN.values()}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_suggestions_trigger_the_named_shape(seed_dataset, case):
    g = Graph()
    for context in seed_dataset.graphs():
        g += context
    shapes = Graph().parse(resource_dir("shapes") / "suggestions.ttl")
    before = {str(s) for s in run_shapes(g, shapes).objects(None, SH.sourceShape)}
    assert before == set()
    change, shape = BROKEN[case]
    change(g)
    assert SHAPES_NS + shape in {str(s) for s in run_shapes(g, shapes).objects(None, SH.sourceShape)}

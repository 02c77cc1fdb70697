"""Template section labels in summaries and detail bodies (English and French)."""

from __future__ import annotations

import pytest

from icc_graph.importers.template import guess_language, is_back, is_read_more, split_sections

# text -> (text before the first label, [(section, text)])
SUMMARIES = [
    ("Purpose: A Process: B", None, [("purpose", "A"), ("process", "B")]),
    ("Process: only the process...", None, [("process", "only the process...")]),
    ("No label at all...", "No label at all...", []),
    ("A lead line Purpose: then the purpose", "A lead line", [("purpose", "then the purpose")]),
    ("Purpose: A Stimulus/Rationale: Process: C", None, [("purpose", "A"), ("process", "C")]),
    ("Purpose: A Stimulus / Rationale: B", None, [("purpose", "A"), ("stimulus", "B")]),
    ("Purpose: the main objectives were the following: Provide data", None,
     [("purpose", "the main objectives were the following: Provide data")]),
    ("Purpose: for staff: a training programme", None, [("purpose", "for staff: a training programme")]),
    ("Purpose: a clear process: more text", None, [("purpose", "a clear process: more text")]),
    ("Outcomes/Impact: O Evaluation: E Key success factors: K Transferability: T", None,
     [("outcomes", "O"), ("evaluation", "E"), ("key_success_factors", "K"), ("transferability", "T")]),
    ("Key Success Factors: K", None, [("key_success_factors", "K")]),
    ("Objectif : A Processus : B", None, [("purpose", "A"), ("process", "B")]),
    ("Objectif: A Stimulus/Justification : B Résultats/Impact : C", None,
     [("purpose", "A"), ("stimulus", "B"), ("outcomes", "C")]),
    ("Facteurs clés de succès : F Transférabilité : T Évaluation : E", None,
     [("key_success_factors", "F"), ("transferability", "T"), ("evaluation", "E")]),
    ("Purpose\nA on its own line\nProcess\nB", None, [("purpose", "A on its own line"), ("process", "B")]),
    ("Purpose:\nA\n\nProcess:\nB\nmore B", None, [("purpose", "A"), ("process", "B\nmore B")]),
    ("Process: B1 Process: B2", None, [("process", "B1\nB2")]),
]


@pytest.mark.parametrize(("text", "lead", "sections"), SUMMARIES, ids=[s[0][:40] for s in SUMMARIES])
def test_sections_split_at_template_labels(text, lead, sections):
    assert split_sections(text) == (lead, sections)


@pytest.mark.parametrize(("text", "expected"), [
    ("Read More", True), ("read more", True), ("Read More »", True), ("Lire la suite", True),
    ("En savoir plus", True), ("Read More about it", False), ("More", False)])
def test_read_more_links(text, expected):
    assert is_read_more(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Back", True), ("« Back", True), ("< Retour", True), ("Retour à la liste", True), ("Backstage", False)])
def test_back_links(text, expected):
    assert is_back(text) is expected


@pytest.mark.parametrize(("lines", "language"), [
    (["Read More", "Purpose: x", "2018 onwards"], "en"),
    (["Lire la suite", "Objectif : x", "Depuis 2014"], "fr"),
    (["Intercultural cities", "Read More"], "en"),
    (["nothing telling"], "en"),
])
def test_page_language_from_its_words(lines, language):
    assert guess_language(lines) == language

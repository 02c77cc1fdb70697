"""Detail pages: headings inline or alone, a localised "Back" link or none, the period before or after the body."""

from __future__ import annotations

import pytest

from icc_graph.errors import DataError

from .test_listing import PAGES, entries_of, page


def test_english_detail_page_headings_on_their_own_lines():
    [entry] = entries_of(PAGES / "detail_en.txt")
    assert (entry.kind, entry.language, entry.title, entry.country, entry.cities, entry.period.text) == (
        "detail", "en", "District Mothers", "DE", ("Berlin-Neukölln",), "2016")
    sections = dict(entry.sections)
    assert list(sections) == ["purpose", "stimulus", "process", "outcomes", "key_success_factors",
                              "transferability"]
    assert sections["process"].endswith("then visit families at home.")
    assert sections["key_success_factors"] == "Trust: the district mothers speak the families' languages."
    assert entry.summary is None and entry.page is None     # the text names no URL
    assert entry.line == 8


def test_french_html_detail_page_inline_headings_period_after_body():
    [entry] = entries_of(PAGES / "detail_fr.html")
    assert (entry.language, entry.title, entry.country, entry.cities, entry.period.start_year) == (
        "fr", "Mères de quartier", "DE", ("Berlin-Neukölln",), 2016)
    assert entry.page == "https://www.coe.int/fr/web/interculturalcities/-/district-mothers"
    assert entry.site_slug == "district-mothers"
    assert dict(entry.sections) == {
        "purpose": "Des mères migrantes qui vont vers d'autres mères migrantes.",
        "process": "Le projet « Stadtteilmütter » vise les quartiers en gestion de quartier.",
        "evaluation": "Plusieurs centaines de femmes ont été formées.",
        "transferability": "D'autres villes allemandes ont repris le modèle.",
    }


BODY = "Purpose: P text.\nProcess: R text.\n"
# page text -> (title, cities, period as printed, sections)
VARIATIONS = [
    (f"Young Mayor\nUnited Kingdom London-Lewisham 2018 onwards\n{BODY}",               # no Back link
     ("Young Mayor", ("London-Lewisham",), "2018 onwards", {"purpose": "P text.", "process": "R text."})),
    (f"Back\nYoung Mayor\n{BODY}United Kingdom London-Lewisham 2018 onwards\n",         # period after the body
     ("Young Mayor", ("London-Lewisham",), "2018 onwards", {"purpose": "P text.", "process": "R text."})),
    (f"Young Mayor\n\n{BODY}\nUnited Kingdom London-Lewisham 2018 onwards\n\n« Back\n",
     ("Young Mayor", ("London-Lewisham",), "2018 onwards", {"purpose": "P text.", "process": "R text."})),
    (f"United Kingdom London-Lewisham 2018 onwards\n{BODY}Back\n",                     # missing title
     (None, ("London-Lewisham",), "2018 onwards", {"purpose": "P text.", "process": "R text."})),
    (f"Young Mayor\nUnited Kingdom\n{BODY}",                                            # missing city and period
     ("Young Mayor", (), None, {"purpose": "P text.", "process": "R text."})),
    ("Young Mayor\nUnited Kingdom Leeds 2020\nPurpose\n\nFirst paragraph.\n\nSecond paragraph.\n"
     "Stimulus/Rationale\nWhy.\nOutcomes/Impact:\nWhat.\n",
     ("Young Mayor", ("Leeds",), "2020", {"purpose": "First paragraph.\nSecond paragraph.", "stimulus": "Why.",
                                          "outcomes": "What."})),
    ("Jeune maire\nRoyaume-Uni London-Lewisham Depuis 2018\nObjectif\nDonner du pouvoir.\nProcessus :\nVoter.\n"
     "Retour à la liste\n",
     ("Jeune maire", ("London-Lewisham",), "Depuis 2018", {"purpose": "Donner du pouvoir.", "process": "Voter."})),
]


@pytest.mark.parametrize(("text", "expected"), VARIATIONS, ids=[str(i) for i in range(len(VARIATIONS))])
def test_detail_variations(tmp_path, text, expected):
    [entry] = entries_of(page(tmp_path, text))
    assert (entry.title, entry.cities, entry.period.text, dict(entry.sections)) == expected


def test_detail_page_without_a_place_line_names_the_line(tmp_path):
    path = page(tmp_path, f"Young Mayor\nNarnia Lewisham 2018\n{BODY}")
    with pytest.raises(DataError, match="no 'Country City Period' line") as caught:
        entries_of(path)
    assert caught.value.line == 2


def test_control_characters_in_a_page_are_dropped_from_its_text(tmp_path):
    text = (PAGES / "detail_en.txt").read_text(encoding="utf-8")
    text = text.replace("Migrant mothers reaching", "Migrant\x1b[1m mothers\x0b reaching\x0c").replace(
        "District Mothers\n", "District\x07 Mothers\n", 1)
    [entry] = entries_of(page(tmp_path, text))
    assert entry.title == "District Mothers"
    assert dict(entry.sections)["purpose"].startswith("Migrant [1m mothers reaching")
    for value in (entry.title, *dict(entry.sections).values()):
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in value), value

"""Listing pages: the seed page, the HTML and French fixtures, and hand-written variations."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from icc_graph.build.datadir import read_places
from icc_graph.errors import DataError
from icc_graph.importers.places import Gazetteer
from icc_graph.importers.reader import read_entries

from ..conftest import DATA, FIXTURES

# The saved ICC listing the seed data was imported from (the one third-party page the repository keeps).
SEED = FIXTURES / "seed" / "000_17654a1d29c07125.txt"
PAGES = FIXTURES / "pages"
LISTING_URL = "https://www.coe.int/en/web/interculturalcities/good-practice"


def entries_of(path: Path):
    return read_entries(path, Gazetteer(*read_places(DATA / "places.yaml")), LISTING_URL)


def page(tmp_path: Path, text: str, name: str = "page.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_page_gives_its_20_practices_as_data_has_them():
    entries = entries_of(SEED)
    assert len(entries) == 20
    slugs = {e.own_slug({"Cascais": "cascais"}): e for e in entries}
    assert set(slugs) == {p.stem for p in (DATA / "practices").glob("*.yaml")}
    for slug, entry in slugs.items():
        source = yaml.safe_load((DATA / "practices" / f"{slug}.yaml").read_text(encoding="utf-8"))["source"]
        assert entry.title == source["title"], slug
        assert list(entry.cities) == source["cities"], slug
        assert entry.period.text == source["period"], slug
        assert (entry.period.start_year, entry.period.end_year, entry.period.ongoing) == (
            source["start_year"], source["end_year"], source["ongoing"]), slug
        assert entry.summary == source["summary"], slug
        assert dict(entry.sections) == source["sections"], slug
        assert (entry.language, entry.page, entry.kind) == ("en", LISTING_URL, "listing")


def test_seed_page_fields_written_by_hand():
    by_line = {e.line: e for e in entries_of(SEED)}
    cascais = by_line[40]
    assert (cascais.title, cascais.country, cascais.cities, cascais.period.text) == (
        None, "PT", ("Cascais",), "Since 2017 - Ongoing")
    oslo = by_line[17]
    assert oslo.title == "Educational equality in Oslo. Tackling educational segregation through raising standards"
    assert (oslo.period.start_year, oslo.period.end_year, oslo.period.ongoing) == (2016, None, True)
    safer = next(e for e in by_line.values() if e.title == "Safer Alta de Lisboa")
    assert safer.summary.startswith("A community-policing service based on intercultural principles Purpose:")
    assert dict(safer.sections) == {"purpose": safer.summary.split("Purpose: ", 1)[1]}
    connector = next(e for e in by_line.values() if e.title == "Community Connector Project")
    assert connector.sections == () and connector.summary.startswith("In July 2019, Leeds")
    loures = next(e for e in by_line.values() if e.cities == ("Loures",))
    assert (loures.period.start_year, loures.period.end_year, loures.period.ongoing) == (2013, 2023, False)
    assert "0 International outlook" not in {e.title for e in by_line.values()}


def test_html_listing():
    entries = {e.site_slug: e for e in entries_of(PAGES / "listing_en.html")}
    assert list(entries) == ["district-mothers", "ansan-multicultural-village", "shared-plan-for-two-cities",
                             "a-national-network"]
    mothers = entries["district-mothers"]
    assert (mothers.title, mothers.country, mothers.cities, mothers.period.text) == (
        "District Mothers", "DE", ("Berlin-Neukölln",), "2016")
    assert mothers.summary.startswith("Purpose: Migrant mothers reaching out")
    assert "“Stadtteilmütter”" in dict(mothers.sections)["process"]
    assert mothers.link == "https://www.coe.int/en/web/interculturalcities/-/district-mothers"
    assert mothers.page == "https://www.coe.int/en/web/interculturalcities/good-practice?page=2"   # canonical
    assert mothers.line == 24              # the line of the HTML file
    ansan = entries["ansan-multicultural-village"]
    assert (ansan.country, ansan.cities, ansan.period.start_year, ansan.period.ongoing) == ("KR", ("Ansan",),
                                                                                             2014, True)
    shared = entries["shared-plan-for-two-cities"]
    assert shared.cities == ("Reggio Emilia", "Turin")
    assert (shared.period.start_year, shared.period.end_year, shared.period.ongoing) == (2019, 2023, True)
    national = entries["a-national-network"]
    assert (national.cities, national.period.text, national.period.start_year) == ((), "N/A", None)


def test_french_listing():
    entries = entries_of(PAGES / "listing_fr.txt")
    assert [e.title for e in entries] == ["Assemblées locales", "Jeune maire", "Cité d'accueil basque", None]
    assert {e.language for e in entries} == {"fr"}
    assert {e.page for e in entries} == {"https://www.coe.int/fr/web/interculturalcities/good-practice"}
    assemblies, mayor, basque, untitled = entries
    assert (assemblies.country, assemblies.cities, assemblies.period.start_year, assemblies.period.ongoing) == (
        "GB", ("London-Lewisham",), 2008, True)
    assert dict(assemblies.sections)["purpose"].startswith("Un réseau de forums citoyens")
    assert dict(mayor.sections)["stimulus"] == "Le Jeune maire de Lewisham..."
    assert (basque.country, basque.cities, basque.period.text) == ("ES", ("Donostia-San Sebastian",), "mai 2016")
    assert (untitled.cities, untitled.period.ongoing, untitled.sections) == (("Reggio Emilia",), True, ())
    assert untitled.own_slug({"Reggio Emilia": "reggio-emilia"}) == "untitled-reggio-emilia"


HEAD = "Intercultural cities: good practice examples\n\nThe first step is the adoption of strategies.\n\n"
# page text after HEAD -> [(title, country, cities, period as printed, summary)]
VARIATIONS = [
    ("Title A\n\nPortugal Lisbon 2016\n\nPurpose: x\n\nRead More\n",
     [("Title A", "PT", ("Lisbon",), "2016", "Purpose: x")]),
    ("Title A\nPortugal Lisbon 2016\nPurpose: x\nRead More\n",              # no blank lines
     [("Title A", "PT", ("Lisbon",), "2016", "Purpose: x")]),
    ("Portugal Lisbon 2016\n\nPurpose: x\n\nRead More\n",                   # missing title, first entry
     [(None, "PT", ("Lisbon",), "2016", "Purpose: x")]),
    ("Template for collection of Good practices >>\n\nPortugal Lisbon 2016\n\nx\n\nRead More\n",
     [(None, "PT", ("Lisbon",), "2016", "x")]),
    ("A\n\nPortugal Lisbon 2016\n\nx\n\nRead More\n\nPortugal Cascais 2017\n\ny\n\nRead More\n",   # missing title
     [("A", "PT", ("Lisbon",), "2016", "x"), (None, "PT", ("Cascais",), "2017", "y")]),
    ("A\n\nPortugal\n\nx\n\nRead More\n",                                   # missing city and period
     [("A", "PT", (), None, "x")]),
    ("A\n\nPortugal Cascais\n\nx\n\nRead More\n",                           # missing period
     [("A", "PT", ("Cascais",), None, "x")]),
    ("A\n\nPortugal Cascais 2017\n\nRead More\n",                           # missing summary
     [("A", "PT", ("Cascais",), "2017", None)]),
    ("A\n\nPortugal Cascais 2017\n\nfirst paragraph\n\nsecond paragraph\n\nRead More\n",
     [("A", "PT", ("Cascais",), "2017", "first paragraph second paragraph")]),
    ("Topic\n\n12 Education\n\nYear\n\n2016 (5)\n\nA\n\nItaly Turin 2019\n\nx\n\nRead More\n\nTopic\n\n0 Other\n",
     [("A", "IT", ("Turin",), "2019", "x")]),
    ("A\n\nUnited Kingdom London-Lewisham 2018 onwards\n\nx\n\nRead More »\n",
     [("A", "GB", ("London-Lewisham",), "2018 onwards", "x")]),
    ("Portugal welcomes you\n\nPortugal Lisbon 2016\n\nx\n\nRead More\n",     # a title that names a country
     [("Portugal welcomes you", "PT", ("Lisbon",), "2016", "x")]),
]


@pytest.mark.parametrize(("text", "expected"), VARIATIONS, ids=[str(i) for i in range(len(VARIATIONS))])
def test_listing_variations(tmp_path, text, expected):
    entries = entries_of(page(tmp_path, HEAD + text))
    assert [(e.title, e.country, e.cities, e.period.text, e.summary) for e in entries] == expected


BROKEN = [
    ("A\n\nNarnia Lisbon 2016\n\nx\n\nRead More\n\nB\n\nNarnia Oslo 2016\n\ny\n\nRead More\n", 7,
     "no 'Country City Period' line"),
    ("A\n\nPortugal Lisbon 2016\n\nx\n\nRead More\n\nB\n\nItaly Oslo 2016\n\ny\n\nRead More\n", 15,
     "cannot split 'Italy Oslo 2016'"),
    ("A\n\nUnited Kingdom London Lewisham 2018\n\nx\n\nRead More\n", 7, "cannot tell where the cities end"),
    ("A\n\nPortugal Lisbon 2016\n\nx\n\nRead More\n\nRead More\n", 13, "'Read More' line with no entry"),
    ("A\n\nPortugal Lisbon 2016\n\nx\n\nRead More\n\nB\n\nNarnia Oslo 2016\n\ny\n\nRead More\n", 15,
     "no 'Country City Period' line"),
]


@pytest.mark.parametrize(("text", "line", "message"), BROKEN, ids=[b[2] for b in BROKEN])
def test_entries_that_cannot_be_split_name_file_and_line(tmp_path, text, line, message):
    path = page(tmp_path, HEAD + text)
    with pytest.raises(DataError, match=message) as caught:
        entries_of(path)
    assert (caught.value.path, caught.value.line) == (path, line)
    assert f"{path}:{line}" in str(caught.value)


def test_html_saved_by_a_browser(tmp_path):
    """A leading "saved from" comment, an unclosed <head>, entities and inline markup split over lines."""
    path = page(tmp_path, (
        "<!-- saved from url=(0063)https://www.coe.int/en/web/interculturalcities/good-practice -->\n"
        "<html><head><title>Good practice</title>\n<body>\n"
        "<h2>Lisbon&rsquo;s <em>ethnic</em> economy</h2>\n"
        "<p>Portugal\n   Lisbon 2016</p>\n"
        "<p>Purpose: The study&nbsp;aimed<br>to support...</p>\n"
        "<a href='/en/web/interculturalcities/-/lisbons-ethnic-economy'>Read More</a>\n"
        "</body></html>\n"), name="saved.html")
    [entry] = entries_of(path)
    assert (entry.title, entry.cities, entry.line) == ("Lisbon’s ethnic economy", ("Lisbon",), 5)
    assert entry.summary == "Purpose: The study aimed to support..."
    assert entry.page == LISTING_URL
    assert entry.site_slug == "lisbons-ethnic-economy"


def test_unsplittable_place_line_after_a_title_that_splits_is_an_error(tmp_path):
    path = page(tmp_path, HEAD + "Portugal Lisbon\n\nPortugal Lisbon Oslo 2016\n\nx\n\nRead More\n")
    with pytest.raises(DataError, match="is a place in Norway") as caught:
        entries_of(path)
    assert caught.value.line == 7


def test_html_link_around_a_block_names_the_practice(tmp_path):
    path = page(tmp_path, (
        "<html lang='en'><body><p>Intercultural cities</p>\n"
        "<a href='https://www.coe.int/en/web/interculturalcities/-/first-welcome'><h3>First Welcome</h3></a>\n"
        "<p>Italy Reggio Emilia 2016</p><p>Purpose: x</p><p>Read More</p></body></html>\n"), name="wrapped.html")
    [entry] = entries_of(path)
    assert (entry.title, entry.link, entry.site_slug) == (
        "First Welcome", "https://www.coe.int/en/web/interculturalcities/-/first-welcome", "first-welcome")

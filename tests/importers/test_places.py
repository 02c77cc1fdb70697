"""Splitting "Country City Period" lines: every case of the issue, with variations."""

from __future__ import annotations

import pytest

from icc_graph.build.datadir import read_places
from icc_graph.importers.places import Gazetteer, SplitError

from ..conftest import DATA


@pytest.fixture(scope="module")
def places():
    return read_places(DATA / "places.yaml")


@pytest.fixture
def gazetteer(places):
    return Gazetteer(*places)


# line -> (country, cities, period as printed, cities that places.yaml does not know)
LINES = [
    ("Norway Oslo 2016-", "NO", ["Oslo"], "2016-", []),
    ("Germany Berlin-Neukölln 2016", "DE", ["Berlin-Neukölln"], "2016", []),
    ("United Kingdom London-Lewisham 2018 onwards", "GB", ["London-Lewisham"], "2018 onwards", []),
    ("New Zealand Auckland 2019-2050", "NZ", ["Auckland"], "2019-2050", []),
    ("Portugal Cascais Since 2017 - Ongoing", "PT", ["Cascais"], "Since 2017 - Ongoing", []),
    ("Portugal Loures 2013-July 2023", "PT", ["Loures"], "2013-July 2023", []),
    ("Norway Stavanger Ongoing for several years", "NO", ["Stavanger"], "Ongoing for several years", []),
    ("Germany Erlangen ongoing", "DE", ["Erlangen"], "ongoing", []),
    ("Portugal Lisbon 2009 - ongoing", "PT", ["Lisbon"], "2009 - ongoing", []),
    ("Italy Reggio Emilia 2016", "IT", ["Reggio Emilia"], "2016", []),
    # multi-word and translated countries (ISO names, common names, French catalogue)
    ("South Korea Ansan On-going since 2014", "KR", ["Ansan"], "On-going since 2014", ["Ansan"]),
    ("Republic of Korea Ansan 2016", "KR", ["Ansan"], "2016", ["Ansan"]),
    ("Royaume-Uni Leeds 2020", "GB", ["Leeds"], "2020", []),
    ("royaume-uni Leeds 2020", "GB", ["Leeds"], "2020", []),
    ("Italie Reggio Emilia Depuis 2014", "IT", ["Reggio Emilia"], "Depuis 2014", []),
    ("Espagne Donostia-San Sebastian mai 2016", "ES", ["Donostia-San Sebastian"], "mai 2016",
     ["Donostia-San Sebastian"]),
    ("Spain Donostia-San Sebastian 2016", "ES", ["Donostia-San Sebastian"], "2016", ["Donostia-San Sebastian"]),
    ("Nouvelle-Zélande Auckland 2018", "NZ", ["Auckland"], "2018", []),
    ("Pays-Bas Amsterdam 2019", "NL", ["Amsterdam"], "2019", ["Amsterdam"]),
    ("Etats-Unis Montclair 2019", "US", ["Montclair"], "2019", ["Montclair"]),
    ("Turkey Istanbul 2015", "TR", ["Istanbul"], "2015", ["Istanbul"]),
    ("Moldova Bălți 2016", "MD", ["Bălți"], "2016", ["Bălți"]),
    ("Royaume-Uni Londres 2016", "GB", ["London"], "2016", []),          # a city's French name
    ("Italy Torino 2019", "IT", ["Turin"], "2019", []),                  # a city's Italian name
    # cities of several words, hyphens, several cities
    ("Portugal Santa Maria da Feira 2013-July 2023", "PT", ["Santa Maria da Feira"], "2013-July 2023",
     ["Santa Maria da Feira"]),
    ("Germany Frankfurt am Main 2012 onwards", "DE", ["Frankfurt am Main"], "2012 onwards", ["Frankfurt am Main"]),
    ("Italy Reggio Emilia, Turin 2019", "IT", ["Reggio Emilia", "Turin"], "2019", []),
    ("Italy Reggio Emilia and Turin 2019", "IT", ["Reggio Emilia", "Turin"], "2019", []),
    ("Italie Reggio Emilia et Turin 2019", "IT", ["Reggio Emilia", "Turin"], "2019", []),
    ("Norway Oslo Stavanger 2016", "NO", ["Oslo", "Stavanger"], "2016", []),
    ("Portugal Lisbon / Cascais / Loures 2016", "PT", ["Lisbon", "Cascais", "Loures"], "2016", []),
    ("Spain Bilbao, Donostia-San Sebastian 2016", "ES", ["Bilbao", "Donostia-San Sebastian"], "2016",
     ["Bilbao", "Donostia-San Sebastian"]),
    # missing city, missing period, both
    ("Portugal 2016", "PT", [], "2016", []),
    ("New Zealand N/A", "NZ", [], "N/A", []),
    ("Portugal Cascais", "PT", ["Cascais"], None, []),
    ("Portugal", "PT", [], None, []),
    # periods of every shape the pages print
    ("United Kingdom Leeds January - February 2018", "GB", ["Leeds"], "January - February 2018", []),
    ("Ukraine Melitopol 21 June 2018", "UA", ["Melitopol"], "21 June 2018", []),
    ("Italy Turin March 2017 – present", "IT", ["Turin"], "March 2017 – present", []),
    ("Italy Turin 2019-2023 (ongoing)", "IT", ["Turin"], "2019-2023 (ongoing)", []),
    ("Italie Turin en cours", "IT", ["Turin"], "en cours", []),
    ("Allemagne Berlin à partir de 2019", "DE", ["Berlin"], "à partir de 2019", []),
    ("Germany Berlin N/A", "DE", ["Berlin"], "N/A", []),
    ("  Germany   Berlin\u00a0 2016 ", "DE", ["Berlin"], "2016", []),
    # the forms of the whole database (issue 16)
    ("Norway Oslo Stavanger 2015-17", "NO", ["Oslo", "Stavanger"], "2015-17", []),
    ("Italy Turin Reggio Emilia 2012-14, 2016-18", "IT", ["Turin", "Reggio Emilia"], "2012-14, 2016-18", []),
    ("Italy Turin 2018 (since 2012)", "IT", ["Turin"], "2018 (since 2012)", []),
    ("France Strasbourg dès 2019", "FR", ["Strasbourg"], "dès 2019", ["Strasbourg"]),
    ("Serbia Subotica od marta 2015", "RS", ["Subotica"], "od marta 2015", ["Subotica"]),
    ("Serbie Novi Sad od 2015. godine", "RS", ["Novi Sad"], "od 2015. godine", ["Novi Sad"]),
    ("Italy Turin 2nd half 2019", "IT", ["Turin"], "2nd half 2019", []),
    ("Italy Turin second half of 2018 - 2020", "IT", ["Turin"], "second half of 2018 - 2020", []),
    ("Italy Turin September 2015 - June 2016", "IT", ["Turin"], "September 2015 - June 2016", []),
    ("Italy Turin 2016 - current", "IT", ["Turin"], "2016 - current", []),
    ("Norway Oslo Current", "NO", ["Oslo"], "Current", []),
    ("Norway Oslo launched in 2016, evaluated in 2019", "NO", ["Oslo"], "launched in 2016, evaluated in 2019", []),
    ("Norway Oslo in 2016", "NO", ["Oslo"], "in 2016", []),
    ("Italy Turin 2019 Turin", "IT", ["Turin"], "2019", []),
    ("Portugal Lisbon 2016 (Lisbon, Portugal)", "PT", ["Lisbon"], "2016", []),
    ("Italy Reggio Emilia 2016 Reggio Emilia", "IT", ["Reggio Emilia"], "2016", []),
    ("Germany Berlin-Mitte 2018", "DE", ["Berlin-Mitte"], "2018", ["Berlin-Mitte"]),
]


@pytest.mark.parametrize(("line", "country", "cities", "period", "new"), LINES, ids=[c[0] for c in LINES])
def test_place_lines_split(gazetteer, line, country, cities, period, new):
    split = gazetteer.split(line)
    assert split is not None
    assert (split.country, list(split.cities), split.period, list(split.new_cities)) == (country, cities, period, new)


NOT_PLACE_LINES = [
    "Intercultural Integration Plan 2015-2020",
    "Lisbon’s ethnic economy",
    "Germany shows that labour markets can open up to refugees under favourable circumstances",
    "Norway is great",
    "Italy (12)",
    "Read More",
    "0 International outlook",
    "Italy's refugee plan",
    "Portugal: a country profile with 12 cities",
    "Portugal welcomes you",
    "Norway Oslo welcomes newcomers",
    "",
]


@pytest.mark.parametrize("line", NOT_PLACE_LINES)
def test_other_lines_are_not_place_lines(gazetteer, line):
    assert gazetteer.split(line) is None


UNSPLITTABLE = [
    ("Italy Oslo 2016", "is a place in Norway, not in Italy"),
    ("United Kingdom London Lewisham 2018", "cannot tell where the cities end in 'London Lewisham'"),
    ("Norway Oslo Bergen 2016", "'Bergen' is not"),
    ("Royaume-Uni Lisbonne 2016", "is a place in Portugal"),
    ("Spain Bilbao Getxo 2019", "cannot tell whether 'Bilbao Getxo' is one city or several"),
]


@pytest.mark.parametrize(("line", "message"), UNSPLITTABLE)
def test_unsure_splits_are_errors_not_guesses(gazetteer, line, message):
    with pytest.raises(SplitError, match=message.replace("(", r"\(")):
        gazetteer.split(line)


def test_accepted_new_city_is_known_to_later_lines(gazetteer):
    gazetteer.accept(gazetteer.split("Spain Donostia-San Sebastian 2016"))
    assert gazetteer.new_countries["ES"].name == "Spain"
    assert dict(gazetteer.new_countries["ES"].names) == {"fr": "Espagne"}
    assert [(p.slug, p.country, p.wikidata_status) for p in gazetteer.new_places.values()] == [
        ("donostia-san-sebastian", "ES", "unconfirmed")]
    later = gazetteer.split("Espagne Donostia-San Sebastian 2017")
    assert later.new_cities == ()


def test_new_city_whose_slug_is_taken_gets_the_country_code(gazetteer):
    split = gazetteer.split("France Reggio-Emilia 2016")     # not the Italian city's name, but its slug
    assert split.new_cities == ("Reggio-Emilia",)
    gazetteer.accept(split)
    assert gazetteer.new_places["reggio-emilia-fr"].country == "FR"


def test_country_names_do_not_rest_on_the_seed(gazetteer):
    """Every ISO 3166 country is known by its English and French name, seed or not."""
    assert gazetteer.country_code("Belgique") == "BE"
    assert gazetteer.country_code("Bosnia and Herzegovina") == "BA"
    assert gazetteer.country_code("Macédoine du Nord") == "MK"
    assert gazetteer.country_code("Korea") == ""          # two countries share it: never guessed



def test_hyphenated_new_district_of_a_known_city_is_a_district(gazetteer):
    gazetteer.accept(gazetteer.split("Germany Berlin-Mitte 2018"))
    [place] = gazetteer.new_places.values()
    assert (place.slug, place.kind, place.parent, place.country) == ("berlin-mitte", "district", "berlin", "DE")

"""The matching rules and the answers' parsing, without a server."""

from __future__ import annotations

import pytest

from icc_graph.build.datadir import read_places
from icc_graph.build.records import Place
from icc_graph.errors import DataError
from icc_graph.reconcile.matching import Decision, decide, lookup_names
from icc_graph.reconcile.queries import Item, literal, point, read_names

CITY = Place("norbridge", "Norbridge", "city", "GB")
DISTRICT = Place("old-town", "Norbridge-Old Town", "district", "GB", parent="norbridge")
SETTLEMENT, MUNICIPALITY, CITY_DISTRICT, REGION = "Q486972", "Q15284", "Q4286337", None


def item(qid, root, country="Q145", within=()):
    return Item(qid, {root} if root else set(), {country}, set(within))


CASES = [
    # (place, items found by its names, the decision)
    (CITY, [item("Q1", SETTLEMENT)], Decision("confirmed", "Q1")),
    (CITY, [item("Q1", MUNICIPALITY), item("Q2", REGION)], Decision("confirmed", "Q1")),     # region: not a settlement
    (CITY, [item("Q1", SETTLEMENT), item("Q2", SETTLEMENT, "Q29")], Decision("confirmed", "Q1")),  # other country
    (CITY, [item("Q1", SETTLEMENT), item("Q2", SETTLEMENT, within=["Q1"])],
     Decision("partial", None, ("Q1", "Q2"))),                                               # city and its district
    (CITY, [item("Q9", REGION)], Decision("partial", None, ("Q9",))),                         # a loose fit only
    (CITY, [item("Q1", CITY_DISTRICT)], Decision("partial", None, ("Q1",))),                 # a city is no district
    (CITY, [item("Q1", SETTLEMENT, "Q29")], Decision("none")),
    (CITY, [], Decision("none")),
    (DISTRICT, [item("Q5", CITY_DISTRICT, within=["Q7", "Q1"]), item("Q6", SETTLEMENT, within=["Q8"])],
     Decision("confirmed", "Q5")),                                                            # inside the city
    (DISTRICT, [item("Q6", SETTLEMENT, within=["Q8"])], Decision("partial", None, ("Q6",))),  # elsewhere: loose
]


@pytest.mark.parametrize(("place", "found", "expected"), CASES)
def test_decide(place, found, expected):
    items = {i.qid: i for i in found}
    parent = "Q1" if place.kind == "district" else None
    assert decide(place, set(items), items, "Q145", parent) == expected


def test_a_rejected_candidate_fits_nothing():
    items = {i.qid: i for i in (item("Q1", SETTLEMENT), item("Q2", SETTLEMENT))}
    rejecting = Place("norbridge", "Norbridge", "city", "GB", wikidata_rejected=("Q2",))
    assert decide(CITY, set(items), items, "Q145", None).status == "partial"
    assert decide(rejecting, set(items), items, "Q145", None) == Decision("confirmed", "Q1")


def test_a_district_needs_its_citys_confirmed_item():
    items = {"Q5": item("Q5", CITY_DISTRICT, within=["Q1"])}
    assert decide(DISTRICT, {"Q5"}, items, "Q145", None) == Decision("partial", None, ("Q5",))
    assert decide(DISTRICT, {"Q5"}, items, None, "Q1") == Decision("none")     # no confirmed country: no guess


def test_names_looked_up():
    lisbon = Place("lisbon", "Lisbon", "city", "PT", names=(("fr", "Lisbonne"), ("pt", "Lisboa")))
    assert lookup_names(lisbon, None) == [("Lisbon", "en"), ("Lisbon", "fr"), ("Lisbon", "pt"),
                                          ("Lisboa", "en"), ("Lisboa", "fr"), ("Lisboa", "pt")]
    assert [n for n, lang in lookup_names(DISTRICT, CITY) if lang == "en"] == ["Norbridge-Old Town", "Old Town"]


def test_answers_are_read():
    rows = [{"name": {"type": "literal", "value": "Old Town", "xml:lang": "en"},
             "item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q5"},
             "type": {"type": "uri", "value": "http://www.wikidata.org/entity/Q4286337"},
             "within": {"type": "uri", "value": "http://www.wikidata.org/entity/Q1"}},
            {"name": {"type": "literal", "value": "Old Town", "xml:lang": "en"},
             "item": {"type": "uri", "value": "http://www.wikidata.org/entity/P5"}}]      # not an item
    by_name, items = read_names(rows)
    assert by_name == {("Old Town", "en"): {"Q5"}}
    assert items["Q5"] == Item("Q5", {"Q4286337"}, set(), {"Q1"})


@pytest.mark.parametrize(("wkt", "expected"), [
    ("Point(-3.70379 40.41678)", (40.4168, -3.7038)),
    ("POINT(174.7635 -36.8485)", (-36.8485, 174.7635)),
    ("<http://www.wikidata.org/entity/Q405> Point(10 20)", None),    # on the Moon
    ("Point(200 20)", None),
])
def test_point(wkt, expected):
    assert point(wkt) == expected


def test_literal_escapes_quotes():
    assert literal('Say "x"\\', "en") == '"Say \\"x\\"\\\\"@en'




def test_a_bad_candidate_id_names_file_record_and_field(data_copy):
    places = data_copy / "places.yaml"
    text = places.read_text(encoding="utf-8")
    places.write_text(text.replace("{slug: loures, name: Loures, country: PT,",
                                   "{slug: loures, name: Loures, country: PT, wikidata_candidates: [Q1, X2],"))
    with pytest.raises(DataError) as caught:
        read_places(places)
    assert "[cities[8]] field 'wikidata_candidates[1]': 'X2' is not a Wikidata id" in str(caught.value)

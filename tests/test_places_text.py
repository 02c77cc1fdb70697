"""Editing places.yaml as text: new places one line each, values replaced in place, keys in order, comments kept."""

from __future__ import annotations

import pytest
import yaml

from icc_graph.build.places_text import Change, add_places, apply_changes, deletion
from icc_graph.build.records import Country, Place

TEXT = """\
# places, curated by hand
countries:
- {iso2: ES, name: Spain, wikidata_status: unconfirmed}   # added by an import
cities:
- {slug: valmora, name: Valmora, country: ES, wikidata_status: unconfirmed, names: {it: Valmòra}}
- slug: norbridge          # a block entry
  name: Norbridge
  country: GB
  wikidata_status: partial
  wikidata_candidates: [Q1, Q2]
  lat: 53.9   # by hand
"""


def test_one_line_entries_keep_their_layout_and_comments():
    new = apply_changes(TEXT, [
        Change("countries", 0, ("wikidata",), "Q29"), Change("countries", 0, ("wikidata_status",), "confirmed"),
        Change("cities", 0, ("wikidata",), "Q9"), Change("cities", 0, ("lat",), 40.4168),
        Change("cities", 0, ("lon",), -3.7038), Change("cities", 0, ("names", "fr"), "Valmore"),
    ])
    assert new.splitlines()[0] == "# places, curated by hand"
    assert "- {iso2: ES, name: Spain, wikidata: Q29, wikidata_status: confirmed}   # added by an import\n" in new
    assert ("- {slug: valmora, name: Valmora, country: ES, wikidata: Q9, wikidata_status: unconfirmed, lat: 40.4168, "
            "lon: -3.7038, names: {it: Valmòra, fr: Valmore}}\n") in new


def test_block_entries_get_lines_and_lose_only_what_is_deleted():
    new = apply_changes(TEXT, [
        Change("cities", 1, ("wikidata",), "Q1"), Change("cities", 1, ("wikidata_status",), "confirmed"),
        deletion("cities", 1, "wikidata_candidates"), Change("cities", 1, ("lon",), -1.08),
        Change("cities", 1, ("names", "fr"), "Norpont"),
    ])
    assert new.endswith("""\
- slug: norbridge          # a block entry
  name: Norbridge
  country: GB
  wikidata: Q1
  wikidata_status: confirmed
  lat: 53.9   # by hand
  lon: -1.08
  names: {fr: Norpont}
""")
    assert yaml.safe_load(new)["cities"][1]["names"] == {"fr": "Norpont"}


def test_deleting_from_a_one_line_entry():
    text = "cities:\n- {slug: a, wikidata_candidates: [Q1], wikidata_status: partial}\n"
    assert apply_changes(text, [deletion("cities", 0, "wikidata_candidates")]) == \
        "cities:\n- {slug: a, wikidata_status: partial}\n"
    assert apply_changes(text, [deletion("cities", 0, "wikidata_status")]) == \
        "cities:\n- {slug: a, wikidata_candidates: [Q1]}\n"
    assert apply_changes(text, [deletion("cities", 0, "absent")]) == text


def test_quoting_that_yaml_needs():
    text = "cities:\n- {slug: oslo}\n"
    new = apply_changes(text, [Change("cities", 0, ("country",), "NO"), Change("cities", 0, ("name",), "Reggio: x")])
    assert yaml.safe_load(new)["cities"][0] == {"slug": "oslo", "name": "Reggio: x", "country": "NO"}


def test_an_entry_that_is_not_there():
    with pytest.raises(ValueError, match="no districts"):
        apply_changes(TEXT, [Change("districts", 0, ("lat",), 1.0)])


def test_new_places_go_one_line_each_after_the_last_of_their_list_and_a_missing_list_is_added():
    new = add_places(TEXT, [Country("FR", "France", names=(("fr", "France"),))],
                     [Place("aubreuil", "Aubreuil", "city", "FR"),
                      Place("old-town", "Old Town", "district", "GB", parent="norbridge")])
    assert new == TEXT.replace(
        "# added by an import\n", "# added by an import\n"
        "- {iso2: FR, name: France, wikidata_status: unconfirmed, names: {fr: France}}\n") + (
        "- {slug: aubreuil, name: Aubreuil, country: FR, wikidata_status: unconfirmed}\n"
        "districts:\n- {slug: old-town, name: Old Town, city: norbridge, wikidata_status: unconfirmed}\n")
    assert yaml.safe_load(new)["cities"][-1]["slug"] == "aubreuil"
    assert add_places(TEXT, [], []) == TEXT


def test_an_empty_or_flow_style_list_gets_the_new_places_not_a_second_key():
    city = Place("aubreuil", "Aubreuil", "city", "FR")
    empty = add_places("countries: []  # none yet\ncities: []\n", [], [city])
    assert empty == "countries: []  # none yet\ncities:\n- {slug: aubreuil, name: Aubreuil, country: FR, " \
                    "wikidata_status: unconfirmed}\n"
    flow = add_places("cities: [{slug: oslo, name: Oslo, country: NO}]\n", [], [city])
    assert [c["slug"] for c in yaml.safe_load(flow)["cities"]] == ["oslo", "aubreuil"]
    assert flow.count("cities:") == 1

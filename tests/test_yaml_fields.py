"""A practice field is declared once, on the record: reading data/ and locating gate findings follow from it.

The extra field below (``budget``) exists only in this test: a record type with it is read from YAML, its errors
name its key, and a finding on its term points at that key, with no edit to datadir or data_locations.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF

from icc_graph.build.data_locations import Origins
from icc_graph.build.datadir import PLACES, PRACTICES, PlaceNames, read_places, read_practice, read_records
from icc_graph.build.mapping import GRAPHS, map_records, theme_slugs, vocabulary_graph
from icc_graph.build.records import Practice
from icc_graph.build.yaml_fields import declared, from_yaml
from icc_graph.errors import DataError
from icc_graph.vocabulary.iris import Minter
from icc_graph.vocabulary.terms import ICC

from .conftest import DATA

BASE = "https://w3id.org/icc-graph/"
MINT = Minter(BASE)
SLUG = "district-mothers"


@dataclass(frozen=True)
class BudgetedPractice(Practice):
    """A practice with fields no release has: one line each, as a new field would be added to records.py."""

    budget: str | None = field(default=None, metadata=from_yaml("source.budget", "icc:budget"))
    funders: tuple[str, ...] = field(default=(), metadata=from_yaml("curation.funders", "icc:funder"))
    reviewed: dt.date | None = field(default=None, metadata=from_yaml("curation.reviewed_on", "icc:reviewedOn"))


@pytest.fixture
def practice_file(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target / PRACTICES / f"{SLUG}.yaml"


def _write(path: Path, source: dict | None = None, curation: dict | None = None) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["source"].update(source or {})
    doc.setdefault("curation", {}).update(curation or {})
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _read(path: Path) -> BudgetedPractice:
    countries, places = read_places(path.parent.parent / PLACES)
    themes = theme_slugs(vocabulary_graph(MINT), MINT)
    practice = read_practice(path, PlaceNames(countries, places), themes, record_type=BudgetedPractice)
    assert isinstance(practice, BudgetedPractice)
    return practice


def test_a_declared_field_is_read_from_its_yaml_key(practice_file):
    _write(practice_file, {"budget": "EUR 40,000 a year"},
           {"funders": ["City council", "A foundation"], "reviewed_on": "2026-12-01"})
    practice = _read(practice_file)
    assert practice.budget == "EUR 40,000 a year"
    assert practice.funders == ("City council", "A foundation")
    assert practice.reviewed == dt.date(2026, 12, 1)
    # The fields with rules of their own are read as the plain record reads them.
    plain = read_records(practice_file.parent.parent, theme_slugs(vocabulary_graph(MINT), MINT))
    ours = next(p for p in plain.practices if p.slug == SLUG)
    assert {name: getattr(practice, name) for name in vars(ours)} == vars(ours)


def test_a_declared_field_left_out_takes_its_default_and_a_correction_wins(practice_file):
    assert (_read(practice_file).budget, _read(practice_file).funders) == (None, ())
    _write(practice_file, {"budget": "EUR 1"}, {"corrections": {"budget": "EUR 2"}})
    assert _read(practice_file).budget == "EUR 2"


@pytest.mark.parametrize("source, curation, key, message", [
    ({"budget": ["a", "list"]}, {}, "source.budget", "expected str"),
    ({}, {"funders": ["ok", 3]}, "curation.funders[1]", "expected a text"),
    ({}, {"funders": "one text"}, "curation.funders", "expected list"),
    ({}, {"reviewed_on": "yesterday"}, "curation.reviewed_on", "not a date"),
])
def test_a_bad_declared_field_is_an_error_naming_file_and_key(practice_file, source, curation, key, message):
    _write(practice_file, source, curation)
    with pytest.raises(DataError) as error:
        _read(practice_file)
    assert error.value.path == practice_file and error.value.field == key and message in str(error.value)


def test_a_finding_on_a_declared_term_points_at_its_key(practice_file):
    data_dir = practice_file.parent.parent
    records = read_records(data_dir, theme_slugs(vocabulary_graph(MINT), MINT))
    origins = Origins(records, BASE, data_dir, practice_type=BudgetedPractice)
    focus = MINT.practice(SLUG)
    for term, key in [("budget", "source.budget"), ("funder", "curation.funders"),
                      ("reviewedOn", "curation.reviewed_on")]:
        assert origins.locate(focus, URIRef(str(ICC._NS) + term)) == (practice_file, None, key)
    assert origins.locate(focus, ICC.endYear) == (practice_file, None, "source.end_year")   # a Period part


def test_every_property_the_mapping_states_of_a_practice_is_located_in_its_file():
    """What the declarations say covers what the mapping writes: no finding on a practice falls back to a bare
    property name for want of a table row."""
    vocabulary = vocabulary_graph(MINT)
    records = read_records(DATA, theme_slugs(vocabulary, MINT))
    ds = map_records(records, MINT, vocabulary)
    origins = Origins(records, BASE, DATA)
    properties = set()
    for name in GRAPHS[:2]:   # source and curation: the graphs the practice files feed
        properties |= {p for s, p, _ in ds.graph(MINT.graph(name)) if str(s).startswith(BASE + "practice/")}
    assert RDF.type in properties and DCTERMS.title in properties and ICC.endYear in properties
    assert sorted(str(p) for p in properties - {RDF.type} if p not in origins.practice_fields) == []
    # Every declared field with terms is one the mapping writes, or one the seed leaves empty.
    assert {item.name for item in declared(Practice) if item.terms} >= {"title", "summary", "read_on", "themes"}

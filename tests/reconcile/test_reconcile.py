"""`icc-graph places reconcile` against a stand-in Wikidata (Oxigraph server + our fixture, behind our proxy).

The data: the seed's data/ plus what a harvest adds (new countries and cities
written by the importer's own code as `unconfirmed`, two districts). One first
run fills the cache; every later run in this module must be answered from it.
"""

from __future__ import annotations

import shutil
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import OWL

from icc_graph.build.datadir import read_places
from icc_graph.build.places_text import add_places
from icc_graph.build.records import Country, Place
from icc_graph.cli import main
from icc_graph.vocabulary.terms import ICC

from ..conftest import DATA
from .standin import RETRY_AFTER, standin_wikidata

pytestmark = pytest.mark.server

NEW_CITIES = [("valmora", "Valmora", "ES"), ("santa-aurelia", "Santa Aurelia", "ES"),
              ("santa-aurelia-pt", "Santa Aurelia", "PT"), ("norbridge", "Norbridge", "GB"),
              ("calvera", "Calvera", "IT"), ("tervania", "Tervania", "IT"), ("aubreuil", "Aubreuil", "FR"),
              ("zyxtown", "Zyxtown", "ES")]
NEW_DISTRICTS = ("- {slug: old-town, name: Old Town, city: norbridge, wikidata_status: unconfirmed}\n"
                 "- {slug: eastwick, name: Leeds-Eastwick, city: leeds, wikidata_status: unconfirmed}\n")
# What the rules must confirm: one item fits name, country, settlement type (and, for Eastwick, Leeds).
CONFIRMED = {"ES": "Q29", "FR": "Q142", "loures": "Q90000050", "valmora": "Q90000001", "santa-aurelia": "Q90000002",
             "santa-aurelia-pt": "Q90000003", "calvera": "Q90000031", "aubreuil": "Q90000040",
             "eastwick": "Q90000020"}
# Ambiguous: a city and its district with one label; a district whose city is not confirmed; only a region.
PARTIAL = {"norbridge": ("Q90000010", "Q90000011"), "old-town": ("Q90000012", "Q90000013"),
           "tervania": ("Q90000032",)}
NO_MATCH = ("zyxtown", "melitopol")


def harvested_data(folder: Path) -> Path:
    """A copy of data/ with the places a harvest adds, written as the importer writes them."""
    data = folder / "data"
    shutil.copytree(DATA, data)
    places = data / "places.yaml"
    text = add_places(places.read_text(encoding="utf-8"),
                      [Country("ES", "Spain", names=(("fr", "Espagne"),)), Country("FR", "France")],
                      [Place(slug, name, "city", iso2) for slug, name, iso2 in NEW_CITIES])
    places.write_text(text + NEW_DISTRICTS, encoding="utf-8")
    return data


def records(data: Path) -> dict[str, Country | Place]:
    countries, places = read_places(data / "places.yaml")
    return {**{c.iso2: c for c in countries}, **{p.slug: p for p in places}}


def reconcile(data: Path, cache: Path, endpoint: str, *extra: str):
    result = CliRunner().invoke(main, ["places", "reconcile", "--data", str(data), "--cache", str(cache),
                                       "--endpoint", endpoint, *extra], env={"ICC_GRAPH_WIKIDATA_DELAY": "0"})
    return result


@pytest.fixture(scope="module")
def standin(tmp_path_factory):
    with standin_wikidata(tmp_path_factory.mktemp("wikidata")) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def first(standin, tmp_path_factory):
    """The first run: its data folder, cache, output, and what was true before it."""
    folder = tmp_path_factory.mktemp("first")
    data = harvested_data(folder)
    before = records(data)
    result = reconcile(data, folder / "cache", standin.url)
    assert result.exit_code == 0, result.output
    return {"data": data, "cache": folder / "cache", "output": result.output, "before": before,
            "after": records(data), "requests": list(standin.requests), "text": (data / "places.yaml").read_text()}


def test_every_unambiguous_place_is_confirmed_with_coordinates(first):
    after = first["after"]
    for key, qid in CONFIRMED.items():
        assert (after[key].wikidata, after[key].wikidata_status) == (qid, "confirmed"), key
        if isinstance(after[key], Place):
            assert after[key].lat is not None and after[key].lon is not None, key
    assert (after["valmora"].lat, after["valmora"].lon) == (40.4168, -3.7038)   # Point(lon lat), 4 decimals
    assert after["valmora"].iso_code == "ES-VM"                                     # P300
    assert dict(after["valmora"].names) == {"fr": "Valmore"}                        # the site's other language
    assert dict(after["aubreuil"].names) == {"fr": "Aubreuil-sur-Mer"}              # matched by its French alias


def test_ambiguous_places_are_partial_with_their_candidates_and_none_is_wrongly_confirmed(first):
    after = first["after"]
    for slug, candidates in PARTIAL.items():
        place = after[slug]
        assert (place.wikidata, place.wikidata_status, place.wikidata_candidates) == (None, "partial", candidates)
        assert place.lat is None
    newly_confirmed = {k for k, r in after.items() if r.wikidata_status == "confirmed"
                       and first["before"][k].wikidata_status != "confirmed"}
    assert newly_confirmed == set(CONFIRMED)
    for slug in NO_MATCH:
        assert after[slug] == first["before"][slug]
    assert after["zyxtown"].lat is None


def test_the_seeds_curated_values_are_unchanged(first):
    before, after = first["before"], first["after"]
    for key, old in before.items():
        if key in CONFIRMED or key in PARTIAL or key in ("eastwick", "old-town"):
            continue
        new = after[key]
        assert (new.wikidata, new.wikidata_status) == (old.wikidata, old.wikidata_status), key
        if isinstance(old, Place):
            assert (new.lat, new.lon, new.iso_code) == (old.lat, old.lon, old.iso_code), key
            assert dict(old.names).items() <= dict(new.names).items(), key
    # Loures: confirmed now, its curated coordinates kept (Wikidata's differ).
    assert (after["loures"].lat, after["loures"].lon) == (38.8309, -9.1685)
    # Oslo: Wikidata's point and ISO code differ and are not taken; Reggio Emilia gains its French name only.
    assert (after["oslo"].lat, after["oslo"].iso_code) == (59.9133, "NO-03")
    assert dict(after["reggio-emilia"].names) == {"fr": "Reggio d'Émilie"}
    # Curated ids the rules would change are kept and reported; agreeing ones stay partial until a curator says.
    assert (after["auckland"].wikidata, after["erlangen"].wikidata_status) == ("Q37100", "partial")
    assert "differs  cities[12] auckland: curated Q37100 kept; Wikidata's rules find Q90000060" in first["output"]
    assert "agrees   cities[3] erlangen" in first["output"]
    # The file is edited in place: its comments and one-line entries stay.
    assert first["text"].startswith("# Countries, cities and districts")
    assert "- {slug: valmora, name: Valmora, country: ES, wikidata: Q90000001, wikidata_status: confirmed, " \
           "lat: 40.4168, lon: -3.7038, iso_code: ES-VM, names: {fr: Valmore}}\n" in first["text"]


def test_requests_are_polite_and_a_429_is_retried_after_the_wait_it_asks(first):
    requests = first["requests"]
    assert requests[0].status == 429 and all(r.status == 200 for r in requests[1:])
    assert requests[1].at - requests[0].at >= RETRY_AFTER * 0.95
    contact = yaml.safe_load((DATA / "dataset.yaml").read_text())["contact_page"]
    assert {r.user_agent for r in requests} == {f"icc-graph/{version('icc-graph')} (+{contact})"}
    # One request per distinct query (each kept in the cache), plus the one retried; batched with VALUES: a query
    # for the countries, two for the names (60 names a query), one for the details, for 34 countries and places.
    queries = list(first["cache"].glob("*.json"))
    assert len(requests) == len(queries) + 1
    assert len(queries) == 4 and len(first["after"]) == 34


def test_a_rerun_sends_no_query_and_changes_nothing(first, standin):
    count = standin.count
    result = reconcile(first["data"], first["cache"], standin.url)
    assert result.exit_code == 0, result.output
    assert standin.count == count
    assert "no change to" in result.output and "0 request(s) sent, 4 answer(s) from the cache" in result.output
    assert (first["data"] / "places.yaml").read_text() == first["text"]


def test_offline_works_from_the_cache_alone(first, standin, tmp_path):
    data = harvested_data(tmp_path)
    count = standin.count
    result = reconcile(data, first["cache"], "http://127.0.0.1:9/unreachable", "--offline")
    assert result.exit_code != 0      # the cache is keyed by endpoint: another endpoint's answers are not its own
    result = reconcile(data, first["cache"], standin.url, "--offline")
    assert result.exit_code == 0, result.output
    assert (data / "places.yaml").read_text() == first["text"]
    assert standin.count == count


def test_offline_without_an_answer_fails_and_writes_nothing(standin, tmp_path):
    data = harvested_data(tmp_path)
    text = (data / "places.yaml").read_text()
    result = reconcile(data, tmp_path / "empty-cache", standin.url, "--offline")
    assert result.exit_code == 1
    assert "--offline, and the cache holds no answer" in result.output
    assert "places.yaml was not changed" in result.output
    assert (data / "places.yaml").read_text() == text


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_curator_decisions_survive_reruns(first, standin, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(first["data"], data)
    places = data / "places.yaml"
    # Confirm one candidate; reject another (the only one); correct a coordinate by hand.
    _edit(places, "{slug: norbridge, name: Norbridge, country: GB, wikidata_status: partial, "
                  "wikidata_candidates: [Q90000010, Q90000011]}",
          "{slug: norbridge, name: Norbridge, country: GB, wikidata: Q90000010, wikidata_status: confirmed}")
    _edit(places, "wikidata_candidates: [Q90000032]}",
          "wikidata_candidates: [Q90000032], wikidata_rejected: [Q90000032]}")
    _edit(places, "lat: 40.4168, lon: -3.7038", "lat: 40.4, lon: -3.7")
    result = reconcile(data, first["cache"], standin.url)
    assert result.exit_code == 0, result.output
    after = records(data)
    assert (after["norbridge"].wikidata, after["norbridge"].wikidata_status) == ("Q90000010", "confirmed")
    assert (after["norbridge"].lat, after["norbridge"].lon) == (53.959, -1.0815)
    # Its city confirmed, Old Town now has one item inside it (through the city's centre, P131 twice).
    assert (after["old-town"].wikidata, after["old-town"].wikidata_status) == ("Q90000012", "confirmed")
    assert after["old-town"].wikidata_candidates == ()
    assert (after["tervania"].wikidata_status, after["tervania"].wikidata_candidates) == ("unconfirmed", ())
    assert after["tervania"].wikidata_rejected == ("Q90000032",)
    assert (after["valmora"].lat, after["valmora"].lon) == (40.4, -3.7)
    text = places.read_text()
    count = standin.count
    again = reconcile(data, first["cache"], standin.url)
    assert again.exit_code == 0, again.output
    assert standin.count == count and places.read_text() == text


def test_the_gate_publishes_the_links_and_names_the_fixing_command(first, tmp_path):
    from icc_graph.build.datadir import read_records
    from icc_graph.build.mapping import map_records, theme_slugs, vocabulary_graph
    from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter

    mint = Minter(DEFAULT_BASE)
    vocabulary = vocabulary_graph(mint)
    dataset = map_records(read_records(first["data"], theme_slugs(vocabulary, mint)), mint, vocabulary)
    curation = dataset.graph(mint.graph("curation"))
    wd = "http://www.wikidata.org/entity/"
    assert (mint.place("valmora"), OWL.sameAs, URIRef(wd + "Q90000001")) in curation
    assert set(curation.objects(mint.place("norbridge"), ICC.wikidataCandidate)) == {
        URIRef(wd + "Q90000010"), URIRef(wd + "Q90000011")}
    result = CliRunner().invoke(main, ["validate", "--data", str(first["data"])])
    assert result.exit_code == 0, result.output
    assert "[cities[20] zyxtown] field 'lat, lon': This place has no coordinates" in result.output
    assert "[cities[20] zyxtown] field 'wikidata': This place has no Wikidata id" in result.output
    assert result.output.count("run `icc-graph places reconcile`") >= 3    # zyxtown twice, melitopol


def test_a_wait_too_long_stops_the_run_and_writes_nothing(standin, tmp_path):
    data = harvested_data(tmp_path)
    text = (data / "places.yaml").read_text()
    standin.throttle, standin.retry_after = 1, 3600
    try:
        result = reconcile(data, tmp_path / "cache", standin.url)
    finally:
        standin.throttle, standin.retry_after = 0, RETRY_AFTER
    assert result.exit_code == 1
    assert "asks to wait 3600 s (Retry-After)" in result.output and "places.yaml was not changed" in result.output
    assert (data / "places.yaml").read_text() == text

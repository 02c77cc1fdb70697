"""Merging pages into data/: the seed changes nothing, curation is never touched, bad input writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from icc_graph.build.datadir import read_places, read_records
from icc_graph.cli import main
from icc_graph.errors import DataError
from icc_graph.importers import import_pages

from .test_listing import PAGES, SEED

READ_ON = dt.date(2026, 12, 1)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def source_of(data: Path, slug: str) -> dict:
    return yaml.safe_load((data / "practices" / f"{slug}.yaml").read_text(encoding="utf-8"))["source"]


def imported(data: Path, *pages: Path):
    result = import_pages(list(pages), data, read_on=READ_ON)
    result.write()
    return result.report


def test_seed_into_its_own_data_changes_nothing(data_copy):
    before = snapshot(data_copy)
    report = imported(data_copy, SEED)
    assert (report.added, report.changed, len(report.unchanged)) == ([], {}, 20)
    assert snapshot(data_copy) == before


def test_seed_into_empty_data_writes_the_same_source_blocks(data_copy, tmp_path):
    originals = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (data_copy / "practices").glob("*")}
    for path in (data_copy / "practices").glob("*.yaml"):
        path.unlink()
    report = imported(data_copy, SEED)
    assert len(report.added) == 20 and report.untitled == ["untitled-cascais-2017"]
    for name, original in originals.items():
        written = yaml.safe_load((data_copy / "practices" / name).read_text(encoding="utf-8"))
        assert written["source"] == {**original["source"], "read_on": READ_ON.isoformat()}, name
    cascais = yaml.safe_load((data_copy / "practices" / "untitled-cascais-2017.yaml").read_text(encoding="utf-8"))
    assert cascais["curation"] == {"themes": [], "label": "Untitled practice in Cascais (2017)"}
    assert len(read_records(data_copy, frozenset()).practices) == 20


def test_json_gives_the_20_practices_and_writes_nothing(data_copy):
    before = snapshot(data_copy)
    result = CliRunner().invoke(main, ["import", "--json", "--data", str(data_copy), str(SEED)])
    assert result.exit_code == 0, result.output
    practices = [json.loads(line) for line in result.output.splitlines()]
    assert len(practices) == 20
    by_slug = {p["slug"]: p for p in practices}
    assert by_slug["untitled-cascais-2017"]["title"] is None
    mayor = by_slug["young-mayor"]
    assert {k: mayor[k] for k in ("title", "country", "country_code", "cities", "period", "start_year", "end_year",
                                  "ongoing")} == {
        "title": "Young Mayor", "country": "United Kingdom", "country_code": "GB", "cities": ["London-Lewisham"],
        "period": "2018 onwards", "start_year": 2018, "end_year": None, "ongoing": True}
    assert mayor["sections"] == {"purpose": "Putting power and responsibility in the hands of young people.",
                                 "stimulus": "Lewisham Young Mayor is a robust attempt to put real power and "
                                             "responsibility in the hands of young..."}
    assert mayor["source"]["page"] == "https://www.coe.int/en/web/interculturalcities/good-practice"
    assert mayor["source"]["read"][0]["line"] == 33
    assert snapshot(data_copy) == before


def test_reimport_leaves_curation_untouched(data_copy):
    path = data_copy / "practices" / "district-mothers.yaml"
    curated = ("curation:\n  # reviewed by hand\n  themes:\n  - welcoming-and-social-integration\n"
               "  label: District Mothers (Stadtteilmütter)\n  corrections:\n    period: '2004'\n")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("curation:")] + curated, encoding="utf-8")
    report = imported(data_copy, PAGES / "detail_en.txt", PAGES / "detail_fr.html", SEED)
    # the practice's own page and its text replace the listing and its excerpt
    assert report.changed["district-mothers"] == ["detail_page", "page", "sections", "summary", "translations"]
    after = path.read_text(encoding="utf-8")
    assert after.endswith(curated)
    source = source_of(data_copy, "district-mothers")
    assert source["read_on"] == READ_ON.isoformat()
    assert len(source["sections"]) == 6                              # the detail page's, not the excerpt
    assert (source["page"], source["summary"]) == (source["detail_page"], None)
    assert source["translations"]["fr"]["title"] == "Mères de quartier"
    # the listing read again does not cut the detail page's sections back to its excerpt
    again = imported(data_copy, SEED)
    assert "district-mothers" in again.unchanged
    assert path.read_text(encoding="utf-8") == after


def test_same_practice_in_two_languages_is_one_record(data_copy):
    report = imported(data_copy, PAGES / "listing_fr.txt")
    assert sorted(report.added) == ["cite-daccueil-basque", "untitled-reggio-emilia"]
    assert sorted(report.changed) == ["local-assemblies", "young-mayor"]
    assemblies = source_of(data_copy, "local-assemblies")
    assert assemblies["title"] == "Local Assemblies" and assemblies["period"] == "2008 onwards"
    assert assemblies["translations"]["fr"]["title"] == "Assemblées locales"
    assert assemblies["translations"]["fr"]["page"] == "https://www.coe.int/fr/web/interculturalcities/good-practice"
    # French first, then English: still one record
    english = data_copy.parent / "basque.txt"
    english.write_text("Basque welcome city\n\nSpain Donostia-San Sebastian May 2016\n\nPurpose: Welcome.\n\n"
                       "Read More\n", encoding="utf-8")
    report = imported(data_copy, english)
    assert (report.added, list(report.changed)) == ([], ["cite-daccueil-basque"])
    basque = source_of(data_copy, "cite-daccueil-basque")
    assert (basque["language"], basque["translations"]["en"]["title"]) == ("fr", "Basque welcome city")
    assert len(read_records(data_copy, frozenset(_all_themes(data_copy))).practices) == 22


def test_untitled_practice_in_two_languages_is_one_record(data_copy, tmp_path):
    page = tmp_path / "cascais-fr.txt"
    page.write_text("Portugal Cascais Depuis 2017\n\nObjectif : Des activités interculturelles...\n\n"
                    "Lire la suite\n", encoding="utf-8")
    report = imported(data_copy, page)
    assert (report.added, report.changed) == ([], {"untitled-cascais-2017": ["translations"]})
    french = source_of(data_copy, "untitled-cascais-2017")["translations"]["fr"]
    assert (french["title"], french["period"]) == (None, "Depuis 2017")


def _all_themes(data: Path) -> set[str]:
    return {t for p in (data / "practices").glob("*.yaml")
            for t in (yaml.safe_load(p.read_text(encoding="utf-8"))["curation"].get("themes") or [])}


def test_new_city_and_country_are_added_unconfirmed_and_reported(data_copy):
    places_before = (data_copy / "places.yaml").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "--data", str(data_copy), "--read-on", "2026-12-01",
                                       str(PAGES / "listing_en.html")])
    assert result.exit_code == 0, result.output
    assert "new country South Korea (KR), unconfirmed" in result.output
    assert "new city Ansan (KR) as ansan, unconfirmed" in result.output
    assert "3 added, 1 changed, 0 unchanged" in result.output
    places_after = (data_copy / "places.yaml").read_text(encoding="utf-8")
    assert places_after.startswith(places_before.split("cities:")[0].rstrip("\n"))   # comments and order kept
    countries, places = read_places(data_copy / "places.yaml")
    korea = next(c for c in countries if c.iso2 == "KR")
    assert (korea.name, korea.wikidata_status) == ("South Korea", "unconfirmed")
    ansan = next(p for p in places if p.slug == "ansan")
    assert (ansan.country, ansan.kind, ansan.wikidata) == ("KR", "city", None)
    assert source_of(data_copy, "ansan-multicultural-village")["cities"] == ["Ansan"]
    # the seed's place entries are untouched, line by line
    assert set(places_before.splitlines()) <= set(places_after.splitlines())


def test_same_practice_on_two_pages_is_one_record(data_copy):
    result = import_pages([SEED, PAGES / "listing_en.html"], data_copy, read_on=READ_ON)
    assert len(result.groups["district-mothers"]) == 2
    assert len(result.practices()) == 23         # 20 + 3 new; District Mothers once
    result.write()
    assert result.report.changed == {"district-mothers": ["page"]}     # the page read last
    assert source_of(data_copy, "district-mothers")["page"].endswith("good-practice?page=2")


def test_two_practices_with_one_slug_are_an_error(data_copy, tmp_path):
    page = tmp_path / "twice.txt"
    page.write_text("Welcome\n\nItaly Turin 2019\n\nx\n\nRead More\n\nWelcome\n\nItaly Turin 2020\n\ny\n\n"
                    "Read More\n", encoding="utf-8")
    with pytest.raises(DataError, match="two different practices take the slug 'welcome'"):
        import_pages([page], data_copy, read_on=READ_ON)


def test_known_title_in_another_country_is_an_error_not_an_update(data_copy, tmp_path):
    page = tmp_path / "other.txt"
    page.write_text("Young Mayor\n\nNorway Oslo 2019\n\nx\n\nRead More\n", encoding="utf-8")
    with pytest.raises(DataError, match="'young-mayor' is taken by a practice in another country") as caught:
        import_pages([page], data_copy, read_on=READ_ON)
    assert caught.value.line == 3


def test_ambiguous_translation_is_an_error(data_copy, tmp_path):
    page = tmp_path / "fr.txt"       # two English records are Reggio Emilia, 2016
    page.write_text("Politique internationale\n\nItalie Reggio Emilia 2016\n\nObjectif : x\n\nLire la suite\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match="a-city-international-policy, first-welcome") as caught:
        import_pages([page], data_copy, read_on=READ_ON)
    assert caught.value.line == 3


BAD_PAGES = [
    ("empty.txt", b"", "the file is empty"),
    ("blank.txt", b"\n  \n\t\n", "the file is empty"),
    ("junk.bin", bytes(range(256)) * 8, "binary"),
    ("latin1.txt", "Cité interculturelle\nLire la suite\n".encode("latin-1"), "not UTF-8"),
    ("controls.txt", b"\x01\x02\x03\x04abc\x05\x06\x07\x08" * 20, "control characters"),
    ("shop.html", b"<html><body><h1>Shoes</h1><p>Buy two, get one free.</p></body></html>",
     "not an ICC good-practice page"),
    ("notes.txt", b"Shopping list\n\nmilk\neggs\n", "not an ICC good-practice page"),
    ("tags.html", b"<html><body><script>x()</script></body></html>", "the page has no text"),
    ("german.html", b"<html lang='de'><body><p>Weiterlesen</p></body></html>", "the page is in 'de'"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_PAGES, ids=[b[0] for b in BAD_PAGES])
def test_bad_input_is_a_clear_error_and_nothing_is_written(data_copy, tmp_path, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    before = snapshot(data_copy)
    # a good page alongside the bad one: still nothing written
    result = CliRunner().invoke(main, ["import", "--data", str(data_copy), str(PAGES / "listing_fr.txt"), str(bad)])
    assert result.exit_code == 1
    assert message in result.output and str(bad) in result.output
    assert "nothing was written" in result.output
    assert snapshot(data_copy) == before


def test_missing_page_is_a_clear_error(data_copy, tmp_path):
    with pytest.raises(DataError, match="cannot read the page"):
        import_pages([tmp_path / "absent.txt"], data_copy)


def test_written_files_keep_the_repository_mode(data_copy):
    imported(data_copy, PAGES / "listing_fr.txt")
    mode = (data_copy / "practices" / "cite-daccueil-basque.yaml").stat().st_mode & 0o777
    assert mode == 0o644                   # not mkstemp's owner-only mode
    assert not list(data_copy.rglob("*.import"))


def test_an_entry_not_read_for_sure_goes_to_review_and_costs_the_others_nothing(data_copy, tmp_path):
    """`icc-graph import` as `harvest`: the unsure entry is listed with its page, text and reason; the rest lands."""
    listing = tmp_path / "listing.txt"
    listing.write_text("Intercultural cities: good practice examples\n\n"
                       "A new welcome desk\n\nPortugal Lisbon 2016\n\nPurpose: x\n\nRead More\n\n"
                       "A plan in Narnia\n\nNarnia Oslo 2016\n\nPurpose: y\n\nRead More\n\n"
                       "Neighbours together\n\nNorway Oslo 2019-\n\nPurpose: z\n\nRead More\n", encoding="utf-8")
    (data_copy / "review.yaml").write_text(
        "- page: https://example.org/earlier\n  reason: an earlier item\n  text: kept\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "--data", str(data_copy), str(listing)])
    assert result.exit_code == 3, result.output
    assert "1 entries need review" in result.output
    assert (data_copy / "practices" / "a-new-welcome-desk.yaml").is_file()
    assert (data_copy / "practices" / "neighbours-together.yaml").is_file()
    assert not (data_copy / "practices" / "a-plan-in-narnia.yaml").exists(), "nothing half-read is published"
    review = yaml.safe_load((data_copy / "review.yaml").read_text(encoding="utf-8"))
    assert [item["reason"] for item in review if item["page"] == "https://example.org/earlier"] == ["an earlier item"]
    [item] = [item for item in review if item["page"] != "https://example.org/earlier"]
    assert "Narnia Oslo 2016" in item["text"] and "Country City Period" in item["reason"]

"""`icc-graph harvest` against the stand-in site: what lands in data/, what the site saw, a second run, --offline."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from icc_graph.build.datadir import read_places
from icc_graph.cli import main
from icc_graph.config import load_settings
from icc_graph.harvest import harvest
from icc_graph.harvest.display import Display
from icc_graph.importers.places import Gazetteer

from ..conftest import DATA
from .generator import generate
from .standin import SECTION, StandIn

DELAY = 0.001


@pytest.fixture(scope="module")
def practices():
    return generate()


@pytest.fixture(scope="module")
def first_run(practices, tmp_path_factory):
    """One harvest of the stand-in site into a copy of data/, then a second one: (site, folder, results, snapshots)."""
    root = tmp_path_factory.mktemp("harvest")
    shutil.copytree(DATA, root / "data")
    site = StandIn(practices).start()
    settings = load_settings(environ={}, data_dir=root / "data", harvest_site=site.url,
                             harvest_cache_dir=root / "cache", harvest_delay=DELAY)
    first = harvest(settings, display=Display(io.StringIO(), live=False))
    seen_first = list(site.seen)
    after_first = snapshot(root / "data")
    second = harvest(settings, display=Display(io.StringIO(), live=False))
    seen_second = site.seen[len(seen_first):]
    yield site, root, settings, first, second, seen_first, seen_second, after_first
    site.stop()


def snapshot(folder: Path, site_url: str = "") -> dict[str, str]:
    """Each file's SHA-256 (with the stand-in's URL, whose port varies, written as SITE when given)."""
    def digest(p: Path) -> str:
        data = p.read_bytes()
        return hashlib.sha256(data.replace(site_url.encode(), b"SITE") if site_url else data).hexdigest()
    return {str(p.relative_to(folder)): digest(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def landed(practice, data: Path, gazetteer: Gazetteer, review: list[dict]) -> bool:
    """Whether one generated practice is in data/ as the generator meant it (or in the review list, for those
    that cannot be read for sure)."""
    slug = practice.moved_to or practice.slug
    path = data / "practices" / f"{slug}.yaml"
    if practice.review:
        return not path.exists() and any(item.get("slug") == slug for item in review)
    if not path.exists():
        return False
    source = yaml.safe_load(path.read_text(encoding="utf-8"))["source"]
    french = source.get("translations", {}).get("fr", {})
    return (source["title"], french.get("title"), gazetteer.country_code(source["country"]), source["cities"],
            source["start_year"], source["end_year"], source["ongoing"]) == (
        practice.titles["en"], practice.titles["fr"], practice.country, practice.cities, practice.start,
        practice.end, practice.ongoing)


def test_over_98_percent_of_entries_land_right(first_run, practices):
    site, root, *_ = first_run
    review = yaml.safe_load((root / "data" / "review.yaml").read_text(encoding="utf-8"))
    gazetteer = Gazetteer(*read_places(root / "data" / "places.yaml"))
    wrong = [p.slug for p in practices if not landed(p, root / "data", gazetteer, review)]
    rate = 1 - len(wrong) / len(practices)
    assert rate > 0.98, (rate, wrong)


def test_each_record_names_its_own_page_and_holds_its_text(first_run, practices):
    site, root, *_ = first_run
    for p in practices:
        if p.review:
            continue
        slug = p.moved_to or p.slug
        source = yaml.safe_load((root / "data" / "practices" / f"{slug}.yaml").read_text(encoding="utf-8"))["source"]
        if p.status == 404 or p.disallowed:
            # the page is gone (or forbidden): the listing's data is kept, and it names the listing
            assert source["page"] == f"{site.url}/en{SECTION}/good-practice"
            assert source["summary"].endswith("...")
            continue
        assert source["page"] == f"{site.url}/en{SECTION}/-/{slug}"
        assert source["translations"]["fr"]["page"] == f"{site.url}/fr{SECTION}/-/{slug}"
        sections = dict(source["sections"])
        if p.layout != "no-headings":   # the page's list of documents is its own section, not part of another
            assert sections.pop("key_reference_documents") == "Plan (PDF)", slug
        text = "\n".join([source["summary"] or "", *sections.values()])
        for _, paragraph in p.texts["en"]:
            assert paragraph in text, slug
        if p.subtitle["en"]:
            assert p.subtitle["en"] in (source["summary"] or "")
        assert "Plan (PDF)" not in text and "Share this page" not in text and "Council of Europe" not in text


def test_entries_not_read_for_sure_go_to_review_and_the_exit_status_says_so(first_run, practices):
    site, root, settings, first, *_ = first_run
    review = yaml.safe_load((root / "data" / "review.yaml").read_text(encoding="utf-8"))
    assert first.exit_status == 3
    doubtful = {p.slug for p in practices if p.review}
    assert {item["slug"] for item in review} == doubtful
    assert all(item["page"].startswith(site.url) and item["text"] and item["reason"] for item in review)
    assert any("one city or several" in item["reason"] for item in review)
    for slug in doubtful:
        assert not (root / "data" / "practices" / f"{slug}.yaml").exists()


def test_new_cities_and_districts_are_unconfirmed_places(first_run):
    _, root, *_ = first_run
    countries, places = read_places(root / "data" / "places.yaml")
    by_slug = {p.slug: p for p in places}
    assert (by_slug["berlin-mitte"].kind, by_slug["berlin-mitte"].parent) == ("district", "berlin")
    assert by_slug["santa-coloma-de-gramenet"].wikidata_status == "unconfirmed"
    assert by_slug["oslo"].wikidata_status == "confirmed"          # known places untouched


def test_robots_txt_and_the_user_agent_are_respected(first_run):
    site, _, settings, _, _, seen_first, *_ = first_run
    assert seen_first[0].path == "/robots.txt"
    assert not [s for s in seen_first if "/-/internal-" in s.path]
    agents = {s.headers.get("User-Agent") for s in seen_first}
    assert agents == {f"icc-graph/{_version()} (+https://w3id.org/icc-graph/)"}     # dataset.yaml's contact_page


def test_retry_after_is_honoured(first_run):
    site, *_, seen_first, _, _ = first_run
    for status in (429, 503):
        refused = [i for i, s in enumerate(seen_first) if s.status == status]
        assert refused, f"the stand-in gave no {status}"
        for i in refused:
            retry = next(s for s in seen_first[i + 1:] if s.path == seen_first[i].path)
            assert retry.at - seen_first[i].at >= 1.0          # Retry-After: 1
            assert retry.status == 200


def test_a_moved_page_is_followed_and_a_gone_one_reported(first_run, practices):
    site, root, settings, first, *_ = first_run
    moved = next(p for p in practices if p.status == 301)
    gone = next(p for p in practices if p.status == 404)
    assert not (root / "data" / "practices" / f"{moved.slug}.yaml").exists()
    assert any(gone.slug in problem and "404" in problem for problem in first.problems)
    assert (root / "data" / "practices" / f"{gone.slug}.yaml").exists()


def test_second_run_downloads_almost_nothing_and_changes_nothing(first_run):
    site, root, settings, first, second, seen_first, seen_second, after_first = first_run
    assert snapshot(root / "data") == after_first
    assert [s.path for s in seen_second if s.status == 200] == []
    conditional = [s for s in seen_second if s.status == 304]
    assert all("If-None-Match" in s.headers and "If-Modified-Since" in s.headers for s in conditional)
    assert len(conditional) >= len(seen_second) - 4          # the 404 and 301 answers are asked again
    assert second.downloaded < first.downloaded / 100
    assert (second.requests, first.requests) == (len(seen_second), len(seen_first))


def test_offline_rebuilds_data_from_the_cache_alone(first_run, tmp_path):
    site, root, settings, *_, after_first = first_run
    shutil.copytree(DATA, tmp_path / "data")
    count = len(site.seen)
    offline = harvest(settings.__class__(**{**settings.__dict__, "data_dir": tmp_path / "data"}), offline=True,
                      display=Display(io.StringIO(), live=False))
    assert len(site.seen) == count and offline.requests == 0
    assert snapshot(tmp_path / "data") == after_first


def _version() -> str:
    from icc_graph.polite_http import user_agent
    return user_agent("x").split("/")[1].split(" ")[0]


def test_a_killed_harvest_resumes_where_it_stopped(practices, tmp_path, first_run):
    """A harvest killed (SIGKILL) mid-way, run again: what it had fetched is not asked again, and data/ ends up
    as after an uninterrupted harvest."""
    first_site, first_root = first_run[0], first_run[1]
    shutil.copytree(DATA, tmp_path / "data")
    site = StandIn(practices, retries=False).start()
    killed = threading.Event()
    command = [sys.executable, "-m", "icc_graph", "harvest", "--site", site.url, "--data", str(tmp_path / "data"),
               "--cache", str(tmp_path / "cache"), "--delay", str(DELAY)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "ICC_GRAPH_HARVEST_LANGUAGES": "en,fr"})

    def kill_at(count: int) -> None:
        if count == 80 and not killed.is_set():
            process.kill()
            killed.set()

    site.on_request = kill_at
    try:
        process.wait(timeout=120)
        assert killed.is_set(), "the harvest ended before it could be killed"
        before = {s.path for s in site.seen if s.status == 200}
        count = len(site.seen)
        site.on_request = None
        settings = load_settings(environ={}, data_dir=tmp_path / "data", harvest_site=site.url,
                                 harvest_cache_dir=tmp_path / "cache", harvest_delay=DELAY)
        resumed = harvest(settings, display=Display(io.StringIO(), live=False))
        again = [s.path for s in site.seen[count:] if s.path in before]
        assert len(again) <= 2                                  # at most the answers in flight when it was killed
        assert resumed.counts.get("resumed", 0) >= len(before) - 2
        assert snapshot(tmp_path / "data", site.url) == snapshot(first_root / "data", first_site.url)
        assert not (tmp_path / "cache" / "journal.txt").exists()
    finally:
        site.stop()


def test_command_exit_status_and_summary(first_run, tmp_path):
    site, root, *_ = first_run
    shutil.copytree(DATA, tmp_path / "data")
    result = CliRunner().invoke(main, ["harvest", "--site", site.url, "--data", str(tmp_path / "data"), "--cache",
                                       str(root / "cache"), "--offline"])
    assert result.exit_code == 3, result.output
    assert "100 new, 0 changed, 0 unchanged, 8 need review" in result.output


def test_progress_on_a_terminal_redraws_one_line():
    stream = io.StringIO()
    display = Display(stream, live=True)
    display.expect(2)
    display.practice_page("en", "a", _FakeFetched())
    display.summary(["done"])
    assert "\r\033[K[" in stream.getvalue() and "1/2" in stream.getvalue() and stream.getvalue().endswith("done\n")


class _FakeFetched:
    how = "downloaded"
    note = ""

    class stored:  # noqa: N801 (stands for a Stored answer)
        status = 200


def test_a_curator_resolves_the_review_list_and_an_offline_run_publishes(first_run, tmp_path):
    """One entry resolved in places.yaml (the two cities it runs together), the other with curation.corrections
    (its period gives no year): `harvest --offline` publishes both and the review list is empty."""
    site, root, settings, *_ = first_run
    data = tmp_path / "data"
    shutil.copytree(root / "data", data)
    places = data / "places.yaml"
    added = "- {slug: bilbao, name: Bilbao, country: ES}\n- {slug: getxo, name: Getxo, country: ES}\n"
    text = places.read_text(encoding="utf-8").replace("cities:\n", "cities:\n" + added, 1)
    places.write_text(text, encoding="utf-8")
    (data / "practices" / "uncertain-entry-2.yaml").write_text(
        "slug: uncertain-entry-2\nsource:\ncuration:\n  themes: []\n  corrections: {country: Norway, cities: [Oslo], "
        "start_year: 2019, end_year: 2019, ongoing: false}\n", encoding="utf-8")
    result = harvest(settings.__class__(**{**settings.__dict__, "data_dir": data}), offline=True,
                     display=Display(io.StringIO(), live=False))
    assert result.exit_status == 0 and result.review == []
    assert yaml.safe_load((data / "review.yaml").read_text(encoding="utf-8")) == []
    first = yaml.safe_load((data / "practices" / "uncertain-entry-1.yaml").read_text(encoding="utf-8"))
    assert (first["source"]["cities"], first["source"]["start_year"]) == (["Bilbao", "Getxo"], 2019)
    second = yaml.safe_load((data / "practices" / "uncertain-entry-2.yaml").read_text(encoding="utf-8"))
    assert (second["source"]["title"], second["source"]["period"]) == ("Uncertain entry 2", "Spring")
    assert second["curation"]["corrections"]["start_year"] == 2019        # the curator's, untouched


def test_nothing_read_writes_nothing(tmp_path):
    """--offline with an empty cache reads no listing: an error, and data/ (its review list too) is left as it was."""
    shutil.copytree(DATA, tmp_path / "data")
    (tmp_path / "data" / "review.yaml").write_text("# kept\n[]\n", encoding="utf-8")
    before = snapshot(tmp_path / "data")
    result = CliRunner().invoke(main, ["harvest", "--data", str(tmp_path / "data"), "--cache",
                                       str(tmp_path / "empty-cache"), "--offline"])
    assert result.exit_code == 1 and "no listing page could be read" in result.output
    assert snapshot(tmp_path / "data") == before

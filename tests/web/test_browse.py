"""Browsing: the practices list and its facets, home and downloads, sitemap, VoID, languages, the network."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, VOID

from icc_graph.build.datadir import read_records
from icc_graph.build.mapping import theme_slugs, vocabulary_graph
from icc_graph.vocabulary.iris import Minter
from icc_graph.web.app import create_app

from ..conftest import DATA

BASE = "https://w3id.org/icc-graph/"
RESULT_LINK = re.compile(r'<li><a href="/practice/([a-z0-9-]+)">')


@pytest.fixture(scope="module")
def records():
    mint = Minter(BASE)
    return read_records(DATA, theme_slugs(vocabulary_graph(mint), mint))


def listed(client, query: str) -> set[str]:
    response = client.get("/practices" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return set(RESULT_LINK.findall(response.get_data(as_text=True)))


def running_in(practice, year: int) -> bool:
    p = practice.period
    if p.start_year is None or p.start_year > year:
        return False
    end = p.end_year if p.end_year is not None else (9999 if p.ongoing else p.start_year)
    return end >= year


def test_unfiltered_list_holds_every_practice(client, records):
    assert listed(client, "") == {p.slug for p in records.practices}


# (query string, which records it keeps)
FACET_CASES = [
    ("?theme=refugees", lambda p: "refugees" in p.themes),
    ("?theme=welcoming-and-social-integration", lambda p: "welcoming-and-social-integration" in p.themes),
    ("?country=pt", lambda p: p.country == "PT"),
    ("?country=pt&theme=housing-and-urban-planning", lambda p: p.country == "PT" and "housing-and-urban-planning"
     in p.themes),
    ("?city=leeds", lambda p: "leeds" in p.places),
    ("?city=berlin", lambda p: any(pl in ("berlin", "berlin-neukolln") for pl in p.places)),   # with its district
    ("?year=2016", lambda p: running_in(p, 2016)),
    ("?year=2022&country=no", lambda p: running_in(p, 2022) and p.country == "NO"),
    ("?q=mothers", lambda p: "mothers" in " ".join([p.label, p.summary or ""] + [t for _, t in p.sections]).lower()),
    ("?q=MOTHERS", lambda p: "mothers" in " ".join([p.label, p.summary or ""] + [t for _, t in p.sections]).lower()),
    ('?q=%22%5C%7D+%7D', lambda p: False),   # quotes, backslash and braces stay inside the search string
]


@pytest.mark.parametrize(("query", "keep"), FACET_CASES)
def test_facets_and_search_keep_the_right_practices(client, records, query, keep):
    expected = {p.slug for p in records.practices if keep(p)}
    assert listed(client, query) == expected
    if "&" not in query and not query.startswith("?q=%22"):
        assert expected, f"{query} should keep some practice of the seed data"


def test_facet_counts_and_links(client, records):
    html = client.get("/practices?country=de").get_data(as_text=True)
    assert re.search(r'<strong>4</strong> practices', html)
    refugees = sum(1 for p in records.practices if p.country == "DE" and "refugees" in p.themes)
    assert re.search(rf'href="/practices\?(country=de&amp;theme=refugees|theme=refugees&amp;country=de)">'
                     rf'Refugees</a> <span class="count">{refugees}</span>', html)


@pytest.mark.parametrize("query", ["?theme=%3Cscript%3E", "?country=de%20}", "?year=twenty", "?year=99999",
                                   "?page=0", "?city=Berlin"])
def test_a_bad_facet_is_a_400_that_names_it(client, query):
    response = client.get("/practices" + query)
    assert response.status_code == 400
    assert query[1:].split("=")[0] in response.get_data(as_text=True)


def test_home_offers_every_download_with_size_and_checksum(client, seed_release):
    html = client.get("/").get_data(as_text=True)
    assert "ICC good practices" in html
    assert 'href="/sparql"' in html and 'href="/dataset"' in html
    sums = dict(reversed(line.split("  ", 1)) for line in (seed_release / "SHA256SUMS").read_text().splitlines())
    assert sums
    for name, digest in sums.items():
        assert f'href="/downloads/{name}"' in html
        assert digest in html
        assert f'data-bytes="{(seed_release / name).stat().st_size}"' in html
        body = client.get(f"/downloads/{name}").data
        assert hashlib.sha256(body).hexdigest() == digest, name


@pytest.mark.parametrize("path", [
    "/downloads/../SHA256SUMS", "/downloads/..%2FSHA256SUMS", "/downloads/%2e%2e/%2e%2e/etc/passwd",
    "/downloads//etc/passwd", "/downloads/.builds", "/downloads/..", "/downloads/.", "/downloads/%00",
    "/downloads/latest/SHA256SUMS", "/downloads/no-such-file.ttl",
])
def test_downloads_never_leave_the_release_folder(client, path):
    response = client.get(path, follow_redirects=True)   # Werkzeug redirects "//" to "/" first
    assert response.status_code == 404
    assert b"root:" not in response.data


def test_a_link_out_of_the_release_folder_is_not_followed(seed_release, client, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    link = seed_release / "zz-link.txt"
    link.symlink_to(outside)
    try:
        assert client.get("/downloads/zz-link.txt").status_code == 404
    finally:
        link.unlink()


SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "http://localhost/"   # the test client's URL: with no ICC_GRAPH_PUBLIC_URL the sitemap follows the request


def sitemap_urls(client) -> list[str]:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index.mimetype == "application/xml"
    urls = []
    for loc in ET.fromstring(index.data).findall("s:sitemap/s:loc", SITEMAP):
        part = client.get(loc.text.removeprefix(SITE.rstrip("/")))
        assert part.status_code == 200, loc.text
        urls += [u.text for u in ET.fromstring(part.data).findall("s:url/s:loc", SITEMAP)]
    return urls


def test_sitemap_lists_every_page_at_the_url_the_site_is_reached_at(client, records):
    urls = set(sitemap_urls(client))
    assert {f"{SITE}practice/{p.slug}" for p in records.practices} <= urls
    assert {f"{SITE}city/{p.slug}" for p in records.places} <= urls
    assert {f"{SITE}country/{c.iso2.lower()}" for c in records.countries} <= urls
    assert {f"{SITE}theme/refugees", f"{SITE}practices", f"{SITE}"} <= urls
    assert client.get("/sitemap-99.xml").status_code == 404


def test_sitemap_splits_into_parts_no_larger_than_one_store_answer(seed_settings, capped_store, client):
    """With a row cap of 40 the same URLs come in several files, each once."""
    small_client = create_app(seed_settings, capped_store).test_client()
    parts = ET.fromstring(small_client.get("/sitemap.xml").data).findall("s:sitemap", SITEMAP)
    urls = sitemap_urls(small_client)
    assert len(parts) > 2
    assert len(urls) == len(set(urls))
    assert sorted(urls) == sorted(sitemap_urls(client))


@pytest.mark.parametrize(("accept", "parse_as"), [(None, "turtle"), ("text/turtle", "turtle"),
                                                  ("application/ld+json", "json-ld")])
def test_well_known_void_leads_to_the_dataset_record(client, accept, parse_as):
    response = client.get("/.well-known/void", headers={"Accept": accept} if accept else {})
    assert response.status_code == 303
    assert response.headers["Location"] == "/dataset"
    described = Graph().parse(data=client.get("/dataset", headers={"Accept": accept or "text/turtle"}).data,
                              format=parse_as)
    assert (None, RDF.type, VOID.Dataset) in described
    assert (None, VOID.dataDump, URIRef(f"{SITE}downloads/icc-graph.nt")) in described, "dumps where they are served"


# (Accept-Language, the name Lisbon's page shows)
LANGUAGE_CASES = [
    (None, "Lisbon"),
    ("en", "Lisbon"),
    ("fr", "Lisbonne"),
    ("fr-CH, fr;q=0.9, en;q=0.8", "Lisbonne"),
    ("pt-PT", "Lisboa"),
    ("de", "Lisbon"),          # no German name: English
    ("de, pt;q=0.5", "Lisboa"),
    ("*", "Lisbon"),
]


@pytest.mark.parametrize(("accept_language", "name"), LANGUAGE_CASES)
def test_labels_follow_accept_language_with_english_fallback(client, accept_language, name):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    html = client.get("/city/lisbon", headers=headers).get_data(as_text=True)
    assert re.search(r"<h1>(.*?)</h1>", html).group(1) == name
    theme = client.get("/theme/refugees", headers=headers).get_data(as_text=True)
    assert re.search(r"<h1>(.*?)</h1>", theme).group(1) == ("Réfugiés" if name == "Lisbonne" else "Refugees")

"""A real browser (Debian's chromium through Playwright) walks the site on a real `icc-graph serve`.

home -> practices -> a practice -> its city -> a linked city, and the city
network; each step checks what a reader sees and leaves a screenshot in
test-artifacts/web/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import ROOT
from ..serving import running_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "web"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium); "
                                                     "apt-get install chromium to run the browser tests"),
]


@pytest.fixture(scope="module")
def site_url(seed_release):
    with running_server(seed_release, workers=1, threads=4) as server:
        yield server.url.rstrip("/")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"script errors in the page: {errors}"


def shoot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def test_walk_home_practice_city_linked_city(page, site_url):
    from playwright.sync_api import expect

    page.goto(site_url + "/")
    expect(page.locator("h1")).to_have_text("ICC good practices (icc-graph)")
    expect(page.locator("section.downloads tbody tr").first).to_be_visible()
    expect(page.locator("section.downloads")).to_contain_text("icc-graph.ttl")
    expect(page.locator("a[href='/sparql']").first).to_be_visible()
    shoot(page, "01-home")

    page.get_by_role("link", name="Browse the practices").click()
    expect(page).to_have_url(site_url + "/practices")
    page.get_by_placeholder("Search titles and texts").fill("connector")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("p.total")).to_contain_text("1 practice")
    shoot(page, "02-practices-search")
    page.locator("ol.practice-list a", has_text="Community Connector Project").click()

    expect(page).to_have_url(site_url + "/practice/community-connector-project")
    expect(page.locator("h1")).to_have_text("Community Connector Project")
    expect(page.locator("dd.country")).to_have_text("United Kingdom")
    expect(page.locator("dd.source a")).to_have_attribute("href", "https://www.coe.int/en/web/interculturalcities/"
                                                                  "good-practice")
    expect(page.locator("dd.source time")).to_have_text("2026-11-28")
    headings = page.locator("section.template-section h2").all_inner_texts()
    assert headings == ["Purpose", "Stimulus / rationale", "Process", "Outcomes / impact", "Evaluation",
                        "Key success factors", "Transferability", "Key reference documents"]
    assert page.locator("dd.themes a").count() >= 1
    assert page.locator('script[type="application/ld+json"]').count() == 1
    shoot(page, "03-practice")

    page.locator("dd.places a", has_text="Leeds").click()
    expect(page).to_have_url(site_url + "/city/leeds")
    expect(page.locator("h1")).to_have_text("Leeds")
    expect(page.locator("figure.map svg circle.pt.self")).to_be_visible()
    expect(page.locator("section.practices")).to_contain_text("Community Connector Project")
    rows = page.locator("tr.city-link")
    assert rows.count() >= 1
    first = rows.first
    linked_name = first.locator("td.linked-city a").first.inner_text()
    assert first.locator("td.shared-themes a").count() >= 1, "a link names the themes it shares"
    assert first.locator("td.evidence a").count() >= 1, "a link names the practices behind it"
    shoot(page, "04-city")

    first.locator("td.linked-city a").first.click()
    expect(page.locator("h1")).to_have_text(linked_name)
    assert "/city/" in page.url
    back = page.locator("tr.city-link", has=page.locator("td.linked-city a", has_text="Leeds"))
    expect(back).to_have_count(1)
    expect(page.locator("figure.map svg")).to_be_visible()
    shoot(page, "05-linked-city")


def test_network_nodes_open_their_city(page, site_url):
    from playwright.sync_api import expect

    page.goto(site_url + "/network")
    expect(page.locator("figure.network svg")).to_be_visible()
    assert page.locator("a.edge").count() > 0
    shoot(page, "06-network")
    page.locator("a.node", has_text="Oslo").locator("text").click()   # the label (the group has gaps)
    expect(page).to_have_url(site_url + "/city/oslo")
    expect(page.locator("h1")).to_have_text("Oslo")


def test_french_reader_gets_french_labels(browser, site_url):
    from playwright.sync_api import expect

    context = browser.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    try:
        page = context.new_page()
        page.goto(site_url + "/city/lisbon")
        expect(page.locator("h1")).to_have_text("Lisbonne")
        shoot(page, "07-city-fr")
    finally:
        context.close()


def test_ontology_terms_have_anchors(page, site_url):
    from playwright.sync_api import expect

    page.goto(site_url + "/ontology#CityLink")
    term = page.locator("section.term#CityLink")
    expect(term).to_be_visible()
    expect(term).to_contain_text("city link")
    assert page.evaluate("document.querySelector(':target').id") == "CityLink"
    shoot(page, "08-ontology", full_page=False)     # the term the anchor scrolled to, not the whole ontology

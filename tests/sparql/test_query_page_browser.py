"""The query page in a real browser (Debian's chromium through Playwright): it loads offline from the package,
runs a cookbook question, and shows the truncation note when the row cap cuts an answer."""

from __future__ import annotations

import shutil

import pytest

from icc_graph.web.endpoint.cookbook import recipes

pytestmark = [pytest.mark.server, pytest.mark.browser]


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is needed (.ci/run installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        outside: list[str] = []
        page.on("request", lambda r: r.url.startswith(server.url) or r.url.startswith("data:") or outside.append(r.url))
        page.outside = outside
        page.goto(server.url + "query")
        page.wait_for_selector(".CodeMirror")
        yield page
        browser.close()


def test_runs_a_cookbook_question(page):
    recipe = next(r for r in recipes() if r.name == "practices-per-theme")
    page.click(f"text={recipe.title}")
    assert "skos:inScheme" in page.evaluate("yasgui.getTab().getQuery()")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr")
    table = page.inner_text(".yasr table")
    assert "Welcoming and social integration" in table
    assert not page.is_visible("#truncated")


def test_shows_the_truncation_note(page):
    page.evaluate("yasgui.getTab().setQuery('SELECT * WHERE { ?s ?p ?o }'); null")
    page.click(".yasqe_queryButton")
    page.wait_for_selector("#truncated.shown")
    assert "cut at 500 rows" in page.inner_text("#truncated")


def test_loads_nothing_from_elsewhere(page):
    assert page.outside == []

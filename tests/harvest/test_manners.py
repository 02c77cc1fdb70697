"""robots.txt and the site's URL layout on their own (the polite client's tests: tests/test_polite_http.py)."""

from __future__ import annotations

from icc_graph.harvest.robots import Robots
from icc_graph.harvest.site import Site


def test_robots_txt_rules_and_answers():
    agent = "icc-graph/1 (+https://example.org/)"
    robots = Robots(200, "User-agent: icc-graph\nDisallow: /private/\nCrawl-delay: 3\n\nUser-agent: *\nDisallow: /\n",
                    agent)
    assert robots.allows("https://site.example/en/web/x") and not robots.allows("https://site.example/private/a")
    assert robots.crawl_delay() == 3.0
    assert Robots(404, "", agent).allows("https://site.example/anything")          # no robots.txt: all allowed
    assert not Robots(503, "", agent).allows("https://site.example/anything")      # cannot be read: nothing is


def test_practice_links_are_read_from_the_site_only():
    site = Site.at("https://www.coe.int/anything")
    links = ("/en/web/interculturalcities/-/a-practice?inheritRedirect=true", "https://other.example/en/web/"
             "interculturalcities/-/elsewhere", "/fr/web/interculturalcities/-/french-only",
             "/en/web/interculturalcities/-/a-practice", "/en/web/interculturalcities/good-practice?start=20")
    assert site.practice_slugs(links, "en", "https://www.coe.int/en/web/interculturalcities/good-practice") == [
        "a-practice"]

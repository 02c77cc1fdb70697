"""The polite client and robots.txt on their own: Retry-After forms, redirects off the site, robots.txt answers."""

from __future__ import annotations

import email.utils
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from icc_graph.harvest.client import FetchError, PoliteClient, retry_after
from icc_graph.harvest.robots import Robots
from icc_graph.harvest.site import Site


def test_retry_after_in_seconds_or_as_an_http_date():
    now = 1_800_000_000.0
    assert retry_after("7", now) == 7.0
    assert retry_after(email.utils.formatdate(now + 30, usegmt=True), now) == pytest.approx(30.0, abs=1)
    assert retry_after(email.utils.formatdate(now - 30, usegmt=True), now) == 0.0
    assert retry_after("soon", now) is None and retry_after(None, now) is None


def test_robots_txt_rules_and_answers():
    agent = "icc-graph/1 (+https://example.org/)"
    robots = Robots(200, "User-agent: icc-graph\nDisallow: /private/\nCrawl-delay: 3\n\nUser-agent: *\nDisallow: /\n",
                    agent)
    assert robots.allows("https://site.example/en/web/x") and not robots.allows("https://site.example/private/a")
    assert robots.crawl_delay() == 3.0
    assert Robots(404, "", agent).allows("https://site.example/anything")          # no robots.txt: all allowed
    assert not Robots(503, "", agent).allows("https://site.example/anything")      # cannot be read: nothing is


@pytest.fixture
def redirecting():
    """A server whose /away redirects off the site, /loop to itself, /busy answers 503 with a long Retry-After."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            target = {"/away": "http://elsewhere.example/page", "/loop": "/loop"}.get(self.path)
            self.send_response(301 if target else 503)
            if target:
                self.send_header("Location", target)
            else:
                self.send_header("Retry-After", "3600")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_redirects_off_the_site_and_endless_ones_are_not_followed(redirecting):
    client = PoliteClient(Site.at(redirecting), "icc-graph/test", 0.0, 0, 5.0)
    with pytest.raises(FetchError, match="redirects off the site"):
        client.get(f"{redirecting}/away")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        client.get(f"{redirecting}/loop")


def test_a_retry_after_too_long_gives_the_url_up_without_waiting(redirecting):
    waits = []
    client = PoliteClient(Site.at(redirecting), "icc-graph/test", 0.0, 3, 5.0, sleep=waits.append)
    with pytest.raises(FetchError, match="asks to wait 3600 s"):
        client.get(f"{redirecting}/busy")
    assert waits == [] and client.requests == 1


def test_practice_links_are_read_from_the_site_only():
    site = Site.at("https://www.coe.int/anything")
    links = ("/en/web/interculturalcities/-/a-practice?inheritRedirect=true", "https://other.example/en/web/"
             "interculturalcities/-/elsewhere", "/fr/web/interculturalcities/-/french-only",
             "/en/web/interculturalcities/-/a-practice", "/en/web/interculturalcities/good-practice?start=20")
    assert site.practice_slugs(links, "en", "https://www.coe.int/en/web/interculturalcities/good-practice") == [
        "a-practice"]

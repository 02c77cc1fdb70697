"""The one polite HTTP client (harvest and reconcile both ask through it), against a server of ours on 127.0.0.1.

Retry-After in both its forms, redirects kept within the site (a POST follows
none), a wait longer than MAX_WAIT given up at once, a POST retried after the
wait it was told, and the one User-Agent both commands send.
"""

from __future__ import annotations

import email.utils
from importlib.metadata import version

import pytest
import yaml

from icc_graph.config import load_settings
from icc_graph.polite_http import FetchError, PoliteClient, retry_after, user_agent_for

from .conftest import DATA
from .serving import QuietHandler, loopback_http


def test_retry_after_in_seconds_or_as_an_http_date():
    now = 1_800_000_000.0
    assert retry_after("7", now) == 7.0 and retry_after("3") == 3.0
    assert retry_after(email.utils.formatdate(now + 30, usegmt=True), now) == pytest.approx(30.0, abs=1)
    assert retry_after(email.utils.formatdate(now - 30, usegmt=True), now) == 0.0
    assert retry_after("soon", now) is None and retry_after(None) is None


def test_the_user_agent_names_the_tool_its_version_and_the_contact_url():
    contact = yaml.safe_load((DATA / "dataset.yaml").read_text(encoding="utf-8"))["contact_page"]
    own = version("icc-graph")
    assert user_agent_for(load_settings({}, data_dir=DATA)) == f"icc-graph/{own} (+{contact})"
    assert user_agent_for(load_settings({"ICC_GRAPH_CONTACT_URL": "https://ops.example/"}, data_dir=DATA)) == \
        f"icc-graph/{own} (+https://ops.example/)"


@pytest.fixture
def redirecting():
    """/away redirects off the site, /loop to itself, /busy answers 503 with a long Retry-After; a POST to /form
    is answered 503 with ``Retry-After: 2`` once, then with what was sent; a POST to /moved is redirected."""
    posts = []

    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            target = {"/away": "http://elsewhere.example/page", "/loop": "/loop"}.get(self.path)
            if target:
                self.reply(301, headers=(("Location", target),))
            else:
                self.reply(503, headers=(("Retry-After", "3600"),))

        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            posts.append((self.path, self.headers["User-Agent"], self.headers["Content-Type"], body))
            if self.path == "/moved":
                self.reply(307, headers=(("Location", "/form"),))
            elif len(posts) == 1:
                self.reply(503, headers=(("Retry-After", "2"),))
            else:
                self.reply(200, body)

    with loopback_http(Handler) as port:
        yield f"http://127.0.0.1:{port}", posts


def test_redirects_off_the_site_and_endless_ones_are_not_followed(redirecting):
    url, _ = redirecting
    client = PoliteClient("icc-graph/test", 0.0, 0, 5.0)
    with pytest.raises(FetchError, match="redirects off the site"):
        client.get(f"{url}/away")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        client.get(f"{url}/loop")


def test_a_retry_after_too_long_gives_the_url_up_without_waiting(redirecting):
    url, _ = redirecting
    waits = []
    client = PoliteClient("icc-graph/test", 0.0, 3, 5.0, sleep=waits.append)
    with pytest.raises(FetchError, match="asks to wait 3600 s"):
        client.get(f"{url}/busy")
    assert waits == [] and client.requests == 1


def test_a_form_post_is_retried_after_the_wait_it_was_told_and_never_redirected(redirecting):
    url, posts = redirecting
    waits = []
    client = PoliteClient("icc-graph/test", 0.0, 3, 5.0, sleep=waits.append)
    answer = client.post_form(f"{url}/form", {"query": "SELECT * {?s ?p ?o}"})
    assert (answer.status, answer.body) == (200, b"query=SELECT+%2A+%7B%3Fs+%3Fp+%3Fo%7D")
    assert waits == [2.0] and client.requests == 2
    assert {(p[1], p[2]) for p in posts} == {("icc-graph/test", "application/x-www-form-urlencoded")}
    assert client.post_form(f"{url}/moved", {"query": "ASK {}"}).status == 307 and len(posts) == 3

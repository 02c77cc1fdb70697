"""A stand-in for the ICC site: a real HTTP server on 127.0.0.1 serving generated pages in the site's URL layout.

Listing pages ``/{lang}/web/interculturalcities/good-practice?delta=D&start=S``
(an empty listing past the end), practice pages ``/{lang}/web/interculturalcities/-/{slug}``,
``robots.txt``; every page answers with an ETag and a Last-Modified and honours
If-None-Match / If-Modified-Since with 304. Scripted trouble: the first request
for one English listing page gets 429 and the first for one French practice page 503
(both with Retry-After: 1; ``retries=False`` leaves them out, as each costs a
second), one practice page is gone (404), one moved (301). The server
notes every request it saw (path, headers, time, status) for the tests to check.
"""

from __future__ import annotations

import hashlib
import html
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .generator import Practice

LAST_MODIFIED = "Wed, 02 Dec 2026 10:00:00 GMT"
SECTION = "/web/interculturalcities"
READ_MORE = {"en": "Read More", "fr": "Lire la suite"}
BACK = {"en": "« Back", "fr": "« Retour"}
KEY_DOCS = {"en": "Key reference documents", "fr": "Documents de référence clés"}
ROBOTS = ("User-agent: *\nDisallow: /en/web/interculturalcities/-/internal-\n"
          "Disallow: /fr/web/interculturalcities/-/internal-\n\nUser-agent: greedybot\nDisallow: /\n")


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float
    status: int


def _chrome(language: str, body: str, canonical: str | None = None) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f'<!DOCTYPE html>\n<html lang="{language}">\n<head><meta charset="utf-8"><title>ICC</title>{link}'
            '<style>.x{color:red}</style><script>var menu = "Norway Oslo 2016";</script></head>\n<body>\n'
            '<header><div class="brand">Council of Europe</div><nav><ul><li><a href="/en/">Home</a></li>'
            '<li><a href="/en/web/portal">Portal</a></li></ul></nav></header>\n'
            "<div class='address'><p>Avenue de l'Europe F-67075 Strasbourg Cedex</p></div>\n"
            f"<main>\n{body}\n</main>\n<footer><p>Share this page</p><p>Privacy</p></footer>\n</body>\n</html>\n")


def listing_html(practices: list[Practice], language: str, start: int, delta: int) -> str:
    shown = practices[start:start + delta]
    intro = ("Intercultural cities: good practice examples" if language == "en"
             else "Cités interculturelles : exemples de bonnes pratiques")
    parts = [f"<h1>{intro}</h1>", "<p>This section offers examples of intercultural approaches.</p>"
             if language == "en" else "<p>Cette section présente des approches interculturelles.</p>",
             f'<p><a href="/{language}{SECTION}/template">Template for collection of Good practices &gt;&gt;</a></p>',
             f"<p>{start + 1} - {start + len(shown)} of {len(practices)}</p>" if shown else ""]
    for p in shown:
        href = f"/{language}{SECTION}/-/{p.slug}?inheritRedirect=true"
        heading, text = p.texts[language][0]
        excerpt = f"{heading}: {text[:80]}..."
        parts.append(f'<div class="asset"><h3><a href="{href}">{html.escape(p.titles[language])}</a></h3>'
                     f'<div class="meta"><span>{html.escape(p.lines[language])}</span></div>'
                     f"<p>{html.escape(excerpt)}</p><a href=\"{href}\">{READ_MORE[language]}</a></div>")
    pager = "".join(f'<li><a href="?delta={delta}&amp;start={s}">{s // delta + 1}</a></li>'
                    for s in range(0, len(practices), delta))
    parts.append(f'<ul class="pager">{pager}</ul><div class="facets"><h4>Topic</h4><p>12 Education</p></div>')
    return _chrome(language, "\n".join(parts))


def practice_html(site: str, p: Practice, language: str, slug: str) -> str:
    parts = [f'<p><a href="/{language}{SECTION}/good-practice">{BACK[language]}</a></p>',
             f"<h1>{html.escape(p.titles[language])}</h1>"]
    if p.subtitle[language]:
        parts.append(f'<p class="subtitle">{html.escape(p.subtitle[language])}</p>')
    place = f'<p class="place">{html.escape(p.lines[language])}</p>'
    if p.layout != "place-after":
        parts.append(place)
    for heading, text in p.texts[language]:
        if p.layout == "no-headings":
            parts.append(f"<p>{html.escape(text)}</p>")
        elif p.colon:
            parts.append(f"<p><strong>{heading}:</strong> {html.escape(text)}</p>")
        else:
            parts.append(f"<h3>{heading}</h3><p>{html.escape(text)}</p>")
    if p.layout != "no-headings":
        parts.append(f"<h3>{KEY_DOCS[language]}</h3><ul><li><a href='/doc.pdf'>Plan (PDF)</a></li></ul>")
    if p.layout == "place-after":
        parts.append(place)
    return _chrome(language, "\n".join(parts), f"{site}/{language}{SECTION}/-/{slug}")


class StandIn:
    """The site: start() serves it on a free port of 127.0.0.1; seen lists what it was asked."""

    def __init__(self, practices: list[Practice], retries: bool = True):
        self.practices = practices
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.troubled: set[str] = set() if retries else {"429 en", "503 fr"}   # scripted trouble already given
        self.on_request = None                # called with the count of requests seen (tests that kill a run)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> StandIn:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def by_slug(self, slug: str) -> Practice | None:
        return next((p for p in self.practices if p.slug == slug or p.moved_to == slug), None)

    def answer(self, path: str, query: dict) -> tuple[int, dict[str, str], str]:
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, ROBOTS
        language = path[1:3]
        if path == f"/{language}{SECTION}/good-practice" and language in ("en", "fr"):
            delta, start = int(query.get("delta", ["20"])[0]), int(query.get("start", ["0"])[0])
            if start == delta and language == "en" and self._trouble("429 en"):
                return 429, {"Retry-After": "1"}, "Too many requests"
            return 200, {}, listing_html(self.practices, language, start, delta)
        prefix = f"/{language}{SECTION}/-/"
        if path.startswith(prefix):
            p = self.by_slug(path[len(prefix):])
            if p is None or p.status == 404:
                return 404, {}, "<html><body><p>Page not found</p></body></html>"
            if p.status == 301 and p.moved_to != path[len(prefix):]:
                return 301, {"Location": f"{prefix}{p.moved_to}"}, ""
            if p is self.practices[5] and language == "fr" and self._trouble("503 fr"):
                return 503, {"Retry-After": "1"}, "Busy"
            return 200, {}, practice_html(self.url, p, language, path[len(prefix):])
        return 404, {}, "not found"

    def _trouble(self, key: str) -> bool:
        with self.lock:
            if key in self.troubled:
                return False
            self.troubled.add(key)
            return True

    def _handler(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the standard library's name)
                parts = urlsplit(self.path)
                status, headers, text = stand_in.answer(parts.path, parse_qs(parts.query))
                body = text.encode("utf-8")
                if status == 200:
                    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                    headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED, **headers}
                    if self.headers.get("If-None-Match") == etag or (
                            "If-None-Match" not in self.headers
                            and self.headers.get("If-Modified-Since") == LAST_MODIFIED):
                        status, body = 304, b""
                with stand_in.lock:
                    stand_in.seen.append(Seen(self.path, dict(self.headers), time.monotonic(), status))
                    count = len(stand_in.seen)
                if stand_in.on_request:
                    stand_in.on_request(count)
                self.send_response(status)
                headers.setdefault("Content-Type", "text/html; charset=utf-8")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

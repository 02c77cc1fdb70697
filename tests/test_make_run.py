"""The release built and served as ``make run`` does: relative default paths, no public URL, a real server.

The working directory holds only a copy of data/, as a user's checkout does: the
command finds ontology, shapes and queries from the installed package, writes
dist/ beside data/, and serves dist/latest. Everything a page, the catalogue or
the sitemap links must then answer, with the bytes its checksum names.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF

from icc_graph.web.server import free_port

from .conftest import DATA, standards_file
from .serving import descendants, running_server

pytestmark = pytest.mark.server
DCAT = Namespace("http://www.w3.org/ns/dcat#")   # plain: rdflib's closed DCAT warns when pytest inspects it
RECORDS = ("/catalog", "/dataset")
SPDX_CHECKSUM = URIRef("http://spdx.org/rdf/terms#checksum")
SPDX_VALUE = URIRef("http://spdx.org/rdf/terms#checksumValue")
RDF_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
               "application/rdf+xml": "xml"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def icc_graph(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin"}   # no ICC_GRAPH_* variable: every setting at its default
    return subprocess.run([sys.executable, "-m", "icc_graph", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A folder like a user's checkout after `make build`: data/ and the dist/ the build wrote beside it."""
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(DATA, root / "data")
    built = icc_graph("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert (root / "dist" / "latest" / "SHA256SUMS").is_file()
    return root


@pytest.fixture(scope="module")
def site(checkout):
    with running_server(None, cwd=checkout) as server:
        yield server


def fetch(server, path: str, method: str = "GET", headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", urlsplit(server.url).port, timeout=30)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    return response


def local(url: str, server) -> str:
    assert url.startswith(server.url), f"{url} is not under the URL the site is reached at ({server.url})"
    return "/" + url[len(server.url):]


def test_every_file_of_sha256sums_downloads_with_its_checksum(site, checkout):
    sums = fetch(site, "/downloads/SHA256SUMS")
    assert sums.status == 200, sums.body[:300]
    assert sums.body == (checkout / "dist" / "latest" / "SHA256SUMS").read_bytes()
    listed = [line.split("  ", 1) for line in sums.body.decode("ascii").splitlines()]
    assert len(listed) >= 10
    for digest, name in listed:
        download = fetch(site, f"/downloads/{name}", headers={"Accept-Encoding": "gzip"})
        assert download.status == 200, name
        assert download.getheader("Content-Encoding") is None, "a download is sent as the bytes it is"
        assert hashlib.sha256(download.body).hexdigest() == digest, name


def record(site, path: str, media_type: str = "text/turtle") -> Graph:
    answer = fetch(site, path, headers={"Accept": media_type})
    assert answer.status == 200, answer.body[:300]
    assert answer.getheader("Content-Type").split(";")[0] == media_type
    return Graph().parse(data=answer.body, format=RDF_FORMATS[media_type])


@pytest.mark.parametrize("path", RECORDS)
def test_the_record_over_http_passes_the_official_dcat_ap_shapes(site, path):
    shapes = Graph()
    for name in ("shapes.ttl", "range.ttl"):
        shapes.parse(standards_file("dcat-ap", "3.0.1", "html", "shacl", name), format="turtle")
    conforms, _, text = validate(record(site, path), shacl_graph=shapes)
    assert conforms, text


@pytest.mark.parametrize("path", RECORDS)
def test_every_download_url_of_the_record_answers_with_the_bytes_its_checksum_names(site, path):
    graph = record(site, path)
    distributions = set(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 11, "five dumps, their gzips and the JSON-LD context"
    for distribution in distributions:
        url = graph.value(distribution, DCAT.downloadURL)
        assert graph.value(distribution, DCAT.mediaType) is not None
        expected = str(graph.value(graph.value(distribution, SPDX_CHECKSUM), SPDX_VALUE))
        download = fetch(site, local(str(url), site))
        assert download.status == 200, url
        assert hashlib.sha256(download.body).hexdigest() == expected, url
        assert int(graph.value(distribution, DCAT.byteSize)) == len(download.body)
    assert any(graph.objects(None, DCTERMS.rights)), "the attribution owed to the Council of Europe"


@pytest.mark.parametrize("path", RECORDS)
def test_the_record_is_the_same_in_every_rdf_format(site, path):
    turtle = record(site, path)
    for media_type in RDF_FORMATS:
        assert isomorphic(record(site, path, media_type), turtle), media_type


def test_every_link_of_the_home_page_the_sitemap_and_their_pages_answers(site):
    home = fetch(site, "/")
    assert home.status == 200
    html = home.body.decode("utf-8")
    assert "CC BY 4.0" in html and "Council of Europe" in html, "the licence and the attribution owed"
    pages = {"/"} | set(re.findall(r'href="(/[^"#]*)', html))
    assert {"/catalog", "/dataset", "/.well-known/void", "/downloads/SHA256SUMS"} <= pages
    index = fetch(site, "/sitemap.xml")
    for part in ET.fromstring(index.body).findall("s:sitemap/s:loc", SITEMAP):
        answer = fetch(site, local(part.text, site))
        assert answer.status == 200
        pages |= {local(u.text, site) for u in ET.fromstring(answer.body).findall("s:url/s:loc", SITEMAP)}
    assert len(pages) > 60
    links = set(pages)
    for page in sorted(pages):   # one level down: every local link each of those pages shows
        answer = fetch(site, page, headers={"Accept": "text/html"})
        if answer.status == 303:
            answer = fetch(site, answer.getheader("Location"), headers={"Accept": "text/html"})
        assert answer.status == 200, f"{page}: {answer.status} {answer.body[:200]!r}"
        if answer.getheader("Content-Type", "").startswith("text/html"):
            shown = re.findall(r'(?:href|src)="(/[^"#]*)', answer.body.decode())
            links |= {link.replace("&amp;", "&") for link in shown}
    for link in sorted(links - pages):
        answer = fetch(site, link)
        if answer.status == 303:
            answer = fetch(site, answer.getheader("Location"))
        assert answer.status == 200, f"{link}: {answer.status} {answer.body[:200]!r}"


def test_robots_txt_points_crawlers_to_the_sitemap(site):
    robots = fetch(site, "/robots.txt")
    assert robots.status == 200 and robots.getheader("Content-Type").startswith("text/plain")
    assert f"Sitemap: {site.url}sitemap.xml" in robots.body.decode("ascii").splitlines()


def test_service_description_names_the_endpoint_where_it_is_reached(site):
    answer = fetch(site, "/sparql", headers={"Accept": "text/turtle"})
    described = Graph().parse(data=answer.body, format="turtle")
    assert list(described.subjects(URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"),
                                   URIRef(site.endpoint)))


def test_answers_are_gzipped_when_asked_and_say_so(site):
    query = "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%20400"
    for path, accept in ((query, "application/sparql-results+json"), ("/practices", "text/html"),
                         ("/city/leeds", "text/turtle")):
        plain = fetch(site, path, headers={"Accept": accept})
        zipped = fetch(site, path, headers={"Accept": accept, "Accept-Encoding": "gzip, deflate"})
        assert plain.status == zipped.status == 200, path
        assert plain.getheader("Content-Encoding") is None
        assert zipped.getheader("Content-Encoding") == "gzip", path
        assert "accept-encoding" in zipped.getheader("Vary", "").lower(), path
        assert gzip.decompress(zipped.body) == plain.body, path
        assert len(zipped.body) < len(plain.body) / 2, path


def test_head_on_a_query_answers_as_get_without_a_body(site):
    query = "/sparql?query=ASK%20%7B%7D"
    head, get = fetch(site, query, "HEAD"), fetch(site, query)
    assert head.status == get.status == 200
    assert head.body == b"" and get.body
    assert head.getheader("Content-Type") == get.getheader("Content-Type")
    assert head.getheader("ETag") == get.getheader("ETag")


@pytest.mark.parametrize("path", ["/practice/%FF", "/city/%C3%28", "/%FF%FE", "/downloads/%FF"])
def test_invalid_utf8_in_a_path_is_a_client_error_not_a_crash(site, path):
    answer = fetch(site, path)
    assert answer.status in (400, 404), f"{path}: {answer.status}"
    assert b"Traceback" not in answer.body


def test_every_answer_says_nosniff(site):
    for path in ("/", "/sparql?query=ASK%20%7B%7D", "/downloads/SHA256SUMS", "/no-such-page", "/robots.txt"):
        assert fetch(site, path).getheader("X-Content-Type-Options") == "nosniff", path


def test_no_defunct_child_stays_under_the_server(site):
    time.sleep(0.5)   # the announcer has printed the URL and ended
    zombies = []
    for pid in descendants(site.pid):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state == "Z":
            zombies.append(pid)
    assert not zombies, f"defunct children of the server: {zombies}"


def test_a_second_server_on_a_port_in_use_refuses_to_start(checkout):
    port = free_port("127.0.0.1")
    with running_server(None, cwd=checkout, port=port, workers=1, threads=1):
        started = time.monotonic()
        second = icc_graph("serve", "--port", str(port), cwd=checkout, timeout=60)
        assert second.returncode != 0
        assert f"port {port} is in use" in second.stderr
        assert time.monotonic() - started < 30, "it refuses before loading the release"

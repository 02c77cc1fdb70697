"""Text from the data is shown as text: a practice holding <script> never runs it, on the page or in its JSON-LD."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import Literal, URIRef

from icc_graph.build.progress import Progress
from icc_graph.build.release import build
from icc_graph.config import load_settings
from icc_graph.store.embedded.store import EmbeddedStore
from icc_graph.vocabulary.iris import Minter
from icc_graph.web.app import create_app
from icc_graph.web.pages.site import Site

from ..conftest import settings_for
from .conftest import embedded_jsonld

BASE = "https://w3id.org/icc-graph/"
ATTACK = '<script>alert("owned")</script><img src=x onerror=alert(1)>'
TITLE = 'Mothers </script><script>alert(2)</script> & "friends"'


def test_a_practice_text_holding_script_shows_as_text(data_copy, tmp_path):
    path = data_copy / "practices" / "district-mothers.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["source"]["title"] = TITLE
    record["source"]["sections"]["purpose"] = ATTACK
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    settings = settings_for(data_copy, tmp_path / "dist")
    release = build(settings, Progress(enabled=False))
    store = EmbeddedStore(release, settings.row_cap, processes=1)
    try:
        client = create_app(settings, store).test_client()
        html = client.get("/practice/district-mothers").get_data(as_text=True)
        city_html = client.get("/city/berlin-neukolln").get_data(as_text=True)
        listing = client.get("/practices?q=mothers").get_data(as_text=True)
    finally:
        store.close()
    for page in (html, city_html, listing):
        assert "<script>alert" not in page
        assert "<img" not in page
        assert page.count("<script") == page.count('<script type="application/ld+json">')
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in html
    assert "Mothers &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; &amp; &#34;friends&#34;" in html
    assert "Mothers &lt;/script&gt;" in listing
    # The JSON-LD block is not ended early and still carries the exact text.
    graph = embedded_jsonld(html)
    practice = URIRef("https://w3id.org/icc-graph/practice/district-mothers")
    purposes = set(graph.objects(practice, URIRef("https://w3id.org/icc-graph/ontology#purpose")))
    assert purposes == {Literal(ATTACK, lang="en")}


@pytest.mark.parametrize(("iri", "href"), [
    ("https://w3id.org/icc-graph/city/leeds", "/city/leeds"),
    ("https://w3id.org/icc-graph/ontology#GoodPractice", "/ontology#GoodPractice"),
    ("https://www.coe.int/en/web/interculturalcities/good-practice",
     "https://www.coe.int/en/web/interculturalcities/good-practice"),
    ("http://www.wikidata.org/entity/Q64", "http://www.wikidata.org/entity/Q64"),
    ("javascript:alert(1)", None),
    ("JavaScript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("vbscript:msgbox", None),
])
def test_only_web_iris_become_links(iri, href):
    """Escaping makes text safe, not a link's scheme: an IRI a browser would run is shown, not linked.

    (A practice's source page must be http(s): the SHACL gate refuses a release otherwise. Other IRIs,
    e.g. from a remote store holding more than our releases, get no such check.)
    """
    site = Site(store=None, mint=Minter(BASE), release=Path("/nonexistent"), timeout=1.0,
                settings=load_settings(environ={}))
    assert site.href(URIRef(iri)) == href

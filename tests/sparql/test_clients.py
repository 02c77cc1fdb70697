"""Real clients against the real server: SPARQLWrapper in every result format, pandas on CSV, the query page."""

from __future__ import annotations

import io
import json
import urllib.parse
import urllib.request

import pandas as pd
import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from icc_graph.web.endpoint.cookbook import recipes

pytestmark = pytest.mark.server

PRACTICE = "https://w3id.org/icc-graph/practice/district-mothers"
THEMES = """PREFIX icc: <https://w3id.org/icc-graph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?practice ?theme WHERE { ?practice a icc:GoodPractice ; dcterms:subject ?theme }
ORDER BY ?practice ?theme"""
DESCRIBE = f"DESCRIBE <{PRACTICE}>"
CONSTRUCT = f"CONSTRUCT {{ <{PRACTICE}> ?p ?o }} WHERE {{ <{PRACTICE}> ?p ?o }}"


def client(server, query: str, return_format: str, method: str = "GET") -> SPARQLWrapper:
    wrapper = SPARQLWrapper(server.endpoint)
    wrapper.setQuery(query)
    wrapper.setReturnFormat(return_format)
    wrapper.setMethod(method)
    return wrapper


def expected_pairs(server) -> set[tuple[str, str]]:
    """The same query's answer read over plain HTTP as JSON, the reference for the other formats."""
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": THEMES})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        doc = json.load(response)
    return {(b["practice"]["value"], b["theme"]["value"]) for b in doc["results"]["bindings"]}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_as_json(server, method):
    result = client(server, THEMES, JSON, method).query()
    doc = result.convert()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
    pairs = {(b["practice"]["value"], b["theme"]["value"]) for b in doc["results"]["bindings"]}
    assert (PRACTICE, "https://w3id.org/icc-graph/theme/welcoming-and-social-integration") in pairs
    assert pairs == expected_pairs(server)


def test_select_as_xml(server):
    document = client(server, THEMES, XML).query().convert()
    results = document.getElementsByTagName("result")
    pairs = set()
    for result in results:
        values = {b.getAttribute("name"): b.getElementsByTagName("uri")[0].firstChild.data
                  for b in result.getElementsByTagName("binding")}
        pairs.add((values["practice"], values["theme"]))
    assert pairs == expected_pairs(server)


def test_select_as_csv_and_tsv(server):
    csv_text = client(server, THEMES, CSV).query().convert().decode("utf-8")
    tsv_text = client(server, THEMES, TSV).query().convert().decode("utf-8")
    assert csv_text.splitlines()[0] == "practice,theme"
    assert tsv_text.splitlines()[0] == "?practice\t?theme"
    from_csv = {tuple(line.split(",")) for line in csv_text.splitlines()[1:]}
    from_tsv = {tuple(cell.strip("<>") for cell in line.split("\t")) for line in tsv_text.splitlines()[1:]}
    assert from_csv == from_tsv == expected_pairs(server)


def test_pandas_reads_the_csv_results(server):
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": THEMES, "format": "csv"})
    frame = pd.read_csv(url)
    assert list(frame.columns) == ["practice", "theme"]
    assert set(zip(frame["practice"], frame["theme"], strict=True)) == expected_pairs(server)
    counts = pd.read_csv(io.StringIO(urllib.request.urlopen(url, timeout=30).read().decode()))
    assert counts.shape == frame.shape


@pytest.mark.parametrize("return_format", [JSON, XML])
def test_ask(server, return_format):
    result = client(server, f"ASK {{ <{PRACTICE}> ?p ?o }}", return_format).query().convert()
    value = result["boolean"] if return_format == JSON else \
        result.getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert value is True


@pytest.mark.parametrize("return_format,media_type", [(TURTLE, "text/turtle"), (N3, "text/turtle"),
                                                      (JSONLD, "application/ld+json"),
                                                      (RDFXML, "application/rdf+xml")])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_graph_results(server, query, return_format, media_type):
    result = client(server, query, return_format).query()
    assert result.response.headers["Content-Type"].startswith(media_type)
    graph = result.convert()
    if not isinstance(graph, Graph):   # SPARQLWrapper hands back Turtle and JSON-LD as bytes
        graph = Graph().parse(data=graph, format="json-ld" if return_format == JSONLD else "turtle")
    assert (URIRef(PRACTICE), None, None) in graph
    reference = Graph().parse(data=_fetch(server, query, "application/n-triples"), format="nt")
    assert len(graph) == len(reference) > 5


def _fetch(server, query: str, accept: str) -> bytes:
    request = urllib.request.Request(server.endpoint + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"].startswith(accept)
        return response.read()


def test_n_triples_through_sparqlwrapper(server):
    # SPARQLWrapper has no N-Triples format name: a client asks for it with its own Accept header.
    wrapper = client(server, CONSTRUCT, N3)
    wrapper.setOnlyConneg(True)
    wrapper.addCustomHttpHeader("Accept", "application/n-triples")
    result = wrapper.query()
    assert result.response.headers["Content-Type"].startswith("application/n-triples")
    graph = Graph().parse(data=result.response.read(), format="nt")
    assert len(graph) > 5 and (URIRef(PRACTICE), None, None) in graph


def test_n_triples_by_accept_and_by_format(server):
    by_accept = _fetch(server, CONSTRUCT, "application/n-triples")
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": CONSTRUCT, "format": "nt"})
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("application/n-triples")
        assert response.read() == by_accept


def test_406_lists_what_is_supported(server):
    request = urllib.request.Request(server.endpoint + "?" + urllib.parse.urlencode({"query": THEMES}),
                                     headers={"Accept": "image/png"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 406
    message = caught.value.read().decode()
    for media_type in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                       "text/tab-separated-values"):
        assert media_type in message


def test_query_page_offers_the_cookbook_offline(server):
    with urllib.request.urlopen(server.url + "query", timeout=30) as response:
        page = response.read().decode()
    for recipe in recipes():
        assert recipe.title.replace("'", "&#39;") in page
    assert "https://" not in page.split("<script>")[0].split("</head>")[0], "the page loads nothing from elsewhere"
    for asset in ("static/yasgui/yasgui.min.js", "static/yasgui/yasgui.min.css"):
        assert asset in page
        with urllib.request.urlopen(server.url + asset, timeout=30) as response:
            assert response.status == 200 and len(response.read()) > 10_000

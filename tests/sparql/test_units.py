"""The endpoint's parts on their own, in process: query kinds, keywords, negotiation, result writers, cache,
and the Python side of the store interface (select, ask, construct) that pages use."""

from __future__ import annotations

import csv
import io
import json
import xml.dom.minidom

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode
from rdflib import Literal as RdfLiteral
from rdflib import URIRef
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from icc_graph.store.base import Answer
from icc_graph.store.embedded.store import EmbeddedStore
from icc_graph.store.results import write_boolean, write_solutions
from icc_graph.vocabulary.formats import CSV, JSON_LD, N_TRIPLES, RDF_XML, RESULTS_JSON, RESULTS_XML, TSV, TURTLE
from icc_graph.vocabulary.sparql_text import query_form, uses_keyword
from icc_graph.web.answer_cache import AnswerCache
from icc_graph.web.endpoint.answer_formats import choose
from icc_graph.web.errors import NotAcceptable


@pytest.mark.parametrize("text,form", [
    ("SELECT * { ?s ?p ?o }", "SELECT"),
    ("  # a comment with ASK in it\nask {}", "ASK"),
    ("BASE <http://e/> PREFIX : <http://e/#> PREFIX ex: <http://ex/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("PREFIX select: <http://e/> DESCRIBE select:x", "DESCRIBE"),
    ("PREFIX e: <http://e/> INSERT DATA { e:s e:p 1 }", "UPDATE"),
    ("clear all", "UPDATE"),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
    ("{ ?s ?p ?o }", None),
    ("", None),
])
def test_query_form(text, form):
    assert query_form(text) == form


@pytest.mark.parametrize("text,found", [
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("select * { service silent <http://x/> { ?s ?p ?o } }", True),
    ('SELECT * { ?service <http://e/SERVICE> "SERVICE" } # SERVICE', False),
    ("PREFIX service: <http://e/> SELECT * { ?s service:x ?o }", False),
    ("SELECT * { ?s ?p '''SERVICE\nSERVICE''' }", False),
])
def test_service_keyword_is_found_only_where_it_is_one(text, found):
    assert uses_keyword(text, "SERVICE") is found


def accept(header: str) -> MIMEAccept:
    return parse_accept_header(header, MIMEAccept)


@pytest.mark.parametrize("kind,header,names,expected", [
    ("solutions", "", [], RESULTS_JSON),
    ("solutions", "*/*", [], RESULTS_JSON),
    ("solutions", "text/csv;q=0.5, application/sparql-results+xml", [], RESULTS_XML),
    ("solutions", "application/json", [], RESULTS_JSON),
    ("solutions", "text/html,application/xhtml+xml,*/*;q=0.8", [], RESULTS_JSON),
    ("solutions", "text/turtle", ["tsv"], TSV),
    ("solutions", "", ["unknown", "text/csv"], CSV),
    ("solutions", "text/csv; charset=utf-8", [], CSV),
    ("solutions", "text/csv;q=0, */*", [], RESULTS_JSON),
    ("graph", "application/n-quads,application/ld+json;q=0.9,application/n-triples;q=0.8,*/*;q=0.1", [], JSON_LD),
    ("graph", "", [], TURTLE),
    ("graph", "application/n-triples", [], N_TRIPLES),
    ("graph", "application/json", [], JSON_LD),
    ("graph", "", ["xml"], RDF_XML),
    ("graph", "", ["json-ld", "application/ld+json"], JSON_LD),
])
def test_choose(kind, header, names, expected):
    assert choose(kind, accept(header), names) == expected


def test_choose_lists_what_is_supported():
    with pytest.raises(NotAcceptable) as caught:
        choose("graph", accept("application/sparql-results+json"), [])
    assert all(t in str(caught.value) for t in (TURTLE, N_TRIPLES, JSON_LD, RDF_XML))
    with pytest.raises(NotAcceptable):
        choose("solutions", accept(""), ["yaml"])


ROW = [NamedNode("http://e/a&b"), Literal('say "hi", <now>\nplease', language="en"),
       Literal("3", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")), BlankNode("b1"), None]
VARS = ["iri", "text", "number", "blank", "unbound"]


def test_json_results():
    doc = json.loads(write_solutions(VARS, [ROW], RESULTS_JSON))
    assert doc["head"]["vars"] == VARS
    binding = doc["results"]["bindings"][0]
    assert binding["iri"] == {"type": "uri", "value": "http://e/a&b"}
    assert binding["text"] == {"type": "literal", "value": 'say "hi", <now>\nplease', "xml:lang": "en"}
    assert binding["number"]["datatype"].endswith("#integer")
    assert binding["blank"] == {"type": "bnode", "value": "b1"} and "unbound" not in binding


def test_xml_results_are_well_formed():
    document = xml.dom.minidom.parseString(write_solutions(VARS, [ROW], RESULTS_XML))
    literal = document.getElementsByTagName("literal")[0]
    assert literal.getAttribute("xml:lang") == "en" and literal.firstChild.data == 'say "hi", <now>\nplease'
    assert document.getElementsByTagName("uri")[0].firstChild.data == "http://e/a&b"
    assert xml.dom.minidom.parseString(write_boolean(True, RESULTS_XML)).getElementsByTagName("boolean")


def test_csv_and_tsv_results():
    rows = list(csv.reader(io.StringIO(write_solutions(VARS, [ROW], CSV).decode(), newline="")))
    assert rows == [VARS, ["http://e/a&b", 'say "hi", <now>\nplease', "3", "_:b1", ""]]
    lines = write_solutions(VARS, [ROW], TSV).decode().split("\n")
    assert lines[0] == "?iri\t?text\t?number\t?blank\t?unbound"
    assert lines[1].split("\t")[0] == "<http://e/a&b>" and lines[1].split("\t")[1].startswith('"say \\"hi\\"')


def test_answer_cache_is_bounded():
    cache = AnswerCache(max_bytes=1000)
    for i in range(10):
        cache.put((i,), Answer(b"x" * 200, CSV))
    assert cache.size <= 1000 and cache.get((9,)) is not None and cache.get((0,)) is None
    cache.put(("huge",), Answer(b"x" * 600, CSV))
    assert cache.get(("huge",)) is None, "one answer may not take over the cache"


def test_python_side_of_the_store(seed_release):
    store = EmbeddedStore(seed_release, row_cap=1000, processes=1)
    try:
        names, rows = store.select("SELECT ?label WHERE { <https://w3id.org/icc-graph/practice/district-mothers> "
                                   "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
        assert names == ["label"] and rows == [(RdfLiteral("District Mothers", lang="en"),)]
        assert store.ask("ASK { ?s a <https://w3id.org/icc-graph/ontology#GoodPractice> }") is True
        triples = store.construct("DESCRIBE <https://w3id.org/icc-graph/city/leeds>")
        assert (URIRef("https://w3id.org/icc-graph/city/leeds"), URIRef("http://www.w3.org/2002/07/owl#sameAs"),
                URIRef("http://www.wikidata.org/entity/Q39121")) in triples
        assert store.snapshot.version == "0.1.0" and len(store.snapshot.checksum) == 64
    finally:
        store.close()


def test_repeated_get_is_replayed_without_the_store(seed_release, monkeypatch):
    from icc_graph.config import load_settings
    from icc_graph.web.app import create_app

    settings = load_settings(environ={}, release=str(seed_release))
    store = EmbeddedStore(seed_release, row_cap=1000, processes=1)
    client = create_app(settings, store).test_client()
    url = "/sparql?query=SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20a%20%3Chttps%3A%2F%2Fschema.org%2FCity%3E%20%7D"
    first = client.get(url, headers={"Accept": "text/csv"})
    store.close()

    def unreachable(*args, **kwargs):
        raise AssertionError("the store was asked again")

    monkeypatch.setattr(store, "execute", unreachable)   # from here on, a query that reaches the store fails
    again = client.get(url, headers={"Accept": "text/csv"})
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert client.get(url, headers={"Accept": "text/csv", "If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get(url, headers={"Accept": "text/tab-separated-values"}).status_code == 500, \
        "a new question does reach the store"


def test_serve_refuses_a_folder_that_is_no_release(tmp_path):
    from click.testing import CliRunner

    from icc_graph.cli import main

    result = CliRunner().invoke(main, ["serve", "--release", str(tmp_path), "--port", "0"])
    assert result.exit_code == 1
    assert str(tmp_path) in result.output and "icc-graph build" in result.output

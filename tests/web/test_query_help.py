"""/sparql helps with a query that does not parse, and declares the project's prefixes for every query."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF, SH

from icc_graph.vocabulary.prefixes import PREDECLARED

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")   # plain: pytest trips over the closed one


def ask(client, query: str, accept: str = "text/csv"):
    return client.get("/sparql?query=" + quote(query), headers={"Accept": accept})


def test_an_undeclared_prefix_is_named_with_its_line_column_and_a_caret(client):
    response = ask(client, "SELECT ?x\nWHERE { ?s foo:bar ?o }")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "line 2, column 12" in text
    lines = text.splitlines()
    shown = lines.index("  WHERE { ?s foo:bar ?o }")
    assert lines[shown + 1] == "  " + " " * 11 + "^", "the caret stands under the undeclared name"
    assert "the prefix foo: is not declared" in text
    assert "Prefix not found" not in text and "'\\u{" not in text, "no raw parser expectation list"


def test_a_likely_prefix_slip_names_the_prefix_the_endpoint_knows(client):
    text = ask(client, "SELECT ?t WHERE { ?s dc:title ?t }").get_data(as_text=True)
    assert "dcterms:" in text and f"<{PREDECLARED['dcterms']}>" in text


def test_other_syntax_errors_keep_the_parser_expectation_in_short(client):
    response = ask(client, "SELECT ?x WHERE {\n  ?s ?p ?o \n  FILTER(?x = }")
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "line 3" in text and "^" in text and "expected" in text
    assert len(text) < 600


@pytest.mark.parametrize("prefix", sorted(PREDECLARED))
def test_every_predeclared_prefix_works_without_a_prefix_line(client, prefix):
    response = ask(client, f"SELECT (STR({prefix}:x) AS ?iri) WHERE {{}}")
    assert response.status_code == 200, response.data
    assert response.get_data(as_text=True).splitlines()[1] == PREDECLARED[prefix] + "x"


def test_the_query_s_own_prefix_declaration_wins(client):
    response = ask(client, "PREFIX schema: <http://example.org/mine#> SELECT (STR(schema:x) AS ?iri) WHERE {}")
    assert response.get_data(as_text=True).splitlines()[1] == "http://example.org/mine#x"


def test_the_service_description_and_the_query_page_list_the_predeclared_prefixes(client):
    described = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle")
    service = described.value(predicate=RDF.type, object=SD.Service)
    declared = {str(described.value(d, SH.prefix)): described.value(d, SH.namespace)
                for d in described.objects(service, SH.declare)}
    assert declared == {p: Literal(ns, datatype=XSD.anyURI) for p, ns in PREDECLARED.items()}
    page = client.get("/query").get_data(as_text=True)
    for prefix, namespace in PREDECLARED.items():
        assert f"PREFIX {prefix}: &lt;{namespace}&gt;" in page

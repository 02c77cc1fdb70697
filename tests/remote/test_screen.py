"""What leaves for a remote store: the query screen and the credentials, on their own (no server needed)."""

from __future__ import annotations

import pytest

from icc_graph.config import load_settings
from icc_graph.store.base import QuerySyntaxError
from icc_graph.store.remote.credentials import Credentials, CredentialsError
from icc_graph.store.remote.query_screen import screen

PUBLIC = "https://w3id.org/icc-graph/graph/source"
STORED = "https://w3id.org/icc-graph/graph/release/0.1.0-abc/source"


def rename(iri: str) -> str | None:
    return STORED if iri == PUBLIC else None


@pytest.mark.parametrize("query, form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("prefix x: <urn:x#>\nask { x:a x:b ?insert }", "ASK"),
    ("BASE <http://e.org/> CONSTRUCT { ?s <p> 'drop' } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <urn:a>", "DESCRIBE"),
    ("SELECT ?service WHERE { ?service ?p \"\"\"SERVICE <x> { }\nINSERT\"\"\" }", "SELECT"),
    ("SELECT * WHERE { _:b0 ?p ?o . ?s ?p 1.5e3 FILTER(?o < 3 && ?o> 1) }", "SELECT"),
])
def test_queries_pass_whatever_words_their_strings_and_names_hold(query, form):
    assert screen(query).form == form
    assert screen(query).text == query


@pytest.mark.parametrize("query, reason", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "read-only"),
    ("SELECT * {} ; delete where { ?s ?p ?o }", "read-only"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "read-only"),
    ("SELECT * WHERE { service <http://e.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("define input:inference 'x' SELECT * WHERE { ?s ?p ?o }", "DEFINE"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(bif:contains(?o, 'x')) }", "Virtuoso"),
    ("PREFIX s: <http://www.openlinksw.com/schemas/sql#> SELECT (s:f() AS ?x) {}", "Virtuoso"),
    ("SELECT * WHERE { ?s rdf:type ?o }", "not declared"),
    ("SELECT * FROM <http://elsewhere.example/data.ttl> WHERE { ?s ?p ?o }", "FROM may name only"),
    ("# a comment only", "not a SPARQL query"),
    ("SELECT * WHERE { \\u0053ERVICE <http://e.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("\\U00000049NSERT DATA { <urn:a> <urn:b> <urn:c> }", "read-only"),
])
def test_what_a_public_endpoint_must_not_forward_is_refused(query, reason):
    with pytest.raises(QuerySyntaxError, match=reason):
        screen(query, rename)


def test_public_graph_names_become_the_stored_ones():
    screened = screen(f"SELECT * FROM NAMED <{PUBLIC}> WHERE {{ GRAPH <{PUBLIC}> {{ ?s ?p ?o }} }}", rename)
    assert screened.has_dataset and PUBLIC not in screened.text and screened.text.count(STORED) == 2
    prefixed = screen("PREFIX g: <https://w3id.org/icc-graph/graph/> SELECT * FROM g:source WHERE { ?s ?p ?o }",
                      rename)
    assert f"FROM <{STORED}>" in prefixed.text
    assert not screen("SELECT * WHERE { ?s ?p ?o }", rename).has_dataset


def test_digest_answers_the_rfc_2617_example():
    credentials = Credentials("digest", "Mufasa", "Circle Of Life")
    challenge = {"realm": "testrealm@host.com", "qop": "auth,auth-int", "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                 "opaque": "5ccc069c403ebaf9f0171e9517f40e41"}
    header = credentials._digest_header(challenge, "GET", "/dir/index.html", cnonce="0a4f113b")
    assert 'response="6629fae49393a05397450978507c4ef1"' in header and "nc=00000001" in header


def test_credential_settings_are_checked_and_kept_out_of_repr():
    settings = load_settings(environ={"ICC_GRAPH_STORE_AUTH": "bearer", "ICC_GRAPH_STORE_TOKEN": "t0ken-xyz"})
    credentials = Credentials.from_settings(settings)
    assert credentials.up_front("GET", "/") == "Bearer t0ken-xyz"
    assert "t0ken-xyz" not in repr(credentials) and "t0ken-xyz" not in repr(settings)
    with pytest.raises(CredentialsError, match="ICC_GRAPH_STORE_TOKEN"):
        Credentials.from_settings(load_settings(environ={"ICC_GRAPH_STORE_AUTH": "bearer"}))
    with pytest.raises(CredentialsError, match="one of"):
        Credentials.from_settings(load_settings(environ={"ICC_GRAPH_STORE_AUTH": "kerberos"}))
    basic = Credentials.from_settings(load_settings(environ={"ICC_GRAPH_STORE_USER": "u",
                                                             "ICC_GRAPH_STORE_PASSWORD": "p"}))
    assert basic.up_front("GET", "/") is None                      # automatic: wait for the store's challenge
    assert basic.answer(['Basic realm="x"'], "GET", "/") == "Basic dTpw"


def test_a_described_update_endpoint_is_used_and_a_foreign_host_is_not():
    from icc_graph.store.remote.endpoints import _described_update, product_of

    description = b"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
    [] a sd:Service ; sd:endpoint <http://store:3030/ds/sparql> ; sd:supportedLanguage sd:SPARQL11Query .
    [] a sd:Service ; sd:endpoint <http://store:3030/ds/update> ; sd:supportedLanguage sd:SPARQL11Update .
    [] a sd:Service ; sd:endpoint <http://localuriqaserver/sparql> ; sd:supportedLanguage sd:SPARQL11Update ."""
    assert _described_update(description, "text/turtle", "http://store:3030/ds/sparql") == \
        "http://store:3030/ds/update"
    assert _described_update(description, "text/turtle", "http://elsewhere:8890/sparql") == ""
    assert product_of("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu").name == "Virtuoso"
    assert product_of("Apache Jena Fuseki (5.1.0)").name == "Fuseki"
    assert product_of("nginx").timeout_param == ""   # unknown: no time limit sent in a unit it may misread
    from icc_graph.store.remote.endpoints import Endpoints

    assert Endpoints("u", product=product_of("Virtuoso/07")).timeout_params(1.5) == {"timeout": "1500"}
    assert Endpoints("u", product=product_of("Apache Jena Fuseki")).timeout_params(0.5) == {"timeout": "0.5"}


def test_a_store_nobody_recognises_gets_every_products_caution():
    """The quirks sit on the product rows; an unrecognised store (a proxy may hide its Server header) is treated
    as cautiously as any known one: every row's signals, the smallest update chunk, no blank nodes in INSERT DATA."""
    from icc_graph.store.remote.endpoints import PRODUCTS, UNKNOWN, product_of

    virtuoso, oxigraph = product_of("Virtuoso/07"), product_of("Oxigraph/0.4")
    headers = {"X-SQL-State": "S1TAT", "X-SPARQL-MaxRows": "1000"}
    assert virtuoso.signals.stopped_early(lambda name: headers.get(name, ""))
    assert virtuoso.signals.row_cut(lambda name: headers.get(name, "")) == "1000"
    assert virtuoso.signals.timed_out("Virtuoso S1T00 Error SR171: Transaction timed out")
    assert not oxigraph.signals.stopped_early(lambda name: headers.get(name, ""))
    assert oxigraph.signals.row_cut(lambda name: headers.get(name, "")) == ""
    assert not virtuoso.blank_nodes_in_insert_data and oxigraph.blank_nodes_in_insert_data
    assert UNKNOWN.signals.stopped_early(lambda name: headers.get(name, ""))
    assert UNKNOWN.signals.row_cut(lambda name: headers.get(name, "")) == "1000"
    assert UNKNOWN.update_chunk == min(p.update_chunk for p in PRODUCTS) == virtuoso.update_chunk
    assert not UNKNOWN.blank_nodes_in_insert_data


def test_the_screen_refuses_the_extensions_the_product_rows_list():
    import re

    from icc_graph.store.remote.endpoints import Product

    made_up = Product("Madeup", re.compile("^Madeup"), "", "", extension_words=("PRAGMA",),
                      extension_namespaces=("urn:madeup:fn#",), extension_prefixes=("mfn",))
    for query, reason in [("PRAGMA x SELECT * {}", "PRAGMA is not SPARQL 1.1"),
                          ("SELECT (mfn:now() AS ?t) {}", "mfn:now is a Madeup extension"),
                          ("SELECT (<urn:madeup:fn#now>() AS ?t) {}", "is a Madeup extension")]:
        with pytest.raises(QuerySyntaxError, match=reason):
            screen(query, products=(made_up,))
    # Without the row, the same words are no one's extension.
    assert screen("SELECT (<urn:madeup:fn#now>() AS ?t) {}", products=()).form == "SELECT"

"""``push`` into a real Oxigraph server: load into new graphs, switch in one update, never leave half a release."""

from __future__ import annotations

import base64
import logging
import urllib.request

import pytest
from click.testing import CliRunner

from icc_graph.cli import main
from icc_graph.store.remote.pointer import release_prefix
from icc_graph.store.remote.push import PushError, push, read_release
from icc_graph.store.remote.store import RemoteStore
from icc_graph.store.remote.transport import check_url
from icc_graph.vocabulary.formats import CSV

from .conftest import store_settings
from .servers import start_oxigraph

TITLE_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?title WHERE { <https://w3id.org/icc-graph/practice/district-mothers> rdfs:label ?title }"""
GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
SECRET = "s3cret-Pa55word"


def titles(store: RemoteStore) -> list[str]:
    return store.execute(TITLE_QUERY, CSV).body.decode().split("\r\n")[1:-1]


def stored_graphs(url: str) -> set[str]:
    """Every graph in the store, asked over plain HTTP, around icc-graph."""
    request = urllib.request.Request(url + "?query=" + urllib.parse.quote(GRAPHS_QUERY), headers={"Accept": CSV})
    with urllib.request.urlopen(request, timeout=10) as response:
        return set(response.read().decode().split("\r\n")[1:-1])


def test_push_loads_every_graph_and_the_store_serves_it(oxigraph_server, seed_release):
    settings = store_settings(oxigraph_server.url)
    report = push(settings, seed_release, oxigraph_server.url)
    release = read_release(seed_release)
    assert report.counts == {name: len(triples) for name, triples in release.graphs.items()}
    assert report.endpoints.product.name == "Oxigraph"
    assert report.endpoints.gsp.endswith("/store") and report.endpoints.update.endswith("/update")
    # The store holds the release under new names, plus the control graph; readers see the public names.
    prefix = release_prefix(settings.base_iri) + release.tag + "/"
    assert stored_graphs(oxigraph_server.url) == {settings.base_iri + "graph/control"} | {
        prefix + name.removeprefix(settings.base_iri + "graph/") for name in release.graphs}
    store = RemoteStore(settings)
    assert store.snapshot.checksum == release.checksum and store.snapshot.version == release.version
    assert set(store.execute(GRAPHS_QUERY, CSV).body.decode().split("\r\n")[1:-1]) == set(release.graphs)
    assert titles(store) == ["District Mothers"]
    # The same release again changes nothing.
    assert push(settings, seed_release, oxigraph_server.url).unchanged


def test_push_switches_releases_and_drops_the_old_ones(oxigraph_server, seed_release, second_release,
                                                         third_release):
    settings = store_settings(oxigraph_server.url)
    store_url = oxigraph_server.url
    first = push(settings, seed_release, store_url)
    store = RemoteStore(settings)
    store.pointer_ttl = 0
    second = push(settings, second_release, store_url)
    assert second.previous == first.tag and second.dropped == []
    assert titles(store) == ["District Mothers (second release)"]
    assert store.snapshot.checksum == read_release(second_release).checksum
    # A third release: the first is dropped, the second (just replaced) stays for workers not yet switched.
    third = push(settings, third_release, store_url, use_gsp=False)   # and through SPARQL Update this time
    graphs = stored_graphs(store_url)
    assert not any(first.tag in g for g in graphs)
    assert any(second.tag in g for g in graphs) and any(third.tag in g for g in graphs)
    assert {g.split("/")[-2] for g in third.dropped} == {first.tag}
    assert titles(store) == ["District Mothers (third release)"]


def test_a_store_dying_mid_push_leaves_the_previous_release_serving(tmp_path, seed_release, second_release,
                                                                     third_release):
    server = start_oxigraph(tmp_path / "store")
    try:
        settings = store_settings(server.url)
        first = push(settings, seed_release, server.url)

        def die(name, count):
            server.stop()

        with pytest.raises(PushError) as failure:
            push(settings, second_release, server.url, on_graph=die)
        assert f"still serves release {first.tag}" in str(failure.value)
        server = start_oxigraph(tmp_path / "store", port=server.port)   # same data, same URL
        store = RemoteStore(settings)
        assert store.snapshot.checksum == read_release(seed_release).checksum
        assert titles(store) == ["District Mothers"]
        left = read_release(second_release).tag
        assert any(left in g for g in stored_graphs(server.url)), "the dead store kept part of the failed push"
        # The next push switches and drops what the failed one left behind.
        report = push(settings, third_release, server.url)
        assert titles(RemoteStore(settings)) == ["District Mothers (third release)"]
        assert report.previous == first.tag and any(left in g for g in report.dropped)
        assert not any(left in g for g in stored_graphs(server.url))
    finally:
        server.stop()


def test_a_graph_broken_mid_push_is_caught_before_the_switch(oxigraph_server, seed_release, second_release):
    settings = store_settings(oxigraph_server.url)
    push(settings, seed_release, oxigraph_server.url)
    new_tag = read_release(second_release).tag
    gsp = oxigraph_server.url.removesuffix("query") + "store"

    def break_first_graph(name, count):
        # Someone else empties a graph of the new release while the push goes on.
        graph = next(g for g in stored_graphs(oxigraph_server.url) if new_tag in g)
        request = urllib.request.Request(f"{gsp}?graph={urllib.parse.quote(graph, safe='')}", method="DELETE")
        urllib.request.urlopen(request, timeout=10).close()

    with pytest.raises(PushError, match="triples after the load"):
        push(settings, second_release, oxigraph_server.url, on_graph=break_first_graph)
    assert titles(RemoteStore(settings)) == ["District Mothers"]
    assert not any(new_tag in g for g in stored_graphs(oxigraph_server.url)), "the failed push cleans up"


def test_a_graph_the_store_refuses_fails_the_push_and_changes_nothing(oxigraph_server, seed_release,
                                                                        second_release):
    settings = store_settings(oxigraph_server.url)
    push(settings, seed_release, oxigraph_server.url)
    with pytest.raises(PushError, match="answered 4"):
        push(settings, second_release, oxigraph_server.url, gsp_url=oxigraph_server.url)   # not a Graph Store
    assert titles(RemoteStore(settings)) == ["District Mothers"]


def test_credentials_never_appear_in_messages_or_logs(tmp_path, seed_release, second_release, caplog):
    server = start_oxigraph(tmp_path / "store")
    settings = store_settings(server.url, store_user="icc", store_password=SECRET, store_auth="basic")
    secrets = [SECRET, base64.b64encode(f"icc:{SECRET}".encode()).decode()]
    assert SECRET not in repr(settings)
    caplog.set_level(logging.DEBUG)
    messages = []
    try:
        push(settings, seed_release, server.url)   # Oxigraph ignores the Basic header: the push works

        def die(name, count):
            server.stop()

        with pytest.raises(PushError) as failure:
            push(settings, second_release, server.url, on_graph=die)
        messages.append(str(failure.value))
        with pytest.raises(Exception) as failure:
            push(settings, second_release, server.url)   # the store is gone
        messages.append(str(failure.value))
    finally:
        server.stop()
    assert "failed" in messages[0] and "still serves release" in messages[0]
    assert server.url in messages[1]
    text = "\n".join(messages) + caplog.text
    assert not any(secret in text for secret in secrets)
    with pytest.raises(Exception) as bad_url:
        check_url(f"http://icc:{SECRET}@127.0.0.1:1/query")
    assert SECRET not in str(bad_url.value) and "ICC_GRAPH_STORE_PASSWORD" in str(bad_url.value)


def test_the_push_command_reads_credentials_from_the_environment_only(oxigraph_server, seed_release):
    runner = CliRunner()
    env = {"ICC_GRAPH_STORE_USER": "icc", "ICC_GRAPH_STORE_PASSWORD": SECRET}
    result = runner.invoke(main, ["push", "--store", oxigraph_server.url, "--release", str(seed_release)], env=env)
    assert result.exit_code == 0, result.output
    assert "switched" in result.output and SECRET not in result.output
    assert "--password" not in runner.invoke(main, ["push", "--help"]).output
    result = runner.invoke(main, ["push", "--store", "http://127.0.0.1:1/query", "--release", str(seed_release)],
                           env=env)
    assert result.exit_code == 1 and "error:" in result.output and SECRET not in result.output

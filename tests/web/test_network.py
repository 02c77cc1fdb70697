"""The site's network: the view and /network.graphml, .csv, .json are the export's network, filtered alike."""

from __future__ import annotations

import re

import pytest

from icc_graph.store.network import filtered, network_from_store, release_select
from icc_graph.store.network_formats import render_csv, render_graphml, render_json
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter

from ..test_network import read_csv, read_graphml, read_json

MINT = Minter(DEFAULT_BASE)


@pytest.fixture(scope="module")
def seed_network(seed_release):
    """The network `icc-graph links export` writes from the release the site serves."""
    return network_from_store(release_select(seed_release), MINT)


def test_network_draws_every_city_link_and_each_is_clickable(client, pages_store):
    links = pages_store.select("PREFIX icc: <https://w3id.org/icc-graph/ontology#> "
                               "SELECT ?l WHERE { ?l a icc:CityLink }")[1]
    html = client.get("/network").get_data(as_text=True)
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert len(re.findall(r'<a href="/link/[^"]+" class="edge"><line ', svg)) == len(links) == 20
    assert len(re.findall(r'<a href="/city/[^"]+" class="node"><circle ', svg)) == 14   # places running practices
    for (link,) in links:
        assert f'href="/{str(link)[len(DEFAULT_BASE):]}"' in svg
    assert "Welcoming and social integration" in html and 'href="/network.graphml"' in html


@pytest.mark.parametrize("query", ["", "?theme=refugees", "?country=pt", "?theme=business-and-employment&country=gb"])
def test_downloads_are_the_exports_bytes_and_open_in_networkx(client, seed_network, query):
    args = dict(pair.split("=") for pair in query.lstrip("?").split("&") if pair)
    expected = filtered(seed_network, args.get("theme"), args.get("country"))
    sep = "&" if query else "?"
    graphml = client.get("/network.graphml" + query)
    assert graphml.status_code == 200 and graphml.mimetype == "application/graphml+xml"
    assert graphml.data == render_graphml(expected)
    as_json = client.get("/network.json" + query)
    assert as_json.mimetype == "application/json" and as_json.data == render_json(expected)
    nodes = client.get("/network.csv" + query + sep + "table=nodes")
    edges = client.get("/network.csv" + query)          # edges unless the table is named
    assert nodes.mimetype == "text/csv" and edges.data == client.get(f"/network.csv{query}{sep}table=edges").data
    assert (nodes.data, edges.data) == (render_csv(expected, "nodes"), render_csv(expected, "edges"))
    for g in (read_graphml(graphml.data), read_json(as_json.data), read_csv(nodes.data, edges.data)):
        assert g.number_of_edges() == len(expected.edges) and g.number_of_nodes() == len(expected.nodes)
        assert all(g.nodes[n.id].get("label", g.nodes[n.id].get("Label")) == n.label for n in expected.nodes)
    view = client.get("/network" + query).get_data(as_text=True)
    assert len(re.findall(r'class="edge"><line ', view)) == len(expected.edges)


def test_the_filtered_view_draws_only_the_theme(client):
    html = client.get("/network?theme=refugees").get_data(as_text=True)
    assert "City network: Refugees" in html
    assert len(re.findall(r'class="node"><circle ', html)) == 3
    assert 'href="/network.csv?table=nodes&amp;theme=refugees"' in html


@pytest.mark.parametrize("path", ["/network.csv?table=links", "/network.json?theme=Not%20a%20slug",
                                  "/network?country=%3Cscript%3E"])
def test_bad_filters_are_400_and_unknown_formats_404(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.mimetype == "text/plain"     # the value is echoed as text, never as HTML
    assert client.get("/network.xml").status_code == 404

"""The one city network model: read from a release, rolled up, filtered, and written for networkx."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from icc_graph.build.citylinks import city_links
from icc_graph.cli import main
from icc_graph.store.network import filtered, network_from_store, release_select, rolled_up
from icc_graph.store.network_formats import render, render_csv, render_graphml, render_json
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter

from .conftest import DATA

MINT = Minter(DEFAULT_BASE)


@pytest.fixture(scope="module")
def select(seed_release):
    return release_select(seed_release)


@pytest.fixture(scope="module")
def seed_network(select):
    return network_from_store(select, MINT)


def read_graphml(data: bytes) -> nx.Graph:
    return nx.read_graphml(io.BytesIO(data))


def read_json(data: bytes) -> nx.Graph:
    return nx.node_link_graph(json.loads(data), edges="edges")


def read_csv(nodes: bytes, edges: bytes) -> nx.Graph:
    node_table = pd.read_csv(io.BytesIO(nodes), keep_default_na=False)
    edge_table = pd.read_csv(io.BytesIO(edges), keep_default_na=False)
    g = nx.from_pandas_edgelist(edge_table, "Source", "Target", edge_attr=True)
    g.add_nodes_from((row["Id"], row) for row in node_table.to_dict("records"))
    return g


def all_three(network) -> dict[str, nx.Graph]:
    return {"graphml": read_graphml(render_graphml(network)), "json": read_json(render_json(network)),
            "csv": read_csv(render_csv(network, "nodes"), render_csv(network, "edges"))}


def test_every_format_opens_in_networkx_with_labels_beside_every_slug(seed_network):
    for fmt, g in all_three(seed_network).items():
        weight, label = ("Weight", "Label") if fmt == "csv" else ("weight", "label")
        assert not g.is_directed() and nx.number_of_selfloops(g) == 0, fmt
        assert g.number_of_nodes() == 14 and g.number_of_edges() == 20, fmt
        edge = g.edges["leeds", "stavanger"]
        assert edge[weight] == pytest.approx(0.547), fmt
        assert edge["shared_themes"] == 2, fmt
        assert edge["themes"] == "business-and-employment;welcoming-and-social-integration", fmt
        assert edge["theme_labels"] == "Business and employment;Welcoming and social integration", fmt
        assert {edge["source_label"], edge["target_label"]} == {"Leeds", "Stavanger"}, fmt
        assert "Community Connector Project" in edge["evidence_titles"].split(";"), fmt
        assert len(edge["evidence"].split(";")) == len(edge["evidence_titles"].split(";")), fmt
        assert g.nodes["berlin-neukolln"]["parent"] == "berlin", fmt
        assert g.nodes["berlin-neukolln"]["parent_label"] == "Berlin", fmt
        assert g.nodes["oslo"][label] == "Oslo" and g.nodes["oslo"]["country_label"] == "Norway", fmt
        assert "Education" in g.nodes["oslo"]["theme_labels"].split(";"), fmt
        assert not g.has_edge("berlin", "berlin-neukolln"), fmt


def test_gephi_reads_the_csv_by_its_column_names(seed_network):
    header = next(csv.reader(io.StringIO(render_csv(seed_network, "edges").decode())))
    assert header[:4] == ["Source", "Target", "Type", "Weight"]
    assert next(csv.reader(io.StringIO(render_csv(seed_network, "nodes").decode())))[:2] == ["Id", "Label"]


def test_the_network_is_the_links_stage_computed_from_the_records(seed_records, seed_network):
    links = city_links(seed_records)
    assert [(e.source, e.target, e.score, e.themes, e.evidence) for e in seed_network.edges] == \
        [(link.a, link.b, link.score, link.themes, link.evidence) for link in links]
    places = {slug for p in seed_records.practices for slug in p.places}
    assert {n.id for n in seed_network.nodes} == places
    by_id = {n.id: n for n in seed_network.nodes}
    for place in places:
        practices = [p for p in seed_records.practices if place in p.places]
        assert by_id[place].practices == len(practices)
        assert by_id[place].themes == tuple(sorted({t for p in practices for t in p.themes}))


def test_roll_up_merges_districts_into_cities(select):
    g = read_graphml(render_graphml(network_from_store(select, MINT, roll_up=True)))
    assert "berlin-neukolln" not in g and "london" in g
    assert g.nodes["berlin"]["practices"] == 3
    # Neukölln's link to Lewisham becomes Berlin's to London; Berlin's own links stay.
    assert g.edges["berlin", "london"]["themes"] == "political-and-public-participation"
    assert g.edges["berlin", "reggio-emilia"]["weight"] == pytest.approx(0.618)


def test_rolling_up_needs_to_know_every_city(seed_network):
    with pytest.raises(ValueError, match="london"):
        rolled_up(seed_network)


def test_filters_keep_one_theme_or_one_country(seed_network):
    refugees = filtered(seed_network, theme="refugees")
    assert {n.id for n in refugees.nodes} == {"berlin", "erlangen", "reggio-emilia"}
    assert all("refugees" in e.themes for e in refugees.edges) and len(refugees.edges) == 3
    portugal = filtered(seed_network, country="pt")
    assert {(e.source, e.target) for e in portugal.edges} == {
        ("auckland", "cascais"), ("auckland", "loures"), ("cascais", "loures"), ("cascais", "reggio-emilia"),
        ("erlangen", "lisbon"), ("leeds", "lisbon"), ("lisbon", "stavanger")}
    assert {n.id for n in portugal.nodes if n.country == "PT"} == {"cascais", "lisbon", "loures"}
    assert filtered(seed_network, theme="roma").edges == ()


def test_cli_exports_every_format_and_filters(seed_release, seed_network, tmp_path):
    runner = CliRunner()
    for fmt in ("graphml", "csv", "json"):
        result = runner.invoke(main, ["links", "export", "--format", fmt, "--release", str(seed_release),
                                      "--out", str(tmp_path / fmt), "--theme", "refugees"])
        assert result.exit_code == 0, result.output
    assert read_graphml((tmp_path / "graphml" / "icc-graph-links.graphml").read_bytes()).number_of_edges() == 3
    assert read_json((tmp_path / "json" / "icc-graph-links.json").read_bytes()).number_of_edges() == 3
    assert (tmp_path / "csv" / "icc-graph-links-edges.csv").read_text(encoding="utf-8").count("\n") == 4
    # From a data folder: built in memory, the same bytes as from its release.
    for source in (["--data", str(DATA)], ["--release", str(seed_release)]):
        result = runner.invoke(main, ["links", "export", "--format", "json", *source, "--out",
                                      str(tmp_path / source[0]), "--cities"])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "--data" / "icc-graph-links.json").read_bytes() == \
        (tmp_path / "--release" / "icc-graph-links.json").read_bytes()
    result = runner.invoke(main, ["links", "export", "--release", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "icc-graph.nq" in result.output


def test_the_threshold_setting_decides_what_the_export_holds(tmp_path, seed_network):
    result = CliRunner(env={"ICC_GRAPH_LINK_MIN_SCORE": "0"}).invoke(
        main, ["links", "export", "--format", "json", "--data", str(DATA), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    everything = read_json((tmp_path / "icc-graph-links.json").read_bytes())
    assert everything.number_of_edges() == 37 > len(seed_network.edges)
    assert min(w for _, _, w in everything.edges(data="weight")) < 0.25
    with pytest.raises(ValueError, match="xml"):
        render(seed_network, "xml")

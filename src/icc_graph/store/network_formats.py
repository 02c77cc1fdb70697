"""The city network written out: CSV tables, GraphML and node-link JSON, the same columns in each.

`icc-graph links export` and the site (/network.csv, /network.graphml,
/network.json) write through these functions, so a download and an export of
the same release are the same bytes. CSV follows Gephi's spreadsheet layout (a
node table with Id and Label, an edge table with Source, Target, Type, Weight);
GraphML is read by networkx and Gephi; the JSON is networkx's node-link form
(``networkx.node_link_graph(data, edges="edges")``). Weight is the link score;
``shared_themes`` the raw count. Every slug column has a label column beside it,
lists inside a cell are joined by ";".
"""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree as ET

from .network import Network

FORMATS = ("graphml", "csv", "json")
TABLES = ("nodes", "edges")
STEM = "icc-graph-links"
SEPARATOR = ";"

# (column, GraphML attr.type); the first two of each table are Gephi's own names.
NODE_COLUMNS = (("Id", "string"), ("Label", "string"), ("kind", "string"), ("country", "string"),
                ("country_label", "string"), ("parent", "string"), ("parent_label", "string"), ("lat", "double"),
                ("lon", "double"), ("practices", "int"), ("themes", "string"), ("theme_labels", "string"),
                ("iri", "string"))
EDGE_COLUMNS = (("Source", "string"), ("Target", "string"), ("Type", "string"), ("Weight", "double"),
                ("source_label", "string"), ("target_label", "string"), ("shared_themes", "int"),
                ("themes", "string"), ("theme_labels", "string"), ("evidence", "string"),
                ("evidence_titles", "string"), ("links", "string"))


def _joined(network: Network, slugs) -> tuple[str, str]:
    return SEPARATOR.join(slugs), SEPARATOR.join(network.label(s) for s in slugs)


def node_rows(network: Network) -> list[tuple]:
    names = {n.id: n.label for n in network.nodes}
    rows = []
    for n in network.nodes:
        themes, theme_labels = _joined(network, n.themes)
        rows.append((n.id, n.label, n.kind, n.country, network.label(n.country), n.parent,
                     names.get(n.parent, n.parent), n.lat, n.lon, n.practices, themes, theme_labels, n.iri))
    return rows


def edge_rows(network: Network) -> list[tuple]:
    names = {n.id: n.label for n in network.nodes}
    rows = []
    for e in network.edges:
        themes, theme_labels = _joined(network, e.themes)
        evidence, titles = _joined(network, e.evidence)
        rows.append((e.source, e.target, "Undirected", float(e.score), names.get(e.source, e.source),
                     names.get(e.target, e.target), e.shared_themes, themes, theme_labels, evidence, titles,
                     SEPARATOR.join(e.links)))
    return rows


def _blank(value):
    return "" if value is None else value


def render_csv(network: Network, table: str) -> bytes:
    columns, rows = (NODE_COLUMNS, node_rows(network)) if table == "nodes" else (EDGE_COLUMNS, edge_rows(network))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(name for name, _ in columns)
    writer.writerows([tuple(map(_blank, row)) for row in rows])
    return out.getvalue().encode("utf-8")


GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def _graphml_key(column: str) -> str:
    # networkx and Gephi read an edge's "weight" and a node's "label" by these lower-case names.
    return column.lower() if column in ("Label", "Weight") else column


def render_graphml(network: Network) -> bytes:
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    node_keys, edge_keys = NODE_COLUMNS[1:], EDGE_COLUMNS[3:]     # ids, ends and Type are the elements themselves
    for kind, columns in (("node", node_keys), ("edge", edge_keys)):
        for name, type_ in columns:
            key = _graphml_key(name)
            ET.SubElement(root, f"{{{GRAPHML_NS}}}key",
                          {"id": f"{kind}-{key}", "for": kind, "attr.name": key, "attr.type": type_})
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "icc-city-links", "edgedefault": "undirected"})

    def data(parent, kind, columns, values):
        for (name, _), value in zip(columns, values, strict=True):
            if value not in (None, ""):
                ET.SubElement(parent, f"{{{GRAPHML_NS}}}data", {"key": f"{kind}-{_graphml_key(name)}"}).text = \
                    str(value)

    for row in node_rows(network):
        data(ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": row[0]}), "node", node_keys, row[1:])
    for i, row in enumerate(edge_rows(network)):
        edge = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge", {"id": f"e{i}", "source": row[0], "target": row[1]})
        data(edge, "edge", edge_keys, row[3:])
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render_json(network: Network) -> bytes:
    """networkx's node-link form: nodes carry "id", edges "source" and "target", the rest as in the CSV."""
    node_names = [_graphml_key(name) for name, _ in NODE_COLUMNS[1:]]
    edge_names = [_graphml_key(name) for name, _ in EDGE_COLUMNS[3:]]
    doc = {"directed": False, "multigraph": False, "graph": {"name": "icc-city-links"},
           "nodes": [{"id": row[0], **dict(zip(node_names, row[1:], strict=True))} for row in node_rows(network)],
           "edges": [{"source": row[0], "target": row[1], **dict(zip(edge_names, row[3:], strict=True))}
                     for row in edge_rows(network)]}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def render(network: Network, fmt: str) -> dict[str, bytes]:
    """File name -> bytes for one export format."""
    if fmt == "csv":
        return {f"{STEM}-{table}.csv": render_csv(network, table) for table in TABLES}
    if fmt == "graphml":
        return {f"{STEM}.graphml": render_graphml(network)}
    if fmt == "json":
        return {f"{STEM}.json": render_json(network)}
    raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")

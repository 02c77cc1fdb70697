"""The city network: cities and districts as nodes, city links as edges weighted by shared themes.

Laid out on a circle, grouped by country, so the drawing is the same on every
request and needs no script; the template writes it as SVG where each node
and edge is a link to its page.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from rdflib.namespace import RDFS

from ...store import Store
from ...vocabulary.namespaces import SCHEMA
from ...vocabulary.terms import ICC
from .labels import pick_text
from .practice_list import select_all

SIZE = 760
MAX_NODES = 120
_PREFIXES = f"""PREFIX icc: <{ICC._NS}>
PREFIX schema: <{SCHEMA}>
PREFIX rdfs: <{RDFS}>
"""
# Several plain queries: Oxigraph answers them much faster than one with OPTIONALs and GROUP BY.
NODES_QUERY = _PREFIXES + """SELECT ?place ?label ?country WHERE {
  VALUES ?type { schema:City icc:District }
  ?place a ?type ; rdfs:label ?label . OPTIONAL { ?place icc:country ?country }
}"""
COUNTS_QUERY = _PREFIXES + ("SELECT ?place (COUNT(?practice) AS ?n) WHERE { ?practice schema:spatialCoverage ?place } "
                             "GROUP BY ?place")
ENDS_QUERY = _PREFIXES + "SELECT ?link ?end WHERE { ?link a icc:CityLink ; icc:linkEnd ?end }"
WEIGHTS_QUERY = _PREFIXES + "SELECT ?link ?weight WHERE { ?link a icc:CityLink ; icc:weight ?weight }"
LISTED = 300   # edges listed under the drawing (and named by theme), strongest first


def themes_query(links: list[str]) -> str:
    values = " ".join(f"<{link}>" for link in links)
    return _PREFIXES + f"SELECT ?link ?theme WHERE {{ VALUES ?link {{ {values} }} ?link icc:sharedTheme ?theme }}"


@dataclass(frozen=True)
class Node:
    iri: str
    label: str
    country: str
    practices: int
    x: float
    y: float
    r: float
    anchor: str          # text-anchor of its label: "start" on the right half, "end" on the left
    lx: float
    ly: float


@dataclass(frozen=True)
class Edge:
    iri: str
    a: Node
    b: Node
    weight: int
    themes: tuple[str, ...]   # theme IRIs; the page names them


@dataclass(frozen=True)
class Network:
    nodes: list[Node]
    edges: list[Edge]
    places: int        # places in the release; more than MAX_NODES are cut to the most linked
    links: int         # city links in the release


def read_network(store: Store, accept_languages, timeout: float | None, max_nodes: int = MAX_NODES) -> Network:
    labels, countries = defaultdict(list), {}
    for row in select_all(store, NODES_QUERY, timeout):
        place = row["place"]["value"]
        labels[place].append((row["label"]["value"], row["label"].get("xml:lang")))
        countries[place] = row.get("country", {}).get("value", "")
    counts = {row["place"]["value"]: int(row["n"]["value"]) for row in select_all(store, COUNTS_QUERY, timeout)}
    ends = defaultdict(set)
    for row in select_all(store, ENDS_QUERY, timeout):
        ends[row["link"]["value"]].add(row["end"]["value"])
    weights = {row["link"]["value"]: int(row["weight"]["value"]) for row in select_all(store, WEIGHTS_QUERY, timeout)}
    links = {link: sorted(pair) for link, pair in ends.items() if len(pair) == 2 and pair <= labels.keys()}
    # A drawing of a thousand places is a blur: keep the places with the most shared themes.
    strength = defaultdict(int)
    for link, pair in links.items():
        for place in pair:
            strength[place] += weights.get(link, 1)
    kept = set(sorted(labels, key=lambda p: (-strength[p], p))[:max_nodes])
    names = {p: pick_text(labels[p], accept_languages)[0] for p in kept}
    order = sorted(kept, key=lambda p: (countries[p], names[p].casefold()))
    nodes = {p: _node(i, len(order), p, names[p], countries[p], counts.get(p, 0)) for i, p in enumerate(order)}
    drawn = sorted((link for link, (a, b) in links.items() if a in kept and b in kept),
                   key=lambda link: (-weights.get(link, 1), link))
    themes = defaultdict(set)
    if drawn:
        for row in select_all(store, themes_query(drawn[:LISTED]), timeout):
            themes[row["link"]["value"]].add(row["theme"]["value"])
    edges = [Edge(link, nodes[links[link][0]], nodes[links[link][1]], weights.get(link, len(themes[link])),
                  tuple(sorted(themes[link]))) for link in drawn]
    return Network(list(nodes.values()), edges, len(labels), len(links))


def _node(index: int, total: int, iri, label: str, country: str, practices: int) -> Node:
    angle = 2 * math.pi * index / max(total, 1) - math.pi / 2
    radius = SIZE / 2 - 120
    cx = cy = SIZE / 2
    x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
    lx, ly = cx + (radius + 14) * math.cos(angle), cy + (radius + 14) * math.sin(angle)
    return Node(str(iri), label, country, practices, round(x, 1), round(y, 1), round(4 + 2.5 * math.sqrt(practices), 1),
                "start" if math.cos(angle) >= -1e-9 else "end", round(lx, 1), round(ly + 4, 1))

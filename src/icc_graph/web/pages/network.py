"""The city network on the site: read from the store as a ``network.Network``, drawn, and offered as downloads.

The network is the one `icc-graph links export` writes (icc_graph.network), so
the view and /network.csv, /network.graphml and /network.json show the same
places and links, filtered the same way (``?theme=<slug>&country=<iso2>``).
The drawing lays the places on a circle, grouped by country, so it is the same
on every request and needs no script; the template writes it as SVG where each
node and edge is a link to its page.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ...store import Store
from ...store.network import Edge, Network, Node, Select, filtered, network_from_store
from ...vocabulary.iris import Minter

SIZE = 760
MAX_NODES = 120
LISTED = 300   # edges listed under the drawing, strongest first


def paged_select(store: Store, timeout: float | None) -> Select:
    """``store.select`` asked in slices no longer than one answer may be, so a big release is read whole."""

    def select(query: str) -> tuple[list[str], list[tuple]]:
        rows: list[tuple] = []
        offset, size = 0, max(1, store.row_cap)
        while True:
            names, chunk = store.select(f"{query} LIMIT {size} OFFSET {offset}", timeout)
            rows += chunk
            if len(chunk) < size:
                return names, rows
            offset += size

    return select


def store_network(store: Store, mint: Minter, timeout: float | None, theme: str | None = None,
                  country: str | None = None) -> Network:
    return filtered(network_from_store(paged_select(store, timeout), mint), theme, country)


@dataclass(frozen=True)
class PlacedNode:
    node: Node
    x: float
    y: float
    r: float
    anchor: str          # text-anchor of its label: "start" on the right half, "end" on the left
    lx: float
    ly: float


@dataclass(frozen=True)
class DrawnEdge:
    edge: Edge
    a: PlacedNode
    b: PlacedNode


@dataclass(frozen=True)
class Drawing:
    nodes: list[PlacedNode]
    edges: list[DrawnEdge]      # strongest first
    places: int                 # places in the network; more than MAX_NODES are cut to the most linked
    links: int                  # links in the network


def draw(network: Network, max_nodes: int = MAX_NODES) -> Drawing:
    # A drawing of a thousand places is a blur: keep the places with the strongest links.
    strength: dict[str, float] = defaultdict(float)
    for e in network.edges:
        strength[e.source] += float(e.score)
        strength[e.target] += float(e.score)
    kept = sorted(network.nodes, key=lambda n: (-strength[n.id], n.id))[:max_nodes]
    order = sorted(kept, key=lambda n: (n.country, n.label.casefold(), n.id))
    placed = {n.id: _place(i, len(order), n) for i, n in enumerate(order)}
    edges = sorted((e for e in network.edges if e.source in placed and e.target in placed),
                   key=lambda e: (-e.score, e.source, e.target))
    return Drawing(list(placed.values()), [DrawnEdge(e, placed[e.source], placed[e.target]) for e in edges],
                   len(network.nodes), len(network.edges))


def _place(index: int, total: int, node: Node) -> PlacedNode:
    angle = 2 * math.pi * index / max(total, 1) - math.pi / 2
    radius = SIZE / 2 - 120
    cx = cy = SIZE / 2
    x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
    lx, ly = cx + (radius + 14) * math.cos(angle), cy + (radius + 14) * math.sin(angle)
    return PlacedNode(node, round(x, 1), round(y, 1), round(4 + 2.5 * math.sqrt(node.practices), 1),
                      "start" if math.cos(angle) >= -1e-9 else "end", round(lx, 1), round(ly + 4, 1))

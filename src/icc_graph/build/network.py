"""The city network as node and edge tables: for `icc-graph links export` and the site's network view.

A network is read either from the records (``network_from_records``) or from
any store that answers SPARQL (``network_from_store``, given a ``select``
function shaped like ``store.Store.select``: query -> (variable names, rows of
rdflib terms)). Both give the same tables for the same data. Nodes are the
places that run practices, edges the city links. ``roll_up`` merges each
district into its city: an edge's themes and evidence are then the union of
its links' (exact, since intersection distributes over union).

Writers: CSV in Gephi's spreadsheet layout (nodes.csv with Id and Label,
edges.csv with Source, Target, Type, Weight) and GraphML, which networkx and
Gephi both read.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree as ET

from rdflib import URIRef

from ..vocabulary.iris import PATTERNS, Minter
from .citylinks import city_links, practice_places
from .records import Records

Select = Callable[[str], tuple[list[str], list[tuple]]]
FORMATS = ("graphml", "csv")
STEM = "icc-graph-links"
SEPARATOR = ";"


@dataclass(frozen=True)
class Node:
    id: str                 # the place's slug
    label: str
    kind: str               # "city" or "district"
    country: str            # ISO 3166-1 alpha-2
    parent: str             # the city's slug for a district, else ""
    lat: float | None
    lon: float | None
    practices: int          # practices that run there
    iri: str


@dataclass(frozen=True)
class Edge:
    source: str             # node ids, source < target
    target: str
    themes: tuple[str, ...]
    evidence: tuple[str, ...]
    links: tuple[str, ...]  # IRIs of the icc:CityLink(s) behind the edge

    @property
    def weight(self) -> int:
        return len(self.themes)


@dataclass(frozen=True)
class Network:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def network_from_records(records: Records, mint: Minter, roll_up: bool = False) -> Network:
    counts = {slug: len(ps) for slug, ps in practice_places(records).items()}
    nodes = [Node(p.slug, p.name, p.kind, p.country, p.parent or "", p.lat, p.lon, counts[p.slug],
                  str(mint.place(p.slug))) for p in records.places if p.slug in counts]
    edges = [Edge(link.a, link.b, link.themes, link.evidence, (str(mint.city_link(link.a, link.b)),))
             for link in city_links(records)]
    network = Network(tuple(sorted(nodes, key=lambda n: n.id)), tuple(edges))
    if not roll_up:
        return network
    cities = {p.slug: Node(p.slug, p.name, p.kind, p.country, "", p.lat, p.lon, 0, str(mint.place(p.slug)))
              for p in records.places if p.kind == "city"}
    return rolled_up(network, cities)


def rolled_up(network: Network, cities: dict[str, Node] | None = None) -> Network:
    """Districts merged into their cities; a district-city edge disappears (it would be a self link).

    ``cities`` describes the cities that run no practice themselves (London, through
    London-Lewisham), which the network's own nodes do not hold.
    """
    nodes = {n.id: n for n in network.nodes}
    city = {n.id: n.parent or n.id for n in network.nodes}
    practices: dict[str, int] = defaultdict(int)
    for n in network.nodes:
        practices[city[n.id]] += n.practices
    merged: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for e in network.edges:
        a, b = sorted((city[e.source], city[e.target]))
        if a != b:
            merged[(a, b)].append(e)
    known = {**(cities or {}), **nodes}
    missing = sorted(set(city.values()) - known.keys())
    if missing:
        raise ValueError(f"cannot roll up districts into unknown cities: {', '.join(missing)}")
    merged_nodes = tuple(replace(known[slug], practices=practices[slug]) for slug in sorted(set(city.values())))
    edges = [Edge(a, b, _union(e.themes for e in group), _union(e.evidence for e in group),
                  _union(e.links for e in group)) for (a, b), group in sorted(merged.items())]
    return Network(merged_nodes, tuple(edges))


def _union(groups) -> tuple[str, ...]:
    return tuple(sorted({item for group in groups for item in group}))


PREFIXES = """PREFIX icc: <https://w3id.org/icc-graph/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
NODES_QUERY = PREFIXES + """SELECT ?place ?label ?kind ?iso ?parent ?lat ?lon (COUNT(DISTINCT ?practice) AS ?practices)
WHERE {
  ?practice a icc:GoodPractice ; schema:spatialCoverage ?place .
  ?place icc:country ?country .
  ?country icc:isoCode ?iso .
  OPTIONAL { ?place rdfs:label ?label FILTER(LANG(?label) = "en") }
  OPTIONAL { ?place a icc:District ; schema:containedInPlace ?parent }
  BIND(IF(BOUND(?parent), "district", "city") AS ?kind)
  OPTIONAL { ?place schema:latitude ?lat ; schema:longitude ?lon }
}
GROUP BY ?place ?label ?kind ?iso ?parent ?lat ?lon
ORDER BY ?place"""
PARENTS_QUERY = PREFIXES + """SELECT ?city ?label ?iso ?lat ?lon WHERE {
  ?district a icc:District ; schema:containedInPlace ?city .
  ?city icc:country/icc:isoCode ?iso .
  OPTIONAL { ?city rdfs:label ?label FILTER(LANG(?label) = "en") }
  OPTIONAL { ?city schema:latitude ?lat ; schema:longitude ?lon }
}"""
EDGES_QUERY = PREFIXES + """SELECT ?link ?a ?b ?theme ?evidence WHERE {
  ?link a icc:CityLink ; icc:linkEnd ?a, ?b .
  FILTER(STR(?a) < STR(?b))
  { ?link icc:sharedTheme ?theme } UNION { ?link icc:evidence ?evidence }
}"""


def network_from_store(select: Select, mint: Minter, roll_up: bool = False) -> Network:
    """The network read back from a store holding a release (the default graph being the union)."""
    place_prefix = mint.base + PATTERNS["city"].format("")
    theme_prefix, practice_prefix = str(mint.theme("")), str(mint.practice(""))

    def slug(term, prefix=place_prefix) -> str:
        return str(term)[len(prefix):] if term is not None else ""

    def number(term) -> float | None:
        return float(term.toPython()) if term is not None else None

    _, rows = select(NODES_QUERY)
    nodes = tuple(Node(slug(place), str(label) if label is not None else slug(place), str(kind), str(iso),
                       slug(parent), number(lat), number(lon), int(count.toPython()), str(place))
                  for place, label, kind, iso, parent, lat, lon, count in rows)
    themes: dict[tuple, set[str]] = defaultdict(set)
    evidence: dict[tuple, set[str]] = defaultdict(set)
    for link, a, b, theme, practice in select(EDGES_QUERY)[1]:
        key = (slug(a), slug(b), str(link))
        if theme is not None:
            themes[key].add(slug(theme, theme_prefix))
        if practice is not None:
            evidence[key].add(slug(practice, practice_prefix))
    edges = tuple(Edge(a, b, tuple(sorted(themes[key])), tuple(sorted(evidence[key])), (link,))
                  for key in sorted(themes.keys() | evidence.keys()) for a, b, link in [key])
    network = Network(nodes, edges)
    if not roll_up:
        return network
    cities = {slug(city): Node(slug(city), str(label) if label is not None else slug(city), "city", str(iso), "",
                               number(lat), number(lon), 0, str(city))
              for city, label, iso, lat, lon in select(PARENTS_QUERY)[1]}
    return rolled_up(network, cities)


def release_select(release: Path) -> Select:
    """A ``select`` over a release folder's N-Quads dump, in an in-memory Oxigraph store."""
    from pyoxigraph import Literal as OxLiteral
    from pyoxigraph import RdfFormat, Store
    from rdflib import Literal

    from ..vocabulary.release_folder import NQUADS

    dump = release / NQUADS
    if not dump.is_file():
        raise FileNotFoundError(f"{release} holds no {NQUADS}: is it a release folder (icc-graph build)?")
    store = Store()
    store.bulk_load(path=str(dump), format=RdfFormat.N_QUADS)

    def term(value):
        if value is None:
            return None
        if isinstance(value, OxLiteral):
            if value.language:
                return Literal(value.value, lang=value.language)
            return Literal(value.value, datatype=URIRef(value.datatype.value))
        return URIRef(value.value)

    def select(query: str) -> tuple[list[str], list[tuple]]:
        solutions = store.query(query, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        return names, [tuple(term(solution[name]) for name in names) for solution in solutions]

    return select


NODE_COLUMNS = ("Id", "Label", "kind", "country", "parent", "lat", "lon", "practices", "iri")
EDGE_COLUMNS = ("Source", "Target", "Type", "Weight", "themes", "evidence", "links")


def node_rows(network: Network) -> list[tuple]:
    return [(n.id, n.label, n.kind, n.country, n.parent, _blank(n.lat), _blank(n.lon), n.practices, n.iri)
            for n in network.nodes]


def edge_rows(network: Network) -> list[tuple]:
    return [(e.source, e.target, "Undirected", e.weight, SEPARATOR.join(e.themes), SEPARATOR.join(e.evidence),
             SEPARATOR.join(e.links)) for e in network.edges]


def _blank(value):
    return "" if value is None else value


def _csv(columns: tuple[str, ...], rows: list[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def render_csv(network: Network) -> dict[str, bytes]:
    return {f"{STEM}-nodes.csv": _csv(NODE_COLUMNS, node_rows(network)),
            f"{STEM}-edges.csv": _csv(EDGE_COLUMNS, edge_rows(network))}


GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
# (key id, for, attr.name, attr.type)
_GRAPHML_KEYS = (("label", "node", "label", "string"), ("kind", "node", "kind", "string"),
                 ("country", "node", "country", "string"), ("parent", "node", "parent", "string"),
                 ("lat", "node", "lat", "double"), ("lon", "node", "lon", "double"),
                 ("practices", "node", "practices", "int"), ("iri", "node", "iri", "string"),
                 ("weight", "edge", "weight", "double"), ("themes", "edge", "themes", "string"),
                 ("evidence", "edge", "evidence", "string"), ("links", "edge", "links", "string"))


def render_graphml(network: Network) -> bytes:
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    for key, kind, name, type_ in _GRAPHML_KEYS:
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": key, "for": kind, "attr.name": name, "attr.type": type_})
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "icc-city-links", "edgedefault": "undirected"})

    def data(parent, key, value):
        if value not in (None, ""):
            ET.SubElement(parent, f"{{{GRAPHML_NS}}}data", {"key": key}).text = str(value)

    for n in network.nodes:
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": n.id})
        for key, value in (("label", n.label), ("kind", n.kind), ("country", n.country), ("parent", n.parent),
                           ("lat", n.lat), ("lon", n.lon), ("practices", n.practices), ("iri", n.iri)):
            data(node, key, value)
    for i, e in enumerate(network.edges):
        edge = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge", {"id": f"e{i}", "source": e.source, "target": e.target})
        for key, value in (("weight", e.weight), ("themes", SEPARATOR.join(e.themes)),
                           ("evidence", SEPARATOR.join(e.evidence)), ("links", SEPARATOR.join(e.links))):
            data(edge, key, value)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render(network: Network, fmt: str) -> dict[str, bytes]:
    """File name -> bytes for one export format."""
    if fmt == "csv":
        return render_csv(network)
    if fmt == "graphml":
        return {f"{STEM}.graphml": render_graphml(network)}
    raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")

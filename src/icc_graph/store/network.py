"""The city network, one model for `icc-graph links export` and the site (/network and its downloads).

A network is read from any store holding a release (``network_from_store``,
given a ``select`` function shaped like ``store.Store.select``: query ->
(variable names, rows of rdflib terms)): the site's store, a release folder's
dump (``release_select``) or a build held in memory (``quads_select``), so the
export and the site read the same network the same way. Nodes are the places
that run practices (with the curated themes of their practices), edges the
published city links: their score, shared themes and evidence. Every slug
travels with its English label (``Network.labels``), so that the tables written
by network_formats.py name places, themes and practices. ``roll_up`` merges
each district into its city: an edge's themes and evidence are then the union
of its links', its score the highest of theirs. ``filtered`` keeps the part
of a network about one theme or one country, for the exports and the view.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from rdflib import URIRef

from ..vocabulary.iris import PATTERNS, Minter

Select = Callable[[str], tuple[list[str], list[tuple]]]


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
    themes: tuple[str, ...]  # curated themes of those practices, sorted slugs
    iri: str


@dataclass(frozen=True)
class Edge:
    source: str             # node ids, source < target
    target: str
    score: Decimal          # icc:linkScore (the highest of the merged links after a roll-up)
    themes: tuple[str, ...]
    evidence: tuple[str, ...]
    links: tuple[str, ...]  # IRIs of the icc:CityLink(s) behind the edge

    @property
    def shared_themes(self) -> int:
        return len(self.themes)


@dataclass(frozen=True)
class Network:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    labels: dict[str, str] = field(default_factory=dict)   # theme, practice and country slug -> English label

    def label(self, slug: str) -> str:
        return self.labels.get(slug, slug)


def rolled_up(network: Network, cities: dict[str, Node] | None = None) -> Network:
    """Districts merged into their cities; a district-city edge disappears (it would be a self link).

    ``cities`` describes the cities that run no practice themselves (London, through
    London-Lewisham), which the network's own nodes do not hold.
    """
    nodes = {n.id: n for n in network.nodes}
    city = {n.id: n.parent or n.id for n in network.nodes}
    practices: dict[str, int] = defaultdict(int)
    themes: dict[str, set[str]] = defaultdict(set)
    for n in network.nodes:
        practices[city[n.id]] += n.practices
        themes[city[n.id]].update(n.themes)
    merged: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for e in network.edges:
        a, b = sorted((city[e.source], city[e.target]))
        if a != b:
            merged[(a, b)].append(e)
    known = {**(cities or {}), **nodes}
    missing = sorted(set(city.values()) - known.keys())
    if missing:
        raise ValueError(f"cannot roll up districts into unknown cities: {', '.join(missing)}")
    merged_nodes = tuple(replace(known[slug], practices=practices[slug], themes=tuple(sorted(themes[slug])))
                         for slug in sorted(set(city.values())))
    edges = [Edge(a, b, max(e.score for e in group), _union(e.themes for e in group),
                  _union(e.evidence for e in group), _union(e.links for e in group))
             for (a, b), group in sorted(merged.items())]
    return Network(merged_nodes, tuple(edges), network.labels)


def _union(groups) -> tuple[str, ...]:
    return tuple(sorted({item for group in groups for item in group}))


def filtered(network: Network, theme: str | None = None, country: str | None = None) -> Network:
    """The part of ``network`` about one theme and/or one country (ISO alpha-2, any case).

    ``theme``: the places whose practices carry it and the links that share it.
    ``country``: its places, every link with an end there, and the places at those links' other ends.
    """
    country = country.upper() if country else None
    nodes = [n for n in network.nodes if theme is None or theme in n.themes]
    ids = {n.id for n in nodes}
    edges = [e for e in network.edges if e.source in ids and e.target in ids and (theme is None or theme in e.themes)]
    if country:
        home = {n.id for n in nodes if n.country == country}
        edges = [e for e in edges if e.source in home or e.target in home]
        ends = home | {end for e in edges for end in (e.source, e.target)}
        nodes = [n for n in nodes if n.id in ends]
    return Network(tuple(nodes), tuple(edges), network.labels)


PREFIXES = """PREFIX icc: <https://w3id.org/icc-graph/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
# Plain queries, one per table: Oxigraph answers them much faster than one with OPTIONALs and GROUP BY.
PLACES_QUERY = PREFIXES + """SELECT ?place ?label ?district ?parent ?iso ?lat ?lon WHERE {
  VALUES ?type { schema:City icc:District }
  ?place a ?type ; icc:country/icc:isoCode ?iso .
  BIND(?type = icc:District AS ?district)
  OPTIONAL { ?place rdfs:label ?label FILTER(LANG(?label) = "en") }
  OPTIONAL { ?place a icc:District ; schema:containedInPlace ?parent }
  OPTIONAL { ?place schema:latitude ?lat ; schema:longitude ?lon }
}"""
PRACTICES_QUERY = PREFIXES + """SELECT ?practice ?place ?theme WHERE {
  ?practice a icc:GoodPractice ; schema:spatialCoverage ?place . OPTIONAL { ?practice dcterms:subject ?theme }
}"""
# A practice's label is in its page's language; a theme's and a country's in English.
LABELS_QUERY = PREFIXES + """SELECT ?thing ?label WHERE {
  { ?thing a icc:GoodPractice ; rdfs:label ?label }
  UNION { ?thing a skos:Concept ; skos:prefLabel ?label FILTER(LANG(?label) = "en") }
  UNION { ?thing a schema:Country ; rdfs:label ?label FILTER(LANG(?label) = "en") }
}"""
EDGES_QUERY = PREFIXES + """SELECT ?link ?a ?b ?score ?theme ?evidence WHERE {
  ?link a icc:CityLink ; icc:linkEnd ?a, ?b ; icc:linkScore ?score .
  FILTER(STR(?a) < STR(?b))
  { ?link icc:sharedTheme ?theme } UNION { ?link icc:evidence ?evidence }
}"""


def network_from_store(select: Select, mint: Minter, roll_up: bool = False) -> Network:
    """The network read back from a store holding a release (the default graph being the union)."""
    prefixes = {kind: mint.base + PATTERNS[kind].format("") for kind in ("city", "theme", "practice", "country")}

    def slug(term, kind="city") -> str:
        return str(term)[len(prefixes[kind]):] if term is not None else ""

    def number(term) -> float | None:
        return float(term.toPython()) if term is not None else None

    practices: dict[str, set[str]] = defaultdict(set)
    themes: dict[str, set[str]] = defaultdict(set)
    for practice, place, theme in select(PRACTICES_QUERY)[1]:
        practices[slug(place)].add(str(practice))
        if theme is not None:
            themes[slug(place)].add(slug(theme, "theme"))
    places = {}
    for place, label, district, parent, iso, lat, lon in select(PLACES_QUERY)[1]:
        name = slug(place)
        places[name] = Node(name, str(label) if label is not None else name,
                            "district" if district.toPython() else "city", str(iso), slug(parent),
                            number(lat), number(lon), len(practices.get(name, ())), tuple(sorted(themes[name])),
                            str(place))
    labels: dict[str, str] = {}
    for thing, label in select(LABELS_QUERY)[1]:
        kind = next((k for k in ("practice", "theme", "country") if str(thing).startswith(prefixes[k])), None)
        if kind is not None:
            name = slug(thing, kind)
            name = name.upper() if kind == "country" else name
            labels[name] = min(labels.get(name, str(label)), str(label))   # one of several, the same every time
    scores: dict[tuple, Decimal] = {}
    shared: dict[tuple, set[str]] = defaultdict(set)
    evidence: dict[tuple, set[str]] = defaultdict(set)
    for link, a, b, score, theme, practice in select(EDGES_QUERY)[1]:
        key = (slug(a), slug(b), str(link))
        scores[key] = score.toPython()
        if theme is not None:
            shared[key].add(slug(theme, "theme"))
        if practice is not None:
            evidence[key].add(slug(practice, "practice"))
    edges = tuple(Edge(a, b, scores[key], tuple(sorted(shared[key])), tuple(sorted(evidence[key])), (link,))
                  for key in sorted(scores) for a, b, link in [key])
    network = Network(tuple(places[p] for p in sorted(places) if p in practices), edges, labels)
    if not roll_up:
        return network
    return rolled_up(network, {p: replace(n, practices=0, themes=()) for p, n in places.items() if n.kind == "city"})


def release_select(release: Path) -> Select:
    """A ``select`` over a release folder's N-Quads dump, in an in-memory Oxigraph store."""
    from pyoxigraph import RdfFormat, Store

    from ..vocabulary.release_folder import NQUADS

    dump = release / NQUADS
    if not dump.is_file():
        raise FileNotFoundError(f"{release} holds no {NQUADS}: is it a release folder (icc-graph build)?")
    store = Store()
    store.bulk_load(path=str(dump), format=RdfFormat.N_QUADS)
    return _select(store)


def quads_select(runs) -> Select:
    """A ``select`` over a build's quads still on disk (build.sorted_runs.SortedRuns: ``names()`` and
    ``lines(name)``, N-Triples lines without their final " ."), loaded into an in-memory Oxigraph store."""
    from pyoxigraph import RdfFormat, Store

    store = Store()
    for name in runs.names():
        graph = b" <" + name.encode() + b"> .\n"
        store.bulk_load(b"".join(line.rstrip(b"\n") + graph for line in runs.lines(name)), format=RdfFormat.N_QUADS)
    return _select(store)


def _select(store) -> Select:
    from pyoxigraph import Literal as OxLiteral
    from rdflib import Literal

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

"""The pointer to the release a remote store serves: a few triples in the control graph ``<base>graph/control``.

A push loads release R's named graphs under new names,
``<base>graph/release/<R's tag>/<name>``, and only then rewrites the control
graph in ONE SPARQL update operation (DELETE/INSERT, atomic in every store),
so readers see the old release or the new one, never a mix; a push that
fails before that leaves the pointer, hence the served data, as it was.
Readers (store.RemoteStore) query the graphs the pointer names and show
them under their public names (``<base>graph/source`` and so on).

    <base>graph/control> ctl:release "0.1.0-6fae7bebb2e6" ; ctl:version "0.1.0" ;
        ctl:checksum "<SHA-256 of SHA256SUMS>" ; ctl:modified "..."^^xsd:dateTime ; ctl:previous "<tag>" .
    <release graph> ctl:servedAs <public graph>     (ctl:default for the default graph)
    <release graph> ctl:stagedBy "<tag>"              (written before the upload, kept by the switch)

with ``ctl:`` = ``<base>graph/control#``. The ``stagedBy`` records let a push find
every graph an earlier push loaded (or left behind when it died) without
scanning the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode

from ..base import Snapshot, StoreError

XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
DEFAULT = ""   # the public name of the default graph


def control_graph(base: str) -> str:
    return f"{base}graph/control"


def release_prefix(base: str) -> str:
    return f"{base}graph/release/"


def release_tag(version: str, checksum: str) -> str:
    return f"{version}-{checksum[:12]}"


def release_graph(base: str, tag: str, public: str) -> str:
    """The graph a release's ``public`` graph is loaded into (``public`` "" is the default graph)."""
    if public == DEFAULT:
        name = "default"
    elif public.startswith(f"{base}graph/"):
        name = public.removeprefix(f"{base}graph/")
    else:   # a graph named outside the base: keep it apart and readable
        name = "other/" + "".join(c if c.isalnum() or c in "-._" else "_" for c in public)
    return f"{release_prefix(base)}{tag}/{name}"


@dataclass(frozen=True)
class Served:
    tag: str
    version: str
    checksum: str
    modified: datetime
    graphs: dict[str, str] = field(default_factory=dict)   # public name -> release graph
    previous: str = ""

    @property
    def snapshot(self) -> Snapshot:
        return Snapshot(self.version, self.checksum, self.modified)

    def rename(self, iri: str) -> str | None:
        """The release graph a public graph name stands for, or None."""
        return self.graphs.get(iri) if iri != DEFAULT else None

    def dataset(self) -> dict[str, list[str]]:
        """The protocol dataset: the union of the release's graphs as default graph, its named graphs as named."""
        return {"default-graph-uri": sorted(self.graphs.values()),
                "named-graph-uri": sorted(g for public, g in self.graphs.items() if public != DEFAULT)}

    def public_names(self) -> list[tuple[bytes, bytes]]:
        """(release graph, public name) pairs, as bytes, to show answers under the public names."""
        pairs = [(g.encode("utf-8"), p.encode("utf-8")) for p, g in self.graphs.items() if p != DEFAULT]
        return sorted(pairs, key=lambda pair: -len(pair[0]))   # longest first: no name is cut by a shorter one


def read_query(base: str) -> str:
    return f"SELECT ?s ?p ?o WHERE {{ GRAPH <{control_graph(base)}> {{ ?s ?p ?o }} }}"


def parse_served(base: str, rows: list[list]) -> Served | None:
    """The pointer from the control graph's rows (s, p, o as pyoxigraph terms); None when there is none."""
    ctl = control_graph(base) + "#"
    values: dict[str, str] = {}
    graphs: dict[str, str] = {}
    for s, p, o in rows:
        if p is None or not p.value.startswith(ctl):
            continue
        key = p.value.removeprefix(ctl)
        if key == "servedAs":
            graphs[DEFAULT if o.value == ctl + "default" else o.value] = s.value
        elif s.value == control_graph(base):
            values[key] = o.value
    if "release" not in values:
        return None
    try:
        moment = datetime.fromisoformat(values["modified"])
        return Served(values["release"], values["version"], values["checksum"],
                      moment if moment.tzinfo else moment.replace(tzinfo=UTC), graphs, values.get("previous", ""))
    except (KeyError, ValueError) as exc:
        raise StoreError(f"the control graph <{control_graph(base)}> is damaged ({exc}): push a release again") \
            from None


def staged(base: str, rows: list[list]) -> dict[str, str]:
    """release graph -> tag, for every graph a push recorded before loading it (rows of the control graph)."""
    key = control_graph(base) + "#stagedBy"
    return {s.value: o.value for s, p, o in rows if p is not None and p.value == key}


def stage_update(base: str, graphs: dict[str, str], insert: bool = True) -> str:
    """Record (or forget) that ``graphs`` (release graph -> tag) were loaded by a push."""
    key = NamedNode(control_graph(base) + "#stagedBy")
    lines = "\n    ".join(f"{NamedNode(g)} {key} {Literal(tag)} ." for g, tag in sorted(graphs.items()))
    return f"{'INSERT' if insert else 'DELETE'} DATA {{ GRAPH <{control_graph(base)}> {{\n    {lines}\n}} }}"


def switch_update(base: str, new: Served) -> str:
    """The one update operation that makes ``new`` the served release (whatever was served before)."""
    control = control_graph(base)
    ctl = control + "#"

    def triple(s: str, p: str, o) -> str:
        return f"{NamedNode(s)} {NamedNode(ctl + p)} {o} ."

    lines = [triple(control, "release", Literal(new.tag)), triple(control, "version", Literal(new.version)),
             triple(control, "checksum", Literal(new.checksum)),
             triple(control, "modified", Literal(new.modified.isoformat(), datatype=NamedNode(XSD_DATETIME)))]
    if new.previous:
        lines.append(triple(control, "previous", Literal(new.previous)))
    for public, graph in sorted(new.graphs.items()):
        lines.append(triple(graph, "servedAs", NamedNode(ctl + "default" if public == DEFAULT else public)))
    body = "\n    ".join(lines)
    # One operation: the DELETE and the INSERT are one change, whatever the store's transaction model.
    # The stagedBy records stay: the push that follows needs them to drop this release's graphs.
    return (f"DELETE {{ GRAPH <{control}> {{ ?s ?p ?o }} }}\nINSERT {{ GRAPH <{control}> {{\n    {body}\n}} }}\n"
            f"WHERE {{ OPTIONAL {{ GRAPH <{control}> {{ ?s ?p ?o FILTER(?p != <{ctl}stagedBy>) }} }} }}")

"""RDF formats: the table of what icc-graph writes, and deterministic serialisers for dumps.

rdflib's serialisers follow hash order in places, so each dump is normalised
(sorted lines, sorted JSON) to make the same data give the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import Dataset, Graph


@dataclass(frozen=True)
class RdfFormat:
    name: str          # rdflib's name for it
    suffix: str        # file suffix and URL suffix
    media_type: str
    quads: bool        # keeps the named graphs


FORMATS = (
    RdfFormat("turtle", "ttl", "text/turtle", False),
    RdfFormat("nt", "nt", "application/n-triples", False),
    RdfFormat("json-ld", "jsonld", "application/ld+json", False),
    RdfFormat("trig", "trig", "application/trig", True),
    RdfFormat("nquads", "nq", "application/n-quads", True),
    RdfFormat("xml", "rdf", "application/rdf+xml", False),
)
BY_SUFFIX = {f.suffix: f for f in FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
DUMP_SUFFIXES = ("ttl", "nt", "jsonld", "trig", "nq")


def union_graph(ds: Dataset) -> Graph:
    """Every triple of every named graph, with the dataset's prefixes."""
    g = Graph(namespace_manager=ds.namespace_manager)
    for context in ds.graphs():
        g += context
    return g


def _sorted_lines(text: str) -> str:
    return "".join(sorted(set(line + "\n" for line in text.splitlines() if line.strip())))


def _jsonld(graph: Graph, context: dict) -> str:
    doc = json.loads(graph.serialize(format="json-ld", context=context["@context"], auto_compact=True))
    nodes = doc.get("@graph", [doc])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    nodes = sorted((n for n in nodes if n.keys() - {"@context"}),
                   key=lambda n: (n.get("id", n.get("@id", "")), json.dumps(n, sort_keys=True, ensure_ascii=False)))
    out = {"@context": context["@context"], "@graph": [{k: v for k, v in n.items() if k != "@context"}
                                                        for n in nodes]}
    return json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _turtle_body(graph: Graph) -> tuple[list[str], str]:
    """(prefix lines, statements) of rdflib's Turtle, which sorts subjects and predicates itself."""
    text = graph.serialize(format="turtle")
    prefixes = [line for line in text.splitlines() if line.startswith("@prefix")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix")).strip()
    return prefixes, body


def _trig(ds: Dataset) -> str:
    prefixes: set[str] = set()
    blocks = []
    for context in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if len(context) == 0:
            continue
        graph = Graph(namespace_manager=ds.namespace_manager)
        graph += context
        graph_prefixes, body = _turtle_body(graph)
        prefixes.update(graph_prefixes)
        indented = "\n".join("    " + line if line else "" for line in body.splitlines())
        blocks.append(f"<{context.identifier}> {{\n{indented}\n}}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def serialize(ds: Dataset, suffix: str, context: dict) -> bytes:
    """One dump of ``ds`` in the format named by ``suffix``, byte-identical for the same data."""
    fmt = BY_SUFFIX[suffix]
    if fmt.quads:
        text = _trig(ds) if suffix == "trig" else _sorted_lines(ds.serialize(format="nquads"))
    else:
        graph = union_graph(ds)
        if suffix == "jsonld":
            text = _jsonld(graph, context)
        elif suffix == "nt":
            text = _sorted_lines(graph.serialize(format="nt"))
        else:
            text = graph.serialize(format=fmt.name)
    return text.encode("utf-8")

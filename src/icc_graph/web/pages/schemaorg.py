"""The schema.org JSON-LD each page embeds: the page's own description, with schema.org as the vocabulary.

It is written from the very graph the IRI's RDF is written from, so it parses
to the same triples (the tests check it); only the context changes, so that
schema.org readers (search engines, portals) see ``"@type": "City"``,
``"spatialCoverage"``, ``"name"`` with no prefix, while icc-graph's own terms keep
theirs. The context is inline: a reader needs no network to expand it.
"""

from __future__ import annotations

import json
import re

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from ...vocabulary.namespaces import GEO, PAV, SCHEMA
from ...vocabulary.terms import ICC

CONTEXT = {
    "@vocab": str(SCHEMA),
    "icc": str(ICC._NS), "dcterms": str(DCTERMS), "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS),
    "owl": str(OWL), "prov": str(PROV), "pav": str(PAV), "geo": str(GEO), "xsd": str(XSD),
}
_SIMPLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")   # a name that needs no escaping as a term
# In a <script> element only "</script" and "<!--" could end or confuse it; escaping every <, > and &
# as JSON \u escapes keeps the same JSON value and leaves the HTML parser nothing to find.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def compact(iri: str) -> str:
    """A key or type for ``iri``: a bare schema.org name, ``prefix:name`` for the other vocabularies, else the IRI."""
    for prefix, namespace in CONTEXT.items():
        if iri.startswith(namespace) and _SIMPLE.match(iri[len(namespace):]):
            name = iri[len(namespace):]
            if prefix != "@vocab":
                return f"{prefix}:{name}"
            if name not in CONTEXT:   # "icc" as a schema.org name would expand as the prefix
                return name
    return iri


def _value(term) -> dict | str:
    if isinstance(term, URIRef):
        return {"@id": str(term)}
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype is None or term.datatype == XSD.string:
        return str(term)
    # The lexical form as a string keeps the literal exactly (59.9133 stays "59.9133"^^xsd:decimal).
    return {"@value": str(term), "@type": compact(str(term.datatype))}


def _sort_key(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def jsonld_document(graph: Graph, iri: URIRef) -> dict:
    """``graph`` as flattened JSON-LD with the schema.org context, ``iri``'s node first.

    Written by hand rather than by rdflib's serializer: it is ten times faster,
    and its output is simple (one node object per subject, absolute ``@id``s).
    """
    nodes: dict = {}
    for s, p, o in graph:
        node = nodes.setdefault(s, {"@id": f"_:{s}" if isinstance(s, BNode) else str(s)})
        if p == RDF.type and isinstance(o, URIRef):
            node.setdefault("@type", []).append(compact(str(o)))
        else:
            node.setdefault(compact(str(p)), []).append(_value(o))
    out = []
    for node in nodes.values():
        for key, values in node.items():
            if isinstance(values, list):
                values.sort(key=_sort_key)
                node[key] = values[0] if len(values) == 1 else values
        out.append(dict(sorted(node.items())))
    out.sort(key=lambda n: (n["@id"] != str(iri), n["@id"]))
    return {"@context": CONTEXT, "@graph": out}


def script_json(doc: dict) -> str:
    """``doc`` as JSON that is safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
    for char, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escape)
    return text

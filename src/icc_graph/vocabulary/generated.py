"""Files generated from ontology/icc.ttl: the Python term constants and the JSON-LD context.

``icc-graph generate`` writes them; ``icc-graph generate --check`` (and a test)
fails when they no longer match the ontology.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from . import handwritten
from .namespaces import GEO, PREFIXES
from .reused import CLASS, IRI, REUSED, TEXT

ICC_NS = "https://w3id.org/icc-graph/ontology#"
_PACKAGE = Path(__file__).resolve().parent
TERMS_FILE = _PACKAGE / "terms.py"
CONTEXT_FILE = _PACKAGE / "context.jsonld"

_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.SymmetricProperty, RDF.Property,
                   OWL.AnnotationProperty)
_CLASS_TYPES = (OWL.Class, RDFS.Class)


def _terms(g: Graph, types: tuple[URIRef, ...]) -> list[URIRef]:
    return sorted({s for t in types for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)})


def _prefixed(iri: str) -> tuple[str, str]:
    """(prefix, local name) of an IRI under a known namespace."""
    namespaces = {"icc": ICC_NS, **{p: str(ns) for p, ns in PREFIXES.items()}}
    for prefix, ns in sorted(namespaces.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return prefix, iri[len(ns):]
    raise ValueError(f"{iri} is under no namespace icc-graph binds; add it to namespaces.PREFIXES")


def render_terms(ontology: Graph) -> str:
    names = sorted(str(t)[len(ICC_NS):] for t in _terms(ontology, _PROPERTY_TYPES + _CLASS_TYPES)
                   if str(t).startswith(ICC_NS))
    lines = ['"""icc-graph ontology terms. Generated from ontology/icc.ttl by `icc-graph generate`: do not edit."""',
             "", "from rdflib import URIRef", "from rdflib.namespace import DefinedNamespace, Namespace", "",
             "from .namespaces import pin_terms", "", "",
             "class ICC(DefinedNamespace):", "    _fail = True"]
    lines += [f"    {name}: URIRef" for name in names]
    lines += [f'    _NS = Namespace("{ICC_NS}")', "", "", "pin_terms(ICC)", ""]
    return "\n".join(lines)


def render_context(ontology: Graph) -> str:
    """A JSON-LD 1.1 context: one term per icc: class and property, and per reused term (reused.REUSED).

    A term is the local name; when two namespaces share a local name, the
    non-icc one is spelt ``prefix_local``. Properties get their range as ``@type``
    (not xsd:string: a plain JSON string already is one, and typing it would make
    some processors read "x"^^xsd:string apart from "x").
    """
    context: dict[str, object] = {"@version": 1.1, "id": "@id", "type": "@type", "icc": ICC_NS}
    context.update({p: str(ns) for p, ns in sorted(PREFIXES.items())})
    definitions = {**_own_definitions(ontology), **{term: r.written for term, r in REUSED.items()}}
    locals_seen: dict[str, int] = {}
    for term in definitions:
        locals_seen[_prefixed(str(term))[1]] = locals_seen.get(_prefixed(str(term))[1], 0) + 1
    entries: dict[str, dict[str, str] | str] = {}
    for term, written in sorted(definitions.items()):
        prefix, local = _prefixed(str(term))
        key = local if locals_seen[local] == 1 or prefix == "icc" else f"{prefix}_{local}"
        if written == CLASS:
            entries[key] = str(term)
        else:
            entries[key] = {"@id": str(term)} if written == TEXT else {"@id": str(term), "@type": written}
    context.update(dict(sorted(entries.items())))
    return json.dumps({"@context": context}, indent=2, ensure_ascii=False) + "\n"


def _own_definitions(ontology: Graph) -> dict[URIRef, str]:
    """How each icc: class and property is written, read from the ontology's declarations and ranges."""
    out: dict[URIRef, str] = {}
    for term in _terms(ontology, _PROPERTY_TYPES + _CLASS_TYPES):
        if not str(term).startswith(ICC_NS):
            continue
        if not any((term, RDF.type, t) in ontology for t in _PROPERTY_TYPES):
            out[term] = CLASS
        elif (term, RDF.type, OWL.ObjectProperty) in ontology:
            out[term] = IRI
        else:
            ranges = sorted(ontology.objects(term, RDFS.range), key=str)
            typed = len(ranges) == 1 and ranges[0] != XSD.string and \
                (str(ranges[0]).startswith(str(XSD)) or ranges[0] == GEO.wktLiteral)
            out[term] = str(ranges[0]) if typed else TEXT
    return out


def load_ontology() -> Graph:
    return Graph().parse(handwritten.ontology_file(), format="turtle")


def expected_files() -> dict[Path, str]:
    ontology = load_ontology()
    return {TERMS_FILE: render_terms(ontology), CONTEXT_FILE: render_context(ontology)}


def stale_files() -> list[Path]:
    """Generated files whose content no longer matches the ontology."""
    return [path for path, text in expected_files().items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def write_generated() -> list[Path]:
    stale = stale_files()
    for path, text in expected_files().items():
        if path in stale:
            path.write_text(text, encoding="utf-8")
    return stale


def load_context() -> dict[str, Any]:
    context: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return context

"""The one table of prefixes icc-graph binds, as plain strings: dumps, pages, queries and answers print them.

No rdflib here: the query processes import this and must start fast
(namespaces.py gives the same namespaces as rdflib objects).
"""

from __future__ import annotations

ICC = "https://w3id.org/icc-graph/ontology#"   # icc-graph's own terms: does not move with the base IRI

NAMESPACES = {
    "icc": ICC,
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "pav": "http://purl.org/pav/",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "void": "http://rdfs.org/ns/void#",
    "wd": "http://www.wikidata.org/entity/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def prefixes(*names: str) -> dict[str, str]:
    """``{prefix: namespace}`` for ``names``, in that order (writers print them in order)."""
    return {name: NAMESPACES[name] for name in names}


def sparql_prologue(*names: str) -> str:
    """The ``PREFIX`` lines of a SPARQL query for ``names``."""
    return "".join(f"PREFIX {name}: <{namespace}>\n" for name, namespace in prefixes(*names).items())


# The prefixes SPARQL users get for free: declared for every query /sparql runs, and used in its RDF
# answers. As on the Wikidata and Virtuoso endpoints, a query may use these without PREFIX lines of its
# own; a query's own declaration of a name wins.
PREDECLARED = prefixes("icc", "schema", "skos", "dcterms", "prov", "geo", "owl", "rdf", "rdfs", "xsd", "pav")


def prologue() -> str:
    """PREFIX lines for every predeclared prefix, for stores that take no default prefixes (remote ones)."""
    return sparql_prologue(*PREDECLARED)

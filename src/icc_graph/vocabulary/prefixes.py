"""The prefixes SPARQL users get for free: declared for every query /sparql runs, and used in its RDF answers.

Plain strings, no rdflib: the query processes import this and stay small. As on the
Wikidata and Virtuoso endpoints, a query may use these without PREFIX lines of its
own; a query's own declaration of a name wins.
"""

from __future__ import annotations

PREDECLARED = {
    "icc": "https://w3id.org/icc-graph/ontology#", "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#", "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#", "geo": "http://www.opengis.net/ont/geosparql#",
    "owl": "http://www.w3.org/2002/07/owl#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "pav": "http://purl.org/pav/",
}


def prologue() -> str:
    """PREFIX lines for every predeclared prefix, for stores that take no default prefixes (remote ones)."""
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREDECLARED.items())

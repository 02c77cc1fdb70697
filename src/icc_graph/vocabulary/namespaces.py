"""Namespaces of the vocabularies icc-graph reuses, and the prefixes its dumps print."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
PAV = Namespace("http://purl.org/pav/")
ORG = Namespace("http://www.w3.org/ns/org#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
WD = Namespace("http://www.wikidata.org/entity/")
VANN = Namespace("http://purl.org/vocab/vann/")

ICC_DEFAULT = Namespace("https://w3id.org/icc-graph/ontology#")

PREFIXES = {
    "dcat": DCAT, "dcterms": DCTERMS, "foaf": FOAF, "geo": GEO, "org": ORG, "owl": OWL,
    "pav": PAV, "prov": PROV, "rdf": RDF, "rdfs": RDFS, "schema": SCHEMA, "sd": SD, "sh": SH,
    "skos": SKOS, "spdx": SPDX, "vcard": VCARD, "void": VOID, "wd": WD, "xsd": XSD,
}

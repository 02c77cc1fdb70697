"""Namespaces of the vocabularies icc-graph reuses, as rdflib objects, and the prefixes its dumps print.

The IRIs come from the one prefix table (prefixes.py).
"""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD, DefinedNamespace

from .prefixes import NAMESPACES


def pin_terms(*namespaces: type[DefinedNamespace]) -> None:
    """Each declared term of these rdflib DefinedNamespaces held as a plain class attribute.

    rdflib answers ``RDF.type`` through its metaclass's ``__getattr__``, which builds and checks a new
    URIRef on every access (about 1 us); the build reads such terms millions of times (7 % of mapping and
    checking at 10k practices). The IRIs are the same; one object per term also lets dict lookups match
    by identity instead of rdflib's Python ``__eq__``.
    """
    for namespace in namespaces:
        for name in namespace.__annotations__:
            if not name.startswith("_"):
                type.__setattr__(namespace, name, namespace[name])


pin_terms(DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD)

SCHEMA = Namespace(NAMESPACES["schema"])
GEO = Namespace(NAMESPACES["geo"])
PAV = Namespace(NAMESPACES["pav"])
ORG = Namespace(NAMESPACES["org"])
SD = Namespace(NAMESPACES["sd"])
VCARD = Namespace(NAMESPACES["vcard"])
FOAF = Namespace(NAMESPACES["foaf"])
SPDX = Namespace(NAMESPACES["spdx"])
WD = Namespace(NAMESPACES["wd"])
VANN = Namespace("http://purl.org/vocab/vann/")

ICC_DEFAULT = Namespace(NAMESPACES["icc"])

_RDFLIB = {"dcat": DCAT, "dcterms": DCTERMS, "owl": OWL, "prov": PROV, "rdf": RDF, "rdfs": RDFS, "sh": SH,
           "skos": SKOS, "void": VOID, "xsd": XSD}
# Every prefix but icc (the ontology's, bound on its own), rdflib's closed namespaces where rdflib has them.
PREFIXES = {name: _RDFLIB.get(name) or Namespace(iri) for name, iri in NAMESPACES.items() if name != "icc"}

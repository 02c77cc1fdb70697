"""The release's DCAT-AP record as a server offers it: complete, its locations under the deployment's URL.

The build writes ``description.ttl`` once, with every location (download URLs,
the endpoint, the landing page) under the public URL it was built for. A server
reached elsewhere (``make run`` on a laptop, a mirror) rewrites those locations,
and only those, to the URL it is reached at: identifiers (the dataset, the
catalog, the distributions) never move, so portals harvest the same record from
anywhere and every ``dcat:downloadURL`` they read answers.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, FOAF, RDF, VOID

from ...vocabulary.namespaces import SD

# Properties whose value is a place on the web (where to get, query or read something), not an identifier.
LOCATIONS = (DCAT.downloadURL, DCAT.accessURL, DCAT.endpointURL, DCAT.endpointDescription, DCAT.landingPage,
             FOAF.homepage, VOID.dataDump, VOID.sparqlEndpoint, SD.endpoint)
# Of those, the ones whose value DCAT-AP's range shapes want typed foaf:Document.
DOCUMENTS = (DCAT.landingPage, FOAF.homepage)


def built_public_base(description: Graph) -> str | None:
    """The public URL the release was built for, read back from the dataset's own VoID endpoint."""
    for endpoint in sorted(description.objects(None, VOID.sparqlEndpoint)):
        if str(endpoint).endswith("/sparql") and (None, DCAT.endpointURL, endpoint) in description:
            return str(endpoint).removesuffix("sparql")
    return None


def relocated(description: Graph, public_base: str) -> Graph:
    """``description`` with every location under its build-time public URL moved under ``public_base``."""
    built = built_public_base(description)
    if built is None or built == public_base:
        return description
    moved = {}
    for prop in LOCATIONS:
        for location in description.objects(None, prop):
            if isinstance(location, URIRef) and str(location).startswith(built):
                moved[location] = URIRef(public_base + str(location)[len(built):])
    out = Graph()
    for prefix, namespace in description.namespaces():
        out.bind(prefix, namespace, override=True)
    for s, p, o in description:
        if p in LOCATIONS and o in moved:
            out.add((s, p, moved[o]))
            if p in DOCUMENTS:
                out.add((moved[o], RDF.type, FOAF.Document))
        elif p == RDF.type and o == FOAF.Document and s in moved:
            continue   # the old location is a document no more: the moved one is typed above
        else:
            out.add((s, p, o))
    return out

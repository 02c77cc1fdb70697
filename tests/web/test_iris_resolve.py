"""Every IRI the release mints or announces resolves on the web app.

The IRIs are collected from the release itself: every IRI in its N-Quads dump (subjects,
predicates, objects and graph names) and in its description, under the base IRI, the public URL
or the ontology's IRI (which does not move with the base), hash IRIs at their document. Each is
requested from the app; none may answer 404.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef

from icc_graph.vocabulary.iris import ONTOLOGY


def announced_iris(release, settings) -> set[str]:
    ds = Dataset()
    ds.parse(release / "icc-graph.nq", format="nquads")
    terms = {t for quad in ds.quads() for t in quad if isinstance(t, URIRef)}
    terms |= {g.identifier for g in ds.graphs() if isinstance(g.identifier, URIRef)}
    description = Graph().parse(release / "description.ttl", format="turtle")
    terms |= {t for triple in description for t in triple if isinstance(t, URIRef)}
    prefixes = (settings.base_iri, settings.public_base, ONTOLOGY)
    return {str(t).split("#", 1)[0] for t in terms if str(t).startswith(prefixes)}


def local_path(iri: str, settings) -> str:
    if iri.startswith(ONTOLOGY):
        return "/ontology" + iri[len(ONTOLOGY):]
    for prefix in (settings.base_iri, settings.public_base):
        if iri.startswith(prefix):
            return "/" + iri[len(prefix):]
    raise AssertionError(iri)


def test_every_iri_the_release_mints_or_announces_resolves(client, seed_release, seed_settings):
    """Each IRI answers a browser with its page; the release's files and the endpoint answer in their own formats;
    a spread of them answers in RDF that holds the IRI. (One walk: it once had a twin in test_negotiation.)"""
    iris = announced_iris(seed_release, seed_settings)
    version_iri = ONTOLOGY + "/0.1.0"
    assert version_iri in iris and len(iris) > 100
    paths = {iri: local_path(iri, seed_settings) for iri in sorted(iris)}
    kinds = {path.strip("/").split("/", 1)[0] for path in paths.values()}
    assert {"practice", "city", "country", "theme", "scheme", "graph", "link", "dataset", "catalog",
            "release", "downloads", "ontology"} <= kinds
    failing = {}
    for iri, path in paths.items():
        page = client.get(path)
        own_format = path.startswith("/downloads/") or path == "/sparql"
        if page.status_code != 200 or not (own_format or page.mimetype == "text/html"):
            failing[iri] = f"{page.status_code} {page.mimetype}"
    assert failing == {}
    pages = [iri for iri, path in paths.items() if iri.startswith(seed_settings.base_iri) and path != "/"
             and not path.startswith(("/downloads/", "/sparql"))]
    for iri in pages[::7]:
        graph = Graph().parse(data=client.get(paths[iri] + ".nt").data, format="nt")
        assert (URIRef(iri), None, None) in graph or (None, None, URIRef(iri)) in graph, iri


def test_the_version_iri_serves_the_ontology_and_other_versions_are_unknown(client):
    versioned = Graph().parse(data=client.get("/ontology/0.1.0.ttl").data, format="turtle")
    current = Graph().parse(data=client.get("/ontology.ttl").data, format="turtle")
    assert len(versioned) == len(current) > 100
    assert client.get("/ontology/9.9.9").status_code == 404

"""What schema.org readers (search engines, Google Dataset Search) need that the data says in other terms.

- a practice's ``schema:name`` and ``schema:description``: its labels and its summary (else its
  purpose, else its first template section);
- the dataset as a complete ``schema:Dataset`` (name, description, licence, creator, url, version,
  keywords, dates, distributions with ``contentUrl`` and ``encodingFormat``, spatial and temporal
  coverage), read from the release's own DCAT description (description.py writes it; nothing here
  repeats what it knows) and from the countries the store holds.

Both are added to the description graph a page is made from, so the page's embedded JSON-LD and
the RDF served at the same IRI keep saying the same thing.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, XSD

from ...vocabulary.namespaces import SCHEMA
from ...vocabulary.terms import ICC

IANA = "http://www.iana.org/assignments/media-types/"
DCAT_VERSION = URIRef(str(DCAT) + "version")
# Where a practice's schema:description comes from, best first.
DESCRIPTION_SOURCES = (DCTERMS.abstract, ICC.purpose, ICC.stimulus, ICC.process, ICC.outcomes, ICC.evaluation,
                       ICC.keySuccessFactors, ICC.transferability, ICC.keyReferenceDocuments)
# DCAT/DCTERMS -> schema.org, for literals and IRIs copied as they are.
DATASET_COPIES = ((DCTERMS.title, SCHEMA.name), (DCTERMS.description, SCHEMA.description),
                  (DCTERMS.license, SCHEMA.license), (DCAT.landingPage, SCHEMA.url),
                  (DCAT.keyword, SCHEMA.keywords), (DCTERMS.issued, SCHEMA.datePublished),
                  (DCTERMS.modified, SCHEMA.dateModified), (OWL.versionInfo, SCHEMA.version))
DISTRIBUTION_COPIES = ((DCTERMS.title, SCHEMA.name), (DCTERMS.description, SCHEMA.description),
                       (DCAT.downloadURL, SCHEMA.contentUrl), (DCTERMS.license, SCHEMA.license))
COUNTRIES_QUERY = f"""PREFIX schema: <{SCHEMA}>
SELECT ?country ?name WHERE {{ ?country a schema:Country ; schema:name ?name }}"""


def add_practice_text(graph: Graph) -> None:
    """schema:name and schema:description for every practice in ``graph``."""
    for practice in set(graph.subjects(RDF.type, ICC.GoodPractice)):
        for label in list(graph.objects(practice, RDFS.label)):
            graph.add((practice, SCHEMA.name, label))
        for prop in DESCRIPTION_SOURCES:
            texts = list(graph.objects(practice, prop))
            if texts:
                for text in texts:
                    graph.add((practice, SCHEMA.description, text))
                break


def _copy(source: Graph, target: Graph, s_from, s_to, pairs) -> None:
    for dcat_property, schema_property in pairs:
        for value in source.objects(s_from, dcat_property):
            target.add((s_to, schema_property, value))


def dataset_graph(description: Graph, dataset: URIRef, countries: list[tuple[URIRef, Literal]]) -> Graph:
    """``dataset`` as a schema:Dataset, from the release description (DCAT-AP) and the release's countries."""
    g = Graph()
    if (dataset, RDF.type, DCAT.Dataset) not in description:
        return g
    g.add((dataset, RDF.type, SCHEMA.Dataset))
    _copy(description, g, dataset, dataset, DATASET_COPIES)
    if (dataset, SCHEMA.version, None) not in g:
        _copy(description, g, dataset, dataset, ((DCAT_VERSION, SCHEMA.version),))
    for agent in description.objects(dataset, DCTERMS.publisher):
        g.add((dataset, SCHEMA.creator, agent))
        g.add((dataset, SCHEMA.publisher, agent))
        g.add((agent, RDF.type, SCHEMA.Organization))
        _copy(description, g, agent, agent, ((FOAF.name, SCHEMA.name), (FOAF.homepage, SCHEMA.url)))
    for distribution in sorted(description.objects(dataset, DCAT.distribution)):
        g.add((dataset, SCHEMA.distribution, distribution))
        g.add((distribution, RDF.type, SCHEMA.DataDownload))
        _copy(description, g, distribution, distribution, DISTRIBUTION_COPIES)
        for media in description.objects(distribution, DCAT.mediaType):
            g.add((distribution, SCHEMA.encodingFormat, Literal(str(media).removeprefix(IANA))))
    for period in description.objects(dataset, DCTERMS.temporal):
        start, end = description.value(period, DCAT.startDate), description.value(period, DCAT.endDate)
        if start is not None and end is not None:
            # ISO 8601 interval, what schema.org's temporalCoverage asks for.
            g.add((dataset, SCHEMA.temporalCoverage, Literal(f"{start}/{end}")))
    for country, name in countries:
        g.add((dataset, SCHEMA.spatialCoverage, country))
        g.add((country, RDF.type, SCHEMA.Country))
        g.add((country, SCHEMA.name, name))
    g.add((dataset, SCHEMA.isAccessibleForFree, Literal(True, datatype=XSD.boolean)))
    return g

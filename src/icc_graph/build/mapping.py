"""Records -> an RDF dataset: one named graph per kind of statement.

- ``graph/source``: what the ICC pages assert (titles, texts, periods, where, source page);
- ``graph/curation``: what curators add (themes, labels for untitled practices,
  places with their coordinates, codes and Wikidata links);
- ``graph/vocabulary``: the ontology and the theme schemes the data uses;
- ``graph/metadata``: the dataset and the provenance of each named graph.
Derived links (``graph/links``) and the release description are added by later stages.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from ..vocabulary import handwritten
from ..vocabulary.iris import Minter
from ..vocabulary.namespaces import GEO, PAV, PREFIXES, SCHEMA
from ..vocabulary.sections import SECTION_IRIS
from ..vocabulary.terms import ICC
from .records import Country, Metadata, Place, Practice, Records

GRAPHS = ("source", "curation", "vocabulary", "metadata")
_SECTION_TERMS = {name: URIRef(iri) for name, iri in SECTION_IRIS.items()}


def new_dataset() -> Dataset:
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    ds.bind("icc", ICC._NS, override=True)
    return ds


def vocabulary_graph(mint: Minter) -> Graph:
    """The ontology and the theme schemes, with theme IRIs moved under ``mint``'s base."""
    g = Graph()
    # Canonical blank-node labels (OWL restrictions, lists) keep the dumps byte-identical.
    for triple in to_canonical_graph(Graph().parse(handwritten.ontology_file(), format="turtle")):
        g.add(triple)
    themes = Graph().parse(handwritten.themes_file(), format="turtle")
    for s, p, o in themes:
        g.add((mint.rebase(s), p, mint.rebase(o) if isinstance(o, URIRef) else o))
    return g


def theme_slugs(vocabulary: Graph, mint: Minter) -> frozenset[str]:
    """Slugs of every concept in a scheme: what curation may assign."""
    prefix = str(mint.theme(""))
    return frozenset(str(c)[len(prefix):] for c in vocabulary.subjects(SKOS.inScheme, None)
                     if str(c).startswith(prefix))


def map_records(records: Records, mint: Minter, vocabulary: Graph) -> Dataset:
    ds = new_dataset()
    add_context(ds, records, mint, vocabulary)
    source, curation = (ds.graph(mint.graph(name)) for name in ("source", "curation"))
    for practice in records.practices:
        add_practice(source, curation, mint, practice)
    return ds


def add_context(ds: Dataset, records: Records, mint: Minter, vocabulary: Graph) -> None:
    """Everything but the practices: vocabulary, countries, places and metadata."""
    _, curation, vocab, meta = (ds.graph(mint.graph(name)) for name in GRAPHS)
    for triple in vocabulary:
        vocab.add(triple)
    for country in records.countries:
        _add_country(curation, mint, country)
    for place in records.places:
        _add_place(curation, mint, place)
    _add_metadata(meta, mint, records.metadata)


def add_practice(source: Graph, curation: Graph, mint: Minter, p: Practice) -> None:
    s = mint.practice(p.slug)
    lang = p.language
    source.add((s, RDF.type, ICC.GoodPractice))
    if p.title:
        source.add((s, DCTERMS.title, Literal(p.title, lang=lang)))
        source.add((s, RDFS.label, Literal(p.title, lang=lang)))
    else:
        source.add((s, ICC.titleMissingInSource, Literal(True)))
    if p.label != p.title:
        curation.add((s, RDFS.label, Literal(p.label, lang=lang)))
    if p.summary:
        source.add((s, DCTERMS.abstract, Literal(p.summary, lang=lang)))
    for section, text in p.sections:
        source.add((s, _SECTION_TERMS[section], Literal(text, lang=lang)))
    period = p.period
    if period.text is not None:
        source.add((s, ICC.periodText, Literal(period.text)))
    if period.start_year is not None:
        source.add((s, ICC.startYear, Literal(period.start_year, datatype=XSD.integer)))
    if period.end_year is not None:
        source.add((s, ICC.endYear, Literal(period.end_year, datatype=XSD.integer)))
    if period.ongoing is not None:
        source.add((s, ICC.ongoing, Literal(period.ongoing)))
    for place in p.places:
        source.add((s, SCHEMA.spatialCoverage, mint.place(place)))
    source.add((s, ICC.country, mint.country(p.country)))
    page = URIRef(p.source_page)
    source.add((s, DCTERMS.source, page))
    source.add((s, PROV.wasDerivedFrom, page))
    # PAV's range is xsd:dateTime (xsd:date is also outside OWL 2's datatype map); the source gives the day,
    # written as its start in UTC.
    source.add((s, PAV.retrievedOn, Literal(f"{p.read_on.isoformat()}T00:00:00Z", datatype=XSD.dateTime)))
    for theme in p.themes:
        curation.add((s, DCTERMS.subject, mint.theme(theme)))


def _add_names(g: Graph, s: URIRef, name: str, names: tuple[tuple[str, str], ...]) -> None:
    g.add((s, RDFS.label, Literal(name, lang="en")))
    g.add((s, SCHEMA.name, Literal(name, lang="en")))
    for lang, other in names:
        g.add((s, RDFS.label, Literal(other, lang=lang)))
        g.add((s, SCHEMA.name, Literal(other, lang=lang)))


def _add_wikidata(g: Graph, s: URIRef, place: Country | Place) -> None:
    # Only a confirmed item of the same granularity is the same thing; a partly
    # confirmed one (and each candidate `icc-graph places reconcile` listed) is
    # offered as a candidate, an unconfirmed one not at all.
    if place.wikidata and place.wikidata_status == "confirmed":
        g.add((s, OWL.sameAs, Minter.wikidata(place.wikidata)))
    elif place.wikidata_status == "partial":
        for qid in (place.wikidata, *place.wikidata_candidates):
            if qid:
                g.add((s, ICC.wikidataCandidate, Minter.wikidata(qid)))


def _add_country(g: Graph, mint: Minter, c: Country) -> None:
    s = mint.country(c.iso2)
    g.add((s, RDF.type, SCHEMA.Country))
    g.add((s, RDF.type, GEO.Feature))
    _add_names(g, s, c.name, c.names)
    g.add((s, ICC.isoCode, Literal(c.iso2)))
    _add_wikidata(g, s, c)


def _add_place(g: Graph, mint: Minter, p: Place) -> None:
    s = mint.place(p.slug)
    g.add((s, RDF.type, ICC.District if p.kind == "district" else SCHEMA.City))
    g.add((s, RDF.type, ICC.Locality))   # a city or district, never a country: what shapes check with one class
    g.add((s, RDF.type, GEO.Feature))
    _add_names(g, s, p.name, p.names)
    parent = mint.place(p.parent) if p.parent else mint.country(p.country)
    g.add((s, SCHEMA.containedInPlace, parent))
    g.add((s, ICC.country, mint.country(p.country)))
    if p.iso_code:
        g.add((s, ICC.isoCode, Literal(p.iso_code)))
    if p.lat is not None and p.lon is not None:
        geometry = mint.geometry(p.slug)
        g.add((s, GEO.hasGeometry, geometry))
        g.add((geometry, RDF.type, GEO.Geometry))
        # WKT puts the longitude first.
        g.add((geometry, GEO.asWKT, Literal(f"POINT({p.lon!r} {p.lat!r})", datatype=GEO.wktLiteral)))
        g.add((s, SCHEMA.latitude, Literal(Decimal(repr(p.lat)), datatype=XSD.decimal)))
        g.add((s, SCHEMA.longitude, Literal(Decimal(repr(p.lon)), datatype=XSD.decimal)))
    _add_wikidata(g, s, p)


def _add_metadata(g: Graph, mint: Minter, m: Metadata) -> None:
    dataset = mint.dataset()
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal(m.title, lang=m.language)))
    g.add((dataset, DCTERMS.description, Literal(m.description, lang=m.language)))
    g.add((dataset, DCTERMS.license, URIRef(m.license)))
    g.add((dataset, OWL.versionInfo, Literal(m.version)))
    g.add((dataset, DCTERMS.issued, Literal(m.issued, datatype=XSD.date)))
    g.add((dataset, DCTERMS.modified, Literal(m.modified, datatype=XSD.date)))
    curator = mint.agent("curation")
    provenance = {
        "source": [(PROV.wasDerivedFrom, URIRef(m.source)),
                   (RDFS.comment, Literal("What the ICC good-practice pages assert, as printed.", lang="en"))],
        "curation": [(PROV.wasAttributedTo, curator),
                     (RDFS.comment, Literal("Added by curation: practice themes, labels for untitled "
                                            "practices, places with coordinates, codes and Wikidata links.",
                                            lang="en"))],
        "vocabulary": [(RDFS.comment, Literal("The icc-graph ontology and the ICC theme schemes.", lang="en"))],
        "metadata": [(RDFS.comment, Literal("Description of the dataset and its graphs.", lang="en"))],
    }
    for name, statements in provenance.items():
        describe_graph(g, mint, m, name, statements)
    g.add((curator, RDF.type, PROV.Agent))
    g.add((curator, RDFS.label, Literal(m.curator, lang="en")))


def describe_graph(g: Graph, mint: Minter, m: Metadata, name: str, statements) -> None:
    """One named graph as a part of the dataset: a prov:Entity made on the data's last change, and what it holds.

    Every stage that fills a named graph (mapping, links, suggestions) says so through this one function.
    """
    graph = mint.graph(name)
    g.add((mint.dataset(), DCTERMS.hasPart, graph))
    g.add((graph, RDF.type, PROV.Entity))
    g.add((graph, PROV.generatedAtTime, Literal(f"{m.modified}T00:00:00Z", datatype=XSD.dateTime)))
    for p, o in statements:
        g.add((graph, p, o))

"""What a release says about itself: DCAT-AP 3.0.1, VoID and a SPARQL Service Description.

Written into every release as ``description.ttl`` and ``description.jsonld``
from the same build, after the dumps (their sizes and SHA-256 checksums are
part of it; the description cannot describe its own bytes). Every node has an
IRI, none is blank, and every date comes from data/dataset.yaml, so the same
data gives the same bytes.

DCAT-AP range checks (``range.ttl``) want the class of every object stated in
the data, so licences, media types, languages and agents carry their types here.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, VOID, XSD

from ..config import Settings
from ..vocabulary.formats import DUMPS, w3c_format
from ..vocabulary.iris import WIKIDATA, Minter
from ..vocabulary.namespaces import PREFIXES, SD, SPDX, VANN, VCARD
from ..vocabulary.release_folder import CONTEXT, DESCRIPTION_STEM, dump_suffix
from ..vocabulary.service_description import service_description
from ..vocabulary.terms import ICC
from .dumps import FileDigest
from .rdf_writers import serialize, sorted_quads
from .records import Metadata, Records

DCATAP = URIRef("http://data.europa.eu/r5r/")
DCATAP_AVAILABILITY = URIRef("http://data.europa.eu/r5r/availability")
DCAT_VERSION = URIRef(str(DCAT) + "version")     # DCAT 3; rdflib's closed DCAT namespace predates it
IANA = "http://www.iana.org/assignments/media-types/"
EU = "http://publications.europa.eu/resource/authority/"
DUMP_FORMATS = {f.suffix: f for f in DUMPS}
NAMED_GRAPH_FORMATS = tuple(f.suffix for f in DUMPS if f.quads)   # the dumps that keep graph names
LANGUAGES = {"en": "ENG", "fr": "FRA", "de": "DEU", "it": "ITA", "pt": "POR", "es": "SPA", "no": "NOR"}
LICENCE_TYPE = URIRef("http://purl.org/adms/licencetype/Attribution")
DATA_THEME = URIRef(EU + "data-theme")
SOCIETY = URIRef(EU + "data-theme/SOCI")
STABLE = URIRef(EU + "planned-availability/STABLE")
WIKIDATA_SPACE = WIKIDATA.format("")
_RDF_TYPE = f"<{RDF.type}>"


@dataclass
class VoidStatistics:
    """Counts over the distinct triples of a release (its N-Triples dump)."""

    triples: int = 0
    subjects: set[str] = field(default_factory=set)
    objects: int = 0
    properties: Counter = field(default_factory=Counter)      # property IRI -> triples
    classes: dict[str, set[str]] = field(default_factory=dict)  # class IRI -> instances
    links: Counter = field(default_factory=Counter)            # property IRI -> triples pointing into Wikidata


def count_ntriples(ntriples: bytes | Path) -> VoidStatistics:
    """VoID counts from an N-Triples dump: one distinct triple per line (the dump is deduplicated).

    A subject and a predicate never hold a space in N-Triples, so the first two
    space-separated tokens of a line are exact; the object is the rest. Counted as
    bytes (UTF-8 orders as code points do), decoded once per distinct term at the end.
    """
    triples = 0
    subjects: set[bytes] = set()
    objects: set[bytes] = set()
    properties: Counter = Counter()
    classes: dict[bytes, set[bytes]] = {}
    links: Counter = Counter()
    rdf_type, wikidata = _RDF_TYPE.encode(), ("<" + WIKIDATA_SPACE).encode()
    digest = hashlib.blake2b
    # Line by line, and long literals by a 128-bit digest: the template texts of 100k practices
    # would otherwise be held twice more in memory just to be counted.
    with (ntriples.open("rb") if isinstance(ntriples, Path) else io.BytesIO(ntriples)) as lines:
        for line in lines:
            if line.startswith(b"#") or not line.strip():
                continue
            subject, predicate, rest = line.split(b" ", 2)
            obj = rest.rstrip()[:-1].rstrip()       # drop the final " ."
            triples += 1
            subjects.add(subject)
            objects.add(obj if len(obj) < 100 else digest(obj, digest_size=16).digest())
            properties[predicate] += 1
            if predicate == rdf_type and obj.startswith(b"<"):
                classes.setdefault(obj, set()).add(subject)
            if obj.startswith(wikidata):
                links[predicate] += 1

    def iri(term: bytes) -> str:
        return term[1:-1].decode("utf-8")

    return VoidStatistics(triples, {s.decode("utf-8") for s in subjects}, len(objects),
                          Counter({iri(p): n for p, n in properties.items()}),
                          {iri(c): {s.decode("utf-8") for s in members} for c, members in classes.items()},
                          Counter({iri(p): n for p, n in links.items()}))


def _name(iri: str) -> str:
    """A readable fragment for a term: ``schema:City`` -> ``schema-City``."""
    namespaces = {"icc": str(ICC._NS), "vann": str(VANN), **{p: str(ns) for p, ns in PREFIXES.items()}}
    for prefix, ns in sorted(namespaces.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}-{iri[len(ns):]}"
    return hashlib.sha256(iri.encode()).hexdigest()[:12]


class _Describer:
    def __init__(self, settings: Settings, metadata: Metadata):
        self.g = Graph()
        self.m = metadata
        self.mint = Minter(settings.base_iri)
        self.public = settings.public_base
        self.dataset = self.mint.dataset()
        self.catalog = self.mint.catalog()
        self.release = self.mint.release(metadata.version)
        self.publisher = self.mint.agent("publisher")
        self.contact = URIRef(f"{self.catalog}#contact")
        self.license = URIRef(metadata.license)
        self.language = URIRef(f"{EU}language/{LANGUAGES[metadata.language]}") \
            if metadata.language in LANGUAGES else None

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def text(self, s, p, value: str) -> None:
        self.add(s, p, Literal(value, lang=self.m.language))

    def dated(self, s) -> None:
        self.add(s, DCTERMS.issued, Literal(self.m.issued, datatype=XSD.date))
        self.add(s, DCTERMS.modified, Literal(self.m.modified, datatype=XSD.date))

    def typed(self, iri: URIRef, *classes: URIRef) -> URIRef:
        for cls in classes:
            self.add(iri, RDF.type, cls)
        return iri

    def concept(self, iri: URIRef, label: str, scheme: URIRef, scheme_title: str) -> URIRef:
        self.typed(iri, SKOS.Concept)
        self.add(iri, SKOS.prefLabel, Literal(label, lang="en"))
        self.add(iri, SKOS.inScheme, self.typed(scheme, SKOS.ConceptScheme))
        self.add(scheme, DCTERMS.title, Literal(scheme_title, lang="en"))
        return iri

    def common(self, s) -> None:
        """What the catalog, the dataset and the service share: publisher, contact, licence, theme."""
        self.add(s, DCTERMS.publisher, self.publisher)
        self.add(s, DCAT.contactPoint, self.contact)
        self.add(s, DCTERMS.license, self.license)
        self.rights_of(s)
        self.add(s, DCAT.theme, SOCIETY)
        for keyword in self.m.keywords:
            self.text(s, DCAT.keyword, keyword)

    def rights_of(self, s) -> None:
        """dct:rights: what the licence alone does not say (the source texts' owner and the attribution owed)."""
        if self.m.rights:
            statement = self.typed(URIRef(f"{self.dataset}#rights"), DCTERMS.RightsStatement)
            self.add(statement, RDFS.label, Literal(self.m.rights, lang="en"))
            self.add(s, DCTERMS.rights, statement)

    def agents(self) -> None:
        self.typed(self.publisher, FOAF.Agent)
        self.add(self.publisher, FOAF.name, Literal(self.m.publisher_name, lang="en"))
        self.add(self.publisher, FOAF.homepage, self.typed(URIRef(self.m.publisher_homepage), FOAF.Document))
        self.typed(self.contact, VCARD.Organization, VCARD.Kind)
        self.add(self.contact, VCARD.fn, Literal(self.m.publisher_name, lang="en"))
        self.add(self.contact, VCARD.hasURL, URIRef(self.m.contact_page))
        self.typed(self.license, DCTERMS.LicenseDocument)
        self.add(self.license, DCTERMS.type, self.concept(LICENCE_TYPE, "Attribution",
                                                          URIRef("http://purl.org/adms/licencetype/1.1"),
                                                          "ADMS licence type"))
        self.concept(SOCIETY, "Population and society", DATA_THEME, "Data theme")
        if self.language is not None:
            self.typed(self.language, DCTERMS.LinguisticSystem)

    def catalog_node(self) -> None:
        c = self.typed(self.catalog, DCAT.Catalog)
        self.text(c, DCTERMS.title, f"{self.m.title}: catalogue")
        self.text(c, DCTERMS.description, f"The releases and the SPARQL endpoint of {self.m.title}.")
        self.add(c, DCTERMS.publisher, self.publisher)
        self.add(c, DCTERMS.license, self.license)
        self.rights_of(c)
        self.add(c, FOAF.homepage, self.typed(URIRef(self.public), FOAF.Document))
        self.add(c, DCAT.dataset, self.dataset)
        self.add(c, DCAT.service, self.mint.sparql_service())
        self.add(c, DCAT.themeTaxonomy, DATA_THEME)
        if self.language is not None:
            self.add(c, DCTERMS.language, self.language)
        self.dated(c)

    def dataset_node(self, files: dict[str, FileDigest]) -> None:
        d = self.typed(self.dataset, DCAT.Dataset, VOID.Dataset)
        self.text(d, DCTERMS.title, self.m.title)
        self.text(d, DCTERMS.description, self.m.description)
        self.add(d, DCAT_VERSION, Literal(self.m.version))
        self.add(d, OWL.versionInfo, Literal(self.m.version))
        self.add(d, DCTERMS.identifier, Literal(str(self.dataset)))
        self.add(d, DCAT.landingPage, self.typed(URIRef(self.public), FOAF.Document))
        if self.language is not None:
            self.add(d, DCTERMS.language, self.language)
        self.common(d)
        self.dated(d)
        context = self.download_url(CONTEXT)
        for name in sorted(files):
            suffix = dump_suffix(name)
            if suffix is not None:
                dist = self.distribution(name, suffix, files[name], self.dump_text(suffix))
                self.add(d, DCAT.distribution, dist)
                if suffix == "jsonld":   # the context its terms are compacted with
                    self.add(dist, DCTERMS.conformsTo, self.typed(context, DCTERMS.Standard))
                    self.text(context, DCTERMS.title, f"{self.m.title}: JSON-LD context")
        if CONTEXT in files:
            self.add(d, DCAT.distribution, self.distribution(
                CONTEXT, "jsonld", files[CONTEXT], "The JSON-LD 1.1 context the JSON-LD dumps and "
                "description.jsonld are compacted with (generated from the ontology), for clients that compact "
                "their own documents the same way"))

    def dump_text(self, suffix: str) -> str:
        """What a dump holds: only TriG and N-Quads keep the named graphs; the others merge their triples."""
        media = DUMP_FORMATS[suffix].media_type
        if suffix in NAMED_GRAPH_FORMATS:
            return f"Every named graph of release {self.m.version}, each under its name, as {media}"
        return (f"The triples of every named graph of release {self.m.version} merged into one graph, as {media}, "
                "without the graph names (the TriG and N-Quads dumps keep them)")

    def coverage(self, records: Records) -> None:
        """dct:temporal: from the first start year to the last year any practice names.

        No dct:spatial: DCAT-AP wants each place typed dct:Location, and then
        recommends a bounding box and centroid for it that a country list cannot give.
        """
        starts = [p.period.start_year for p in records.practices if p.period.start_year]
        ends = [p.period.end_year or p.period.start_year for p in records.practices if p.period.start_year]
        if starts:
            period = self.typed(URIRef(f"{self.dataset}#period"), DCTERMS.PeriodOfTime)
            self.add(period, DCAT.startDate, Literal(f"{min(starts)}", datatype=XSD.gYear))
            self.add(period, DCAT.endDate, Literal(f"{max(ends)}", datatype=XSD.gYear))
            self.add(self.dataset, DCTERMS.temporal, period)

    def download_url(self, name: str) -> URIRef:
        # The web app serves the latest release's files at /downloads/<name>.
        return URIRef(f"{self.public}downloads/{name}")

    def distribution(self, name: str, suffix: str, data: FileDigest, what: str) -> URIRef:
        fmt = DUMP_FORMATS[suffix]
        media, file_type, format_name = fmt.media_type, fmt.eu_file_type, fmt.w3c
        gz = name.endswith(".gz")
        dist = self.typed(URIRef(f"{self.release}#{name}"), DCAT.Distribution)
        kind = "JSON-LD context" if name == CONTEXT else format_name
        self.text(dist, DCTERMS.title, f"{self.m.title} {self.m.version}, {kind}" + (" (gzip)" if gz else ""))
        self.text(dist, DCTERMS.description, what + (", gzip-compressed." if gz else "."))
        url = self.download_url(name)
        self.add(dist, DCAT.accessURL, url)
        self.add(dist, DCAT.downloadURL, url)
        self.add(dist, DCAT.mediaType, self.typed(URIRef(IANA + media), DCTERMS.MediaType))
        self.add(dist, DCTERMS["format"], self.typed(URIRef(f"{EU}file-type/{file_type}"),
                                                      DCTERMS.MediaTypeOrExtent))
        if gz:
            self.add(dist, DCAT.compressFormat, self.typed(URIRef(IANA + "application/gzip"), DCTERMS.MediaType))
        self.add(dist, DCAT.byteSize, Literal(data.size, datatype=XSD.nonNegativeInteger))
        checksum = self.typed(URIRef(f"{self.release}#sha256-{name}"), SPDX.Checksum)
        self.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        self.add(checksum, SPDX.checksumValue, Literal(data.sha256, datatype=XSD.hexBinary))
        self.add(dist, SPDX.checksum, checksum)
        self.add(dist, DCTERMS.license, self.license)
        self.rights_of(dist)
        self.add(dist, DCATAP_AVAILABILITY, self.concept(STABLE, "stable", URIRef(EU + "planned-availability"),
                                                         "Planned availability"))
        self.dated(dist)
        return dist

    def service_node(self) -> None:
        s = self.typed(self.mint.sparql_service(), DCAT.DataService)
        endpoint = URIRef(self.public + "sparql")
        self.text(s, DCTERMS.title, f"{self.m.title}: SPARQL endpoint")
        self.text(s, DCTERMS.description, "A read-only SPARQL 1.1 endpoint over the latest release; a GET "
                                          "without a query answers with its Service Description.")
        self.add(s, DCAT.endpointURL, endpoint)
        self.add(s, DCAT.endpointDescription, endpoint)
        self.add(s, DCAT.servesDataset, self.dataset)
        self.add(s, DCAT.landingPage, self.typed(URIRef(self.public), FOAF.Document))
        self.add(s, DCTERMS.conformsTo, self.typed(URIRef("https://www.w3.org/TR/sparql11-protocol/"),
                                                   DCTERMS.Standard))
        self.common(s)

    def void_node(self, stats: VoidStatistics, files: dict[str, FileDigest]) -> None:
        d = self.dataset
        self.add(d, VOID.triples, Literal(stats.triples))
        self.add(d, VOID.distinctSubjects, Literal(len(stats.subjects)))
        self.add(d, VOID.distinctObjects, Literal(stats.objects))
        self.add(d, VOID.entities, Literal(sum(1 for s in stats.subjects if s.startswith("<"))))
        self.add(d, VOID.properties, Literal(len(stats.properties)))
        self.add(d, VOID.classes, Literal(len(stats.classes)))
        self.add(d, VOID.uriSpace, Literal(self.mint.base))
        self.add(d, VOID.sparqlEndpoint, URIRef(self.public + "sparql"))
        self.add(d, VOID.vocabulary, URIRef(str(ICC._NS)))
        for name in sorted(files):
            suffix = dump_suffix(name)
            if suffix is not None and not name.endswith(".gz"):
                self.add(d, VOID.dataDump, self.download_url(name))
                self.add(d, VOID.feature, URIRef(w3c_format(DUMP_FORMATS[suffix].w3c)))
        for cls, instances in sorted(stats.classes.items()):
            part = URIRef(f"{d}#class-{_name(cls)}")
            self.add(d, VOID.classPartition, part)
            self.add(part, VOID["class"], URIRef(cls))
            self.add(part, VOID.entities, Literal(len(instances)))
        for prop, count in sorted(stats.properties.items()):
            part = URIRef(f"{d}#property-{_name(prop)}")
            self.add(d, VOID.propertyPartition, part)
            self.add(part, VOID.property, URIRef(prop))
            self.add(part, VOID.triples, Literal(count))
        for cls in (ICC.GoodPractice, URIRef("https://schema.org/City"), SKOS.Concept):
            instances = stats.classes.get(str(cls))
            if instances:
                self.add(d, VOID.exampleResource, URIRef(min(instances)[1:-1]))
        self.linksets(stats)

    def linksets(self, stats: VoidStatistics) -> None:
        wikidata = URIRef(f"{self.dataset}#wikidata")
        for prop, count in sorted(stats.links.items()):
            if not count:
                continue
            linkset = self.typed(URIRef(f"{self.dataset}#linkset-wikidata-{_name(prop)}"), VOID.Linkset)
            self.add(self.dataset, VOID.subset, linkset)
            self.add(linkset, VOID.subjectsTarget, self.dataset)
            self.add(linkset, VOID.objectsTarget, wikidata)
            self.add(linkset, VOID.linkPredicate, URIRef(prop))
            self.add(linkset, VOID.triples, Literal(count))
            self.add(linkset, RDFS.label, Literal(f"Links to Wikidata by {_name(prop).replace('-', ':', 1)}",
                                                  lang="en"))
        if stats.links:
            self.typed(wikidata, VOID.Dataset)
            self.add(wikidata, RDFS.label, Literal("Wikidata", lang="en"))
            self.add(wikidata, FOAF.homepage, URIRef("https://www.wikidata.org/"))
            self.add(wikidata, VOID.uriSpace, Literal(WIKIDATA_SPACE))
            self.add(wikidata, VOID.sparqlEndpoint, URIRef("https://query.wikidata.org/sparql"))


def describe_release(settings: Settings, records: Records, graphs: list[tuple[URIRef, int]],
                     files: dict[str, FileDigest], statistics: VoidStatistics) -> Graph:
    """DCAT-AP + VoID + Service Description of one release whose dump files are ``files``.

    ``graphs``: each named graph with its number of triples; ``statistics``: ``count_ntriples`` of its dump.
    """
    d = _Describer(settings, records.metadata)
    d.agents()
    d.catalog_node()
    d.dataset_node(files)
    d.coverage(records)
    d.service_node()
    d.void_node(statistics, files)
    d.g += service_description(settings.public_base + "sparql", settings.base_iri, graphs)
    return d.g


def description_files(description: Graph, context: dict, prefixes: dict[str, str]) -> dict[str, bytes]:
    """``description.ttl`` and ``description.jsonld``, written by the dumps' own deterministic serialisers."""
    holder = Dataset()
    graph = holder.graph(URIRef("urn:icc-graph:description"))
    graph += description
    quads = sorted_quads(holder)
    prefixes = {**prefixes, "dcatap": str(DCATAP), "sd": str(SD), "spdx": str(SPDX), "void": str(VOID),
                "vcard": str(VCARD)}
    return {f"{DESCRIPTION_STEM}.{suffix}": serialize(quads, suffix, context, prefixes)
            for suffix in ("ttl", "jsonld")}

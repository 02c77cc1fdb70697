"""From a description graph to what a page template shows: plain values, labels already chosen.

One builder per kind of resource (practice, place, country, theme, scheme,
ontology); every page also gets the full statement table, so nothing the RDF
says is hidden from a reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from ...vocabulary.iris import ONTOLOGY
from ...vocabulary.namespaces import PAV, SCHEMA
from ...vocabulary.reused import CLASS, REUSED
from ...vocabulary.sections import SECTION_IRIS
from ...vocabulary.terms import ICC
from .city_map import MapPoint, draw_map
from .describe import Description
from .labels import Labeller
from .site import Site

SECTIONS = tuple(URIRef(iri) for iri in SECTION_IRIS.values())
PLACE_TYPES = (SCHEMA.City, ICC.District)


@dataclass(frozen=True)
class Ref:
    """A link to show: where it goes and what it says."""

    href: str | None
    text: str
    lang: str | None = None


def sort_refs(refs) -> list[Ref]:
    return sorted(set(refs), key=lambda r: (r.text.casefold(), r.href or ""))


class View:
    """Reads one description for one request."""

    def __init__(self, desc: Description, labels: Labeller, site: Site):
        self.desc, self.g, self.labels, self.site = desc, desc.graph, labels, site
        self.iri = desc.iri

    def ref(self, term) -> Ref:
        if isinstance(term, Literal):
            return Ref(None, str(term), term.language)
        if isinstance(term, BNode):
            return Ref(None, "(blank node)")
        return Ref(self.site.href(term), self.labels.label(term))

    def refs(self, predicate, subject=None) -> list[Ref]:
        return sort_refs(self.ref(o) for o in self.g.objects(subject or self.iri, predicate))

    def incoming(self, predicate, of_type=None) -> list[Ref]:
        subjects = self.g.subjects(predicate, self.iri)
        if of_type is not None:
            subjects = (s for s in subjects if (s, RDF.type, of_type) in self.g)
        return sort_refs(self.ref(s) for s in subjects)

    def has_type(self, term, *types) -> bool:
        return any((term, RDF.type, t) in self.g for t in types)

    def text(self, predicate, subject=None) -> str | None:
        return self.labels.text(subject or self.iri, predicate)

    def heading(self, predicate) -> str:
        text = self.labels.label(predicate)
        return text[:1].upper() + text[1:]

    def statements(self) -> dict:
        """Every triple the page's resource is in, grouped by predicate."""
        out, into = {}, {}
        for p, o in self.g.predicate_objects(self.iri):
            out.setdefault(p, []).append(self.ref(o))
        for s, p in self.g.subject_predicates(self.iri):
            into.setdefault(p, []).append(self.ref(s))

        def rows(table):
            return [(self.ref(p), sort_refs(vals)) for p, vals in sorted(table.items(), key=lambda kv: str(kv[0]))]

        return {"outgoing": rows(out), "incoming": rows(into)}

    def common(self) -> dict:
        return {"iri": str(self.iri), "title": self.labels.label(self.iri), "truncated": self.desc.truncated,
                "types": self.refs(RDF.type), "statements": self.statements()}


def facet_href(view: View, facet: str) -> str:
    """The practices list filtered on this resource (its IRI's last segment is the facet's value)."""
    return f"/practices?{facet}={str(view.iri).rsplit('/', 1)[-1]}"


def practice_context(view: View) -> dict:
    g, iri = view.g, view.iri
    sections = [(view.heading(p), view.text(p), view.labels.lang(iri, p)) for p in SECTIONS]
    period = {name: g.value(iri, prop) for name, prop in
              (("text", ICC.periodText), ("start", ICC.startYear), ("end", ICC.endYear), ("ongoing", ICC.ongoing))}
    return {
        **view.common(),
        "title_missing": bool(g.value(iri, ICC.titleMissingInSource)),
        "summary": view.text(DCTERMS.abstract),
        "sections": sections,
        "period": {k: (v.toPython() if v is not None else None) for k, v in period.items()},
        "places": view.refs(SCHEMA.spatialCoverage),
        "involves": view.refs(ICC.involvesCity),
        "countries": view.refs(ICC.country),
        "themes": view.refs(DCTERMS.subject),
        "source": view.refs(DCTERMS.source),
        "read_on": str(g.value(iri, PAV.retrievedOn) or "")[:10] or None,   # the day: the time is its start
        "similar": view.refs(ICC.similarPractice),
    }


def city_links(view: View) -> list[dict]:
    """The qualified links of a place: the other end, the shared themes and the practices behind them."""
    g, iri = view.g, view.iri
    links, seen = [], set()
    for link in g.subjects(ICC.linkEnd, iri):
        if not view.has_type(link, ICC.CityLink):
            continue
        others = [e for e in g.objects(link, ICC.linkEnd) if e != iri]
        for other in others:
            seen.add(other)
            weight = g.value(link, ICC.weight)
            links.append({"city": view.ref(other), "link": view.ref(link),
                          "weight": weight.toPython() if weight is not None else None,
                          "themes": view.refs(ICC.sharedTheme, link), "evidence": view.refs(ICC.evidence, link)})
    # The unqualified shortcut alone, when no CityLink details it.
    for other in set(g.objects(iri, ICC.linkedCity)) | set(g.subjects(ICC.linkedCity, iri)):
        if other not in seen and other != iri:
            seen.add(other)
            links.append({"city": view.ref(other), "link": None, "weight": None, "themes": [], "evidence": []})
    return sorted(links, key=lambda x: (-(x["weight"] or 0), x["city"].text.casefold()))


def _point(view: View, term, role: str) -> MapPoint | None:
    lat, lon = view.g.value(term, SCHEMA.latitude), view.g.value(term, SCHEMA.longitude)
    if lat is None or lon is None:
        return None
    ref = view.ref(term)
    return MapPoint(float(lat), float(lon), ref.text, ref.href, role)


def place_context(view: View) -> dict:
    g, iri = view.g, view.iri
    parents = [p for p in g.objects(iri, SCHEMA.containedInPlace) if not view.has_type(p, SCHEMA.Country)]
    districts = [s for s in g.subjects(SCHEMA.containedInPlace, iri)]
    links = city_links(view)
    points = [_point(view, iri, "self")]
    points += [_point(view, p, "parent") for p in parents] + [_point(view, d, "district") for d in districts]
    linked_terms = [o for link in g.subjects(ICC.linkEnd, iri) for o in g.objects(link, ICC.linkEnd) if o != iri]
    points += [_point(view, o, "linked") for o in linked_terms]
    lat, lon = g.value(iri, SCHEMA.latitude), g.value(iri, SCHEMA.longitude)
    return {
        **view.common(),
        "is_district": view.has_type(iri, ICC.District),
        "countries": view.refs(ICC.country),
        "parents": sort_refs(view.ref(p) for p in parents),
        "districts": sort_refs(view.ref(d) for d in districts),
        "practices": view.incoming(SCHEMA.spatialCoverage),
        "more_practices": facet_href(view, "city"),
        "involved": view.incoming(ICC.involvesCity),
        "links": links,
        "position": (float(lat), float(lon)) if lat is not None and lon is not None else None,
        "map": draw_map([p for p in points if p is not None]),
        "same_as": view.refs(OWL.sameAs),
        "candidates": view.refs(ICC.wikidataCandidate),
        "iso_code": view.text(ICC.isoCode),
    }


def country_context(view: View) -> dict:
    g, iri = view.g, view.iri
    places = [s for s in g.subjects(ICC.country, iri) if view.has_type(s, *PLACE_TYPES)]
    points = [_point(view, p, "district" if view.has_type(p, ICC.District) else "linked") for p in places]
    return {
        **view.common(),
        "cities": sort_refs(view.ref(p) for p in places if not view.has_type(p, ICC.District)),
        "districts": sort_refs(view.ref(p) for p in places if view.has_type(p, ICC.District)),
        "practices": view.incoming(ICC.country, ICC.GoodPractice),
        "more_practices": facet_href(view, "country"),
        "map": draw_map([p for p in points if p is not None]),
        "same_as": view.refs(OWL.sameAs),
        "iso_code": view.text(ICC.isoCode),
    }


def theme_context(view: View) -> dict:
    iri = view.iri
    names = sort_refs(Ref(None, str(lit), lit.language) for lit in view.g.objects(iri, SKOS.prefLabel))
    return {
        **view.common(),
        "names": names,
        "schemes": view.refs(SKOS.inScheme),
        "broader": view.refs(SKOS.broader),
        "narrower": sort_refs(view.refs(SKOS.narrower) + view.incoming(SKOS.broader)),
        "matches": [(view.heading(p), view.refs(p)) for p in (SKOS.closeMatch, SKOS.broadMatch, SKOS.relatedMatch)
                    if view.refs(p)],
        "matched_by": sort_refs(view.ref(s) for p in (SKOS.closeMatch, SKOS.broadMatch, SKOS.relatedMatch)
                                for s in view.g.subjects(p, iri)),
        "practices": view.incoming(DCTERMS.subject, ICC.GoodPractice),
        "more_practices": facet_href(view, "theme"),
        "scope_note": view.text(SKOS.scopeNote),
    }


def scheme_context(view: View) -> dict:
    concepts = set(view.g.objects(view.iri, SKOS.hasTopConcept)) | set(view.g.subjects(SKOS.inScheme, view.iri))
    return {**view.common(), "description": view.text(DCTERMS.description),
            "concepts": sort_refs(view.ref(c) for c in concepts)}


def ontology_context(view: View) -> dict:
    """The ontology's own terms with anchors (``/ontology#GoodPractice``), then the terms it reuses.

    The reused terms come from reused.REUSED (how icc-graph uses each), not from the
    ontology, which says nothing about them but their declaration.
    """
    g = view.g
    kinds = ((OWL.Class, "Classes"), (OWL.ObjectProperty, "Object properties"),
             (OWL.DatatypeProperty, "Datatype properties"), (OWL.AnnotationProperty, "Annotation properties"),
             (OWL.NamedIndividual, "Individuals"))
    own, seen = [], set()
    for kind, heading in kinds:
        # A term of two kinds is listed under the first, so that each anchor is written once.
        terms = sorted({t for t in g.subjects(RDF.type, kind) if isinstance(t, URIRef)} - seen, key=str)
        seen.update(terms)
        entries = [{
            "iri": str(t), "anchor": str(t)[len(ONTOLOGY) + 1:] if str(t).startswith(ONTOLOGY + "#") else None,
            "label": view.labels.text(t, RDFS.label) or str(t), "comment": view.labels.text(t, RDFS.comment),
            "kind": heading,
            "related": [(view.heading(p), view.refs(p, t)) for p in
                        (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf)
                        if any(isinstance(o, URIRef) for o in g.objects(t, p))],
        } for t in terms]
        own += [e for e in entries if e["anchor"]]
    reused = [{"iri": str(r.term), "anchor": None, "label": r.label, "comment": r.usage, "related": [],
               "kind": "Class" if r.written == CLASS else "Property"} for r in REUSED.values()]
    onto = URIRef(ONTOLOGY)
    return {**view.common(), "title": view.labels.text(onto, DCTERMS.title) or "icc-graph ontology",
            "description": view.labels.text(onto, DCTERMS.description), "version": g.value(onto, OWL.versionInfo),
            "own": own, "reused": reused}


def generic_context(view: View) -> dict:
    return {**view.common(), "description": view.text(DCTERMS.description) or view.text(RDFS.comment),
            "derived_from": view.refs(PROV.wasDerivedFrom)}


def choose_template(view: View) -> tuple[str, callable]:
    """The page for a resource, by its type; the generic statement page for the rest."""
    table = ((ICC.GoodPractice, "practice.html", practice_context),
             (SCHEMA.City, "place.html", place_context), (ICC.District, "place.html", place_context),
             (SCHEMA.Country, "country.html", country_context), (SKOS.Concept, "theme.html", theme_context),
             (SKOS.ConceptScheme, "scheme.html", scheme_context), (OWL.Ontology, "ontology.html", ontology_context))
    for cls, template, builder in table:
        if view.has_type(view.iri, cls):
            return template, builder
    return "resource.html", generic_context

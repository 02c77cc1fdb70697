"""Resource pages: every minted IRI answers at its path, as HTML for people and RDF for machines.

Routes come from iris.PATTERNS (``practice/<slug>``, ``city/<slug>``, ...), so a
new kind of IRI is served as soon as it is minted. The same description graph
gives the HTML page, its embedded schema.org JSON-LD and each RDF format.
Browsing (home, the practices list, the network) and the release downloads
are in browsing.py.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Response, render_template, request
from rdflib import Literal, URIRef

from ...store import Answer, QueryTimeout
from ...vocabulary.formats import BY_SUFFIX
from ...vocabulary.iris import PATTERNS, SINGLETONS
from ...vocabulary.namespaces import PREFIXES
from ...vocabulary.oxigraph_terms import to_oxigraph
from ...vocabulary.terms import ICC
from ..endpoint.handler import TRUNCATED_HEADER, entity_tag
from ..errors import NotAcceptable, text_response
from ..state import site, state
from .blueprint import blueprint
from .describe import (
    Description,
    add_entailed_types,
    bind_prefixes,
    describe,
    describe_graph,
    describe_local,
)
from .labels import Labeller
from .negotiation import (
    RDF_REPRESENTATIONS,
    Representation,
    alternate_links,
    choose,
    split_suffix,
    supported_text,
)
from .schemaorg import jsonld_document, script_json
from .schemaorg_terms import COUNTRIES_QUERY, dataset_graph
from .site import Site
from .views import View, choose_template

CACHE_CONTROL = "public, max-age=300"
PAGE_PREFIXES = {**{prefix: str(ns) for prefix, ns in PREFIXES.items()}, "icc": str(ICC._NS)}
# Kinds whose IRIs take a slug after a fixed folder ("practice/", "release/"); /sparql belongs to the endpoint.
FOLDERS = sorted({t.split("{", 1)[0] for t in (*PATTERNS.values(), *SINGLETONS.values()) if "{" in t})
COMPLETE_RECORD = ("catalog", "dataset")
DOCUMENTS = sorted({t for name, t in SINGLETONS.items() if "{" not in t and name != "sparql"} | {"ontology"})


def load(s: Site, path: str) -> Description:
    iri = s.iri_for_path(path)
    if path == "ontology" or (path.startswith("ontology/") and s.is_ontology_version(iri)):
        # The ontology is a document: every term it declares (its theme schemes are served at scheme/).
        vocabulary = s.mint.graph("vocabulary")
        return describe_graph(s.direct, iri, str(vocabulary), (str(s.mint.theme("")), str(s.mint.scheme(""))),
                              s.superclasses, s.timeout)
    desc = describe(s.direct, iri, s.superclasses, s.timeout)
    record = s.release_record()
    # The catalogue and the dataset answer with the whole DCAT-AP record (distributions, checksums, agents,
    # licence, service) so that a portal harvesting either gets everything in one request.
    extra = record if path in COMPLETE_RECORD else describe_local(record, iri)
    if len(extra):
        # The catalog, the release's files and the endpoint's description live in the release folder.
        merged = desc.graph + extra
        add_entailed_types(merged, s.superclasses)
        desc = Description(desc.iri, bind_prefixes(merged), desc.truncated)
    if desc.iri == s.mint.dataset():
        # Search engines read schema.org, not DCAT: the same dataset as a schema:Dataset.
        countries = s.store.select(COUNTRIES_QUERY, s.timeout)[1]
        schema = dataset_graph(desc.graph, desc.iri, countries)   # the dataset has the whole DCAT-AP record
        desc = Description(desc.iri, bind_prefixes(desc.graph + schema), desc.truncated)
    return desc


def serve_resource(path: str) -> Response:
    s = site()
    stem, chosen = split_suffix(path)
    negotiated = chosen is None
    if negotiated:
        try:
            chosen = choose(request.accept_mimetypes)
        except NotAcceptable:
            return text_response(406, supported_text(), Vary="Accept", Link=alternate_links("/" + stem))
    # A release never changes, so a rendered representation stays right for as long as the release is served.
    language = request.headers.get("Accept-Language", "")[:200] if chosen.is_html else ""
    public = s.public_base   # descriptions name download URLs and the endpoint where the site is reached
    key = ("page", s.store.snapshot.checksum, stem, chosen.suffix, language, public)
    answers = state().answers
    answer = answers.get(key)
    if answer is None:
        try:
            desc = load(s, stem)
        except QueryTimeout as exc:
            return text_response(503, f"the description of /{stem} took too long: {exc}", **{"Retry-After": "30"})
        if not desc:
            response = (not_found_page(s, stem) if chosen.is_html else
                        text_response(404, f"no resource is known at /{stem} ({desc.iri})"))
            response.vary.add("Accept")
            return response
        body = render_html(s, desc, stem) if chosen.is_html else render_rdf(desc, chosen)
        answer = Answer(body.encode("utf-8"), chosen.media_type, desc.truncated)
        answers.put(key, answer)
    response = Response(answer.body, mimetype=chosen.media_type)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.set_etag(entity_tag(s.store.snapshot, "page", stem, chosen.suffix, language, public))
    response.last_modified = s.store.snapshot.modified
    response.headers["Link"] = alternate_links("/" + stem)
    if negotiated:
        response.vary.add("Accept")
        response.headers["Content-Location"] = f"/{stem}.{chosen.suffix}"
    if chosen.is_html:
        response.vary.add("Accept-Language")
    if answer.truncated:
        response.headers[TRUNCATED_HEADER] = "true"
    return response.make_conditional(request)


def render_rdf(desc: Description, rep: Representation) -> str:
    if rep.suffix == "jsonld":
        return json.dumps(jsonld_document(desc.graph, desc.iri), ensure_ascii=False, indent=1, sort_keys=True)
    # Oxigraph writes Turtle, N-Triples and RDF/XML ten times faster than rdflib: a big city has 10k triples.
    # The resource itself first, then the rest in IRI order, so that a reader finds it at the top.
    triples = sorted(desc.graph, key=lambda t: (t[0] != desc.iri, str(t[0]), str(t[1]), t[2].n3()))
    prefixes = None
    if rep.suffix in ("ttl", "rdf"):
        used = {str(term) for triple in triples for term in triple if isinstance(term, URIRef)}
        used |= {str(t[2].datatype) for t in triples if isinstance(t[2], Literal) and t[2].datatype}
        prefixes = {p: ns for p, ns in PAGE_PREFIXES.items() if any(iri.startswith(ns) for iri in used)}
    body = ox.serialize([ox.Triple(*map(to_oxigraph, t)) for t in triples], format=BY_SUFFIX[rep.suffix].oxigraph,
                        prefixes=prefixes)
    return body.decode("utf-8")


def render_html(s: Site, desc: Description, stem: str) -> str:
    labels = Labeller(desc.graph, request.accept_languages, s.term_labels)
    view = View(desc, labels, s)
    template, builder = choose_template(view)
    context = builder(view)
    return render_template(f"pages/{template}", page=context, path="/" + stem, formats=RDF_REPRESENTATIONS,
                           jsonld=script_json(jsonld_document(desc.graph, desc.iri)))


def not_found_page(s: Site, stem: str) -> Response:
    html = render_template("pages/not_found.html", path="/" + stem, iri=s.iri_for_path(stem))
    return Response(html, status=404, mimetype="text/html")


def _register_routes() -> None:
    for folder in FOLDERS:
        def handler(rest: str, folder=folder) -> Response:
            return serve_resource(folder + rest)

        blueprint.add_url_rule(f"/{folder}<path:rest>", f"resource_{folder.strip('/')}", handler)
    for name in DOCUMENTS:
        def document(name=name, suffix: str | None = None) -> Response:
            return serve_resource(f"{name}.{suffix}" if suffix else name)

        blueprint.add_url_rule(f"/{name}", f"document_{name}", document)
        blueprint.add_url_rule(f"/{name}.<suffix>", f"document_{name}_suffixed", document)

    def ontology_version(version: str) -> Response:
        """The ontology's owl:versionIRI (ontology/<version>): the same document, for the version served."""
        return serve_resource(f"ontology/{version}")

    blueprint.add_url_rule("/ontology/<path:version>", "document_ontology_version", ontology_version)


_register_routes()


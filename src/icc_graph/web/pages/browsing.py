"""Browsing the graph: home, the practices list with facets, the city network, sitemap, VoID and downloads.

These routes join the resource pages' blueprint; they read the store and the
release folder, never the build.
"""

from __future__ import annotations

from collections import defaultdict

from flask import Response, abort, redirect, render_template, request, send_file
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from ...store import QueryTimeout
from ...store.network_formats import STEM, TABLES, render_csv, render_graphml, render_json
from ...vocabulary.formats import RDF_FORMATS
from ...vocabulary.namespaces import SCHEMA
from ...vocabulary.terms import ICC
from ..errors import text_response
from ..state import site
from . import practice_list
from .blueprint import blueprint
from .downloads import list_downloads, resolve_download
from .labels import Labeller, pick, pick_text
from .network import LISTED, SIZE, draw, store_network
from .resource_pages import load
from .schemaorg import jsonld_document, script_json

COUNTS_QUERY = f"""PREFIX icc: <{ICC._NS}>
PREFIX schema: <{SCHEMA}>
PREFIX skos: <{SKOS}>
SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  VALUES ?type {{ icc:GoodPractice schema:City icc:District schema:Country skos:Concept icc:CityLink }}
  ?s a ?type
}} GROUP BY ?type"""
_PAGE_PATTERN = f"""PREFIX icc: <{ICC._NS}>
PREFIX schema: <{SCHEMA}>
PREFIX skos: <{SKOS}>
SELECT $projection WHERE {{
  VALUES ?type {{ icc:GoodPractice schema:City icc:District schema:Country skos:Concept skos:ConceptScheme }}
  ?s a ?type FILTER(isIRI(?s))
}}"""
SITEMAP_COUNT_QUERY = _PAGE_PATTERN.replace("$projection", "(COUNT(DISTINCT ?s) AS ?n)")
SITEMAP_FIXED = ("/", "/practices", "/network", "/sparql", "/ontology")
SITEMAP_MAX = 50_000
MEDIA_TYPES = {**{f.suffix: f.media_type for f in RDF_FORMATS}, "gz": "application/gzip"}   # of the downloads


@blueprint.errorhandler(QueryTimeout)
def timed_out(exc: QueryTimeout) -> Response:
    return text_response(503, f"the page's query took too long: {exc}", **{"Retry-After": "30"})


@blueprint.route("/")
def home() -> Response:
    s = site()
    dataset = load(s, "dataset")
    labels = Labeller(dataset.graph, request.accept_languages)
    counts = {str(t): int(n.toPython()) for t, n in s.store.select(COUNTS_QUERY, s.timeout)[1]}
    release = s.release
    downloads = list_downloads(release) if release.is_dir() else []
    html = render_template(
        "pages/home.html",
        title=labels.text(dataset.iri, DCTERMS.title) or "icc-graph",
        description=labels.text(dataset.iri, DCTERMS.description),
        version=s.store.snapshot.version, modified=s.store.snapshot.modified.date(),
        counts={name: counts.get(str(cls), 0) for name, cls in (
            ("practices", ICC.GoodPractice), ("cities", SCHEMA.City), ("districts", ICC.District),
            ("countries", SCHEMA.Country), ("themes", SKOS.Concept), ("links", ICC.CityLink))},
        downloads=downloads, dataset_path=s.href(dataset.iri), license=_license(dataset, labels),
        jsonld=script_json(jsonld_document(dataset.graph, dataset.iri)) if dataset else None)
    return Response(html, mimetype="text/html", headers={"Vary": "Accept-Language"})


LICENCE_NAMES = {"https://creativecommons.org/licenses/by/4.0/": "Creative Commons Attribution 4.0 (CC BY 4.0)"}


def _license(dataset, labels: Labeller) -> dict | None:
    """The dataset's licence and the rights statement that goes with it (the attribution owed)."""
    url = dataset.graph.value(dataset.iri, DCTERMS.license)
    if url is None:
        return None
    statement = dataset.graph.value(dataset.iri, DCTERMS.rights)
    return {"url": str(url), "name": LICENCE_NAMES.get(str(url), str(url)),
            "rights": labels.text(statement, RDFS.label) if statement is not None else None}


@blueprint.route("/practices")
def practices() -> Response:
    s = site()
    try:
        filters = practice_list.Filters.from_args(request.args)
    except practice_list.BadFacet as exc:
        return text_response(400, str(exc))
    labels = defaultdict(list)
    for row in practice_list.select_all(s.store, practice_list.matches_query(filters, s.mint), s.timeout):
        labels[row["p"]["value"]].append((row["label"]["value"], row["label"].get("xml:lang")))
    chosen = {URIRef(p): pick_text(texts, request.accept_languages)[0] for p, texts in labels.items()}
    ordered = sorted(chosen, key=lambda p: (chosen[p].casefold(), str(p)))
    total = len(ordered)
    start = (filters.page - 1) * practice_list.PAGE_SIZE
    shown = ordered[start:start + practice_list.PAGE_SIZE]
    has_next = total > start + practice_list.PAGE_SIZE
    matches = ordered if total <= practice_list.FACET_VALUES_MAX else None
    facets = {name: practice_list.run_select(s.store, practice_list.facet_query(filters, s.mint, name, matches),
                                             s.timeout)
              if total else [] for name in practice_list.FACETS}
    periods, places = {}, defaultdict(set)
    if shown:
        for p, period, place in practice_list.run_select(s.store, practice_list.details_query(shown), s.timeout):
            periods[p] = period
            if place is not None:
                places[p].add(place)
    terms = {v for values in facets.values() for v, _ in values} | {pl for pls in places.values() for pl in pls}
    names = _names(s, terms)
    first, last = practice_list.run_select(s.store, practice_list.YEARS_QUERY, s.timeout)[0]
    years = list(range(int(first), int(last) + 1)) if first is not None and last is not None else []
    rows = [(p, chosen[p], periods.get(p)) for p in shown]
    for values in facets.values():
        values.sort(key=lambda row: (-int(row[1].toPython()), names.get(row[0], str(row[0])).casefold()))
    html = render_template(
        "pages/practices.html", filters=filters, total=total, has_next=has_next,
        rows=[{"href": s.href(p), "label": str(label), "period": str(period) if period is not None else None,
               "places": sorted((names.get(pl, str(pl)), s.href(pl)) for pl in places.get(p, []))}
              for p, label, period in rows],
        facets={name: [{"slug": _slug(s, name, v), "label": names.get(v, str(v)), "count": int(n.toPython())}
                       for v, n in values] for name, values in facets.items()},
        years=years, page_size=practice_list.PAGE_SIZE)
    return Response(html, mimetype="text/html", headers={"Vary": "Accept-Language"})


def _names(s, terms) -> dict[URIRef, str]:
    found = defaultdict(list)
    terms = sorted(terms, key=str)
    for start in range(0, len(terms), 500):
        query = practice_list.labels_query(terms[start:start + 500])
        for term, label in practice_list.run_select(s.store, query, s.timeout):
            found[term].append(label)
    return {t: str(pick(lits, request.accept_languages)) for t, lits in found.items()}


def _slug(s, facet: str, value) -> str:
    """The facet's query-string value for ``value``: the last segment of its IRI (a slug or ISO code)."""
    return str(value).rsplit("/", 1)[-1]


def _network_filters() -> tuple[str | None, str | None]:
    """?theme=<slug>&country=<iso2>, checked like the practices list's facets (practice_list.BadFacet: 400)."""
    filters = practice_list.Filters.from_args(request.args)
    return filters.theme, filters.country


@blueprint.route("/network")
def network() -> Response:
    s = site()
    try:
        theme, country = _network_filters()
    except practice_list.BadFacet as exc:
        return text_response(400, str(exc))
    shown = store_network(s.store, s.mint, s.timeout, theme, country)
    drawing = draw(shown)
    query = "&".join(f"{name}={value}" for name, value in (("theme", theme), ("country", country)) if value)
    html = render_template("pages/network.html", drawing=drawing, nodes=drawing.nodes, edges=drawing.edges,
                           size=SIZE, listed=LISTED, href=s.href, label=shown.label, theme=theme, country=country,
                           query=query)
    return Response(html, mimetype="text/html", headers={"Vary": "Accept-Language"})


NETWORK_TYPES = {"csv": "text/csv; charset=utf-8", "graphml": "application/graphml+xml",
                 "json": "application/json"}


@blueprint.route("/network.<fmt>")
def network_download(fmt: str) -> Response:
    """The network view's places and links as a file: the tables `icc-graph links export` writes."""
    if fmt not in NETWORK_TYPES:
        abort(404, f"the network is offered as {', '.join(f'/network.{f}' for f in NETWORK_TYPES)}")
    s = site()
    table = request.args.get("table", "edges")
    try:
        theme, country = _network_filters()
        if fmt == "csv" and table not in TABLES:
            raise practice_list.BadFacet(f"table={table!r}: /network.csv gives table=nodes or table=edges")
    except practice_list.BadFacet as exc:
        return text_response(400, str(exc))
    shown = store_network(s.store, s.mint, s.timeout, theme, country)
    if fmt == "csv":
        body, name = render_csv(shown, table), f"{STEM}-{table}.csv"
    else:
        body, name = (render_graphml if fmt == "graphml" else render_json)(shown), f"{STEM}.{fmt}"
    return Response(body, mimetype=NETWORK_TYPES[fmt],
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


def _sitemap_size(s) -> int:
    """URLs per sitemap file: the protocol's limit, or less when one store answer carries fewer rows."""
    return max(1, min(SITEMAP_MAX, s.store.row_cap))


@blueprint.route("/sitemap.xml")
def sitemap() -> Response:
    """A sitemap index: every page of the site is in one of /sitemap-<n>.xml."""
    s = site()
    total = int(s.store.select(SITEMAP_COUNT_QUERY, s.timeout)[1][0][0].toPython()) + len(SITEMAP_FIXED)
    files = [s.public_url(f"/sitemap-{n}.xml") for n in range(1, -(-total // _sitemap_size(s)) + 1)]
    xml = render_template("pages/sitemap_index.xml", files=files, modified=s.store.snapshot.modified.date())
    return Response(xml, mimetype="application/xml")


@blueprint.route("/sitemap-<int:number>.xml")
def sitemap_part(number: int) -> Response:
    s = site()
    if number < 1:
        abort(404, "sitemap parts count from 1")
    size = _sitemap_size(s)
    # The fixed pages come first, then the resources in the store's own order: sorting 100k IRIs for each
    # part would take seconds, and a read-only store answers the same query in the same order every time.
    start = (number - 1) * size
    fixed = list(SITEMAP_FIXED[start:start + size])
    offset = max(0, start - len(SITEMAP_FIXED))
    limit = size - len(fixed)
    query = _PAGE_PATTERN.replace("$projection", "DISTINCT ?s") + f" LIMIT {limit} OFFSET {offset}"
    rows = s.store.select(query, s.timeout)[1] if limit else []
    if not (fixed or rows):
        abort(404, f"there is no sitemap part {number}")
    urls = [s.public_url(p) for p in fixed + [s.href(r[0]) for r in rows] if p and p.startswith("/")]
    xml = render_template("pages/sitemap.xml", urls=urls, modified=s.store.snapshot.modified.date())
    return Response(xml, mimetype="application/xml")


@blueprint.route("/.well-known/void")
def well_known_void() -> Response:
    """RFC 5785 / VoID: the dataset's description, in whichever RDF format the client negotiates there.

    Not the release's description file: /dataset serves the same record with its download URLs and endpoint
    under the URL this server is reached at.
    """
    return redirect(site().href(site().mint.dataset()), code=303)


@blueprint.route("/robots.txt")
def robots() -> Response:
    """Crawlers are welcome on every page; query URLs are left out (each runs a query), the sitemap lists the rest."""
    text = f"User-agent: *\nDisallow: /sparql?\nAllow: /\n\nSitemap: {site().public_url('/sitemap.xml')}\n"
    return Response(text, mimetype="text/plain")


@blueprint.route("/downloads/<path:name>")
def download(name: str) -> Response:
    s = site()
    path = resolve_download(s.release, name)
    if path is None:
        abort(404, f"no file {name!r} in release {s.store.snapshot.version}")
    media = MEDIA_TYPES.get(path.suffix.lstrip("."), "text/plain")
    return send_file(path, mimetype=media, as_attachment=path.suffix == ".gz", conditional=True,
                     max_age=300)

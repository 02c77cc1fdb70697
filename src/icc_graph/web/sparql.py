"""/sparql: the SPARQL 1.1 Protocol endpoint, read-only, cached by release.

A query's answer depends only on the release, the query, the graphs and the
media type, so it is cached under those, and HTTP clients get an ETag and a
Last-Modified to revalidate with (304 without running anything).
"""

from __future__ import annotations

import zlib
from datetime import datetime

from flask import Blueprint, Response, redirect, request, url_for

from ..store import Answer, QuerySyntaxError, QueryTimeout, Snapshot, StoreError
from ..store.base import GRAPH_TYPES
from . import service_description
from .app import TRUNCATED_HEADER, problem, state
from .media import NotAcceptable, choose
from .protocol import FORM, READ_ONLY, ProtocolError, query_form, read_operation

blueprint = Blueprint("sparql", __name__)
CACHE_CONTROL = "public, max-age=300"   # `latest` may move to a new release; revalidation is cheap


def entity_tag(snapshot: Snapshot, *parts: str) -> str:
    """Strong validator: same release and same representation, same bytes."""
    variant = zlib.crc32("\x00".join(parts).encode("utf-8"))
    return f"{snapshot.checksum[:24]}-{variant:08x}"


def _fresh(etag: str, modified: datetime) -> bool:
    """The client's copy is current (conditional GET/HEAD only)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.if_none_match:
        return request.if_none_match.contains(etag)
    since = request.if_modified_since
    return since is not None and since >= modified.replace(microsecond=0)


def _cache_headers(response: Response, etag: str, modified: datetime) -> Response:
    response.set_etag(etag)
    response.last_modified = modified
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.add("Accept")
    return response


def _not_modified(etag: str, modified: datetime) -> Response:
    return _cache_headers(Response(status=304), etag, modified)


def _format_names() -> list[str]:
    names = request.args.getlist("format")
    if request.mimetype == FORM:
        names += request.form.getlist("format")
    return names


def _describe_service() -> Response:
    app_state = state()
    if request.accept_mimetypes.best_match(list(GRAPH_TYPES) + ["text/html"]) == "text/html":
        return redirect(url_for("query_page.page"), code=303)   # a person with a browser: the query page
    try:
        media_type = choose("graph", request.accept_mimetypes, _format_names())
    except NotAcceptable as exc:
        return problem(406, str(exc))
    snapshot = app_state.store.snapshot
    etag = entity_tag(snapshot, "service-description", media_type, app_state.settings.public_base)
    if _fresh(etag, snapshot.modified):
        return _not_modified(etag, snapshot.modified)
    key = (snapshot.checksum, "service-description", media_type, app_state.settings.public_base)
    answer = app_state.answers.get(key)
    if answer is None:
        graph = service_description.service_description(app_state.settings, app_state.store,
                                                        app_state.settings.query_timeout)
        answer = Answer(service_description.serialize(graph, media_type), media_type)
        app_state.answers.put(key, answer)
    return _cache_headers(Response(answer.body, mimetype=media_type), etag, snapshot.modified)


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    app_state = state()
    try:
        operation = read_operation(request)
    except ProtocolError as exc:
        return problem(exc.status, exc.message)
    if operation.query is None:
        return _describe_service()
    form = query_form(operation.query)
    if form == "UPDATE":
        return problem(403, READ_ONLY)
    try:
        media_type = choose("graph" if form in ("CONSTRUCT", "DESCRIBE") else "solutions",
                            request.accept_mimetypes, _format_names())
    except NotAcceptable as exc:
        return problem(406, str(exc))

    snapshot = app_state.store.snapshot
    graphs = operation.graphs
    etag = entity_tag(snapshot, operation.query, media_type, *graphs.default_graphs, "|", *graphs.named_graphs)
    if _fresh(etag, snapshot.modified):
        return _not_modified(etag, snapshot.modified)
    key = (snapshot.checksum, operation.query, media_type, graphs)
    answer = app_state.answers.get(key)
    if answer is None:
        try:
            answer = app_state.store.execute(operation.query, media_type, app_state.settings.query_timeout, graphs)
        except QuerySyntaxError as exc:
            return problem(400, f"the query was refused: {exc}")
        except QueryTimeout as exc:
            response = problem(503, f"{exc}. Narrow the query (LIMIT, more specific patterns) or run it on a "
                                    "downloaded dump.")
            response.headers["Retry-After"] = "5"
            return response
        except StoreError as exc:
            return problem(500, f"the store failed: {exc}")
        app_state.answers.put(key, answer)
    response = Response(answer.body, mimetype=answer.media_type)
    response.headers[TRUNCATED_HEADER] = "true" if answer.truncated else "false"
    if answer.truncated:
        response.headers["ICC-Graph-Row-Cap"] = str(app_state.store.row_cap)
    return _cache_headers(response, etag, snapshot.modified)

"""/sparql: the SPARQL 1.1 Protocol endpoint, read-only, cached by release, as a plain WSGI application.

Every query passes here, so the endpoint skips Flask's machinery (routing,
request contexts, hooks, Response objects): Werkzeug's lazy Request reads the
request, and the answer goes out as a status, a header list and the body.
Measured in-process on the seed release (the store's time left out), a
request costs about 400 µs instead of 550.
The Flask app mounts it in front of its own routes (app.create_app).

A query's answer depends only on the release, the query, the graphs and the
media type, so it is cached under those, and HTTP clients get an ETag and a
Last-Modified to revalidate with (304 without running anything).
"""

from __future__ import annotations

import logging
import time
import zlib
from datetime import datetime

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES, http_date, quote_etag
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Request

from ...store import (
    Answer,
    QueryStopped,
    QuerySyntaxError,
    QueryTimeout,
    Snapshot,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    Turn,
)
from ...vocabulary.formats import GRAPH_TYPES
from ...vocabulary.sparql_text import TooDeep, check_nesting, query_form
from ..errors import NotAcceptable, plain_text
from ..public import public_base
from . import service_description
from .admission import ClientLimit
from .answer_formats import choose_for_header
from .client_table import ClientTable
from .cost_estimate import looks_costly
from .one_run import OneRunPerKey
from .protocol import FORM, READ_ONLY, ProtocolError, read_operation
from .query_errors import explain

log = logging.getLogger(__name__)
PATH = "/sparql"
QUERY_PAGE = "/query"
TRUNCATED_HEADER = "ICC-Graph-Truncated"
ROW_CAP_HEADER = "ICC-Graph-Row-Cap"
BYTE_CAP_HEADER = "ICC-Graph-Byte-Cap"
RETRY_AFTER = "5"   # seconds: a runaway query in the way is stopped by then (or soon after)
CACHE_CONTROL = "public, max-age=300"   # `latest` may move to a new release; revalidation is cheap
ALLOWED = "GET, HEAD, OPTIONS, POST"
CORS_HEADERS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, POST, HEAD, OPTIONS"),
    ("Access-Control-Allow-Headers", "Accept, Content-Type, If-None-Match, If-Modified-Since"),
    ("Access-Control-Expose-Headers", f"{TRUNCATED_HEADER}, ETag, Last-Modified, Content-Type"),
    ("Access-Control-Max-Age", "86400"),
]
STATUS = {code: f"{code} {reason.upper()}" for code, reason in HTTP_STATUS_CODES.items()}   # as Werkzeug writes them


def entity_tag(snapshot: Snapshot, *parts: str) -> str:
    """Strong validator: same release and same representation, same bytes."""
    variant = zlib.crc32("\x00".join(parts).encode("utf-8"))
    return f"{snapshot.checksum[:24]}-{variant:08x}"


class Reply:
    """What the endpoint answers: a status, headers, a body."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, body: bytes = b"", media_type: str | None = None):
        self.status, self.body = status, body
        self.headers = [("Content-Type", get_content_type(media_type, "utf-8"))] if media_type else []


def too_large(limit: int) -> str:
    """The 413 message, here and on every other page (app.create_app)."""
    return f"the request is larger than {limit} bytes"


def _problem(status: int, message: str) -> Reply:
    """An error answer (errors.plain_text) without Flask's Response: this layer answers in plain WSGI."""
    return Reply(status, plain_text(message), "text/plain")


class SparqlEndpoint:
    def __init__(self, app_state, clients: ClientTable | None = None):
        """``clients``: the table every worker of the server shares (server.serve), else this process's own."""
        self.state = app_state
        self.limit = app_state.settings.max_request_bytes
        # A stopped client is held off for as long as its runaway would have run: the time limit.
        self.clients = ClientLimit(app_state.settings.client_queries,
                                   max(float(RETRY_AFTER), app_state.settings.query_timeout), clients)
        self._dates: dict[datetime, str] = {}
        self.runs: OneRunPerKey[Answer] = OneRunPerKey()   # identical queries at once: one run

    def __call__(self, environ, start_response):
        request = Request(environ, populate_request=False)   # no environ <-> request cycle for the collector
        request.max_content_length = self.limit
        try:
            reply = self.respond(request)
        except RequestEntityTooLarge:
            reply = _problem(413, too_large(self.limit))
        except Exception:   # noqa: BLE001 - a bug must still get an answer, and its traceback in the log
            log.exception("/sparql failed")
            reply = _problem(500, "the endpoint failed on this request (the server log has the details)")
        headers = reply.headers
        body = b"" if request.method == "HEAD" else reply.body
        if reply.status != 304:
            headers.append(("Content-Length", str(len(reply.body))))
        headers += CORS_HEADERS
        start_response(STATUS[reply.status], headers)
        return [body]

    def respond(self, request: Request) -> Reply:
        method = request.method
        if method == "OPTIONS":
            reply = Reply(200)
            reply.headers.append(("Allow", ALLOWED))
            return reply
        if method not in ("GET", "HEAD", "POST"):
            reply = _problem(405, f"{method} is not allowed on {PATH}: use GET or POST (SPARQL 1.1 Protocol)")
            reply.headers.append(("Allow", ALLOWED))
            return reply
        if len(request.environ.get("QUERY_STRING", "")) > self.limit:
            raise RequestEntityTooLarge()   # answered in __call__, like a body over the limit
        try:
            operation = read_operation(request)
        except ProtocolError as exc:
            return _problem(exc.status, exc.message)
        if operation.query is None:
            return self._describe_service(request)
        form = query_form(operation.query)
        if form == "UPDATE":
            return _problem(403, READ_ONLY)
        try:
            media_type = choose_for_header("graph" if form in ("CONSTRUCT", "DESCRIBE") else "solutions",
                                           request.environ.get("HTTP_ACCEPT", ""), _format_names(request))
        except NotAcceptable as exc:
            return _problem(406, str(exc))
        state = self.state
        snapshot = state.store.snapshot
        graphs = operation.graphs
        etag = entity_tag(snapshot, operation.query, media_type, *graphs.default_graphs, "|", *graphs.named_graphs)
        if _fresh(request, etag, snapshot.modified):
            return self._cache_headers(Reply(304), etag, snapshot.modified)
        key = (snapshot.checksum, operation.query, media_type, graphs.default_graphs, graphs.named_graphs)
        answer = state.answers.get(key)
        if answer is None:
            client = request.environ.get("REMOTE_ADDR", "")
            try:
                check_nesting(operation.query, state.settings.max_query_depth)
                with self.clients.slot(client, state.store.saturated) as rank:
                    turn = Turn(rank, costly=looks_costly(operation.query))
                    timeout = state.settings.query_timeout
                    started = time.monotonic()
                    answer = self.runs.run(key, lambda: state.store.execute(operation.query, media_type, timeout,
                                                                            graphs, turn),
                                           # the run's own limits end it before this
                                           wait=timeout + state.settings.queue_wait + float(RETRY_AFTER))
            except TooDeep as exc:
                return _problem(400, f"the query was refused: {exc}")
            except QuerySyntaxError as exc:
                explained = explain(operation.query, str(exc))
                return _problem(400, explained if explained != str(exc) else f"the query was refused: {exc}")
            except StoreBusy as exc:
                if isinstance(exc, QueryStopped):
                    self.clients.was_stopped(client)
                reply = _problem(503, f"the endpoint is busy: {exc}")
                reply.headers.append(("Retry-After", RETRY_AFTER))
                return reply
            except QueryTimeout as exc:
                self.clients.was_stopped(client)
                reply = _problem(503, f"{exc}. Narrow the query (LIMIT, more specific patterns) or run it on a "
                                     "downloaded dump.")
                reply.headers.append(("Retry-After", RETRY_AFTER))
                return reply
            except StoreUnavailable as exc:
                reply = _problem(503, f"the store is unavailable, try again shortly: {exc}")
                reply.headers.append(("Retry-After", "10"))
                return reply
            except StoreError as exc:
                return _problem(500, f"the store failed: {exc}")
            state.answers.put(key, answer, time.monotonic() - started)
        reply = Reply(200, answer.body, answer.media_type)
        reply.headers.append((TRUNCATED_HEADER, "true" if answer.truncated else "false"))
        if answer.truncated:
            reply.headers.append((ROW_CAP_HEADER, str(state.store.row_cap)))
            reply.headers.append((BYTE_CAP_HEADER, str(state.settings.answer_bytes_cap)))
        return self._cache_headers(reply, etag, snapshot.modified)

    def _describe_service(self, request: Request) -> Reply:
        if request.accept_mimetypes.best_match(list(GRAPH_TYPES) + ["text/html"]) == "text/html":
            reply = Reply(303)   # a person with a browser: the query page
            reply.headers.append(("Location", request.script_root + QUERY_PAGE))
            return reply
        try:
            media_type = choose_for_header("graph", request.environ.get("HTTP_ACCEPT", ""), _format_names(request))
        except NotAcceptable as exc:
            return _problem(406, str(exc))
        state = self.state
        snapshot = state.store.snapshot
        endpoint = public_base(state.settings, request.environ) + PATH.lstrip("/")
        etag = entity_tag(snapshot, "service-description", media_type, endpoint)
        if _fresh(request, etag, snapshot.modified):
            return self._cache_headers(Reply(304), etag, snapshot.modified)
        key = (snapshot.checksum, "service-description", media_type, endpoint)
        answer = state.answers.get(key)
        if answer is None:
            graph = service_description.live_service_description(state.settings, state.store,
                                                                 state.settings.query_timeout, endpoint)
            answer = Answer(service_description.serialize(graph, media_type), media_type)
            state.answers.put(key, answer)
        return self._cache_headers(Reply(200, answer.body, media_type), etag, snapshot.modified)

    def _cache_headers(self, reply: Reply, etag: str, modified: datetime) -> Reply:
        date = self._dates.get(modified)
        if date is None:
            date = self._dates[modified] = http_date(modified)
        reply.headers += [("ETag", quote_etag(etag)), ("Last-Modified", date), ("Cache-Control", CACHE_CONTROL),
                          ("Vary", "Accept")]
        return reply


def _fresh(request: Request, etag: str, modified: datetime) -> bool:
    """The client's copy is current (conditional GET/HEAD only)."""
    if request.method not in ("GET", "HEAD"):
        return False
    environ = request.environ
    if "HTTP_IF_NONE_MATCH" in environ:
        return request.if_none_match.contains_weak(etag)   # weak comparison (RFC 9110): gzip answers are W/
    if "HTTP_IF_MODIFIED_SINCE" not in environ:
        return False
    since = request.if_modified_since
    return since is not None and since >= modified.replace(microsecond=0)


def _format_names(request: Request) -> tuple[str, ...]:
    names = request.args.getlist("format")
    if request.mimetype == FORM:
        names += request.form.getlist("format")
    return tuple(names)

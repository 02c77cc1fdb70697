"""The Flask app factory: settings read once, one store per app, blueprints registered here.

Every response is public data: CORS is open for GET and POST, and clients may
read the truncation and caching headers.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from ..config import Settings
from ..store import QuerySyntaxError, QueryTimeout, Store, StoreError, StoreUnavailable, open_store, release_dir
from ..vocabulary.iris import Minter
from .answer_cache import AnswerCache
from .body_limit import BodyLimit
from .endpoint import query_page
from .endpoint.client_table import ClientTable
from .endpoint.handler import CORS_HEADERS, PATH, SparqlEndpoint, too_large
from .endpoint.replay_cache import ReplayCache
from .errors import text_response
from .pages import browsing, resource_pages  # noqa: F401 (their routes join the pages blueprint)
from .pages.blueprint import blueprint as pages_blueprint
from .pages.site import CachedStore, Site
from .response_filter import ResponseFilter
from .shared_answers import SharedAnswers
from .state import AppState

log = logging.getLogger(__name__)
RETRY_AFTER_UNAVAILABLE = "10"   # seconds: a store restarting or a remote store coming back


def create_app(settings: Settings, store: Store | None = None, clients: ClientTable | None = None,
               shared_answers: SharedAnswers | None = None) -> Flask:
    """``clients``: what the server's workers know about each client, shared by all of them (server.serve);
    without it the app keeps its own. ``shared_answers``: the answers the workers share (server.serve)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.json.sort_keys = False
    answers = AnswerCache(settings.cache_bytes, shared_answers)   # answers and replayed /sparql replies
    store = store or open_store(settings)
    pages = Site(CachedStore(store, answers), Minter(settings.base_iri), release_dir(settings), settings.query_timeout,
                 settings)
    app_state = AppState(settings, store, answers, pages)
    app.extensions["icc_graph"] = app_state
    app.add_url_rule(PATH, endpoint="sparql.endpoint", build_only=True)   # for url_for; endpoint/handler.py answers it
    app.register_blueprint(query_page.blueprint)
    app.register_blueprint(pages_blueprint)

    @app.before_request
    def limit_query_string():
        if len(request.query_string) > settings.max_request_bytes:
            raise RequestEntityTooLarge()   # answered by plain_errors, like a body over the limit

    @app.after_request
    def open_cors(response: Response) -> Response:
        for name, value in CORS_HEADERS:
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(HTTPException)
    def plain_errors(error: HTTPException):
        if error.code == 413:
            return text_response(413, too_large(settings.max_request_bytes))
        response = text_response(error.code or 500, f"{error.name}: {error.description}")
        for name, value in error.get_headers():
            if name.lower() != "content-type":   # keeps Allow on a 405
                response.headers[name] = value
        return response

    @app.errorhandler(QuerySyntaxError)
    def refused_query(error: QuerySyntaxError):
        # A page's own query refused by the store: the request named something that is no IRI of ours.
        return text_response(400, f"this address names no resource the store can look up: {error}")

    @app.errorhandler(StoreError)
    def store_failed(error: StoreError):
        if isinstance(error, StoreUnavailable | QueryTimeout):
            response = text_response(503, f"the store is unavailable, try again shortly: {error}"
                               if isinstance(error, StoreUnavailable) else f"the page's query took too long: {error}")
            response.headers["Retry-After"] = RETRY_AFTER_UNAVAILABLE
            return response
        log.error("the store failed on %s: %s", request.path, error)
        return text_response(500, f"the store failed on this page: {error}")

    endpoint, pages_app = SparqlEndpoint(app_state, clients), app.wsgi_app

    def dispatch(environ, start_response):
        """/sparql goes to the endpoint, everything else to Flask."""
        if environ.get("PATH_INFO") == PATH:
            return endpoint(environ, start_response)
        return pages_app(environ, start_response)

    def refuse_too_large(environ, start_response):
        start_response("413 REQUEST ENTITY TOO LARGE", [("Content-Type", "text/plain; charset=utf-8"), *CORS_HEADERS])
        return [(too_large(settings.max_request_bytes) + "\n").encode("utf-8")]

    app.wsgi_app = BodyLimit(dispatch, settings.max_request_bytes, refuse_too_large)
    # Not over a remote store: `icc-graph push` switches its release while the server runs, and the replay
    # cache's key holds no release (the answer cache's does, so answers are still cached).
    if settings.cache_bytes > 0 and not settings.store:
        app.wsgi_app = ReplayCache(app.wsgi_app, answers)   # repeated GET queries: replayed
    app.wsgi_app = ResponseFilter(app.wsgi_app)   # gzip and nosniff on every answer, replayed ones included
    if settings.trust_proxy:   # outermost: every layer then sees the client's address, scheme and host
        # X-Forwarded-For (ProxyFix's default, said here): else every client behind the proxy is one client
        # to the per-client limits.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    return app

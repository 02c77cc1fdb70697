"""The Flask app factory: settings read once, one store per app, blueprints registered here.

Every response is public data: CORS is open for GET and POST, and clients may
read the truncation and caching headers.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..config import Settings
from ..store import Store, open_store
from .answer_cache import AnswerCache
from .endpoint import query_page
from .endpoint.handler import CORS_HEADERS, PATH, SparqlEndpoint, too_large
from .endpoint.replay_cache import ReplayCache
from .pages import browsing, resource_pages  # noqa: F401 (their routes join the pages blueprint)
from .pages.blueprint import blueprint as pages_blueprint
from .state import AppState


def problem(status: int, message: str) -> Response:
    """An error answer: a plain-text message a person can act on."""
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain")


def create_app(settings: Settings, store: Store | None = None) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.json.sort_keys = False
    answers = AnswerCache(settings.cache_bytes // 2)   # the other half: endpoint/replay_cache.py
    app_state = AppState(settings, store or open_store(settings), answers)
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
            return problem(413, too_large(settings.max_request_bytes))
        response = problem(error.code or 500, f"{error.name}: {error.description}")
        for name, value in error.get_headers():
            if name.lower() != "content-type":   # keeps Allow on a 405
                response.headers[name] = value
        return response

    endpoint, pages_app = SparqlEndpoint(app_state), app.wsgi_app

    def dispatch(environ, start_response):
        """/sparql goes to the endpoint, everything else to Flask."""
        if environ.get("PATH_INFO") == PATH:
            return endpoint(environ, start_response)
        return pages_app(environ, start_response)

    app.wsgi_app = dispatch
    # Not over a remote store: `icc-graph push` switches its release while the server runs, and the replay
    # cache's key holds no release (the answer cache's does, so answers are still cached).
    if settings.cache_bytes > 0 and not settings.store:
        app.wsgi_app = ReplayCache(app.wsgi_app, settings.cache_bytes // 2)   # repeated GET queries: replayed
    return app

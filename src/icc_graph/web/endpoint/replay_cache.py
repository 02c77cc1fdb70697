"""Repeated GET queries answered before Flask: a WSGI layer that replays whole /sparql responses.

A GET on /sparql is fully determined by its query string and Accept header
(the release never changes while the server runs), so a 200 answer is kept
whole (status, headers, body) and replayed byte for byte; an If-None-Match
equal to its ETag gets the 304. Anything else (POST, HEAD, other paths, other
conditionals, errors) goes through the app as usual. This skips routing,
request parsing and negotiation on the hot path, the bulk of a cached answer's
cost. Entries are plain tuples of strings and bytes, which the garbage collector
stops tracking; they share the app's one cache (answer_cache.py) with the answers.
"""

from __future__ import annotations

from ..answer_cache import AnswerCache
from .handler import PATH, STATUS


class ReplayCache:
    def __init__(self, app, cache: AnswerCache):
        self.app = app
        self.cache = cache   # the app's one cache: replies and answers share its budget

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != PATH \
                or not environ.get("QUERY_STRING") or environ.get("HTTP_IF_MODIFIED_SINCE"):
            return self.app(environ, start_response)
        key = ("replay", environ["QUERY_STRING"], environ.get("HTTP_ACCEPT", ""))
        entry = self.cache.get_entry(key)
        condition = environ.get("HTTP_IF_NONE_MATCH")
        if entry is not None:
            status, headers, body, etag, _ = entry
            if condition is None:
                start_response(status, list(headers))
                return [body]
            if condition == etag:
                start_response(STATUS[304], [h for h in headers if h[0] != "Content-Length"])
                return []
        if condition is not None:
            return self.app(environ, start_response)
        return self._remember(key, environ, start_response)

    def _remember(self, key, environ, start_response):
        seen = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        headers = tuple(seen.get("headers", ()))
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        if seen.get("status", "").startswith("200") and etag:
            self.cache.put_entry(key, (seen["status"], headers, body, etag), body)
        return [body]

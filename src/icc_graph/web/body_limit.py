"""Request bodies sent without a Content-Length (``Transfer-Encoding: chunked``) held to the same limit.

Werkzeug applies ``max_content_length`` to the Content-Length a client
announces; a chunked body announces none, and the server handed the app a
stream that the request parser cut at the limit, so the prefix of an oversized
query was run. Here such a body is read first, up to one byte past the limit:
over it, the answer is the same 413 as for an announced length; within it, the
app gets the body with its length, as if it had been announced.
"""

from __future__ import annotations

import io

READ_SIZE = 65_536


class BodyLimit:
    def __init__(self, app, limit: int, too_large):
        self.app, self.limit, self.too_large = app, limit, too_large   # too_large: the WSGI app that answers 413

    def __call__(self, environ, start_response):
        if environ.get("CONTENT_LENGTH") or environ.get("REQUEST_METHOD") in ("GET", "HEAD", "OPTIONS"):
            return self.app(environ, start_response)
        stream, chunks, size = environ["wsgi.input"], [], 0
        while size <= self.limit:
            chunk = stream.read(min(READ_SIZE, self.limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > self.limit:
            return self.too_large(environ, start_response)
        body = b"".join(chunks)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)

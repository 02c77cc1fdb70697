"""How the web answers what it cannot serve: one plain-text error body, one NotAcceptable.

Errors are plain text a person can act on, ending in one newline, on every path
(the pages, /sparql's own WSGI layer, Flask's HTTP errors).
"""

from __future__ import annotations

from flask import Response


def plain_text(message: str) -> bytes:
    return (message.rstrip() + "\n").encode("utf-8")


def text_response(status: int, message: str, **headers: str) -> Response:
    """An error answer for Flask routes."""
    return Response(plain_text(message), status=status, mimetype="text/plain", headers=headers)


class NotAcceptable(Exception):
    """Nothing the request accepts (Accept, ``format=`` or a suffix) can be answered; ``supported`` can."""

    def __init__(self, asked: str, supported: tuple[str, ...], message: str):
        super().__init__(message)
        self.asked = asked
        self.supported = supported

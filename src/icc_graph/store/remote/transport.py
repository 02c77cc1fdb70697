"""HTTP to a remote store with a hard deadline: when time is up the socket is shut, so the request is abandoned
and the store sees the client go (some stop writing a streamed answer at once, others drop it at the next write).

A plain http.client connection per request: the caller's thread reads, a timer
shuts the socket at the deadline, which breaks any blocking read at once. Every
message names the store by its URL without user information; secrets never
appear in one (see credentials.Credentials.secrets).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

from ..base import QueryTimeout, StoreError, StoreUnavailable
from .credentials import Credentials

USER_AGENT = "icc-graph"


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: bytes
    truncated: bool = False   # the reader stopped early (the row cap)

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name, default)


Reader = Callable[[http.client.HTTPResponse], tuple[bytes, bool]]


def read_all(response: http.client.HTTPResponse) -> tuple[bytes, bool]:
    return response.read(), False


def check_url(url: str) -> str:
    """``url`` if it is an http(s) URL without credentials in it; a clear error otherwise (naming no secret)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"the store URL must be an http:// or https:// URL, not {shown(url)!r}")
    if parts.username is not None or parts.password is not None:
        raise StoreError("the store URL carries a user name or password: give them in ICC_GRAPH_STORE_USER and "
                         "ICC_GRAPH_STORE_PASSWORD (or ICC_GRAPH_STORE_TOKEN) instead")
    return url


def shown(url: str) -> str:
    """``url`` as it may appear in a message: without user information."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")).geturl()


class Transport:
    """Requests to one store's endpoints with one set of credentials."""

    def __init__(self, credentials: Credentials | None = None):
        self.credentials = credentials or Credentials()

    def request(self, method: str, url: str, *, timeout: float, headers: dict[str, str] | None = None,
                body: bytes | None = None, reader: Reader = read_all) -> Reply:
        """One request, answered within ``timeout`` seconds or abandoned (QueryTimeout); a Digest or Basic
        challenge is answered once."""
        parts = urlsplit(check_url(url))
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        headers = {"User-Agent": USER_AGENT, **(headers or {})}
        authorization = self.credentials.up_front(method, path)
        reply = self._send(parts, method, path, headers, body, authorization, timeout, reader)
        if reply.status == 401:
            challenges = reply.headers.get_all("WWW-Authenticate") or []
            authorization = self.credentials.answer(challenges, method, path)
            if authorization is not None:
                reply = self._send(parts, method, path, headers, body, authorization, timeout, reader)
        return reply

    def _send(self, parts, method, path, headers, body, authorization, timeout, reader) -> Reply:
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = kind(parts.hostname, parts.port, timeout=timeout)
        expired = threading.Event()

        def abandon() -> None:
            expired.set()
            sock = connection.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(timeout, abandon)
        timer.daemon = True
        timer.start()
        where = f"{method} {shown(parts.geturl().split('?')[0])}"
        try:
            sent = dict(headers)
            if authorization is not None:
                sent["Authorization"] = authorization
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            if response.status >= 300:   # an error page: read as it is, whatever the reader expects
                content, truncated = response.read(), False
            else:
                content, truncated = reader(response)
            if expired.is_set():
                raise QueryTimeout(f"the store did not answer {where} within {timeout:g} s; the request was abandoned")
            return Reply(response.status, response.headers, content, truncated)
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set() or isinstance(exc, TimeoutError):
                raise QueryTimeout(
                    f"the store did not answer {where} within {timeout:g} s; the request was abandoned") from None
            if isinstance(exc, ConnectionError | socket.gaierror):
                raise StoreUnavailable(f"the store cannot be reached ({where}): {exc}") from None
            raise StoreError(f"the store failed on {where}: {type(exc).__name__}: {exc}") from None
        finally:
            timer.cancel()
            connection.close()

"""Manners toward another site (the ICC site, Wikidata): the one place that decides how icc-graph asks.

Every command that talks to a site it does not own (``harvest``, ``places
reconcile``) goes through ``PoliteClient``:

- a User-Agent naming the tool, its version and a way to reach its operators,
  ``icc-graph/<version> (+<contact URL>)``: ``ICC_GRAPH_CONTACT_URL``, else
  ``dataset.yaml``'s ``contact_page`` (Wikidata's User-Agent policy asks for it);
- one request at a time, ``delay`` seconds from the end of one to the start of
  the next;
- a 429, a 5xx, a timeout or a dropped connection is retried up to ``retries``
  times, waiting what the answer's ``Retry-After`` says (seconds or an HTTP
  date), else 2, 4, 8, ... seconds; a wait longer than ``MAX_WAIT`` is not
  waited for: the request fails at once (the site asks to be left alone);
- a GET follows redirects within the site of the URL asked (up to five), never
  off it; a POST follows none (a redirected POST would lose its body).

Built on ``http.client`` so that every redirect passes through here. Responses
are read whole; the last answer is returned whatever its status, and only what
could not be asked at all raises ``FetchError``.
"""

from __future__ import annotations

import email.utils
import http.client
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlencode, urljoin, urlsplit

from .build.datadir import METADATA, read_metadata
from .config import Settings

RETRIED = {429, 500, 502, 503, 504}
REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
MAX_WAIT = 300.0           # seconds; a Retry-After longer than this is not waited for


class FetchError(Exception):
    """A request that got no answer to hand on (retries spent, a redirect off the site, too long a wait)."""


def user_agent(contact: str) -> str:
    try:
        own = version("icc-graph")
    except PackageNotFoundError:   # running from a source tree that was never installed
        own = "0"
    return f"icc-graph/{own} (+{contact})"


def user_agent_for(settings: Settings) -> str:
    """The User-Agent of this installation: the contact URL setting, else the dataset's contact page."""
    return user_agent(settings.contact_url or read_metadata(settings.data_dir / METADATA).contact_page)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass(frozen=True)
class Answer:
    status: int
    final_url: str
    headers: dict[str, str]     # names in lower case
    body: bytes


def _site(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


class PoliteClient:
    def __init__(self, agent: str, delay: float, retries: int, timeout: float,
                 sleep: Callable[[float], object] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.agent, self.delay = agent, delay
        self.retries, self.timeout = retries, timeout
        self._sleep, self._clock = sleep, clock
        self._last: float | None = None
        self.requests = 0            # requests sent, retries and redirects included
        self.downloaded = 0          # bytes of bodies received

    def get(self, url: str, headers: dict[str, str] | None = None) -> Answer:
        """GET ``url`` (following redirects within its site); the last answer, whatever its status."""
        first = url
        for _ in range(MAX_REDIRECTS + 1):
            answer = self._with_retries("GET", url, None, headers or {})
            if answer.status not in REDIRECTS:
                return answer
            target = urljoin(url, answer.headers.get("location", ""))
            if not answer.headers.get("location") or _site(target) != _site(first):
                raise FetchError(f"{url} redirects off the site, to {target!r}: not followed")
            url = target
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")

    def post_form(self, url: str, form: dict[str, str], headers: dict[str, str] | None = None) -> Answer:
        """POST ``form`` url-encoded to ``url``; the answer, whatever its status (redirects not followed)."""
        body = urlencode(form).encode("ascii")
        return self._with_retries("POST", url, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                      **(headers or {})})

    def _with_retries(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> Answer:
        for attempt in range(self.retries + 1):
            try:
                answer = self._once(method, url, body, headers)
            except (OSError, http.client.HTTPException) as exc:     # timeouts, refusals, DNS, dropped connections
                if attempt == self.retries:
                    raise FetchError(f"{url}: {exc.__class__.__name__} after {attempt + 1} tries ({exc})") from None
                self._sleep(2.0 ** (attempt + 1))
                continue
            if answer.status not in RETRIED or attempt == self.retries:
                return answer
            wait = retry_after(answer.headers.get("retry-after"))
            wait = 2.0 ** (attempt + 1) if wait is None else wait
            if wait > MAX_WAIT:
                raise FetchError(f"{url} asks to wait {wait:.0f} s (Retry-After), more than {MAX_WAIT:.0f}")
            self._sleep(wait)
        raise AssertionError("unreachable")

    def _once(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> Answer:
        if self._last is not None:
            pause = self.delay - (self._clock() - self._last)
            if pause > 0:
                self._sleep(pause)
        parts = urlsplit(url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = kind(parts.netloc, timeout=self.timeout)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        try:
            self.requests += 1
            connection.request(method, target, body=body, headers={"User-Agent": self.agent, **headers})
            response = connection.getresponse()
            received = response.read()
            answer = Answer(response.status, url, {k.lower(): v for k, v in response.getheaders()}, received)
        finally:
            connection.close()
            self._last = self._clock()
        self.downloaded += len(received)
        return answer

"""A polite HTTP client: one request at a time, a delay between requests, retries that honour Retry-After.

Built on ``http.client`` so that every redirect passes through here: one
within the site is followed (up to five), one that leads off the site is not.
A 429, a 5xx, a timeout or a dropped connection is retried up to ``retries``
times, waiting as the answer's ``Retry-After`` says (seconds or an HTTP date,
at most ``MAX_WAIT``), else 2, 4, 8, ... seconds; the delay between requests
counts from the end of the previous one. Responses are read whole.
"""

from __future__ import annotations

import email.utils
import http.client
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin, urlsplit

from .site import Site

RETRIED = {429, 500, 502, 503, 504}
REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
MAX_WAIT = 600.0           # a Retry-After longer than this is not waited for: the URL is given up


class FetchError(Exception):
    """A URL that could not be fetched (retries spent, a redirect off the site, a refused connection)."""


def user_agent(contact: str) -> str:
    try:
        own = version("icc-graph")
    except PackageNotFoundError:   # running from a source tree that was never installed
        own = "0"
    return f"icc-graph/{own} (+{contact})"


@dataclass(frozen=True)
class Answer:
    status: int
    final_url: str
    headers: dict[str, str]     # names in lower case
    body: bytes


def retry_after(value: str | None, now: float) -> float | None:
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
    return max(0.0, when.timestamp() - now)


class PoliteClient:
    def __init__(self, site: Site, agent: str, delay: float, retries: int, timeout: float, sleep=time.sleep,
                 clock=time.monotonic):
        self.site, self.agent, self.delay = site, agent, delay
        self.retries, self.timeout = retries, timeout
        self._sleep, self._clock = sleep, clock
        self._last: float | None = None
        self.requests = 0            # requests sent, retries and redirects included
        self.downloaded = 0          # bytes of bodies received

    def get(self, url: str, headers: dict[str, str] | None = None) -> Answer:
        """GET ``url`` (following redirects within the site); the last answer, whatever its status."""
        for _ in range(MAX_REDIRECTS + 1):
            answer = self._with_retries(url, headers or {})
            if answer.status not in REDIRECTS:
                return answer
            target = urljoin(url, answer.headers.get("location", ""))
            if not answer.headers.get("location") or not self.site.holds(target):
                raise FetchError(f"{url} redirects off the site, to {target!r}: not followed")
            url = target
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _with_retries(self, url: str, headers: dict[str, str]) -> Answer:
        for attempt in range(self.retries + 1):
            try:
                answer = self._once(url, headers)
            except (TimeoutError, ConnectionError, http.client.HTTPException) as exc:
                if attempt == self.retries:
                    raise FetchError(f"{url}: {exc.__class__.__name__} after {attempt + 1} tries") from None
                self._sleep(2.0 ** (attempt + 1))
                continue
            if answer.status not in RETRIED:
                return answer
            if attempt == self.retries:
                return answer
            wait = retry_after(answer.headers.get("retry-after"), time.time())
            wait = 2.0 ** (attempt + 1) if wait is None else wait
            if wait > MAX_WAIT:
                raise FetchError(f"{url}: the site asks to wait {wait:.0f} s (Retry-After), more than {MAX_WAIT:.0f}")
            self._sleep(wait)
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: dict[str, str]) -> Answer:
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
            connection.request("GET", target, headers={"User-Agent": self.agent, "Accept": "text/html,*/*;q=0.5",
                                                       **headers})
            response = connection.getresponse()
            body = response.read()
            answer = Answer(response.status, url, {k.lower(): v for k, v in response.getheaders()}, body)
        finally:
            connection.close()
            self._last = self._clock()
        self.downloaded += len(body)
        return answer

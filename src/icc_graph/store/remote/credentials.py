"""Credentials for a remote store: HTTP Basic, Digest (what some stores ask for) or a bearer token.

They come from the settings (ICC_GRAPH_STORE_USER, _PASSWORD, _TOKEN, _AUTH), never
from the command line; nothing here puts a secret in a message, a log line or a repr.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import threading
from dataclasses import dataclass, field

from ...config import Settings
from ..base import StoreError

SCHEMES = ("", "basic", "digest", "bearer")   # "" answers whatever the store's challenge asks for
CHALLENGE_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')
DIGESTS = {"MD5": hashlib.md5, "MD5-SESS": hashlib.md5, "SHA-256": hashlib.sha256,
           "SHA-256-SESS": hashlib.sha256}


class CredentialsError(StoreError):
    """The credential settings do not fit together."""


@dataclass
class Credentials:
    scheme: str = ""
    user: str = ""
    password: str = field(default="", repr=False)
    token: str = field(default="", repr=False)
    _digest: dict | None = field(default=None, repr=False)   # the store's last Digest challenge
    _count: int = field(default=0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Credentials:
        scheme = settings.store_auth.lower()
        if scheme not in SCHEMES:
            raise CredentialsError(f"ICC_GRAPH_STORE_AUTH must be one of basic, digest, bearer (or empty), "
                                   f"not {settings.store_auth!r}")
        if scheme == "bearer" and not settings.store_token:
            raise CredentialsError("ICC_GRAPH_STORE_AUTH=bearer needs ICC_GRAPH_STORE_TOKEN")
        if scheme in ("basic", "digest") and not settings.store_user:
            raise CredentialsError(f"ICC_GRAPH_STORE_AUTH={scheme} needs ICC_GRAPH_STORE_USER and _PASSWORD")
        return cls(scheme, settings.store_user, settings.store_password, settings.store_token)

    @property
    def secrets(self) -> list[str]:
        """Every form a secret could take on the wire, for callers that must keep them out of messages."""
        found = [s for s in (self.password, self.token) if s]
        if self.password:
            found.append(base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii"))
        return found

    def up_front(self, method: str, path: str) -> str | None:
        """The Authorization header to send before any challenge, or None."""
        if self.scheme == "bearer" or (not self.scheme and self.token):
            return f"Bearer {self.token}"
        if self.scheme == "basic":
            return self._basic()
        with self._lock:
            challenge = self._digest
        return self._digest_header(challenge, method, path) if challenge else None

    def answer(self, challenges: list[str], method: str, path: str) -> str | None:
        """The Authorization header that answers a 401's WWW-Authenticate challenges, or None when we cannot."""
        if not self.user or self.scheme == "bearer":
            return None
        for challenge in challenges:
            kind, _, params = challenge.strip().partition(" ")
            if kind.lower() == "digest" and self.scheme in ("", "digest"):
                parsed = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
                          for m in CHALLENGE_PARAM.finditer(params)}
                if parsed.get("algorithm", "MD5").upper() not in DIGESTS or "nonce" not in parsed:
                    continue
                with self._lock:
                    self._digest, self._count = parsed, 0
                return self._digest_header(parsed, method, path)
            if kind.lower() == "basic" and self.scheme in ("", "basic"):
                return self._basic()
        return None

    def _basic(self) -> str:
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")

    def _digest_header(self, challenge: dict, method: str, path: str, cnonce: str | None = None) -> str:
        # RFC 7616 with qop=auth (or RFC 2069 when the store offers no qop).
        algorithm = challenge.get("algorithm", "MD5").upper()
        digest = DIGESTS[algorithm]

        def h(text: str) -> str:
            return digest(text.encode("utf-8")).hexdigest()

        with self._lock:
            self._count += 1
            count = f"{self._count:08x}"
        realm, nonce = challenge.get("realm", ""), challenge["nonce"]
        cnonce = cnonce or os.urandom(8).hex()
        secret = h(f"{self.user}:{realm}:{self.password}")
        if algorithm.endswith("-SESS"):
            secret = h(f"{secret}:{nonce}:{cnonce}")
        target = h(f"{method}:{path}")
        qops = [q.strip() for q in challenge.get("qop", "").split(",") if q.strip()]
        parts = {"username": self.user, "realm": realm, "nonce": nonce, "uri": path}
        if "auth" in qops:
            parts["response"] = h(f"{secret}:{nonce}:{count}:{cnonce}:auth:{target}")
            unquoted = {"qop": "auth", "nc": count}
            parts["cnonce"] = cnonce
        else:
            parts["response"] = h(f"{secret}:{nonce}:{target}")
            unquoted = {}
        if "opaque" in challenge:
            parts["opaque"] = challenge["opaque"]
        fields = [f'{k}="{v}"' for k, v in parts.items()] + [f"{k}={v}" for k, v in unquoted.items()]
        return "Digest " + ", ".join(fields + [f"algorithm={challenge.get('algorithm', 'MD5')}"])

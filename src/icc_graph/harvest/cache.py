"""Every response kept on disk with its headers, and the journal that lets a killed harvest resume.

A response is two files named by the SHA-256 of the URL asked for: ``.body``
(the bytes as received) and ``.json`` (status, final URL after redirects,
headers). Each is written beside its target and renamed into place, the body
first, so a harvest killed at any moment leaves whole entries only. The
journal (``journal.txt``) lists the URLs fetched by the harvest under way, one
per line, flushed as it goes; a harvest that finds one resumes: those URLs are
taken from the cache without a request. A finished harvest removes it.

Not the same cache as ``reconcile.cache``: a page here may change on the site,
so it is asked again (conditionally, with its validators) by the next harvest,
whereas a Wikidata answer there is kept for good and its query never re-sent.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

JOURNAL = "journal.txt"


@dataclass(frozen=True)
class Stored:
    url: str                   # the URL asked for
    final_url: str             # where the site's redirects led
    status: int
    headers: dict[str, str] = field(default_factory=dict)   # names in lower case
    body: bytes = b""

    @property
    def validators(self) -> dict[str, str]:
        """The conditional request headers that ask whether this response is still current."""
        out = {}
        if "etag" in self.headers:
            out["If-None-Match"] = self.headers["etag"]
        if "last-modified" in self.headers:
            out["If-Modified-Since"] = self.headers["last-modified"]
        return out

    def text(self) -> str:
        charset = "utf-8"
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


class ResponseCache:
    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._journal_path = folder / JOURNAL
        self.resumed = self._journal_path.exists()
        self._done = set(self._journal_path.read_text(encoding="utf-8").split()) if self.resumed else set()
        self._journal: TextIO | None = None

    def _stem(self, url: str) -> Path:
        return self.folder / hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]

    def body_path(self, url: str) -> Path:
        return self._stem(url).with_suffix(".body")

    def get(self, url: str) -> Stored | None:
        stem = self._stem(url)
        try:
            meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
            body = stem.with_suffix(".body").read_bytes()
        except (OSError, ValueError):
            return None
        return Stored(url, meta["final_url"], meta["status"], meta["headers"], body)

    def put(self, stored: Stored) -> None:
        stem = self._stem(stored.url)
        meta = {"url": stored.url, "final_url": stored.final_url, "status": stored.status,
                "headers": dict(sorted(stored.headers.items()))}
        _write_atomic(stem.with_suffix(".body"), stored.body)
        _write_atomic(stem.with_suffix(".json"), json.dumps(meta, indent=1, ensure_ascii=False).encode("utf-8"))

    # -- the journal of the harvest under way ---------------------------------------------------------------
    def fetched_this_run(self, url: str) -> bool:
        return url in self._done

    def note_fetched(self, url: str) -> None:
        if self._journal is None:
            self._journal = self._journal_path.open("a", encoding="utf-8")
        self._journal.write(url + "\n")
        self._journal.flush()
        self._done.add(url)

    def finish(self) -> None:
        """The harvest went through: the next one starts afresh (with conditional requests)."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        self._journal_path.unlink(missing_ok=True)
        self._done.clear()


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)

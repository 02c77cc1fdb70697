"""Every answer Wikidata gave, kept on disk under its endpoint and query.

One JSON file per (endpoint, query), named by the SHA-256 of both: the same
query to the same endpoint is never sent twice, a re-run asks nothing already
answered, and ``--offline`` works from this folder alone. A run that stops half
way keeps what it received, so the next run resumes. Nothing expires: to ask
again, delete the folder (or the file of one query).

Not the same cache as ``harvest.cache``, which keeps whole HTTP responses with
their headers to ask again conditionally (and a journal to resume); here only a
query's answer is kept, by endpoint and query, and never asked again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path


class AnswerCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, endpoint: str, query: str) -> Path:
        digest = hashlib.sha256(f"{endpoint}\n{query}".encode()).hexdigest()
        return self.folder / f"{digest}.json"

    def get(self, endpoint: str, query: str) -> dict | None:
        """The SPARQL JSON answer kept for this query, or None (an unreadable file counts as none)."""
        try:
            kept = json.loads(self._path(endpoint, query).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(kept, dict) or kept.get("endpoint") != endpoint or kept.get("query") != query:
            return None
        return kept.get("answer")

    def put(self, endpoint: str, query: str, answer: dict) -> None:
        """Keep an answer; written to a temporary file and renamed, so a crash never leaves half a file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"endpoint": endpoint, "query": query, "answer": answer}, ensure_ascii=False, indent=1)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(body)
        os.replace(tmp, self._path(endpoint, query))

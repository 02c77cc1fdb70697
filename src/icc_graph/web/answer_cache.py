"""The per-worker cache, bounded in bytes (ICC_GRAPH_CACHE_BYTES): SPARQL answers, and whole /sparql replies.

One cache, one budget: the answers the endpoint and the pages compute (``get``/``put``,
keyed by release checksum, query, graphs and media type) and the whole replies
the replay layer sends again (``get_entry``/``put_entry``, see endpoint/replay_cache.py).
A release never changes once built, so an entry never goes stale: it only leaves
to make room (least recently used first).

Keys and entries are plain tuples of strings, bytes and booleans: the garbage
collector stops tracking those, so a full cache adds nothing to its pauses. (With
dataclass entries, a worker's full collections reached 190 ms at 360,000
tracked objects: the p99 of a busy endpoint.)

Behind it, when ``icc-graph serve`` runs several workers, the answers that took
real time are also kept where the other workers find them (shared_answers.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from ..store import Answer
from .shared_answers import SharedAnswers


def _cost(key: tuple, body: bytes) -> int:
    return len(body) + sum(len(part) if isinstance(part, str) else 16 for part in key)   # a graphs tuple: mostly empty


class AnswerCache:
    def __init__(self, max_bytes: int, shared: SharedAnswers | None = None):
        self.max_bytes = max_bytes
        self.shared = shared   # the workers' common tier, or None (one process, or caching off)
        self.entries: OrderedDict[tuple, tuple] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get_entry(self, key: tuple) -> tuple | None:
        """The entry kept under ``key`` (a tuple of strings, or tuples of strings), its cost in bytes appended.

        Flat tuples of strings, bytes, numbers and booleans: the collector stops tracking them.
        """
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
        return entry

    def put_entry(self, key: tuple, entry: tuple, body: bytes) -> None:
        """Keep ``entry`` (whose bulk is ``body``) under ``key``, unless it alone would take a quarter of the cache."""
        cost = _cost(key, body)
        if cost > self.max_bytes // 4:   # one huge answer must not flush everything else
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = (*entry, cost)
            self.size += cost
            while self.size > self.max_bytes:
                _, old = self.entries.popitem(last=False)
                self.size -= old[-1]

    def get(self, key: tuple) -> Answer | None:
        found = self.get_entry(key)
        if found is not None:
            return Answer(*found[:3])
        answer = self.shared.get(key) if self.shared is not None else None
        if answer is not None:   # another worker computed it: this one keeps it too
            self._keep(key, answer)
        return answer

    def put(self, key: tuple, answer: Answer, seconds: float = 0.0) -> None:
        """``seconds``: what computing it took; answers that took long are shared with the other workers."""
        # Requests that waited for one run (endpoint/one_run.py) put its answer again: it is written out once.
        if self.shared is not None and key not in self.entries:
            self.shared.put(key, answer, seconds)
        self._keep(key, answer)

    def _keep(self, key: tuple, answer: Answer) -> None:
        self.put_entry(key, (answer.body, answer.media_type, answer.truncated), answer.body)

"""A per-worker cache of SPARQL answers, bounded in bytes.

Keys include the release checksum, and a release never changes once built, so
an entry never goes stale: it only leaves to make room (least recently used first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from ..store import Answer


class AnswerCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple, Answer] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Answer | None:
        with self.lock:
            answer = self.entries.get(key)
            if answer is not None:
                self.entries.move_to_end(key)
            return answer

    def put(self, key: tuple, answer: Answer) -> None:
        cost = len(answer.body) + sum(len(str(part)) for part in key)
        if cost > self.max_bytes // 4:   # one huge answer must not flush everything else
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = answer
            self.size += cost
            while self.size > self.max_bytes:
                old_key, old = self.entries.popitem(last=False)
                self.size -= len(old.body) + sum(len(str(part)) for part in old_key)

"""Identical queries asked at once share one run: the first runs it, the others wait for its outcome.

Without this, eight clients asking for the same listing before its answer is cached
took eight query processes for one answer, and on a release queried from disk (a
listing there takes seconds) the queue refused most of them with 503 before the
answer cache could serve them. Waiting requests still hold their client's slot
(admission.py), so a client cannot flood a worker with copies of a query either.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as WaitedTooLong
from typing import Generic, TypeVar

from ...store import StoreBusy

T = TypeVar("T")


class OneRunPerKey(Generic[T]):
    """Per worker: the runs in progress, by the key their answer is cached under."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[Hashable, Future[T]] = {}

    def run(self, key: Hashable, work: Callable[[], T], wait: float) -> T:
        """``work()``, unless a run of ``key`` is in progress: then its result (or its exception), waiting at
        most ``wait`` seconds for it before StoreBusy."""
        with self._lock:
            running = self._running.get(key)
            if running is None:
                mine: Future[T] = Future()
                self._running[key] = mine
        if running is not None:
            try:
                return running.result(timeout=wait)
            except WaitedTooLong:
                raise StoreBusy(f"an identical query has been running for {wait:g} s: try again later") from None
        try:
            result = work()
        except BaseException as exc:
            mine.set_exception(exc)
            raise
        else:
            mine.set_result(result)
            return result
        finally:
            with self._lock:
                del self._running[key]

    def __len__(self) -> int:
        return len(self._running)

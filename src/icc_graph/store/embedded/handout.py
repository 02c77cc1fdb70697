"""Idle query processes handed to waiting queries by rank, not to whoever asked first.

A first-come queue lets a flood of runaway queries, each asking again as soon as
it is answered, stand in front of the cheap query that asks now and then. Here a
process that frees goes to the waiter of lowest rank (ties: the one that came
first); the web layer ranks a query by when its client last used a process
(admission.py), and the pages' own lookups go first.
"""

from __future__ import annotations

import heapq
import itertools
import queue
import threading
from typing import Generic, TypeVar

Item = TypeVar("Item")


class _Waiter:
    __slots__ = ("given", "item", "ready")

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.given = False   # True once an item is handed over; a waiter that gave up is skipped
        self.item: object = None


class FairHandout(Generic[Item]):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: list[Item] = []   # a stack: the process used last is warmest
        self._waiting: list[tuple[float, int, _Waiter]] = []
        self._arrival = itertools.count()

    def put(self, item: Item) -> None:
        """Give ``item`` to the best waiter, or keep it until someone asks."""
        with self._lock:
            while self._waiting:
                _, _, waiter = heapq.heappop(self._waiting)
                if waiter.ready.is_set():   # gave up waiting
                    continue
                waiter.item, waiter.given = item, True
                waiter.ready.set()
                return
            self._free.append(item)

    def get(self, rank: float = float("-inf"), timeout: float | None = None) -> Item:
        """A free item at once, else the first one ``put`` while this is the lowest-ranked waiter;
        queue.Empty after ``timeout`` seconds without one."""
        with self._lock:
            if self._free:   # nobody waits while an item is free: put hands items to waiters first
                return self._free.pop()
            waiter = _Waiter()
            heapq.heappush(self._waiting, (rank, next(self._arrival), waiter))
        waiter.ready.wait(timeout)
        with self._lock:
            if waiter.given:
                return waiter.item   # type: ignore[return-value]
            waiter.ready.set()   # marks it as gone: put skips it
            raise queue.Empty

    def get_nowait(self) -> Item:
        with self._lock:
            if not self._free:
                raise queue.Empty
            return self._free.pop()

    def empty(self) -> bool:
        """No item free right now."""
        return not self._free

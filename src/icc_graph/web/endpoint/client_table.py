"""What the web workers of one server know about each client address, in memory they all share: when the client
last used a query process, and when its last query was stopped.

Each Granian worker is a process of its own. Were each to keep its own notes, a
client held off on one worker would be new on the other, and fifty new clients
at once would each take the process kept for short queries on every worker in
turn before they were known (bench/RESULTS.md, "Runaway flood"). So ``icc-graph
serve`` makes one table before Granian forks the workers, and every worker reads
and writes the same memory (a shared mapping of an unlinked temporary file).

The table has a fixed number of slots, found by a hash of the address (open
addressing over a short window); when a window is full, its slot touched least
recently is taken over: a forgotten client is treated as a new one, nothing
worse. Times are ``time.monotonic()``, one clock for every process on the machine.
A POSIX record lock on the file keeps the other workers out while one reads or
writes (the kernel drops it when a process dies, however it dies); record locks
belong to a process, so a thread lock keeps this worker's other threads out.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import struct
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SLOT = struct.Struct("<Qdd")   # the address's hash (0: empty), last used a query process, last query stopped
SLOTS = 8192                   # 192 kB: far more clients than a flood can bring within one hold-off
WINDOW = 8                     # slots looked at from a hash's home slot


class ClientTable:
    def __init__(self, slots: int = SLOTS):
        self.slots = slots
        self._file = tempfile.TemporaryFile(prefix="icc-graph-clients-")  # noqa: SIM115 - open as long as the server
        self._fd = self._file.fileno()
        os.ftruncate(self._fd, slots * SLOT.size)
        self._memory = mmap.mmap(self._fd, slots * SLOT.size)   # MAP_SHARED: what one worker writes, all read
        self._threads = threading.Lock()

    def times(self, client: str) -> tuple[float, float]:
        """(when ``client`` last used a query process, when its last query was stopped); 0.0 when never."""
        key = _key(client)
        with self._locked():
            index = self._find(key)
            if index is None:
                return 0.0, 0.0
            _, used, stopped = SLOT.unpack_from(self._memory, index * SLOT.size)
            return used, stopped

    def mark_used(self, client: str, now: float) -> None:
        self._update(client, used=now)

    def mark_stopped(self, client: str, now: float) -> None:
        self._update(client, stopped=now)

    def _update(self, client: str, used: float | None = None, stopped: float | None = None) -> None:
        key = _key(client)
        with self._locked():
            index = self._find(key)
            if index is None:
                index, old_used, old_stopped = self._free_slot(key), 0.0, 0.0
            else:
                _, old_used, old_stopped = SLOT.unpack_from(self._memory, index * SLOT.size)
            SLOT.pack_into(self._memory, index * SLOT.size, key, old_used if used is None else used,
                           old_stopped if stopped is None else stopped)

    def _window(self, key: int) -> Iterator[int]:
        home = key % self.slots
        return ((home + step) % self.slots for step in range(WINDOW))

    def _find(self, key: int) -> int | None:
        for index in self._window(key):
            if SLOT.unpack_from(self._memory, index * SLOT.size)[0] == key:
                return index
        return None

    def _free_slot(self, key: int) -> int:
        """An empty slot of the window, or the one touched least recently."""
        def last_touched(index: int) -> float:
            slot_key, used, stopped = SLOT.unpack_from(self._memory, index * SLOT.size)
            return -1.0 if slot_key == 0 else max(used, stopped)

        return min(self._window(key), key=last_touched)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._threads:
            fcntl.lockf(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN)


def _key(client: str) -> int:
    """A stable 64-bit hash of the address, never 0 (the empty slot): the same in every worker (Python's own
    ``hash`` of a string is salted per interpreter)."""
    return int.from_bytes(hashlib.blake2b(client.encode(), digest_size=8).digest(), "little") or 1

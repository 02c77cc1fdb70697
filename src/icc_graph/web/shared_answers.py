"""SPARQL answers that took a query process real time, kept where every web worker of the server finds them.

Each Granian worker has its own answer cache (answer_cache.py), and a client's
connections land on either worker: on a release read from disk a join takes
seconds, so a query answered by one worker was computed again, seconds more, by
the other (the benchmark's cached joins at 100k: 9 answers a second, against
thousands once both caches held them). ``icc-graph serve`` makes this second tier
before Granian forks the workers: files in a private temporary folder (mode 0700),
one per slot, which the operating system's page cache keeps in memory while it
has room. Only answers that took at least ``min_seconds`` go there (lookups never
do); a slot holds one answer (a new one in its slot replaces it), so the folder
holds at most ``slots`` x ``max_body`` bytes.
A file is written aside and renamed into place: a reader sees a whole answer or none.

Most requests find nothing here (a new query, or one quick to answer), and a
failed open per request told them so: 8 % of uncached lookups' throughput. So
the folder also holds an index, mapped into every worker like the client table:
per slot, the digest of the key whose answer it holds (0: none). ``get`` opens a
slot's file only when its digest is the key's. The index is written after the
file is in place and read without a lock: a stale or torn entry costs one open
that finds another key, or one miss, never a wrong answer (the file holds its key).
"""

from __future__ import annotations

import contextlib
import hashlib
import mmap
import os
import pickle
import shutil
import struct
import tempfile
import threading

from ..store import Answer

DIGEST = struct.Struct("<Q")
SLOTS = 512
MAX_BODY = 1_000_000     # bytes: bigger answers stay in the worker's own cache
MIN_SECONDS = 0.05       # what a lookup costs is less than this; a listing or join on disk far more


class SharedAnswers:
    def __init__(self, slots: int = SLOTS, max_body: int = MAX_BODY, min_seconds: float = MIN_SECONDS):
        self.slots, self.max_body, self.min_seconds = slots, max_body, min_seconds
        self.folder = tempfile.mkdtemp(prefix="icc-graph-answers-")
        self.owner = os.getpid()
        with open(os.path.join(self.folder, "index"), "w+b") as index:
            index.truncate(slots * DIGEST.size)
            self._index = mmap.mmap(index.fileno(), slots * DIGEST.size)   # MAP_SHARED: one writes, all read

    def _slot(self, key: tuple) -> tuple[int, int]:
        """(slot, digest) of ``key``; the digest is never 0, the empty slot's."""
        digest = hashlib.blake2b(repr(key).encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "little") or 1
        return value % self.slots, value

    def _file(self, slot: int) -> str:
        return os.path.join(self.folder, str(slot))

    def get(self, key: tuple) -> Answer | None:
        slot, digest = self._slot(key)
        if DIGEST.unpack_from(self._index, slot * DIGEST.size)[0] != digest:
            return None
        try:
            with open(self._file(slot), "rb") as kept:
                stored_key, body, media_type, truncated = pickle.load(kept)   # our own files, in our own folder
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            return None
        return Answer(body, media_type, truncated) if stored_key == key else None   # another key in the slot

    def put(self, key: tuple, answer: Answer, seconds: float) -> None:
        if seconds < self.min_seconds or len(answer.body) > self.max_body:
            return
        slot, digest = self._slot(key)
        path = self._file(slot)
        aside = f"{path}.{os.getpid()}.{threading.get_ident()}"
        try:
            with open(aside, "wb") as out:
                pickle.dump((key, answer.body, answer.media_type, answer.truncated), out, pickle.HIGHEST_PROTOCOL)
            os.replace(aside, path)
            DIGEST.pack_into(self._index, slot * DIGEST.size, digest)
        except OSError:   # a full disk costs the sharing, never the answer
            with contextlib.suppress(OSError):
                os.unlink(aside)

    def close(self) -> None:
        if os.getpid() == self.owner:   # a forked worker leaves the folder to the server that made it
            self._index.close()
            shutil.rmtree(self.folder, ignore_errors=True)

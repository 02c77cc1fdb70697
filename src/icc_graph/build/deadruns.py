"""What a killed run left behind, told apart from what a live run is writing: each run holds a lock file.

A build writes its release into ``dist/.builds/<version>-XXXX/`` and an import
stages hidden ``.<file>.<token>.import`` files beside the data files before it
renames them into place. Killed (SIGKILL, out of memory, power cut), a run
leaves them behind: hundreds of megabytes, thousands of files. So each run
first creates its own lock file and holds an exclusive ``flock`` on it while it
writes; the kernel drops the lock when the process ends, however it ends. The
next run removes what belongs to a lock nobody holds (or to no lock at all: a
run always takes its lock before it writes anything), and never what belongs to
a held one, so a live concurrent run is never touched.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_SUFFIX = ".lock"


class RunLock:
    """An exclusive lock file ``<folder>/<prefix>XXXX.lock`` held by this process until ``release``."""

    def __init__(self, folder: Path, prefix: str):
        while True:
            fd, name = tempfile.mkstemp(prefix=prefix, suffix=LOCK_SUFFIX, dir=folder)
            fcntl.flock(fd, fcntl.LOCK_EX)
            # Between mkstemp and flock a sweep may have taken the new lock for a dead one and removed it:
            # then this lock guards nothing, so take another.
            try:
                if os.stat(name).st_ino == os.fstat(fd).st_ino:
                    break
            except FileNotFoundError:
                pass
            os.close(fd)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))   # for a person looking: who holds it
        self.fd: int | None = fd
        self.path = Path(name)

    @property
    def stem(self) -> str:
        """The lock's name without ``.lock``: what the run names its files by."""
        return self.path.name[:-len(LOCK_SUFFIX)]

    def release(self) -> None:
        if self.fd is None:
            return
        self.path.unlink(missing_ok=True)
        os.close(self.fd)
        self.fd = None


def _held(lock: Path) -> bool:
    """Whether a live process holds ``lock``; a missing lock is held by nobody."""
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def sweep(folder: Path, owner_of: Callable[[Path], str | None], keep: Callable[[Path], bool] = lambda p: False
          ) -> list[Path]:
    """Remove the entries of ``folder`` a dead run left: ``owner_of(entry)`` is the stem of the lock that
    owns it (None: not a run's file), ``keep(entry)`` spares it anyway. Returns what was removed."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for entry in _entries(folder):
        if entry.name.endswith(LOCK_SUFFIX):
            continue
        stem = owner_of(entry)
        if stem is None or keep(entry) or _held(folder / (stem + LOCK_SUFFIX)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    for lock in _entries(folder):   # locks of dead runs, their files gone
        if lock.name.endswith(LOCK_SUFFIX):
            _remove_if_dead(lock)
    return removed


def _remove_if_dead(lock: Path) -> None:
    """Unlink ``lock`` when nobody holds it, while holding it (see RunLock: its owner checks for that)."""
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.unlink(missing_ok=True)
    except BlockingIOError:
        pass
    finally:
        os.close(fd)


def _entries(folder: Path) -> Iterator[Path]:
    try:
        return iter(sorted(folder.iterdir()))
    except FileNotFoundError:
        return iter(())

"""The release's lines kept as sorted runs on disk, merged in order when the dumps are written.

Holding every quad's N-Triples text in memory until the dumps were written was
most of the 100k-practice build's 2.9 GB peak (6.7 million lines: 1.6 GB of text,
plus an object header and a set slot each). Instead each chunk's lines are
sorted and written to one run file per named graph as soon as the chunk is
validated, and the dumps merge the runs (``heapq.merge``), dropping repeats: the
build then holds one chunk, and one line per run while it writes.

A line is a triple's N-Triples text without the final " ." plus a newline. No
triple's text continues another's with a character below a space (N-Triples
escapes them), so ordering the lines with their newline orders the texts.
"""

from __future__ import annotations

import heapq
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path

from .deadruns import RunLock

RUNS_PREFIX = "icc-graph-runs-"


class SortedRuns:
    """Sorted run files per named graph in a temporary folder, removed by ``close`` (or when collected).

    Under ``parent`` (a build spills beside the releases, in dist/.builds) the folder is named after a lock file
    this process holds until ``close`` (deadruns.RunLock): killed, the build leaves the folder and a lock nobody
    holds, and the next build removes both (release.clean_dead_builds); a live build's runs are never touched.
    """

    def __init__(self, parent: Path | None = None):
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
            lock = RunLock(parent, RUNS_PREFIX)
            self._folder = parent / lock.stem
            self._folder.mkdir(mode=0o700)
            self._cleanup = weakref.finalize(self, _remove, self._folder, lock)
        else:
            self._folder = Path(tempfile.mkdtemp(prefix=RUNS_PREFIX))
            self._cleanup = weakref.finalize(self, _remove, self._folder, None)
        self.runs: dict[str, list[Path]] = {}
        self._written = 0
        self._prefix = ""           # of run file names: another process writing into the same folder has its own
        self.sizes: dict[str, int] = {}     # distinct lines of a graph, once lines() has been read to its end

    def add(self, graph: str, lines: Iterable[bytes]) -> None:
        """One run of ``graph``: ``lines`` (newline-terminated) deduplicated and sorted."""
        ordered = sorted(set(lines))
        if not ordered:
            return
        runs = self.runs.setdefault(graph, [])
        self._written += 1
        path = self._folder / f"{self._prefix}{self._written}.nt"
        path.write_bytes(b"".join(ordered))
        runs.append(path)

    def start_over(self, prefix: str) -> None:
        """In a forked process: forget the runs so far (the parent's), and name new run files with ``prefix``."""
        self.runs, self._written, self._prefix, self.sizes = {}, 0, prefix, {}

    def take(self, runs: dict[str, list[Path]]) -> None:
        """Add the run files another process wrote into this folder (graph -> files)."""
        for graph, paths in runs.items():
            self.runs.setdefault(graph, []).extend(paths)
        self.sizes.clear()

    def names(self) -> list[str]:
        """The graphs that hold lines, sorted."""
        return sorted(self.runs)

    def lines(self, *graphs: str) -> Iterator[bytes]:
        """The distinct lines of ``graphs`` (their union), sorted, each ending in a newline."""
        with ExitStack() as files:
            runs = [files.enter_context(path.open("rb")) for g in graphs for path in self.runs.get(g, ())]
            previous, count = None, 0
            for line in heapq.merge(*runs):
                if line != previous:
                    yield line
                    previous, count = line, count + 1
        if len(graphs) == 1:
            self.sizes[graphs[0]] = count

    def size(self, graph: str) -> int:
        if graph not in self.sizes:
            for _ in self.lines(graph):
                pass
        return self.sizes[graph]

    def close(self) -> None:
        self._cleanup()


def _remove(folder: Path, lock: RunLock | None) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    if lock is not None:
        lock.release()

"""The release dumps written to disk as streams, from the quads kept as sorted N-Triples runs (sorted_runs.py).

One writer per dump format of vocabulary.formats (``WRITERS``). The bytes are
those rdf_writers.serialize writes from the same quads (the N-Quads
and N-Triples lines are what Oxigraph prints; Turtle and TriG are Oxigraph's
serialisers over those files parsed back, in order): only no dump is ever held
whole in memory, nor the graph as Oxigraph or rdflib objects.
"""

from __future__ import annotations

import gzip
import hashlib
import struct
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from ..vocabulary.formats import BY_SUFFIX, DUMPS
from .forked import Forked
from .rdf_writers import write_jsonld as write_compacted_jsonld
from .sorted_runs import SortedRuns

_BLOCK = 1 << 20
T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class FileDigest:
    size: int
    sha256: str


def digest(path: Path) -> FileDigest:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_BLOCK):
            h.update(block)
    return FileDigest(path.stat().st_size, h.hexdigest())


Graphs = SortedRuns   # the release's lines, per graph IRI (sorted_runs.py)


def write_nquads(runs: Graphs, path: dict[str, Path], context: dict, prefixes: dict[str, str]) -> None:
    """Graphs by IRI, each graph's triples by their text: the order of rdf_writers.sorted_quads."""
    with path["nq"].open("wb") as out:
        for name in runs.names():
            suffix = f" <{name}> .\n".encode()
            out.writelines(line[:-1] + suffix for line in runs.lines(name))


def write_ntriples(runs: Graphs, path: dict[str, Path], context: dict, prefixes: dict[str, str]) -> None:
    with path["nt"].open("wb") as out:
        out.writelines(line[:-1] + b" .\n" for line in runs.lines(*runs.names()))


def _triples(path: Path) -> Iterator[ox.Quad]:
    """The N-Triples dump parsed back: quads of the default graph, which Oxigraph writes as triples, and which
    hold a subject, a predicate and an object as triples do (no Python step between the parser and the writer)."""
    return ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)


def write_turtle(graphs: Graphs, path: dict[str, Path], context: dict, prefixes: dict[str, str]) -> None:
    ox.serialize(_triples(path["nt"]), output=str(path["ttl"]), format=BY_SUFFIX["ttl"].oxigraph, prefixes=prefixes)


def write_trig(graphs: Graphs, path: dict[str, Path], context: dict, prefixes: dict[str, str]) -> None:
    ox.serialize(ox.parse(path=str(path["nq"]), format=ox.RdfFormat.N_QUADS), output=str(path["trig"]),
                 format=BY_SUFFIX["trig"].oxigraph, prefixes=prefixes)


def write_jsonld(graphs: Graphs, path: dict[str, Path], context: dict, prefixes: dict[str, str]) -> None:
    """The JSON-LD dump, compacted as it is read back from the sorted N-Triples file."""
    with path["jsonld"].open("w", encoding="utf-8", newline="\n") as out:
        write_compacted_jsonld(_triples(path["nt"]), context, out)


# One writer per dump format. Turtle and JSON-LD read the N-Triples dump back, TriG the N-Quads dump.
WRITERS = {"nq": write_nquads, "nt": write_ntriples, "ttl": write_turtle, "trig": write_trig, "jsonld": write_jsonld}
assert set(WRITERS) == {f.suffix for f in DUMPS}, "every dump format of vocabulary.formats needs its writer here"
FIRST = ("nt",)     # what the child below reads: it starts while this process writes the others, in WRITERS' order
# Written by a forked child (forked.py) while this process writes the others: JSON-LD is the slowest writer.
IN_CHILD = ("jsonld",)


def write_dumps(graphs: Graphs, folder: Path, stem: str, context: dict,
                prefixes: dict[str, str], progress,
                in_child: tuple[str, Callable[[dict[str, Path]], T]],
                meanwhile: Callable[[], U]) -> tuple[dict[str, FileDigest], T, U]:
    """Every dump of the release and its gzip into ``folder``; return their digests by file name and what
    ``in_child`` and ``meanwhile`` gave.

    Each dump is compressed in a thread as soon as it is written, while the next one is:
    zlib (and hashlib) let go of the interpreter while they work, so the compression runs beside the writing.
    Once the ``FIRST`` dumps are there, a forked child process, on the second core, runs the writers of
    ``IN_CHILD`` and then ``in_child`` (what it does, and the call given the dumps' paths by suffix: it
    may read only the ``FIRST`` ones), while this one writes the others and calls ``meanwhile`` before it
    waits for the child.
    The split keeps both cores busy to the end: at 100k practices the child alone used to finish
    20 s before this process, which also compresses.
    """
    path = {suffix: folder / f"{stem}.{suffix}" for suffix in WRITERS}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gzip") as compressor:
        compressed = []

        def write(suffix: str) -> None:
            with progress.step(f"writing the {suffix} dump"):
                WRITERS[suffix](graphs, path, context, prefixes)
            compressed.append(compressor.submit(gzip_file, path[suffix], _gz(path[suffix])))

        for suffix in FIRST:
            write(suffix)
        also, then = in_child
        with Forked(lambda: _write_and_compress(IN_CHILD, graphs, path, context, prefixes, then)) as child:
            for suffix in WRITERS:
                if suffix not in FIRST + IN_CHILD:
                    write(suffix)
            done = meanwhile()
            with progress.step(f"compressing the dumps, and writing {', '.join(IN_CHILD)} then {also} beside them"):
                digests = {name: d for future in compressed for name, d in future.result().items()}
                in_child_digests, in_child_done = child.result()
                digests.update(in_child_digests)
    return digests, in_child_done, done


def _write_and_compress(suffixes, graphs: Graphs, path: dict[str, Path], context: dict, prefixes: dict[str, str],
                        then: Callable[[dict[str, Path]], T]) -> tuple[dict[str, FileDigest], T]:
    digests = {}
    for suffix in suffixes:
        WRITERS[suffix](graphs, path, context, prefixes)
        digests.update(gzip_file(path[suffix], _gz(path[suffix])))
    return digests, then(path)


def _gz(path: Path) -> Path:
    return path.with_name(path.name + ".gz")


def gzip_file(source: Path, target: Path) -> dict[str, FileDigest]:
    """The bytes of gzip.compress(data, compresslevel=6, mtime=0), compressed as a stream; return the
    digests of both files, computed on the way (reading a 100k release's dumps again took seconds).

    No file name and a zero time stamp in the header, so that the bytes repeat; level 6
    is as small within a few per cent and three times faster than 9. gzip.GzipFile would
    write another OS byte in the header than gzip.compress (what releases used before),
    so the header is gzip.compress's own, then the same raw deflate stream and trailer.
    """
    header = gzip.compress(b"", compresslevel=6, mtime=0)[:10]
    deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc = size = written = 0
    read_hash, written_hash = hashlib.sha256(), hashlib.sha256()

    def emit(data: bytes) -> None:
        nonlocal written
        out.write(data)
        written_hash.update(data)
        written += len(data)

    with source.open("rb") as f, target.open("wb") as out:
        emit(header)
        while block := f.read(_BLOCK):
            crc, size = zlib.crc32(block, crc), size + len(block)
            read_hash.update(block)
            emit(deflate.compress(block))
        emit(deflate.flush())
        emit(struct.pack("<LL", crc, size & 0xFFFFFFFF))
    return {source.name: FileDigest(size, read_hash.hexdigest()),
            target.name: FileDigest(written, written_hash.hexdigest())}

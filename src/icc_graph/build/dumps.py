"""The release dumps written to disk as streams, from the quads kept as N-Triples text (chunks.py).

The bytes are those formats.serialize writes from the same quads (the N-Quads
and N-Triples lines are what Oxigraph prints; Turtle and TriG are Oxigraph's
serialisers over those files parsed back, in order): only no dump is ever held
whole in memory, nor the graph as Oxigraph or rdflib objects.
"""

from __future__ import annotations

import gzip
import hashlib
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..vocabulary import formats
from ..vocabulary.formats import BY_SUFFIX

_BLOCK = 1 << 20


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


def sorted_lines(graphs: dict[str, set[bytes]]) -> Iterator[tuple[str, list[bytes]]]:
    """(graph IRI, its triples' N-Triples text sorted), graphs by IRI: the order of formats.sorted_quads.

    A triple's text never ends where another's continues with a character below
    a space, so sorting "<triple> <graph>" (as sorted_quads does) and sorting the
    triple text give the same order.
    """
    for name in sorted(graphs):
        if graphs[name]:
            yield name, sorted(graphs[name])


def write_nquads(graphs: dict[str, set[bytes]], path: Path) -> None:
    with path.open("wb") as out:
        for name, lines in sorted_lines(graphs):
            suffix = f" <{name}> .\n".encode()
            out.writelines(line + suffix for line in lines)


def write_ntriples(graphs: dict[str, set[bytes]], path: Path) -> None:
    union: set[bytes] = set()
    for lines in graphs.values():
        union.update(lines)
    with path.open("wb") as out:
        out.writelines(line + b" .\n" for line in sorted(union))


def _triples(path: Path) -> Iterator[ox.Triple]:
    return (q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))


def write_jsonld(ntriples: Path, path: Path, context: dict) -> None:
    """The JSON-LD dump, compacted as it is read back from the sorted N-Triples file."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        formats.write_jsonld(_triples(ntriples), context, out)


def write_dumps(graphs: dict[str, set[bytes]], folder: Path, stem: str, context: dict,
                prefixes: dict[str, str], progress) -> list[str]:
    """Every dump of the release and its gzip into ``folder``; return the file names."""
    path = {suffix: folder / f"{stem}.{suffix}" for suffix in ("nq", "nt", "ttl", "trig", "jsonld")}
    with progress.step("writing the nq dump"):
        write_nquads(graphs, path["nq"])
    with progress.step("writing the nt dump"):
        write_ntriples(graphs, path["nt"])
    with progress.step("writing the ttl dump"):
        ox.serialize(_triples(path["nt"]), output=str(path["ttl"]), format=BY_SUFFIX["ttl"].oxigraph,
                     prefixes=prefixes)
    with progress.step("writing the trig dump"):
        ox.serialize(ox.parse(path=str(path["nq"]), format=ox.RdfFormat.N_QUADS), output=str(path["trig"]),
                     format=BY_SUFFIX["trig"].oxigraph, prefixes=prefixes)
    with progress.step("writing the jsonld dump"):
        write_jsonld(path["nt"], path["jsonld"], context)
    names = []
    with progress.step("compressing the dumps"):
        for p in path.values():
            gzip_file(p, p.with_name(p.name + ".gz"))
            names += [p.name, p.name + ".gz"]
    return names


def gzip_file(source: Path, target: Path) -> None:
    """The bytes of gzip.compress(data, compresslevel=6, mtime=0), compressed as a stream.

    No file name and a zero time stamp in the header, so that the bytes repeat; level 6
    is as small within a few per cent and three times faster than 9. gzip.GzipFile would
    write another OS byte in the header than gzip.compress (what releases used before),
    so the header is gzip.compress's own, then the same raw deflate stream and trailer.
    """
    header = gzip.compress(b"", compresslevel=6, mtime=0)[:10]
    deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc = size = 0
    with source.open("rb") as f, target.open("wb") as out:
        out.write(header)
        while block := f.read(_BLOCK):
            crc, size = zlib.crc32(block, crc), size + len(block)
            out.write(deflate.compress(block))
        out.write(deflate.flush())
        out.write(struct.pack("<LL", crc, size & 0xFFFFFFFF))

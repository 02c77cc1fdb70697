"""The query process: a child that owns one read-only Oxigraph store and answers queries one at a time.

pyoxigraph cannot interrupt a running query, so each query runs here, in a
process the web worker may kill when time is up (see embedded.QueryProcess).
It talks over stdin/stdout in frames: a 4-byte big-endian length, then a pickle.
Both ends are this package, so pickle carries no foreign data.

    python -m icc_graph.store.executor STORE_DIR ROW_CAP BASE_IRI
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from typing import BinaryIO

from pyoxigraph import DefaultGraph, NamedNode, QueryBoolean, QuerySolutions, RdfFormat, Store, serialize

from .base import GRAPH_TYPES, JSON_LD, N_TRIPLES, RDF_XML, SOLUTION_TYPES, TURTLE
from .keywords import uses_keyword
from .results import write_boolean, write_solutions

HEADER = struct.Struct(">I")
RDF_FORMATS = {TURTLE: RdfFormat.TURTLE, N_TRIPLES: RdfFormat.N_TRIPLES, JSON_LD: RdfFormat.JSON_LD,
               RDF_XML: RdfFormat.RDF_XML}
# Turtle and RDF/XML answers read better with the project's prefixes.
PREFIXES = {
    "icc": "https://w3id.org/icc-graph/ontology#", "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/", "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "owl": "http://www.w3.org/2002/07/owl#",
    "geo": "http://www.opengis.net/ont/geosparql#", "prov": "http://www.w3.org/ns/prov#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def write_frame(stream: BinaryIO, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: BinaryIO):
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    return pickle.loads(stream.read(size))


def answer(store: Store, request: dict, row_cap: int, base_iri: str | None = None) -> tuple:
    """("ok", body, media_type, truncated) or ("syntax", message) or ("error", message)."""
    media_type = request["media_type"]
    # The default graph is the union of the release's graphs, unless the query names its own (FROM / FROM NAMED:
    # only graphs the store holds; Oxigraph never fetches them) or the protocol does.
    options = {} if uses_keyword(request["query"], "FROM") else {"use_default_graph_as_union": True}
    if request["default_graphs"] or request["named_graphs"]:
        # A protocol dataset replaces both the store's dataset and any FROM / FROM NAMED of the query.
        options = {"default_graph": [NamedNode(g) for g in request["default_graphs"]] or DefaultGraph(),
                   "named_graphs": [NamedNode(g) for g in request["named_graphs"]]}
    try:
        result = store.query(request["query"], base_iri=base_iri, **options)
    except SyntaxError as exc:
        return ("syntax", str(exc))
    if isinstance(result, QueryBoolean):
        if media_type not in SOLUTION_TYPES:
            return ("syntax", f"an ASK query answers in {', '.join(SOLUTION_TYPES)}, not {media_type}")
        return ("ok", write_boolean(bool(result), media_type), media_type, False)
    rows, truncated = [], False
    for item in result:
        if len(rows) == row_cap:
            truncated = True
            break
        rows.append(item)
    if isinstance(result, QuerySolutions):
        if media_type not in SOLUTION_TYPES:
            return ("syntax", f"a SELECT query answers in {', '.join(SOLUTION_TYPES)}, not {media_type}")
        names = [v.value for v in result.variables]
        body = write_solutions(names, [[row[name] for name in names] for row in rows], media_type)
        return ("ok", body, media_type, truncated)
    if media_type not in GRAPH_TYPES:
        return ("syntax", f"a CONSTRUCT or DESCRIBE query answers in {', '.join(GRAPH_TYPES)}, not {media_type}")
    body = serialize(rows, format=RDF_FORMATS[media_type],
                     prefixes=PREFIXES if media_type in (TURTLE, RDF_XML) else None)
    return ("ok", body, media_type, truncated)


def serve(store_dir: str, row_cap: int, base_iri: str | None, stdin: BinaryIO, stdout: BinaryIO) -> None:
    store = Store.read_only(store_dir)
    write_frame(stdout, ("ready",))
    while (request := read_frame(stdin)) is not None:
        try:
            reply = answer(store, request, row_cap, base_iri)
        except Exception as exc:  # noqa: BLE001 - any engine failure goes back as a 500, the process lives on
            reply = ("error", f"{type(exc).__name__}: {exc}")
        write_frame(stdout, reply)


def die_with_parent() -> None:
    """Ask Linux to kill this process when the web worker that started it dies, even mid-query.

    Closing the pipe is enough for an idle process, but one stuck in a long query
    would not read it until the query ends; PR_SET_PDEATHSIG does not wait.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    # 1 = PR_SET_PDEATHSIG. Should the parent die before this call, the closed pipe ends the process instead.
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def main() -> None:
    die_with_parent()
    # The frames get their own copy of stdout; anything else printed goes to stderr, not into a frame.
    frames = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.argv[1], int(sys.argv[2]), sys.argv[3] or None, sys.stdin.buffer, frames)


if __name__ == "__main__":
    main()

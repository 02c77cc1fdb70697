"""What the processes of the embedded store that answer queries share: one query answered from a store, the
frames that carry requests and replies between processes, their memory limit, and their tie to the process that
started them.

A frame is a 4-byte big-endian length, then a pickle; both ends are this
package, so pickle carries no foreign data.
"""

from __future__ import annotations

import pickle
import resource
import signal
import struct
import sys
from typing import BinaryIO

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Store

from ...vocabulary.formats import GRAPH_TYPES, SOLUTION_TYPES
from ...vocabulary.prefixes import PREDECLARED
from ...vocabulary.sparql_text import uses_keyword
from ..results import write_boolean, write_graph, write_solutions

HEADER = struct.Struct(">I")
# How a query that names no dataset is asked (``answer``'s ``union``): the union of the release's graphs,
# merged by Oxigraph for each query, or already stored as the store's own default graph.
MERGE_PER_QUERY = {"use_default_graph_as_union": True}
MERGED_IN_STORE: dict = {}


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


def answer(store: Store, request: dict, row_cap: int, base_iri: str | None = None, byte_cap: int = 0,
           union: dict = MERGE_PER_QUERY) -> tuple:
    """("ok", body, media_type, truncated) or ("syntax", message) or ("error", message)."""
    media_type = request["media_type"]
    # The default graph is the union of the release's graphs, unless the query names its own (FROM / FROM NAMED:
    # only graphs the store holds; Oxigraph never fetches them) or the protocol does.
    options = {} if uses_keyword(request["query"], "FROM") else union
    if request["default_graphs"] or request["named_graphs"]:
        # A protocol dataset replaces both the store's dataset and any FROM / FROM NAMED of the query; with no
        # default-graph-uri its default graph is empty, not the store's own (which may hold the union).
        options = {"default_graph": [NamedNode(g) for g in request["default_graphs"]],
                   "named_graphs": [NamedNode(g) for g in request["named_graphs"]]}
    try:
        result = store.query(request["query"], base_iri=base_iri, prefixes=PREDECLARED, **options)
    except SyntaxError as exc:
        return ("syntax", str(exc))
    if isinstance(result, QueryBoolean):
        if media_type not in SOLUTION_TYPES:
            return ("syntax", f"an ASK query answers in {', '.join(SOLUTION_TYPES)}, not {media_type}")
        return ("ok", write_boolean(bool(result), media_type), media_type, False)
    rows: list = []
    truncated, size = False, 0
    for item in result:
        if len(rows) == row_cap or (byte_cap and size > byte_cap):
            truncated = True
            break
        rows.append(item)
        size += len(str(item))   # about its serialised size: 0.4 µs a row
    if isinstance(result, QuerySolutions):
        if media_type not in SOLUTION_TYPES:
            return ("syntax", f"a SELECT query answers in {', '.join(SOLUTION_TYPES)}, not {media_type}")
        names = [v.value for v in result.variables]
        solutions = write_solutions(names, [list(row) for row in rows], media_type)   # a row iterates in names order
        return ("ok", solutions, media_type, truncated)
    if media_type not in GRAPH_TYPES:
        return ("syntax", f"a CONSTRUCT or DESCRIBE query answers in {', '.join(GRAPH_TYPES)}, not {media_type}")
    body = write_graph(rows, media_type)
    return ("ok", body, media_type, truncated)


def memory_now() -> dict[str, int]:
    """VmSize (address space), VmRSS (resident now) and VmHWM (most ever resident) of this process, in bytes.

    The peak is what counts: what a big answer took may be given back to the system or stay, scattered."""
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status if line.startswith(("VmSize", "VmRSS", "VmHWM")))
    return {name: int(value.split()[0]) * 1024 for name, value in fields.items()}


def cap_address_space(extra: int) -> dict[str, int]:
    """Let this process's address space grow by at most ``extra`` bytes from now (RLIMIT_AS: past it an allocation
    fails); what ``memory_now`` said just before. Linux only."""
    memory = memory_now()
    resource.setrlimit(resource.RLIMIT_AS, (memory["VmSize"] + extra, memory["VmSize"] + extra))
    return memory


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies, even mid-query.

    The query server dies with the process that started it, and the query
    processes with the query server: nothing outlives ``icc-graph serve``.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    # 1 = PR_SET_PDEATHSIG. Should the parent die before this call, the closed socket ends the process instead.
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)

#!/usr/bin/env python3
"""Could the query processes share one in-memory copy of a release? bench/shared_store.py RELEASE DATA

Loads the release's N-Quads into Oxigraph's in-memory store (as the query
server does), forks a child that does not take its own copy first (what
``copy_memory_now`` does in a query process) and runs the benchmark's queries
there, printing after each workload how much of the parent's memory the child
still shares and how much it has copied (Private_Dirty). If Oxigraph's reads
left the store alone, the child would copy almost nothing and N query processes
would cost one copy; they write (reference counts and a lock on every quad node
they visit), so the child ends up copying what it reads.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
from project_python import use_project_python  # noqa: E402

use_project_python(__file__)
import pyoxigraph  # noqa: E402

sys.path.insert(0, str(HERE))

from workloads import workloads  # noqa: E402

QUERIES_PER_WORKLOAD = 20


def memory_mb() -> dict[str, int]:
    """This process's Rss, Pss, Shared_Dirty and Private_Dirty, in MB."""
    sizes = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":")
        if name in ("Rss", "Pss", "Shared_Dirty", "Private_Dirty"):
            sizes[name] = int(value.split()[0]) // 1024
    return sizes


def main() -> None:
    release, data = Path(sys.argv[1]), Path(sys.argv[2])
    store = pyoxigraph.Store()
    started = time.perf_counter()
    store.bulk_load(path=str(release / "icc-graph.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    print(f"loaded {release / 'icc-graph.nq'} in {time.perf_counter() - started:.1f} s; parent {memory_mb()}")
    child = os.fork()
    if child == 0:
        sizes = memory_mb()
        print("| after | seconds | child Pss | shared with the parent | copied (Private_Dirty) |\n"
              "|---|---:|---:|---:|---:|")
        print(f"| the fork | – | {sizes['Pss']} MB | {sizes['Shared_Dirty']} MB | {sizes['Private_Dirty']} MB |",
              flush=True)
        for workload in workloads(data):
            started = time.perf_counter()
            for text in workload.texts[:QUERIES_PER_WORKLOAD]:
                list(store.query(text, use_default_graph_as_union=True))
            sizes = memory_mb()
            print(f"| {QUERIES_PER_WORKLOAD} × {workload.name} | {time.perf_counter() - started:.1f} | "
                  f"{sizes['Pss']} MB | {sizes['Shared_Dirty']} MB | {sizes['Private_Dirty']} MB |", flush=True)
        os._exit(0)
    os.waitpid(child, 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Where an uncached listing's time goes on the on-disk store, and whether threads share one store.

    bench/listing_parts.py STORE DATA [--memory RELEASE] [--themes N]

STORE is an on-disk store folder made by ``icc-graph serve`` (``<dist>/.stores/<checksum>-2/store``), DATA the
data folder the release was built from (for the benchmark's listing texts, bench/workloads.py). The listing
is taken apart: the practices of the theme, then with their labels, then with their places' English labels
(every row the listing sorts), then only ``ORDER BY ?label LIMIT 100`` over the practices and labels, then
the whole listing. Each is run over the first N themes twice; the second pass is reported, in ms a query.
Then the same listings in one thread twice over, against two threads once each: pyoxigraph lets go of
Python's lock while it evaluates, so two threads on two cores take about half the time, over one store.

With ``--memory RELEASE`` the release's N-Triples dump (the union of its graphs) is also loaded into
Oxigraph's in-memory store, and the same parts are timed there, with the process's resident memory.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
from project_python import use_project_python  # noqa: E402

use_project_python(__file__)
import pyoxigraph  # noqa: E402

sys.path.insert(0, str(HERE))

from shared_store import memory_mb  # noqa: E402
from synthetic import theme_slugs  # noqa: E402
from workloads import LISTING, PREFIXES  # noqa: E402

from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter  # noqa: E402

PARTS = {
    "practices of the theme": "SELECT (COUNT(*) AS ?n) WHERE {{ ?practice dcterms:subject <{theme}> }}",
    "+ their labels": "SELECT (COUNT(*) AS ?n) WHERE {{ ?practice dcterms:subject <{theme}> ; rdfs:label ?label }}",
    "+ places' English labels": """SELECT (COUNT(*) AS ?n) WHERE {{
  ?practice dcterms:subject <{theme}> ; rdfs:label ?label ; schema:spatialCoverage ?place .
  ?place rdfs:label ?placeLabel . FILTER(langMatches(lang(?placeLabel), "en")) }}""",
    "labels sorted, first 100": """SELECT ?practice ?label WHERE {{
  ?practice dcterms:subject <{theme}> ; rdfs:label ?label }} ORDER BY ?label LIMIT 100""",
}


def ms_per_query(store, texts: list[str]) -> float:
    for text in texts:   # the first pass warms the caches
        list(store.query(text))
    started = time.perf_counter()
    for text in texts:
        list(store.query(text))
    return (time.perf_counter() - started) * 1000 / len(texts)


def parts(store, themes: list[str], label: str) -> None:
    texts = {name: [PREFIXES + query.format(theme=theme) for theme in themes] for name, query in PARTS.items()}
    texts["the listing"] = [LISTING.format(theme=theme) for theme in themes]
    rows = store.query(texts["+ places' English labels"][0])
    print(f"\n{label}: {len(themes)} themes ({next(iter(rows))['n'].value} rows to sort for the first)\n")
    print("| part | ms a query |\n|---|---:|")
    for name, batch in texts.items():
        print(f"| {name} | {ms_per_query(store, batch):.0f} |", flush=True)


def threads(store, themes: list[str]) -> None:
    texts = [LISTING.format(theme=theme) for theme in themes]

    def run() -> None:
        for text in texts:
            list(store.query(text))

    started = time.perf_counter()
    run()
    run()
    alone = time.perf_counter() - started
    pair = [threading.Thread(target=run) for _ in range(2)]
    started = time.perf_counter()
    for thread in pair:
        thread.start()
    for thread in pair:
        thread.join()
    together = time.perf_counter() - started
    print(f"\n{2 * len(texts)} listings: one thread {alone:.2f} s, two threads {together:.2f} s "
          f"({alone / together:.2f}x), {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("data", type=Path)
    parser.add_argument("--memory", type=Path, metavar="RELEASE", help="also time the in-memory store")
    parser.add_argument("--themes", type=int, default=6)
    args = parser.parse_args()
    mint = Minter(DEFAULT_BASE)
    themes = [mint.theme(slug) for slug in theme_slugs()][:args.themes]
    on_disk = pyoxigraph.Store.read_only(str(args.store))
    parts(on_disk, themes, f"on disk, {args.store}")
    threads(on_disk, themes)
    del on_disk
    if args.memory:
        in_memory = pyoxigraph.Store()
        started = time.perf_counter()
        in_memory.bulk_load(path=str(args.memory / "icc-graph.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
        print(f"\nin memory: {len(in_memory):,} triples loaded in {time.perf_counter() - started:.0f} s, "
              f"{memory_mb()['Rss']:,} MB resident")
        parts(in_memory, themes, "in memory")
        threads(in_memory, themes)


if __name__ == "__main__":
    main()

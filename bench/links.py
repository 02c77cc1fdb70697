#!/usr/bin/env python3
"""Time the links stage on a data folder: bench/links.py DIR [DIR ...] (folders written by bench/generate).

Each folder is measured in a fresh process: reading the records (not part of
the stage), then city links, practice similarities, and the whole links graph
(derive_links, which does both again and builds the rdflib graph). Peak memory
is the process's peak resident size after each step, and its growth over the
records alone. Prints one Markdown table row per folder.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_PYTHON = HERE.parent / ".venv" / "bin" / "python"


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(folder: Path) -> dict:
    from icc_graph.build.citylinks import city_links
    from icc_graph.build.datadir import read_records
    from icc_graph.build.links import derive_links
    from icc_graph.build.mapping import theme_slugs, vocabulary_graph
    from icc_graph.build.similarity import similar_practices
    from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter

    mint = Minter(DEFAULT_BASE)
    started = time.perf_counter()
    records = read_records(folder, theme_slugs(vocabulary_graph(mint), mint))
    row = {"practices": len(records.practices), "places": len(records.places),
           "read_s": time.perf_counter() - started, "records_mb": _rss_mb()}
    started = time.perf_counter()
    links = city_links(records)
    row.update(city_links=len(links), city_links_s=time.perf_counter() - started, city_links_peak_mb=_peak_mb())
    started = time.perf_counter()
    pairs = similar_practices(records.practices)
    row.update(similar=len(pairs), similar_s=time.perf_counter() - started, similar_peak_mb=_peak_mb())
    row.update(candidates(records))
    started = time.perf_counter()
    graph = derive_links(records, mint)
    row.update(triples=len(graph), derive_s=time.perf_counter() - started, derive_peak_mb=_peak_mb())
    return row


def candidates(records) -> dict:
    """How many pairs the inverted indexes propose, beside all pairs (what a quadratic method compares)."""
    import numpy as np

    from icc_graph.build import citylinks, similarity

    by_place = citylinks.practice_places(records)
    themes = sorted({t for ps in by_place.values() for p in ps for t in p.themes})
    counts = np.array([[sum(t in p.themes for p in ps) for t in themes] for ps in by_place.values()])
    limits = citylinks.Limits.for_places(len(by_place))
    city_pairs = len(citylinks._candidate_pairs(counts, limits.posting)[0])
    practices = tuple(sorted(records.practices, key=lambda p: p.slug))
    index = similarity.term_index(similarity.tfidf_matrix([similarity.practice_text(p) for p in practices]))
    practice_pairs = sum(len(similarity._candidates(index, start, min(start + similarity.BLOCK, len(practices)))[0])
                         for start in range(0, len(practices), similarity.BLOCK))
    n = len(practices)
    return {"city_candidates": city_pairs, "practice_candidates": practice_pairs,
            "all_practice_pairs": n * (n - 1) // 2}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(measure(Path(sys.argv[2]))))
        return
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print("| practices | places | city candidate pairs | city links | city links s | practice candidate pairs "
          "(all pairs) | similar pairs | similarity s | links triples | derive_links s | peak MB (records alone) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for folder in sys.argv[1:]:
        out = subprocess.run([str(VENV_PYTHON), __file__, "--one", folder], check=True, capture_output=True,
                             text=True).stdout
        r = json.loads(out)
        print(f"| {r['practices']:,} | {r['places']:,} | {r['city_candidates']:,} | {r['city_links']:,} "
              f"| {r['city_links_s']:.1f} | {r['practice_candidates']:,} ({r['all_practice_pairs']:,}) "
              f"| {r['similar']:,} | {r['similar_s']:.1f} | {r['triples']:,} | {r['derive_s']:.1f} "
              f"| {r['derive_peak_mb']:,.0f} ({r['records_mb']:,.0f}) |", flush=True)


if __name__ == "__main__":
    main()

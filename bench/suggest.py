#!/usr/bin/env python3
"""Leave-one-out precision and recall of the theme suggester: bench/suggest.py DIR [DIR ...].

Each curated practice is scored as if its curation gave no theme (its own
votes taken out of the topic profiles, see ThemeModel.scores), and what the
published rule would suggest for it (suggest.chosen) is compared with its
curated themes. Micro-averaged precision and recall over all suggested and
curated (practice, theme) pairs, precision of the first suggestion alone, and,
for scale, the same for a baseline that always suggests the most frequent
topic. On synthetic folders (bench/generate) the curated themes are the true
ones the generator drew. Prints one Markdown table row per folder.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from icc_graph.build.datadir import read_records
from icc_graph.build.mapping import theme_slugs, vocabulary_graph
from icc_graph.build.suggest import ThemeModel, chosen, theme_texts
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter


def measure(folder: Path) -> dict:
    mint = Minter(DEFAULT_BASE)
    vocabulary = vocabulary_graph(mint)
    records = read_records(folder, theme_slugs(vocabulary, mint))
    started = time.perf_counter()
    model = ThemeModel.learn(records.practices, theme_texts(vocabulary, mint))
    rows = np.array([i for i, p in enumerate(model.practices) if p.themes], dtype=np.int64)
    scores = np.round(model.scores(rows, leave_out=True), 4)
    seconds = time.perf_counter() - started
    hits = suggested = curated = first = 0
    for k, row in enumerate(rows):
        truth = set(model.practices[row].themes)
        got = [model.themes[t] for t in chosen(scores[k])]
        hits += len(truth & set(got))
        suggested += len(got)
        curated += len(truth)
        first += bool(got) and got[0] in truth
    common = Counter(t for p in model.practices for t in p.themes).most_common(1)[0][0]
    baseline = sum(common in model.practices[row].themes for row in rows)
    return {"practices": len(rows), "precision": hits / suggested, "recall": hits / curated,
            "first": first / len(rows), "per_practice": suggested / len(rows),
            "baseline_precision": baseline / len(rows),
            "baseline_recall": baseline / curated, "seconds": seconds}


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print("| data | curated practices | suggestions per practice | precision | recall | precision of the first "
          "| most-frequent-topic baseline (precision / recall) | learn + leave-one-out s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for folder in sys.argv[1:]:
        r = measure(Path(folder))
        print(f"| {folder} | {r['practices']:,} | {r['per_practice']:.2f} | {r['precision']:.2f} | {r['recall']:.2f} "
              f"| {r['first']:.2f} | {r['baseline_precision']:.2f} / {r['baseline_recall']:.2f} "
              f"| {r['seconds']:.1f} |", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Validation time and peak memory for synthetic releases of several sizes.

    .venv/bin/python bench/validation.py                 # 1k, 10k, 100k practices
    .venv/bin/python bench/validation.py --sizes 1000 --work /tmp/v

For each size: ``bench/generate`` writes a data folder (kept in --work and
reused), then a fresh Python process reads it, maps it, derives the links and
runs the SHACL gate chunk by chunk (``release.build_checked``, as ``icc-graph
build`` does). It reports the time of the whole stage, the validation's own wall
and CPU time (summed over the chunks, ``gate.Gate.check``), the process's
peak RSS (VmHWM from /proc/self/status) and the number of results.

``--whole`` measures the former way instead: the whole graph in rdflib
(``release.build_graph``), then ``gate.validate`` over it; the second
peak is then reset through /proc/self/clear_refs just before validating.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE.parent))   # the checkout: tests.reference_pipeline
PYTHON = ROOT / ".venv" / "bin" / "python"


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def reset_peak_rss() -> None:
    # "5" resets the peak resident set size (Linux >= 4.0); without it the figure is the process's peak.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def measure(data_dir: Path, whole: bool) -> dict:
    """Run in a child process: build and validate the graph; return the numbers."""
    from icc_graph.build.gate import Gate
    from icc_graph.build.progress import Progress
    from icc_graph.build.release import build_checked
    from icc_graph.config import load_settings
    from icc_graph.vocabulary.iris import Minter
    from tests.reference_pipeline import build_graph, validate

    spent = {"wall": 0.0, "cpu": 0.0}
    check = Gate.check

    def timed_check(self, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return check(self, *args, **kwargs)
        finally:
            spent["wall"] += time.perf_counter() - wall
            spent["cpu"] += time.process_time() - cpu

    Gate.check = timed_check
    settings = load_settings(environ={}, data_dir=data_dir)
    started = time.perf_counter()
    if whole:
        records, dataset = build_graph(settings, Progress(enabled=False))
        graph_seconds = time.perf_counter() - started
        graph_rss = peak_rss_mb()
        reset_peak_rss()
        result = validate(records, dataset, Minter(settings.base_iri), settings.data_dir)
        quads = sum(len(g) for g in dataset.graphs())
    else:
        records, built = build_checked(settings, Progress(enabled=False))
        graph_seconds = time.perf_counter() - started - spent["wall"]
        graph_rss = peak_rss_mb()
        result, quads = built.validation, len(built)
    return {
        "practices": len(records.practices),
        "quads": quads,
        "focus_nodes": result.focus_nodes,
        "violations": len(result.violations),
        "warnings": len(result.warnings),
        "graph_seconds": round(graph_seconds, 1),
        "graph_peak_rss_mb": round(graph_rss),
        "validation_seconds": round(spent["wall"], 1),
        "validation_cpu_seconds": round(spent["cpu"], 1),
        "validation_peak_rss_mb": round(peak_rss_mb()),
    }


def run_size(size: int, work: Path, seed: int, whole: bool) -> dict:
    data = work / f"data-{size}"
    if not (data / "practices").is_dir():
        subprocess.run([sys.executable, str(HERE / "generate"), "--practices", str(size), "--seed", str(seed),
                        "--out", str(data)], check=True, stdout=subprocess.DEVNULL)
    child = subprocess.run([sys.executable, __file__, "--child", str(data), *(["--whole"] if whole else [])],
                           check=True, capture_output=True, text=True)
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "out" / "validation",
                        help="where generated data folders are kept (default bench/out/validation)")
    parser.add_argument("--whole", action="store_true",
                        help="the former way: the whole graph in rdflib, then validated (for comparison)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.whole)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    print("| practices | quads | resources checked | violations | warnings | build graph s (without validation) "
          "| graph peak RSS MB | validation s (wall) | validation s (CPU) | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        r = run_size(size, args.work, args.seed, args.whole)
        print(f"| {r['practices']:,} | {r['quads']:,} | {r['focus_nodes']:,} | {r['violations']} | {r['warnings']:,} "
              f"| {r['graph_seconds']} | {r['graph_peak_rss_mb']:,} | {r['validation_seconds']} "
              f"| {r['validation_cpu_seconds']} | {r['validation_peak_rss_mb']:,} |", flush=True)


if __name__ == "__main__":
    if Path(sys.executable).resolve() != PYTHON.resolve() and PYTHON.exists() and "--child" not in sys.argv:
        # Run with the project's virtual environment, which has icc_graph installed.
        sys.exit(subprocess.call([str(PYTHON), __file__, *sys.argv[1:]]))
    main()

"""bench/run's report: it rewrites only its own block of the shared bench/RESULTS.md."""

from __future__ import annotations

import sys

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from loadgen import Load  # noqa: E402
from report import BEGIN, END, render, write_results  # noqa: E402

RUN = {
    "mode": "quick", "started": "2026-11-28 09:00", "wall_s": 61.0,
    "machine": {"cpu": "test cpu", "cores (nproc)": "2"}, "versions": {"icc-graph": "0.1.0"},
    "settings": {"concurrency": 8, "rounds": 1, "round_seconds": 1, "request_timeout": 20.0},
    "sizes": [{
        "name": "seed release (20 practices)", "practices": 20, "quads": 1939,
        "build": {"seconds": 3.4, "max_rss_mb": 73.0, "steps": [("mapping 20 practices to RDF", 0.1)]},
        "servers": {
            "icc-graph": {"ready_s": 2.0, "queries": {"listing": {"rps": 3000.0, "p50_s": 0.002, "p99_s": 0.01,
                                                                  "ok": 400, "errors": 0, "results": 2}}},
            "oxigraph": {"ready_s": 0.2, "queries": {"listing": {"rps": 1000.0, "p50_s": 0.005, "p99_s": 0.02,
                                                                 "ok": 400, "errors": 0, "results": 2,
                                                                 "clients": ["python", "wrk"]}}},
            "rdflib-endpoint": {"error": "rdflib-endpoint did not answer within 60 s", "queries": {}},
        },
    }],
}


def test_only_our_block_is_replaced(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## Validation\n\nkept\n", encoding="utf-8")
    write_results(results, render(RUN))
    write_results(results, render({**RUN, "started": "2026-11-28 10:00"}))
    text = results.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    assert "## Validation\n\nkept" in text
    assert "2026-11-28 10:00" in text and "2026-11-28 09:00" not in text


def test_ratios_and_failures_are_reported():
    text = render(RUN)
    assert "| listing | 3.00× ✓ | ≥ 1× | – | ≥ 20× |" in text
    assert "did not answer within 60 s" in text
    assert "| listing | oxigraph | 1,000.0 † |" in text   # measured (partly) by the Python client
    assert "1 round(s) of 1 s per server" in text


def test_percentiles_are_nearest_rank():
    load = Load(ok=100, seconds=2.0, latencies=[i / 1000 for i in range(100, 0, -1)])
    assert load.throughput == 50
    assert load.percentile(0.5) == 0.05 and load.percentile(0.99) == 0.099


def test_the_store_icc_graph_chose_and_the_forced_ones_are_reported():
    servers = {**RUN["sizes"][0]["servers"]}
    servers["icc-graph"] = {**servers["icc-graph"], "memory_mb": 300.0, "store": "on disk"}
    servers["icc-graph-memory"] = {"ready_s": 3.0, "memory_mb": 1200.0, "store": "in memory", "queries": {
        "listing": {"rps": 6000.0, "p50_s": 0.001, "p99_s": 0.005, "ok": 800, "errors": 0, "results": 2}}}
    servers["oxigraph"] = {**servers["oxigraph"], "memory_mb": 100.0}
    text = render({**RUN, "sizes": [{**RUN["sizes"][0], "servers": servers}]})
    assert "| 300 MB (on disk) | 100 MB | 3.0× (store in memory: 1,200 MB, 12.0×) |" in text
    assert "| seed release (20 practices) | icc-graph-memory | – | 3.0 s | – | 1,200 MB (in memory) |" in text
    assert ("| query | icc-graph / oxigraph | icc-graph-memory (store in memory) / oxigraph |\n|---|---:|---:|\n"
            "| listing | 3.00× | 6.00× |") in text


def test_a_baseline_checkout_is_named_and_compared_in_the_same_table():
    servers = {**RUN["sizes"][0]["servers"]}
    servers["icc-graph-baseline"] = {"ready_s": 2.5, "queries": {
        "listing": {"rps": 1500.0, "p50_s": 0.003, "p99_s": 0.02, "ok": 300, "errors": 100, "results": 2,
                    "warmup": {"texts": 20, "answered": 12, "seconds": 60.2}}}}
    settings = {**RUN["settings"], "baseline": "b1de456", "warmup_seconds": 60.0}
    text = render({**RUN, "settings": settings, "sizes": [{**RUN["sizes"][0], "servers": servers}]})
    assert "icc-graph-baseline runs the code of b1de456" in text
    assert "| listing | 3.00× | 1.50× |" in text
    assert "each of its distinct texts is asked until answered (at most 60 s per server" in text
    assert "| listing | icc-graph-baseline | 1,500.0 |" in text and "warm-up answered 12 of 20 texts in 60.2 s" in text

#!/usr/bin/env python3
"""Runaway flood: do cheap requests stay fast while runaway queries keep every query process busy?

Starts `icc-graph serve` on the seed release (defaults: 2 workers x 4 threads, 10 s time limit), then for
each scenario keeps FLOOD runaway queries in flight (a four-way cross product, each stopped at the time
limit; each client sends its next one as soon as the last is answered) and, beside them, probes once every
0.2 s from another address with a unique `ASK` (never cached) and a page (20 practice pages in turn: the
first round uncached, then cached). Reports the probes' latencies (p50, p95, max) and statuses, and what
the flood got. Scenarios: 8 and 50 runaway queries from one client address, and from as many addresses.

    bench/flood.py [--seconds 25] [--src DIR]   # --src: serve another source tree (e.g. main's, for "before")

Each 127.x.y.z is a client of its own on Linux's loopback. Timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }} # {}"
ASK = "ASK {{ <https://w3id.org/icc-graph/practice/district-mothers> ?p ?o }} # probe {}"
PROBE_EVERY = 0.2
SCENARIOS = [(8, "one"), (50, "one"), (8, "many"), (50, "many")]


def request(port: int, client: str, method: str, path: str, body: str | None = None,
            timeout: float = 120) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(client, 0))
        headers = {"Accept": "text/csv" if body else "text/html"}
        if body:
            headers["Content-Type"] = "application/sparql-query"
        connection.request(method, path, body=body.encode() if body else None, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status, time.perf_counter() - start
    except OSError:
        return 0, time.perf_counter() - start


def serve(release: Path, src: Path | None, log) -> tuple[subprocess.Popen, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICC_GRAPH_")}
    if src:
        env["PYTHONPATH"] = str(src)
    proc = subprocess.Popen([sys.executable, "-m", "icc_graph", "serve", "--release", str(release), "--port", "0"],
                            env=env, stdout=subprocess.PIPE, stderr=log, text=True, start_new_session=True)
    for line in proc.stdout:
        if "SPARQL endpoint" in line:
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, int(line.rsplit(":", 1)[1].split("/")[0])
    raise RuntimeError("the server did not start")


def scenario(port: int, flood: int, clients: str, seconds: float, slugs: list[str]) -> dict:
    stop = time.monotonic() + seconds
    flooded: list[int] = []

    def runaway(n: int) -> None:
        address = "127.0.0.2" if clients == "one" else f"127.0.{1 + n // 200}.{10 + n % 200}"
        i = 0
        while time.monotonic() < stop:
            flooded.append(request(port, address, "POST", "/sparql", RUNAWAY.format(f"{n} {i} {time.time()}"))[0])
            i += 1

    threads = [threading.Thread(target=runaway, args=(n,), daemon=True) for n in range(flood)]
    for thread in threads:
        thread.start()
    time.sleep(2)   # the flood reaches the processes
    asks, pages, n = [], [], 0
    while time.monotonic() < stop - 1:
        asks.append(request(port, "127.0.0.1", "POST", "/sparql", ASK.format(f"{n} {time.time()}")))
        pages.append(request(port, "127.0.0.1", "GET", f"/practice/{slugs[n % len(slugs)]}"))
        n += 1
        time.sleep(PROBE_EVERY)
    for thread in threads:
        thread.join(60)
    return {"flood": flood, "clients": clients, "ask": summary(asks), "page": summary(pages),
            "flood_statuses": count(flooded)}


def summary(samples: list[tuple[int, float]]) -> dict:
    times = sorted(t for _, t in samples)
    return {"n": len(samples), "p50": statistics.median(times), "p95": times[math.ceil(0.95 * len(times)) - 1],
            "max": times[-1], "statuses": count([s for s, _ in samples]), "samples": samples}


def count(statuses: list[int]) -> dict[str, int]:
    return {str(s): statuses.count(s) for s in sorted(set(statuses))}


def table(results: list[dict]) -> str:
    rows = ["| runaway queries in flight | from | ASK p50 / p95 / max (s) | ASK statuses | page p50 / p95 / max (s) "
            "| page statuses | runaway statuses |", "|---|---|---|---|---|---|---|"]
    for r in results:
        a, p = r["ask"], r["page"]
        rows.append(f"| {r['flood']} | {r['clients']} address{'es' if r['clients'] == 'many' else ''} "
                    f"| {a['p50']:.3f} / {a['p95']:.3f} / {a['max']:.3f} | {a['statuses']} "
                    f"| {p['p50']:.3f} / {p['p95']:.3f} / {p['max']:.3f} | {p['statuses']} | {r['flood_statuses']} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--src", type=Path, help="source tree to serve (PYTHONPATH), e.g. an export of main's src/")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="icc-flood-") as work:
        dist = Path(work) / "dist"
        subprocess.run([sys.executable, "-m", "icc_graph", "build", "--data", str(ROOT / "data"), "--out", str(dist)],
                       check=True, capture_output=True)
        slugs = sorted(p.stem for p in (ROOT / "data" / "practices").glob("*.yaml"))
        results = []
        with open(Path(work) / "server.log", "w") as log:
            for flood, clients in SCENARIOS:
                proc, port = serve(dist / "latest", args.src, log)   # a fresh server each: no cache carried over
                try:
                    results.append(scenario(port, flood, clients, args.seconds, slugs))
                finally:
                    os.killpg(proc.pid, 15)
                    proc.wait(30)
                print(table(results[-1:]).splitlines()[-1], flush=True)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

"""The endpoint comparison: every server up on the same release, the same workloads, interleaved rounds.

All servers are started first (one after the other, so each start is timed
alone), then each workload runs in rounds that take the servers in turn: on a
shared machine whose load drifts, every server sees the same drift, so their
ratios stay meaningful. Before its measured rounds each server gets one
warm-up request (its answer's size shows whether the servers agree) and an
unmeasured burst at full concurrency (lazily started workers, caches).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from loadgen import Load, fetch, run_threads, run_wrk
from servers import STARTERS, Server, ServerFailed
from workloads import count_results, workloads


def start_servers(names: list[str], release: Path, work: Path, args,
                  log: Callable[[str], None]) -> tuple[dict[str, Server], dict[str, dict]]:
    servers, results = {}, {}
    for name in names:
        folder = work / name
        folder.mkdir(parents=True, exist_ok=True)
        log(f"  starting {name}")
        try:
            if name == "rdflib-endpoint":   # the one that holds the whole graph in Python objects
                server = STARTERS[name](release, folder, args.ready_timeout, args.memory_gb)
            else:
                server = STARTERS[name](release, folder, args.ready_timeout)
        except (ServerFailed, OSError) as exc:
            results[name] = {"error": str(exc), "queries": {}}
            log(f"  {name} failed: {str(exc)[:300]}")
            continue
        except Exception as exc:   # noqa: BLE001 (subprocess.TimeoutExpired and the like: report and go on)
            results[name] = {"error": f"{type(exc).__name__}: {exc}", "queries": {}}
            log(f"  {name} failed: {results[name]['error'][:300]}")
            continue
        servers[name] = server
        results[name] = {"ready_s": server.ready_seconds, "load_s": server.load_seconds, "queries": {}}
        if server.store:
            results[name]["store"] = server.store
        log(f"  {name} ready in {server.ready_seconds:.1f} s on port {server.port}")
    return servers, results


def merge(loads: list[Load]) -> Load:
    total = Load()
    for load in loads:
        total.ok += load.ok
        total.errors += load.errors
        total.seconds += load.seconds
        total.latencies += load.latencies
        total.bytes_read += load.bytes_read
        total.first_error = total.first_error or load.first_error
    return total


def warm_up(server: Server, requests: list, unique: bool, entry: dict, args) -> int | None:
    """One request (its answer is counted) and an unmeasured burst; the requests used, or None when the
    server cannot answer. A 503 (busy, or its own time limit: a first listing on a cold on-disk store
    can take longer than that) is asked again, as in ``ask_each_once``, for at most ``args.warmup_seconds``."""
    started = time.perf_counter()
    deadline = started + args.warmup_seconds
    attempts = 0
    while True:
        attempts += 1
        try:
            status, body = fetch(server.port, requests[0], args.request_timeout, 0 if unique else None)
        except OSError as exc:
            entry["note"] = f"no answer within {args.request_timeout:g} s ({type(exc).__name__}): not measured"
            return None
        if status != 503 or time.perf_counter() >= deadline:
            break
        time.sleep(RETRY_PAUSE)
    entry["first_s"] = time.perf_counter() - started
    if attempts > 1:
        entry["first_attempts"] = attempts
    if status != 200:
        entry["note"] = f"answered HTTP {status}: {body[:200].decode(errors='replace')}"
        return None
    entry["results"] = count_results(requests[0].accept, body)
    if not unique:
        entry["warmup"] = ask_each_once(server, requests[1:], args)
    burst = run_threads(server.port, requests, concurrency=args.concurrency, max_requests=2 * args.concurrency,
                        seconds=args.round_seconds, timeout=args.request_timeout, start=1, unique=unique)
    entry["warmup_burst_s"] = burst.seconds
    return 1 + burst.sent


RETRY_PAUSE = 0.5   # seconds before a text that got 503 (busy) is asked again


def ask_each_once(server: Server, requests: list, args) -> dict:
    """Before a cached workload is timed: ask every distinct text until it is answered, on ``concurrency``
    connections, for at most ``args.warmup_seconds``. So that its rows measure what an answer cache does once it
    holds the texts, not how fast the first answers race the clock: on a release read from disk one listing
    takes seconds, and a 3 s round otherwise counted mostly the warm-up (or rewarded refusing it quickly).
    A server without a cache just answers each once more. What was answered, and in how long."""
    todo: queue.Queue = queue.Queue()
    for request in dict.fromkeys(requests):   # distinct texts, in order
        todo.put(request)
    total, answered, lock = todo.qsize(), [0], threading.Lock()
    started = time.perf_counter()
    deadline = started + args.warmup_seconds

    def ask() -> None:
        while time.perf_counter() < deadline:
            try:
                request = todo.get_nowait()
            except queue.Empty:
                return
            try:
                status, _ = fetch(server.port, request, args.request_timeout)
            except OSError:
                status = 0
            if status == 200:
                with lock:
                    answered[0] += 1
            else:
                time.sleep(RETRY_PAUSE)
                todo.put(request)

    threads = [threading.Thread(target=ask) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"texts": total, "answered": answered[0], "seconds": round(time.perf_counter() - started, 1)}


def settle(server: Server, result: dict, args, log: Callable[[str], None]) -> bool:
    """After timeouts, let the server finish the queries its clients gave up on before anyone else is measured.

    A server still busy after twice the request time limit is stopped (False), so it cannot slow the others."""
    if server.wait_idle(args.request_timeout * 2):
        return True
    result["error"] = (f"stopped: still computing {args.request_timeout * 2:g} s after its clients gave up "
                       f"(per-request limit {args.request_timeout:g} s)")
    log(f"    {server.name} {result['error']}")
    result["memory_mb"] = server.group_memory_mb()
    server.stop()
    return False


MIN_ANSWERS_PER_CONNECTION = 4


def measure_round(server: Server, requests: list, unique: bool, start: int, args,
                  slow: bool = False) -> tuple[Load, str]:
    """One timed round with wrk; when answers are too slow for that (wrk drops the requests in flight at its
    end, so a round with a few answers per connection would count mostly nothing), the round is measured
    again with Python threads, which let them finish; ``slow``: a previous round was, go straight to threads.
    The load and the client that measured it."""
    options = dict(concurrency=args.concurrency, seconds=args.round_seconds, timeout=args.request_timeout,
                   unique=unique)
    dropped = 0
    if not slow:
        load = run_wrk(server.port, requests, start=start, **options)
        if load.ok + load.errors >= MIN_ANSWERS_PER_CONNECTION * args.concurrency:
            return load, "wrk"
        server.wait_idle(args.request_timeout * 2)   # the queries wrk gave up on, before measuring again
        dropped = load.sent
    threads = run_threads(server.port, requests, start=start + dropped, **options)
    threads.sent += dropped
    return threads, "python"


def compare(servers: dict[str, Server], results: dict[str, dict], data: Path, args,
            log: Callable[[str], None]) -> None:
    """Run the three workloads on every started server, filling ``results[name]["queries"]``."""
    rounds = max(1, args.rounds)
    running = dict(servers)
    for workload in workloads(data, uncached=args.uncached):
        active: dict[str, tuple[list, list[Load]]] = {}
        sent: dict[str, int] = {}   # where each server's next run starts in the (possibly unique) texts
        clients: dict[str, set[str]] = {name: set() for name in running}
        for name, server in list(running.items()):
            requests = [server.request(text, workload.accept) for text in workload.texts]
            entry = results[name]["queries"][workload.name] = {}
            used = warm_up(server, requests, workload.unique, entry, args)
            if used is not None:
                active[name], sent[name] = (requests, []), used
            else:
                log(f"    {workload.name} on {name}: {entry['note']}")
                if not settle(server, results[name], args, log):
                    del running[name]
        for _ in range(rounds):
            for name, (requests, loads) in list(active.items()):
                if name not in running:
                    continue
                load, client = measure_round(running[name], requests, workload.unique, sent[name], args,
                                             slow="python" in clients[name])
                sent[name] += load.sent
                loads.append(load)
                clients[name].add(client)
                if load.errors and not settle(running[name], results[name], args, log):
                    del running[name]
        for name, (_, loads) in active.items():
            load = merge(loads)
            entry = results[name]["queries"][workload.name]
            entry.update(rps=load.throughput, p50_s=load.percentile(0.5), p99_s=load.percentile(0.99), ok=load.ok,
                         errors=load.errors, seconds=load.seconds, clients=sorted(clients[name]))
            if load.first_error:
                entry["note"] = f"first error: {load.first_error[:200]}"
            log(f"    {workload.name} on {name}: {load.throughput:.1f} req/s, "
                f"p50 {1000 * (load.percentile(0.5) or 0):.1f} ms, p99 {1000 * (load.percentile(0.99) or 0):.1f} ms, "
                f"{load.ok} ok, {load.errors} errors")
    for name, server in running.items():
        results[name]["memory_mb"] = server.group_memory_mb()


def bench_endpoints(names: list[str], release: Path, data: Path, work: Path, args,
                    log: Callable[[str], None]) -> dict[str, dict]:
    servers, results = start_servers(names, release, work, args, log)
    try:
        compare(servers, results, data, args, log)
    finally:
        for server in servers.values():
            server.stop()
    return results

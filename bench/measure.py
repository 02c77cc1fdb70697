"""Measuring a build (time, peak memory, the build's own step times) and describing the machine.

The build runs as a child process so its peak resident memory is its own
(os.wait4's rusage for that child: the largest of its processes), and the peak of
the sum of its processes' proportional set sizes (PSS, sampled as often as TreePss affords) counts
the forked process the build works with too, each shared page once. Its stderr is a pseudo-terminal, so that
icc-graph prints its per-step progress ("mapping 1000 practices ... 3.2s"),
which the benchmark reports as the breakdown of the build.
"""

from __future__ import annotations

import os
import platform
import pty
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BIN = Path(sys.executable).parent
STEP = re.compile(r"^\s*(.+?) \.\.\. ?(?:(\d+(?:\.\d+)?)s|failed)\s*$")
PACKAGES = ("icc-graph", "pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "pyshacl", "flask", "granian",
            "uvicorn", "PyYAML")


@dataclass
class Build:
    seconds: float = 0.0
    max_rss_mb: float = 0.0
    peak_tree_pss_mb: float = 0.0
    steps: list[tuple[str, float | None]] = field(default_factory=list)
    release: Path | None = None
    error: str | None = None


def memory_cap(gigabytes: float | None):
    """A preexec_fn capping the child's address space, so a runaway build fails alone instead of the machine."""
    if not gigabytes:
        return None
    limit = int(gigabytes * 1024 ** 3)
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class TreePss:
    """The peak, over the samples taken until ``stop``, of the summed PSS of a process and its descendants.

    A sample is not free: the kernel walks every page table of the process to sum its PSS (30 ms for a
    process of 2 GB), holding its memory map's lock. Sampled every 0.1 s, the 100k build took 194 s instead
    of 169 s; so the samples are spaced to take at most ``share`` of one core.
    """

    def __init__(self, pid: int, every: float = 0.1, share: float = 0.02):
        self.pid, self.every, self.share, self.peak_mb = pid, every, share, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        wait = self.every
        while not self._stop.wait(wait):
            started = time.perf_counter()
            self.peak_mb = max(self.peak_mb, sum(map(pss_kb, _tree(self.pid))) / 1024)
            wait = max(self.every, (time.perf_counter() - started) / self.share)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join(5)
        return self.peak_mb


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def pss_kb(pid: int) -> int:
    """A process's proportional set size in kB (0 once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def build_release(data_dir: Path, dist_dir: Path, timeout: float, memory_gb: float | None = None) -> Build:
    """Run ``icc-graph build --data DATA --out DIST`` and measure it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICC_GRAPH_")}
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    started = time.perf_counter()
    proc = subprocess.Popen([str(BIN / "icc-graph"), "build", "--data", str(data_dir), "--out", str(dist_dir)],
                            stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL, env=env,
                            preexec_fn=memory_cap(memory_gb))
    os.close(slave)
    pss = TreePss(proc.pid)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    stdout = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    build = Build(seconds=time.perf_counter() - started, max_rss_mb=usage.ru_maxrss / 1024,
                  peak_tree_pss_mb=pss.stop())
    reader.join(5)
    os.close(master)
    progress = b"".join(chunks).decode("utf-8", "replace").replace("\r", "")
    for line in progress.splitlines():
        match = STEP.match(line)
        if match:
            name = re.sub(r"/\S+", lambda m: Path(m.group()).name + "/", match.group(1))   # no work paths
            build.steps.append((name, float(match.group(2)) if match.group(2) else None))
    if proc.returncode != 0:
        why = "killed after the time limit" if proc.returncode < 0 else f"exit code {proc.returncode}"
        build.error = f"icc-graph build failed ({why}): " + progress.strip()[-600:]
    else:
        build.release = Path(stdout.decode().strip().splitlines()[-1])
    return build


def serving_release(data_dir: Path, out: Path, timeout: float, memory_gb: float | None = None) -> Build:
    """bench/fastrelease.py as a child process: the N-Quads dump without the links stage, measured."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("fastrelease.py")), str(data_dir), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            preexec_fn=memory_cap(memory_gb))
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    build = Build(seconds=time.perf_counter() - started, max_rss_mb=usage.ru_maxrss / 1024)
    if proc.returncode != 0:
        build.error = f"bench/fastrelease.py failed (exit {proc.returncode}): {stderr.decode(errors='replace')[-400:]}"
    else:
        build.release = Path(stdout.decode().strip().splitlines()[-1])
    return build


def count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:"))
        memory = f"{mem_kb / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration):
        memory = "unknown"
    return {"cpu": cpu, "cores (nproc)": str(os.cpu_count()), "memory": memory,
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version()}


def versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=Path(__file__).parent, timeout=10).stdout.strip()
        found["icc-graph commit"] = (commit or "unknown") + " (plus uncommitted changes, if any)"
    except (OSError, subprocess.TimeoutExpired):
        pass
    return found


def bulk_load(release: Path, work: Path, timeout: float) -> dict:
    """``oxigraph load`` of the release's N-Quads into an empty store: what the build is compared with."""
    store = work / "bulk-load-store"
    shutil.rmtree(store, ignore_errors=True)
    started = time.perf_counter()
    proc = subprocess.Popen([str(BIN / "oxigraph"), "load", "--location", str(store), "--file",
                             str(release / "icc-graph.nq")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    seconds = time.perf_counter() - started
    shutil.rmtree(store, ignore_errors=True)
    error = None if os.waitstatus_to_exitcode(status) == 0 else stderr.decode(errors="replace")[-500:]
    return {"seconds": seconds, "max_rss_mb": usage.ru_maxrss / 1024, "error": error}

"""What a killed build or import left is cleaned by the next run; what a live run is writing is never touched."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from icc_graph.build.progress import Progress
from icc_graph.build.release import build, clean_dead_builds, new_build_folder, publish_folder
from icc_graph.build.sorted_runs import RUNS_PREFIX, SortedRuns
from icc_graph.importers.merge import write
from icc_graph.vocabulary.release_folder import BUILDS
from icc_graph.web.app import create_app

from .conftest import DATA, settings_for

# A run that stops half-way: the real code path up to the point named, then the process ends as `how` says.
BUILD_RUN = """
import os, signal, sys, time
from pathlib import Path
from icc_graph.build.release import new_build_folder
folder, lock = new_build_folder(Path(sys.argv[1]), "0.2.0")
(folder / "icc-graph.nt").write_bytes(b"half a release")
print(folder.name, flush=True)
if sys.argv[2] == "killed":
    os.kill(os.getpid(), signal.SIGKILL)
time.sleep(600)
"""

IMPORT_RUN = """
import os, signal, sys, time
from pathlib import Path
from icc_graph.importers import merge

def stop(*args):
    print("staged", flush=True)
    if sys.argv[2] == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(600)

merge.os.replace = stop   # stops between staging the files and renaming them into place
folder = Path(sys.argv[1])
merge.write({folder / f"p{i}.yaml": "slug: x\\n" for i in range(50)})
"""


# The real `icc-graph build`, killed (SIGKILL) once its dumps are written, its sorted runs still on disk.
KILLED_BUILD = """
import os, signal, sys
from icc_graph.build import release
from icc_graph.cli import main

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

release.describe_files = killed
main(["build", "--data", sys.argv[1], "--out", sys.argv[2]])
"""


def publish(files: dict[str, bytes], dist: Path, version: str) -> None:
    """A release the way `build` publishes one: a new build folder, written, switched in, its lock released."""
    folder, lock = new_build_folder(dist, version)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    publish_folder(folder, dist, version)
    lock.release()


def start(script: str, folder: Path, how: str) -> tuple[subprocess.Popen, str]:
    run = subprocess.Popen([sys.executable, "-c", script, str(folder), how], stdout=subprocess.PIPE, text=True)
    line = run.stdout.readline().strip()
    if how == "killed":
        run.wait(timeout=30)
    return run, line


@pytest.fixture
def live_runs():
    runs = []
    yield runs
    for run in runs:
        run.kill()
        run.wait()


def test_the_next_build_removes_what_killed_builds_left_and_spares_a_live_one(tmp_path, live_runs):
    dist = tmp_path / "dist"
    publish({"a.txt": b"release 0.1.0"}, dist, "0.1.0")
    live, alive = start(BUILD_RUN, dist, "live")
    live_runs.append(live)
    _, killed = start(BUILD_RUN, dist, "killed")
    (dist / BUILDS / "0.0.9-legacy").mkdir()   # left by a build from before the lock files: no lock at all
    builds = dist / BUILDS
    assert {killed, alive, "0.0.9-legacy"} <= {p.name for p in builds.iterdir()}

    publish({"a.txt": b"release 0.1.1"}, dist, "0.1.1")

    names = {p.name for p in builds.iterdir()}
    assert killed not in names and f"{killed}.lock" not in names and "0.0.9-legacy" not in names
    assert alive in names and f"{alive}.lock" in names
    assert (builds / alive / "icc-graph.nt").read_bytes() == b"half a release"
    assert (dist / "0.1.0" / "a.txt").read_bytes() == b"release 0.1.0"   # published releases stay
    assert (dist / "latest" / "a.txt").read_bytes() == b"release 0.1.1"
    assert sorted(n for n in names if not n.endswith(".lock")) == sorted(
        [alive, os.readlink(dist / "0.1.0").split("/")[1], os.readlink(dist / "0.1.1").split("/")[1]])


def test_the_next_import_removes_what_a_killed_import_staged_and_spares_a_live_one(tmp_path, live_runs):
    practices = tmp_path / "practices"
    practices.mkdir()
    start(IMPORT_RUN, practices, "killed")
    killed = {p.name for p in practices.iterdir()}
    assert sum(name.endswith(".import") for name in killed) == 50
    (practices / ".old.yaml.x1y2z3.import").write_text("from a run before the lock files")
    live, _ = start(IMPORT_RUN, practices, "live")
    live_runs.append(live)
    alive = {p.name for p in practices.iterdir()} - killed - {".old.yaml.x1y2z3.import"}
    assert sum(name.endswith(".import") for name in alive) == 50

    write({practices / "district-mothers.yaml": "slug: district-mothers\n"})

    names = {p.name for p in practices.iterdir()}
    assert names == alive | {"district-mothers.yaml"}
    assert (practices / "district-mothers.yaml").read_text() == "slug: district-mothers\n"


def test_a_build_killed_half_way_leaves_the_release_serving_and_the_next_build_cleans_its_folders(
        tmp_path, seed_release):
    dist = tmp_path / "dist"
    shutil.copytree(seed_release.parent, dist, symlinks=True)   # a published release
    served = os.readlink(dist / os.readlink(dist / "latest"))
    killed = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(DATA), str(dist)], capture_output=True,
                            text=True, timeout=600)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = sorted(p.name for p in (dist / BUILDS).iterdir() if p.is_dir() and p.name != Path(served).name)
    runs = [name for name in left if name.startswith(RUNS_PREFIX)]
    assert len(left) == 2 and len(runs) == 1, left   # its sorted runs and its half-written release
    assert all(any((dist / BUILDS / name).iterdir()) for name in left)

    app = create_app(settings_for(DATA, dist))   # the previous release still serves, pages and queries
    try:
        client = app.test_client()
        assert client.get("/practice/district-mothers").status_code == 200
        answer = client.get("/sparql", query_string={"query": "ASK { ?s a icc:GoodPractice }"},
                            headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200 and answer.json["boolean"] is True
    finally:
        app.extensions["icc_graph"].store.close()
    assert os.readlink(dist / os.readlink(dist / "latest")) == served

    build(settings_for(DATA, dist), Progress(enabled=False))

    names = sorted(p.name for p in (dist / BUILDS).iterdir())
    assert not set(left) & set(names) and not any(name.startswith(RUNS_PREFIX) for name in names), names


def test_the_sorted_runs_of_a_live_build_are_never_cleaned(tmp_path):
    dist = tmp_path / "dist"
    runs = SortedRuns(dist / BUILDS)   # this process holds its lock, as a live build does
    runs.add("https://example.org/g", [b"<a> <b> <c>\n"])
    (dist / BUILDS / f"{RUNS_PREFIX}dead").mkdir()   # no lock at all: left by a dead run

    removed = clean_dead_builds(dist)

    assert [p.name for p in removed] == [f"{RUNS_PREFIX}dead"]
    assert list(runs.lines("https://example.org/g")) == [b"<a> <b> <c>\n"]
    runs.close()
    assert list((dist / BUILDS).iterdir()) == []

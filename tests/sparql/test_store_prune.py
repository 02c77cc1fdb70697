"""`icc-graph stores prune`: the on-disk stores no published release needs go; what a release needs, what a
running server holds and what a load is writing stay."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from icc_graph.cli import main
from icc_graph.store.embedded import disk
from icc_graph.store.embedded.disk import lock_folder, prepare, store_folder_name
from icc_graph.store.embedded.prune import prune, prune_hint
from icc_graph.store.embedded.store import EmbeddedStore
from icc_graph.vocabulary.release_folder import STORES, checksum_of

from ..serving import running_server

OLD_LAYOUT = "0123456789abcdef0123456789abcdef"        # a layout-1 folder: the checksum alone
GONE_RELEASE = "fedcba9876543210fedcba9876543210-2"   # the store of a release no longer published
DEAD_LOAD = ".0123456789abcdef-k1ll3d"                 # the staging folder of a killed load


@pytest.fixture
def dist(tmp_path, seed_release) -> Path:
    """A releases folder publishing a copy of the seed release, with the leftovers of earlier ones."""
    dist = tmp_path / "dist"
    shutil.copytree(seed_release, dist / ".builds" / "seed-abcd")
    (dist / "seed").symlink_to(Path(".builds") / "seed-abcd")
    (dist / "latest").symlink_to("seed")
    for name in (OLD_LAYOUT, GONE_RELEASE, DEAD_LOAD):
        (dist / STORES / name / "store").mkdir(parents=True)
        (dist / STORES / name / "store" / "000001.sst").write_bytes(b"x" * 1000)
    (dist / STORES / "notes.txt").write_text("not a store: never touched\n")
    return dist


def names(folder: Path) -> set[str]:
    return {entry.name for entry in folder.iterdir()}


def test_what_no_published_release_needs_goes_and_the_published_ones_store_stays(dist):
    store_dir, _, lease = prepare(dist / "latest")
    lease.close()   # no server holds it: kept because the release in dist needs it
    needed = store_folder_name(checksum_of(dist / "latest"))
    assert store_dir.parent.name == needed

    listed = prune(dist, dry_run=True)
    assert {p.folder.name for p in listed} == {OLD_LAYOUT, GONE_RELEASE, DEAD_LOAD}
    assert all(p.size >= 1000 and not p.in_use for p in listed)
    assert names(dist / STORES) == {needed, OLD_LAYOUT, GONE_RELEASE, DEAD_LOAD, "notes.txt"}, "a dry run keeps all"

    assert {p.folder.name for p in prune(dist)} == {OLD_LAYOUT, GONE_RELEASE, DEAD_LOAD}
    assert names(dist / STORES) == {needed, "notes.txt"}
    assert prune(dist) == []


def test_a_store_a_running_server_holds_stays_after_its_release_is_gone(dist):
    store = EmbeddedStore(dist / "latest", row_cap=100, processes=1)
    try:
        held = Path(store.source.removeprefix("disk:")).parent
        for link in ("latest", "seed"):   # a new build replaced the release the server still serves
            (dist / link).unlink()
        pruned = {p.folder.name: p for p in prune(dist)}
        assert pruned[held.name].in_use and held.is_dir()
        answer = store.execute("ASK { ?s ?p ?o }", "application/sparql-results+json", timeout=10)
        assert b"true" in answer.body, "the server still answers from it"
    finally:
        store.close()
    assert held.name in {p.folder.name for p in prune(dist)} and not held.exists(), "gone once the server ends"


def test_icc_graph_serve_holds_its_store_through_granians_workers_until_it_stops(dist):
    with running_server(dist / "latest", memory_store_mb=0):
        held = dist / STORES / store_folder_name(checksum_of(dist / "latest"))
        for link in ("latest", "seed"):
            (dist / link).unlink()
        assert [p.in_use for p in prune(dist) if p.folder == held] == [True] and held.is_dir()
    wait_until_unheld(held)   # the server's group got SIGTERM; its workers may end a moment after it
    assert [p.in_use for p in prune(dist) if p.folder == held] == [False] and not held.exists()


def wait_until_unheld(folder: Path, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while (fd := lock_folder(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)) is None:
        assert time.monotonic() < deadline, f"{folder} still held {seconds:g} s after its server stopped"
        time.sleep(0.05)
    os.close(fd)


def test_a_load_still_writing_its_staging_folder_is_left_alone(dist):
    staging = dist / STORES / DEAD_LOAD
    fd = lock_folder(staging, fcntl.LOCK_EX)   # as a live load holds it
    try:
        assert [p.in_use for p in prune(dist) if p.folder == staging] == [True] and staging.is_dir()
    finally:
        os.close(fd)
    assert [p.in_use for p in prune(dist) if p.folder == staging] == [False] and not staging.exists()


def test_a_lease_taken_before_the_workers_fork_holds_until_the_last_of_them_ends(dist):
    """Granian forks the workers after the store is opened: the lock is theirs too."""
    code = ("import os, sys; from pathlib import Path\n"
            "from icc_graph.store.embedded.disk import prepare\n"
            "store_dir, _, lease = prepare(Path(sys.argv[1]))\n"
            "if os.fork() == 0:\n"
            "    sys.stdin.read(); os._exit(0)   # a worker: serves until its input closes\n"
            "print(store_dir.parent.name, flush=True)\n")
    server = subprocess.Popen([sys.executable, "-c", code, str(dist / "latest")], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    folder = dist / STORES / server.stdout.readline().strip()
    server.wait()   # the process that took the lease has ended; its worker has not
    for link in ("latest", "seed"):
        (dist / link).unlink()
    try:
        assert [p.in_use for p in prune(dist) if p.folder == folder] == [True] and folder.is_dir()
    finally:
        server.stdin.close()   # the worker ends
    fd = lock_folder(folder, fcntl.LOCK_EX)   # waits for it
    assert fd is not None
    os.close(fd)
    assert [p.in_use for p in prune(dist) if p.folder == folder] == [False] and not folder.exists()


def test_a_server_whose_store_is_pruned_as_it_starts_loads_it_again(dist, monkeypatch):
    prepare(dist / "latest")[2].close()
    calls = []

    def pruned_first(folder, operation):   # a prune wins the race between the check and the lock, once
        if not calls:
            shutil.rmtree(folder)
        calls.append(folder)
        return lock_folder(folder, operation)

    monkeypatch.setattr(disk, "lock_folder", pruned_first)
    store_dir, _, lease = disk.prepare(dist / "latest")
    lease.close()
    assert len(calls) == 2 and (store_dir.parent / "release.json").is_file() and (store_dir / "CURRENT").is_file()


def test_the_command_lists_what_it_removes_and_what_it_frees(dist):
    prepare(dist / "latest")[2].close()
    runner = CliRunner()
    dry = runner.invoke(main, ["stores", "prune", "--dist", str(dist), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.count("would remove") == 3 and "would free 0 MB" in dry.output   # 3 x 1 kB rounds to 0
    assert OLD_LAYOUT in names(dist / STORES)
    done = runner.invoke(main, ["stores", "prune", "--dist", str(dist)])
    assert done.exit_code == 0 and done.output.count("removed") == 3 and "freed" in done.output
    assert OLD_LAYOUT not in names(dist / STORES)


def test_serve_says_at_start_what_pruning_would_free_and_nothing_when_all_is_needed(dist):
    prepare(dist / "latest")[2].close()
    hint = prune_hint(dist)
    assert hint is not None and hint.startswith(f"3 store folder(s) in {dist / STORES}")
    assert "`icc-graph stores prune`" in hint
    prune(dist)
    assert prune_hint(dist) is None

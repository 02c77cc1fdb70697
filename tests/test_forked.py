"""The build's second core: work in a forked child (forked.py), data read in two halves, chunks shared out."""

from __future__ import annotations

import os
import shutil
import signal
import time

import pytest

from icc_graph.build import chunks, datadir
from icc_graph.build.forked import ChildFailed, Forked
from icc_graph.build.mapping import theme_slugs, vocabulary_graph
from icc_graph.build.progress import Progress
from icc_graph.build.release import build_checked
from icc_graph.errors import DataError
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter

from .conftest import DATA, settings_for


class Unpicklable(Exception):
    def __init__(self, a, b):      # pickled with args (message,): unpickling calls Unpicklable(message) and fails
        super().__init__(f"{a} {b}")


def test_the_child_answers_with_its_result_and_its_own_pid():
    child = Forked(lambda: ("done", os.getpid()))
    answer, pid = child.result()
    assert answer == "done" and pid != os.getpid()
    assert child.result() == (answer, pid)      # asked again: the same answer, the child long gone


def test_the_heap_is_frozen_for_the_child_and_a_build_leaves_it_collectable(tmp_path):
    import gc

    from icc_graph.build.release import build

    assert Forked(gc.get_freeze_count).result() > 0     # the collector leaves the shared pages alone
    build(settings_for(DATA, tmp_path))
    assert gc.get_freeze_count() == 0


def test_a_data_error_in_the_child_is_raised_as_itself_naming_file_and_field(tmp_path):
    def bad():
        raise DataError(tmp_path / "practices" / "x.yaml", "unknown theme 'y'", field="curation.themes", record="x")

    with pytest.raises(DataError) as raised:
        Forked(bad).result()
    assert raised.value.path == tmp_path / "practices" / "x.yaml"
    assert (raised.value.field, raised.value.record) == ("curation.themes", "x")
    assert str(raised.value).endswith("[x] field 'curation.themes': unknown theme 'y'")


def test_an_exception_that_does_not_unpickle_comes_back_with_its_traceback():
    def bad():
        raise Unpicklable(1, 2)

    with pytest.raises(ChildFailed, match="Unpicklable: 1 2"):
        Forked(bad).result()


def test_a_child_killed_before_it_answers_is_an_error_not_a_hang():
    with pytest.raises(ChildFailed, match="without an answer"):
        Forked(lambda: os.kill(os.getpid(), signal.SIGKILL)).result()


def test_cancel_kills_the_child(tmp_path):
    flag = tmp_path / "finished"
    child = Forked(lambda: (signal.pause(), flag.write_text("no")))
    child.cancel()
    with pytest.raises(ChildFailed, match="cancelled"):
        child.result()
    assert not flag.exists()


def test_a_child_whose_result_is_not_taken_is_killed_when_its_block_ends(tmp_path):
    flag = tmp_path / "finished"
    with pytest.raises(RuntimeError, match="own share"), \
            Forked(lambda: (time.sleep(2), flag.write_text("no"))):
        raise RuntimeError("this process failed on its own share")
    time.sleep(2.5)
    assert not flag.exists()
    with Forked(lambda: "taken") as child:      # a result taken: leaving the block changes nothing
        assert child.result() == "taken"
    assert child.result() == "taken"


def test_a_build_that_fails_beside_a_child_leaves_no_child_running(tmp_path, monkeypatch):
    from icc_graph.build import release

    pid_file = tmp_path / "child.pid"

    def suggesting_forever(*args):
        written = tmp_path / "child.pid.part"
        written.write_text(str(os.getpid()))
        written.replace(pid_file)   # whole at once: the parent raises, and kills this child, when it appears
        time.sleep(60)

    def links_failing(*args):
        while not pid_file.exists():
            time.sleep(0.01)
        raise RuntimeError("the links failed")

    monkeypatch.setattr(release, "compute_suggestions", suggesting_forever)
    monkeypatch.setattr(release, "compute_links", links_failing)
    with pytest.raises(RuntimeError, match="the links failed"):
        build_checked(settings_for(DATA, tmp_path), Progress(enabled=False))
    with pytest.raises(ProcessLookupError):     # killed and reaped, not left sleeping
        os.kill(int(pid_file.read_text()), 0)


def test_shared_jobs_are_each_taken_once_by_one_process_or_the_other():
    shared = chunks.SharedJobs(200)

    def take_all() -> list[int]:
        taken = []
        while (n := shared.take()) is not None:
            taken.append(n)
        return taken

    child = Forked(take_all)
    mine = take_all()
    theirs = child.result()
    assert sorted(mine + theirs) == list(range(200))


@pytest.fixture
def forking_reads(monkeypatch):
    monkeypatch.setattr(datadir, "FORK_FROM_FILES", 2)    # the seed's 20 files read in two halves


def _themes() -> frozenset[str]:
    mint = Minter(DEFAULT_BASE)
    return theme_slugs(vocabulary_graph(mint), mint)


def test_data_read_in_two_halves_is_the_data_read_in_one(monkeypatch):
    themes = _themes()
    whole = datadir.read_records(DATA, themes)
    monkeypatch.setattr(datadir, "FORK_FROM_FILES", 2)
    assert datadir.read_records(DATA, themes) == whole


def _data_with(tmp_path, edits: dict[int, tuple[str, str]]):
    """A copy of data/ with, in the practice file at each sorted position, one text replaced by another."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    files = sorted((data / "practices").glob("*.yaml"))
    for position, (old, new) in edits.items():
        text = files[position].read_text(encoding="utf-8")
        assert old in text
        files[position].write_text(text.replace(old, new, 1), encoding="utf-8")
    return data, files


def test_a_bad_file_in_the_second_half_names_its_file_and_field(tmp_path, forking_reads):
    data, files = _data_with(tmp_path, {-1: ("\n  country: ", "\n  country: Atlantis # was ")})
    with pytest.raises(DataError) as raised:
        datadir.read_records(data, _themes())
    assert raised.value.path == files[-1] and raised.value.field == "source.country"
    assert "unknown country 'Atlantis'" in str(raised.value)


def test_the_first_bad_file_in_path_order_is_the_one_reported(tmp_path, forking_reads):
    edit = ("\n  country: ", "\n  country: Atlantis # was ")
    data, files = _data_with(tmp_path, {1: edit, -1: edit})
    with pytest.raises(DataError) as raised:
        datadir.read_records(data, _themes())
    assert raised.value.path == files[1]


def test_the_child_takes_its_share_of_the_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(chunks, "PRACTICES_PER_CHUNK", 1)
    _, quads = build_checked(settings_for(DATA, tmp_path / "dist"), Progress(enabled=False))
    files = [path.name for paths in quads.runs.runs.values() for path in paths]
    assert any(name.startswith("child-") for name in files), "the child starts while this process checks the context"
    assert quads.validation.focus_nodes > 0
    quads.close()

"""The build: dumps in every format, byte-identical rebuilds, atomic publication, clear errors."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyld import jsonld
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from icc_graph.cli import main
from icc_graph.vocabulary.generated import stale_files
from icc_graph.vocabulary.release_folder import CHECKSUMS, STORES

from .conftest import DATA

DUMPS = ("icc-graph.ttl", "icc-graph.nt", "icc-graph.jsonld", "icc-graph.trig", "icc-graph.nq")


def run_cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "icc_graph", *args], capture_output=True, text=True, env=env)


def run_in_process(*args: str):
    """The same command, run by click in this process (no interpreter to start): exit_code, stdout, stderr."""
    return CliRunner().invoke(main, list(args))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (links followed), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_release_has_every_dump_its_gzip_and_checksums(seed_release):
    names = {p.name for p in seed_release.iterdir()}
    for dump in DUMPS:
        assert dump in names and dump + ".gz" in names
        data = (seed_release / dump).read_bytes()
        assert gzip.decompress((seed_release / (dump + ".gz")).read_bytes()) == data
    assert "context.jsonld" in names
    sums = dict(reversed(line.split("  ")) for line in (seed_release / CHECKSUMS).read_text().splitlines())
    assert set(sums) == names - {CHECKSUMS}
    for name, digest in sums.items():
        assert hashlib.sha256((seed_release / name).read_bytes()).hexdigest() == digest


def test_every_dump_holds_the_same_graph(seed_release):
    turtle = Graph().parse(seed_release / "icc-graph.ttl", format="turtle")
    assert len(turtle) > 1000
    for name, fmt in (("icc-graph.nt", "nt"), ("icc-graph.jsonld", "json-ld")):
        assert isomorphic(turtle, Graph().parse(seed_release / name, format=fmt)), name
    for name, fmt in (("icc-graph.trig", "trig"), ("icc-graph.nq", "nquads")):
        ds = Dataset()
        ds.parse(seed_release / name, format=fmt)
        union = Graph()
        for g in ds.graphs():
            union += g
        assert isomorphic(turtle, union), name
        assert {str(g.identifier).rsplit("/", 1)[-1] for g in ds.graphs() if len(g)} >= {
            "source", "curation", "vocabulary", "metadata"}


def test_jsonld_dump_read_by_pyld_gives_the_turtle_graph(seed_release):
    doc = json.loads((seed_release / "icc-graph.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    from_pyld = Graph().parse(data=nquads, format="nt")
    turtle = Graph().parse(seed_release / "icc-graph.ttl", format="turtle")
    assert len(from_pyld) == len(turtle)
    assert isomorphic(from_pyld, turtle)


def test_published_context_is_the_generated_one(seed_release):
    from icc_graph.vocabulary.generated import CONTEXT_FILE
    assert (seed_release / "context.jsonld").read_bytes() == CONTEXT_FILE.read_bytes()


def test_rebuilds_are_byte_identical(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"dist{seed}"
        result = run_cli("build", "--data", str(DATA), "--out", str(out), env_extra={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        assert Path(result.stdout.strip()) == out / "0.1.0"
        outs.append(tree(out / "0.1.0"))
    assert outs[0] == outs[1]


def test_generated_files_are_not_stale():
    assert stale_files() == []


BAD_INPUTS = [
    # (file to change, how, expected words in the error)
    ("practices/district-mothers.yaml", lambda t: t.replace("slug: district-mothers", "slug: [district"),
     ["district-mothers.yaml", "malformed YAML"]),
    ("practices/district-mothers.yaml", lambda t: t.replace("- Berlin-Neukölln", "- Atlantis"),
     ["district-mothers.yaml", "source.cities", "Atlantis"]),
    ("practices/district-mothers.yaml", lambda t: t.replace("- welcoming-and-social-integration", "- astrology"),
     ["district-mothers.yaml", "curation.themes", "astrology"]),
    ("practices/district-mothers.yaml", lambda t: t.replace("start_year: 2016", "start_year: twenty"),
     ["district-mothers.yaml", "start_year", "not a year"]),
    ("practices/district-mothers.yaml", lambda t: t.replace("end_year: 2016", "end_year: 2010"),
     ["district-mothers.yaml", "end_year", "before start year"]),
    ("practices/untitled-cascais-2017.yaml", lambda t: t.split("  label:")[0],
     ["untitled-cascais-2017.yaml", "curation.label"]),
    ("places.yaml", lambda t: t.replace("city: berlin,", "city: paris,"),
     ["places.yaml", "districts[0]", "city"]),
    ("dataset.yaml", lambda t: t.replace("issued: 2026-11-28", "issued: someday"),
     ["dataset.yaml", "issued"]),
]


@pytest.mark.parametrize(("name", "change", "words"), BAD_INPUTS, ids=[w[-1] for _, _, w in BAD_INPUTS])
def test_bad_input_fails_naming_file_and_field_and_keeps_the_release(seed_release, data_copy, tmp_path, name,
                                                                    change, words):
    out = tmp_path / "dist"
    # The published seed release, links and all, as a good `icc-graph build` of data/ leaves dist/ (built once).
    shutil.copytree(seed_release.parent, out, symlinks=True, ignore=shutil.ignore_patterns(STORES))
    before = tree(out)
    path = data_copy / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_in_process("build", "--data", str(data_copy), "--out", str(out))
    assert result.exit_code != 0
    for word in words:
        assert word in result.stderr, result.stderr
    assert tree(out) == before
    assert sorted(p.name for p in (out / ".builds").iterdir()) == sorted(
        Path(os.readlink(out / "0.1.0")).name for _ in [0])


def test_a_bad_first_build_writes_nothing(data_copy, tmp_path):
    (data_copy / "places.yaml").write_text("countries: [", encoding="utf-8")
    out = tmp_path / "dist"
    result = run_in_process("build", "--data", str(data_copy), "--out", str(out))
    assert result.exit_code != 0 and "places.yaml" in result.stderr
    assert not out.exists()

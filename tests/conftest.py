"""Shared fixtures: the seed data, built once per test session into a temporary dist/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset

from icc_graph.build.datadir import read_records
from icc_graph.build.mapping import theme_slugs, vocabulary_graph
from icc_graph.build.progress import Progress
from icc_graph.build.records import Records
from icc_graph.build.release import build
from icc_graph.config import Settings, load_settings
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The third-party conformance files (W3C SPARQL 1.1 manifests, DCAT-AP shapes) are not ours to ship: the tests
# find them through ICC_GRAPH_STANDARDS_DIR, by default ../shared/standards beside a developer's checkout.
STANDARDS = Path(os.environ.get("ICC_GRAPH_STANDARDS_DIR") or ROOT.parent / "shared" / "standards")
# CI has them: there a missing file fails the run instead of skipping, so conformance is never lost quietly.
STANDARDS_REQUIRED = os.environ.get("ICC_GRAPH_STANDARDS_REQUIRED", "") not in ("", "0")
STANDARDS_MISSING = (f"third-party conformance files not found in {STANDARDS}: set ICC_GRAPH_STANDARDS_DIR to a "
                     "folder holding w3c-sparql11/ and dcat-ap/ (see README, Testing)")


def standards_file(*parts: str) -> Path:
    """A conformance file, or the test is skipped (failed where ICC_GRAPH_STANDARDS_REQUIRED is set)."""
    path = STANDARDS.joinpath(*parts)
    if not path.exists():
        if STANDARDS_REQUIRED:
            pytest.fail(f"{STANDARDS_MISSING} (missing: {path})", pytrace=False)
        pytest.skip(STANDARDS_MISSING)
    return path


def settings_for(data_dir: Path, dist_dir: Path, **overrides) -> Settings:
    return load_settings(environ={}, data_dir=data_dir, dist_dir=dist_dir, **overrides)


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory) -> Settings:
    return settings_for(DATA, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def seed_release(seed_settings) -> Path:
    """The release folder built from the repository's data/ (read-only: copy before changing)."""
    return build(seed_settings, Progress(enabled=False))


@pytest.fixture(scope="session")
def seed_dataset(seed_release) -> Dataset:
    """The seed release as published in its TriG dump (read-only)."""
    ds = Dataset()
    ds.parse(seed_release / "icc-graph.trig", format="trig")
    return ds


def records_of(data_dir: Path) -> Records:
    """The records of a data folder, with the themes of the repository's schemes."""
    mint = Minter(DEFAULT_BASE)
    return read_records(data_dir, theme_slugs(vocabulary_graph(mint), mint))


@pytest.fixture(scope="session")
def seed_records() -> Records:
    """The records of the repository's data/ (frozen dataclasses: shared by every test)."""
    return records_of(DATA)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ for tests that break or change it."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target

"""Shared fixtures: the seed data, built once per test session into a temporary dist/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from icc_graph.build.progress import Progress
from icc_graph.build.release import build
from icc_graph.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def settings_for(data_dir: Path, dist_dir: Path, **overrides) -> Settings:
    return load_settings(environ={}, data_dir=data_dir, dist_dir=dist_dir, **overrides)


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory) -> Settings:
    return settings_for(DATA, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def seed_release(seed_settings) -> Path:
    """The release folder built from the repository's data/ (read-only: copy before changing)."""
    return build(seed_settings, Progress(enabled=False))


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ for tests that break or change it."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target

"""Fixtures for the remote-store tests: real stores on loopback, a second release to switch to."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from icc_graph.build.progress import Progress
from icc_graph.build.release import build
from icc_graph.config import Settings

from ..conftest import DATA, settings_for
from .servers import VIRTUOSO, oxigraph, virtuoso

VIRTUOSO_LOGIN = {"store_user": "dba", "store_password": "dba"}


def retitled_release(tmp_path_factory, title: str) -> Path:
    """A release of the seed data with one practice retitled: a new checksum, so a new release to switch to."""
    data = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(DATA, data)
    practice = data / "practices" / "district-mothers.yaml"
    record = yaml.safe_load(practice.read_text(encoding="utf-8"))
    record["source"]["title"] = title
    practice.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return build(settings_for(data, tmp_path_factory.mktemp("dist")), Progress(enabled=False))


@pytest.fixture(scope="session")
def second_release(tmp_path_factory) -> Path:
    return retitled_release(tmp_path_factory, "District Mothers (second release)")


@pytest.fixture(scope="session")
def third_release(tmp_path_factory) -> Path:
    return retitled_release(tmp_path_factory, "District Mothers (third release)")


@pytest.fixture
def oxigraph_server(tmp_path):
    with oxigraph(tmp_path / "oxigraph") as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    if VIRTUOSO is None:
        pytest.skip("virtuoso-t is not installed (Debian package virtuoso-opensource; .ci/run installs it)")
    with virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def store_settings(url: str, **overrides) -> Settings:
    return settings_for(DATA, Path("/nonexistent-dist"), store=url, **overrides)

"""A fresh clone with nothing beside it: the suite runs, conformance tests say why they skip, make run takes a port."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from icc_graph.config import Settings, load_settings

from . import conftest
from .conftest import ROOT
from .sparql.test_w3c_manifests import entries


def test_the_suite_collects_without_the_third_party_conformance_files(tmp_path):
    env = {**os.environ, "ICC_GRAPH_STANDARDS_DIR": str(tmp_path / "none"), "ICC_GRAPH_STANDARDS_REQUIRED": ""}
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    assert "manifest-missing" in collected.stdout, "the W3C manifest tests become one placeholder each"


def test_a_missing_conformance_file_skips_with_its_reason_and_fails_where_required(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "STANDARDS", tmp_path)
    monkeypatch.setattr(conftest, "STANDARDS_REQUIRED", False)
    with pytest.raises(pytest.skip.Exception, match="ICC_GRAPH_STANDARDS_DIR"):
        conftest.standards_file("dcat-ap", "3.0.1", "html", "shacl", "shapes.ttl")
    monkeypatch.setattr(conftest, "STANDARDS_REQUIRED", True)
    with pytest.raises(pytest.fail.Exception, match="shapes.ttl"):
        conftest.standards_file("dcat-ap", "3.0.1", "html", "shacl", "shapes.ttl")


def test_a_missing_manifest_becomes_one_placeholder_test(tmp_path):
    (placeholder,) = entries(tmp_path / "protocol" / "manifest.ttl")
    assert placeholder.values == ("missing", None, None) and placeholder.id == "protocol-manifest-missing"


def test_ci_requires_the_conformance_files():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export ICC_GRAPH_STANDARDS_REQUIRED=1" in ci and "ICC_GRAPH_STANDARDS_DIR" in ci


def test_make_run_takes_a_port_and_a_host():
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}   # under make test
    dry = subprocess.run(["make", "-n", "--no-print-directory", "run", "PORT=8081", "HOST=0.0.0.0"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip().splitlines()[-1].endswith("serve --port 8081 --host 0.0.0.0")


def test_the_code_has_a_licence_and_the_readme_states_the_data_licence():
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Licences" in readme and "CC BY 4.0" in readme and "Council of Europe" in readme


def test_every_path_setting_is_absolute_from_the_start(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={"ICC_GRAPH_RELEASE": "dist/0.1.0"})
    paths = {f.name: getattr(settings, f.name) for f in fields(Settings) if isinstance(f.default, Path)}
    assert {"data_dir", "dist_dir", "harvest_cache_dir", "wikidata_cache"} <= set(paths)
    for name, path in paths.items():
        assert path.is_absolute() and str(path).startswith(str(tmp_path)), name
    assert settings.release == str(tmp_path / "dist" / "0.1.0")

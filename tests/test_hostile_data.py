"""Data that would escape the release folder or break it: refused by build and validate, naming file, record
and field, and nothing written."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF, SH

from icc_graph.build.gate import SHAPES_NS, run_shapes
from icc_graph.build.progress import Progress
from icc_graph.build.release import build
from icc_graph.cli import main
from icc_graph.errors import DataError
from icc_graph.vocabulary.handwritten import resource_dir

from .conftest import settings_for

MOTHERS = "practices/district-mothers.yaml"


def _edit(name: str, change):
    """A change of one YAML file of data/: ``change(doc)`` edits the loaded document in place."""
    def apply(data_dir):
        path = data_dir / name
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(doc)
        path.write_text(yaml.safe_dump(doc, allow_unicode=False), encoding="utf-8")
    return apply


def _set(name: str, *keys_and_value):
    *keys, value = keys_and_value

    def change(doc):
        for key in keys[:-1]:
            doc = doc[key]
        doc[keys[-1]] = value
    return _edit(name, change)


def _practice_named(slug: str):
    """district-mothers.yaml moved to <slug>.yaml with that slug (file name and slug agree)."""
    def apply(data_dir):
        old = data_dir / MOTHERS
        doc = yaml.safe_load(old.read_text(encoding="utf-8"))
        doc["slug"] = slug
        old.unlink()
        (data_dir / "practices" / f"{slug}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    return apply


def _case_twin(data_dir):
    doc = yaml.safe_load((data_dir / MOTHERS).read_text(encoding="utf-8"))
    doc["slug"] = "District-Mothers"
    (data_dir / "practices" / "District-Mothers.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")


def _folder_named_yaml(data_dir):
    (data_dir / "practices" / "x.yaml").mkdir()


def _fifo_named_yaml(data_dir):
    os.mkfifo(data_dir / "practices" / "y.yaml")   # nobody ever writes: reading it would block for ever


def _huge_summary(data_dir):
    _set(MOTHERS, "source", "summary", "word " * 400)(data_dir)


# (id, change, words the error must hold: the file, the record, the field)
HOSTILE = [
    ("version-dotdot", _set("dataset.yaml", "version", "../escaped"), ["dataset.yaml", "'version'", "../escaped"]),
    ("version-absolute", _set("dataset.yaml", "version", "/tmp/anywhere"), ["dataset.yaml", "'version'"]),
    ("version-latest", _set("dataset.yaml", "version", "latest"), ["dataset.yaml", "'version'", "latest"]),
    ("version-empty", _set("dataset.yaml", "version", ""), ["dataset.yaml", "'version'"]),
    ("place-slug-dotdot", _edit("places.yaml", lambda d: d["cities"][0].update(slug="../x")),
     ["places.yaml", "cities[0]", "'slug'", "../x"]),
    ("place-slug-empty", _edit("places.yaml", lambda d: d["cities"][1].update(slug="")),
     ["places.yaml", "cities[1]", "'slug'"]),
    ("place-slug-slash", _edit("places.yaml", lambda d: d["cities"][0].update(slug="x/y")),
     ["places.yaml", "cities[0]", "'slug'"]),
    ("place-slug-space", _edit("places.yaml", lambda d: d["cities"][0].update(slug="new york")),
     ["places.yaml", "cities[0]", "'slug'"]),
    ("place-slug-case-twin", _edit("places.yaml", lambda d: d["cities"].append({**d["cities"][0], "slug": "OSLO"})),
     ["places.yaml", "'slug'", "only in case"]),
    ("practice-slug-hash", _practice_named("a#b"), ["a#b.yaml", "'slug'"]),
    ("practice-slug-angle", _practice_named("a>b"), ["a>b.yaml", "'slug'"]),
    ("practice-slug-space", _practice_named("a b"), ["a b.yaml", "'slug'"]),
    ("practice-case-twin", _case_twin, ["district-mothers.yaml", "District-Mothers", "'slug'", "only in case"]),
    ("control-esc-summary", _set(MOTHERS, "source", "summary", "bad \x1b[31m colour"),
     ["district-mothers.yaml", "'source.summary'", "U+001B"]),
    ("control-nul-title", _set(MOTHERS, "source", "title", "District\x00Mothers"),
     ["district-mothers.yaml", "'source.title'", "U+0000"]),
    ("control-ff-section", _set(MOTHERS, "source", "sections", "purpose", "page\x0cbreak"),
     ["district-mothers.yaml", "'source.sections.purpose'", "U+000C"]),
    ("control-vt-place", _edit("places.yaml", lambda d: d["cities"][2].update(name="Ber\x0blin")),
     ["places.yaml", "cities[2]", "'name'", "U+000B"]),
    ("language-space", _set(MOTHERS, "source", "language", "en us"), ["district-mothers.yaml", "'source.language'"]),
    ("quote-in-page", _set(MOTHERS, "source", "page", 'https://example.org/"x'),
     ["district-mothers.yaml", "'source.page'"]),
    ("nan-latitude", _edit("places.yaml", lambda d: d["cities"][0].update(lat=float("nan"))),
     ["places.yaml", "cities[0]", "'lat'", "not a number"]),
    ("huge-text", _huge_summary, ["district-mothers.yaml", "'source.summary'", "1000 bytes", "MAX_TEXT_BYTES"]),
    ("folder-named-yaml", _folder_named_yaml, ["x.yaml", "not a regular file"]),
    ("fifo-named-yaml", _fifo_named_yaml, ["y.yaml", "not a regular file"]),
]


@pytest.mark.parametrize(("change", "words"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_data_is_refused_by_build_naming_file_record_and_field(data_copy, tmp_path, change, words):
    change(data_copy)
    dist = tmp_path / "dist"
    with pytest.raises(DataError) as refused:
        build(settings_for(data_copy, dist, max_text_bytes=1000), Progress(enabled=False))
    for word in words:
        assert word in str(refused.value)
    assert not dist.exists() or not any(dist.rglob("*")), "a refused build wrote something"
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "anywhere").exists()


@pytest.mark.parametrize("name", ["version-dotdot", "control-esc-summary", "nan-latitude", "fifo-named-yaml"])
def test_validate_refuses_it_too_with_a_message_not_a_traceback(data_copy, name):
    dict((h[0], h[1]) for h in HOSTILE)[name](data_copy)
    if name == "version-dotdot":   # one as a user runs it, in its own process; the others in this one (faster)
        result = subprocess.run([sys.executable, "-m", "icc_graph", "validate", "--data", str(data_copy)],
                                capture_output=True, text=True, timeout=120)
        code, stderr = result.returncode, result.stderr
    else:
        ran = CliRunner().invoke(main, ["validate", "--data", str(data_copy)])
        assert ran.exception is None or isinstance(ran.exception, SystemExit), ran.exception
        code, stderr = ran.exit_code, ran.stderr
    assert code != 0
    assert "Traceback" not in stderr
    assert re.search(r"(dataset|places|district-mothers|y)\.yaml", stderr), stderr


@pytest.mark.parametrize(("kind", "cls", "shape"), [
    ("practice", "icc:GoodPractice", "PracticeIRI"), ("city", "schema:City", "PlaceIRI"),
    ("city", "icc:District", "PlaceIRI")])
@pytest.mark.parametrize("slug", ["a%23b", "..", "x/y", "", "a--b"])
def test_the_shapes_refuse_a_minted_iri_that_is_not_one_safe_segment(kind, cls, shape, slug):
    data = Graph().parse(data=f"""
        @prefix icc: <https://w3id.org/icc-graph/ontology#> . @prefix schema: <https://schema.org/> .
        <https://w3id.org/icc-graph/{kind}/{slug}> a {cls} .
        <https://w3id.org/icc-graph/{kind}/fine-slug_2.0> a {cls} .""", format="turtle")
    shapes = Graph().parse(resource_dir("shapes") / "iris.ttl", format="turtle")
    results = run_shapes(data, shapes)
    failed = {(str(results.value(r, SH.focusNode)), str(results.value(r, SH.sourceShape)).removeprefix(SHAPES_NS))
              for r in results.subjects(RDF.type, SH.ValidationResult)}
    assert failed == {(f"https://w3id.org/icc-graph/{kind}/{slug}", shape)}

"""The SHACL gate: results traced to file and field, the report in the release, build refuses on a Violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from icc_graph.build.gate import SHAPES_NS, ValidationFailed, render_report
from icc_graph.build.progress import Progress
from icc_graph.build.release import build
from icc_graph.cli import main
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter
from icc_graph.vocabulary.release_folder import REPORT

from .conftest import DATA, settings_for
from .reference_pipeline import build_graph, validate

SHAPE = SHAPES_NS


def validate_data(data_dir: Path, tmp_path: Path, **overrides):
    settings = settings_for(data_dir, tmp_path / "dist", **overrides)
    records, dataset = build_graph(settings, Progress(enabled=False))
    return validate(records, dataset, Minter(settings.base_iri), settings.data_dir)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer holds {old!r}: update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, object]:
    """Every entry under ``folder``: file bytes, and link targets for the release links."""
    entries: dict[str, object] = {}
    for p in sorted(folder.rglob("*")):
        key = str(p.relative_to(folder))
        if p.is_symlink():
            entries[key] = ("link", str(p.readlink()))
        elif p.is_file():
            entries[key] = p.read_bytes()
        else:
            entries[key] = "dir"
    return entries


@pytest.fixture(scope="module")
def seed_validation(tmp_path_factory):
    return validate_data(DATA, tmp_path_factory.mktemp("v"))


def test_seed_data_conforms_with_the_expected_warnings(seed_validation):
    v = seed_validation
    assert v.conforms and v.violations == []
    where = sorted((f.file.name, f.record, f.field, str(f.shape).removeprefix(SHAPE)) for f in v.warnings)
    # Every place whose Wikidata id is only partly confirmed, the practice whose page prints no title,
    # and the practice left without a curated theme (it takes part in no city link).
    assert where == sorted([
        ("safer-alta-de-lisboa.yaml", None, "curation.themes", "PracticeCuratedTheme"),
        ("places.yaml", "cities[12] auckland", "wikidata_status", "PlaceWikidataCandidate"),
        ("places.yaml", "cities[3] erlangen", "wikidata_status", "PlaceWikidataCandidate"),
        ("places.yaml", "cities[6] lisbon", "wikidata_status", "PlaceWikidataCandidate"),
        ("places.yaml", "cities[7] cascais", "wikidata_status", "PlaceWikidataCandidate"),
        ("places.yaml", "districts[0] berlin-neukolln", "wikidata_status", "PlaceWikidataCandidate"),
        # Loures and Melitopol have no Wikidata id at all: the warning names the command that looks them up.
        ("places.yaml", "cities[8] loures", "wikidata", "PlaceWikidataMissing"),
        ("places.yaml", "cities[9] melitopol", "wikidata", "PlaceWikidataMissing"),
        ("untitled-cascais-2017.yaml", None, "source.title", "PracticeTitleInSource"),
    ])
    assert "[cities[8] loures] field 'wikidata': This place has no Wikidata id" in render_report(v)
    assert "run `icc-graph places reconcile`" in render_report(v)
    # The candidate id is shown, so that the curator knows which item to check.
    assert "[cities[3] erlangen] field 'wikidata_status'" in render_report(v)
    assert "(value: wd:Q3126)" in render_report(v)


def test_report_graph_is_a_shacl_validation_report(seed_validation):
    g = seed_validation.report
    (report,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(report, SH.conforms).toPython() is True
    results = list(g.objects(report, SH.result))
    assert len(results) == 9
    for r in results:
        assert g.value(r, RDF.type) == SH.ValidationResult
        assert g.value(r, SH.resultSeverity) == SH.Warning
        assert isinstance(g.value(r, SH.sourceShape), URIRef)
        # Where to fix it, relative to the data folder: no local path ends up in a release.
        comment = str(g.value(r, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
        assert comment.startswith("data/") and "/tmp" not in comment


def test_violation_in_places_names_file_record_and_field(data_copy, tmp_path):
    edit(data_copy / "places.yaml", "slug: berlin, name: Berlin, country: DE, wikidata: Q64, wikidata_status: "
         "confirmed, lat: 52.5167", "slug: berlin, name: Berlin, country: DE, wikidata: Q64, wikidata_status: "
         "confirmed, lat: 152.5167")
    v = validate_data(data_copy, tmp_path)
    assert not v.conforms
    (f,) = v.violations
    assert (f.file, f.record, f.field) == (data_copy / "places.yaml", "cities[2] berlin", "lat")
    assert f.shape == URIRef(SHAPE + "PlaceLatitude")
    assert f.focus == Minter(DEFAULT_BASE).place("berlin")
    text = render_report(v)
    assert f"VIOLATION {data_copy / 'places.yaml'} [cities[2] berlin] field 'lat'" in text
    assert "between -90 and 90" in text


def test_violation_in_a_practice_names_its_file_and_yaml_field(data_copy, tmp_path):
    practice = data_copy / "practices" / "district-mothers.yaml"
    edit(practice, "page: https://www.coe.int/en/web/interculturalcities/good-practice", "page: file-on-my-disk")
    v = validate_data(data_copy, tmp_path)
    (f,) = v.violations
    assert (f.file, f.record, f.field) == (practice, None, "source.page")
    assert f.shape == URIRef(SHAPE + "PracticeSourcePage")
    assert "source.page" in f.message


def test_shapes_follow_a_different_base_iri(tmp_path):
    v = validate_data(DATA, tmp_path, base_iri="http://localhost:8080/icc/")
    # The theme schemes move with the base: themes still sit inside them, and findings still map to files.
    assert v.conforms
    assert {f.file.name for f in v.warnings} == {"places.yaml", "untitled-cascais-2017.yaml",
                                                 "safer-alta-de-lisboa.yaml"}


def test_release_holds_the_validation_report(seed_release, seed_validation):
    written = Graph().parse(seed_release / REPORT, format="turtle")
    assert len(written) == len(seed_validation.report)
    assert set(written.subjects(RDF.type, SH.ValidationResult)) == set(
        seed_validation.report.subjects(RDF.type, SH.ValidationResult))


def test_build_refuses_a_violation_and_leaves_dist_as_it_was(data_copy, tmp_path):
    dist = tmp_path / "dist"
    settings = settings_for(data_copy, dist)
    build(settings, Progress(enabled=False))
    before = snapshot(dist)
    assert any(key.endswith(REPORT) for key in before)
    edit(data_copy / "places.yaml", "lat: 59.9133", "lat: 599.133")
    result = CliRunner().invoke(main, ["build", "--data", str(data_copy), "--out", str(dist)])
    assert result.exit_code != 0
    assert "PlaceLatitude" in result.output and "[cities[0] oslo] field 'lat'" in result.output
    assert "nothing was published" in result.output
    assert snapshot(dist) == before


def test_build_raises_validation_failed_with_the_findings(data_copy, tmp_path):
    edit(data_copy / "places.yaml", "iso_code: DE-BE", "iso_code: Berlin")
    with pytest.raises(ValidationFailed) as caught:
        build(settings_for(data_copy, tmp_path / "dist"), Progress(enabled=False))
    (f,) = caught.value.validation.violations
    assert (f.record, f.field) == ("cities[2] berlin", "iso_code")
    assert not (tmp_path / "dist" / "latest").exists()


def test_validate_command(data_copy, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", "--data", str(data_copy), "--report", str(tmp_path / "r.ttl")])
    assert ok.exit_code == 0, ok.output
    assert "0 violation(s), 9 warning(s)" in ok.output
    assert (tmp_path / "r.ttl").is_file()
    edit(data_copy / "places.yaml", "name: Germany, wikidata: Q183", "name: Germany, wikidata: Q0")
    bad = runner.invoke(main, ["validate", "--data", str(data_copy)])
    assert bad.exit_code == 1
    assert "[countries[1] DE] field 'wikidata'" in bad.output

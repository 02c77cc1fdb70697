"""The chunked build (chunks.py) gives the quads and the validation of the whole graph in rdflib."""

from __future__ import annotations

from icc_graph.build import chunks
from icc_graph.build.progress import Progress
from icc_graph.build.rdf_writers import sorted_quads
from icc_graph.build.release import build_checked
from icc_graph.vocabulary.iris import Minter

from .conftest import DATA, settings_for
from .reference_pipeline import build_graph, validate


def _same_as_whole(tmp_path, monkeypatch, practices: int, links: int) -> None:
    monkeypatch.setattr(chunks, "PRACTICES_PER_CHUNK", practices)
    monkeypatch.setattr(chunks, "LINKS_PER_CHUNK", links)
    settings = settings_for(DATA, tmp_path / "dist")
    records, dataset = build_graph(settings, Progress(enabled=False))
    _, quads = build_checked(settings, Progress(enabled=False))
    whole = [str(q) for q in sorted_quads(dataset)]
    chunked = [f"{line[:-1].decode()} <{name}>" for name in quads.runs.names() for line in quads.runs.lines(name)]
    assert chunked == whole
    expected = validate(records, dataset, Minter(settings.base_iri), settings.data_dir)
    assert quads.validation.findings == expected.findings
    assert quads.validation.focus_nodes == expected.focus_nodes
    assert quads.validation.report.serialize(format="turtle") == expected.report.serialize(format="turtle")


def test_small_chunks_give_the_whole_graph_and_its_validation(tmp_path, monkeypatch):
    # Chunks of a few practices and links: every kind of chunk is cut several times on the seed data.
    _same_as_whole(tmp_path, monkeypatch, practices=3, links=5)


def test_a_self_link_is_found_in_its_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(chunks, "PRACTICES_PER_CHUNK", 3)
    settings = settings_for(DATA, tmp_path / "dist")
    real = chunks.add_practice

    def with_self_link(source, curation, mint, p):
        real(source, curation, mint, p)
        if p.slug == records_slug[0]:
            s = mint.practice(p.slug)
            source.add((s, chunks.ICC.similarPractice, s))

    records_slug = []
    records, _ = build_graph(settings, Progress(enabled=False))
    records_slug.append(records.practices[len(records.practices) // 2].slug)
    monkeypatch.setattr(chunks, "add_practice", with_self_link)
    _, quads = build_checked(settings, Progress(enabled=False))
    shapes = {str(f.shape).rpartition("#")[2] for f in quads.validation.violations}
    assert shapes == {"NoSelfLinks"}

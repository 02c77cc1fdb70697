"""The on-disk store holds the union of the release's graphs as its own default graph: it answers as the in-memory
store does, whatever dataset a query or the protocol names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from icc_graph.build.release import checksums
from icc_graph.store.base import GraphSelection
from icc_graph.store.embedded.disk import LAYOUT, _triple, holds_union
from icc_graph.store.embedded.store import EmbeddedStore
from icc_graph.vocabulary.formats import CSV, N_TRIPLES
from icc_graph.vocabulary.release_folder import CHECKSUMS

CURATION = "https://w3id.org/icc-graph/graph/curation"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
QUERIES = {
    "the union": COUNT,
    "each graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "FROM one graph": f"SELECT (COUNT(*) AS ?n) FROM <{CURATION}> WHERE {{ ?s ?p ?o }}",
    "FROM NAMED alone": f"SELECT (COUNT(*) AS ?n) FROM NAMED <{CURATION}> WHERE {{ ?s ?p ?o }}",
    "a listing": """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX schema: <https://schema.org/>
        SELECT ?practice ?label ?place WHERE { ?practice dcterms:subject ?theme ; rdfs:label ?label ;
        schema:spatialCoverage ?place } ORDER BY ?label ?practice ?place ?theme""",
    "a join across graphs": f"""PREFIX schema: <https://schema.org/> PREFIX geo: <http://www.opengis.net/ont/geosparql#>
        SELECT ?practice ?wkt WHERE {{ ?practice schema:spatialCoverage ?place .
        GRAPH <{CURATION}> {{ ?place geo:hasGeometry/geo:asWKT ?wkt }} }} ORDER BY ?practice ?wkt""",
}
SELECTIONS = {
    "named-graph-uri alone": GraphSelection(named_graphs=(CURATION,)),
    "default-graph-uri": GraphSelection(default_graphs=(CURATION,)),
}


def rows(body: bytes) -> list[bytes]:
    return sorted(line for line in body.splitlines() if line.strip())


@pytest.fixture(scope="module")
def stores(seed_release):
    memory = EmbeddedStore(seed_release, row_cap=100_000, processes=1, in_memory=True)
    disk = EmbeddedStore(seed_release, row_cap=100_000, processes=1, in_memory=False)
    yield memory, disk
    memory.close()
    disk.close()


def test_the_store_folder_holds_the_union_in_its_layout(stores):
    _, disk = stores
    store_dir = Path(disk.source.removeprefix("disk:"))
    assert store_dir.parent.name.endswith(f"-{LAYOUT}") and holds_union(store_dir)


@pytest.mark.parametrize("name", QUERIES)
def test_disk_answers_a_query_as_memory_does(stores, name):
    memory, disk = stores
    expected = memory.execute(QUERIES[name], CSV, 30).body
    assert len(rows(expected)) > 1, "the query has an answer to compare"
    assert disk.execute(QUERIES[name], CSV, 30).body == expected


def test_a_dataset_of_named_graphs_alone_has_an_empty_default_graph(stores):
    for store in stores:
        assert rows(store.execute(QUERIES["FROM NAMED alone"], CSV, 30).body) == [b"0", b"n"]
        assert rows(store.execute(COUNT, CSV, 30, SELECTIONS["named-graph-uri alone"]).body) == [b"0", b"n"]


@pytest.mark.parametrize("name", SELECTIONS)
def test_disk_answers_a_protocol_dataset_as_memory_does(stores, name):
    memory, disk = stores
    expected = memory.execute(COUNT, CSV, 30, SELECTIONS[name]).body
    assert disk.execute(COUNT, CSV, 30, SELECTIONS[name]).body == expected


def test_disk_describes_a_practice_as_memory_does(stores):
    memory, disk = stores
    practice = memory.execute("SELECT ?p WHERE { ?p a <https://w3id.org/icc-graph/ontology#GoodPractice> } "
                              "ORDER BY ?p LIMIT 1", CSV, 30).body.splitlines()[1].decode()
    expected = rows(memory.execute(f"DESCRIBE <{practice}>", N_TRIPLES, 30).body)
    assert len(expected) > 5
    assert rows(disk.execute(f"DESCRIBE <{practice}>", N_TRIPLES, 30).body) == expected


def test_a_release_that_fills_the_default_graph_itself_is_merged_per_query(seed_release, tmp_path):
    release = tmp_path / "dist" / "own-default"
    shutil.copytree(seed_release, release)
    with (release / "icc-graph.nq").open("a", encoding="utf-8") as quads:
        quads.write('<urn:example:s> <urn:example:p> "in the default graph" .\n')
    (release / CHECKSUMS).write_bytes(checksums({p.name: p.read_bytes() for p in release.iterdir() if p.is_file()}))
    memory = EmbeddedStore(release, row_cap=100, processes=1, in_memory=True)
    disk = EmbeddedStore(release, row_cap=100, processes=1, in_memory=False)
    try:
        assert not holds_union(Path(disk.source.removeprefix("disk:")))
        for query in (COUNT, "ASK { <urn:example:s> ?p ?o }"):
            assert disk.execute(query, CSV, 30).body == memory.execute(query, CSV, 30).body
        assert memory.execute("ASK { <urn:example:s> ?p ?o }", CSV, 30).body.strip().endswith(b"true")
    finally:
        memory.close()
        disk.close()


@pytest.mark.parametrize("quad, triple", [
    (b'<s> <p> "a <b> . c"@en <g> .\n', b'<s> <p> "a <b> . c"@en .\n'),
    (b"_:b <p> <o> _:g .\r\n", b"_:b <p> <o> .\n"),
    (b'<s> <p> "o"<g>.\n', b'<s> <p> "o" .\n'),
    (b"# a comment\n", b""),
    (b"\n", b""),
])
def test_a_quad_line_loses_its_graph_name(quad, triple):
    assert _triple(quad) == triple

"""One real server for the endpoint tests: the seed release plus the W3C protocol test graphs.

The W3C protocol tests name their data by graph (``ut:graphData``: data1.nt as
http://kasei.us/2009/09/sparql/data/data1.rdf, ...), so the test release is
the seed release with those graphs added to its N-Quads dump, and a new
SHA256SUMS (a new release, to the store cache). Limits are small so that every
safety case is quick to reach: 2.5 s per query, 500 rows, 20 kB per request.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDFS

from icc_graph.build.release import checksums
from icc_graph.vocabulary.release_folder import CHECKSUMS

from ..conftest import STANDARDS
from ..serving import in_process_server

W3C = STANDARDS / "w3c-sparql11"
PROTOCOL_MANIFEST = W3C / "protocol" / "manifest.ttl"
SD_MANIFEST = W3C / "service-description" / "manifest.ttl"
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
LIMITS = {"query_timeout": 1.5, "row_cap": 500, "max_request_bytes": 20_000}


def protocol_graphs() -> dict[str, Path]:
    """graph name -> data file, as the protocol manifest's ut:graphData pairs them (none without the manifest)."""
    if not PROTOCOL_MANIFEST.is_file():
        return {}   # the protocol tests skip (or fail in CI); every other endpoint test still runs
    manifest = Graph().parse(PROTOCOL_MANIFEST, publicID=PROTOCOL_MANIFEST.as_uri())
    graphs = {}
    for data in manifest.objects(None, UT.graphData):
        graphs[str(manifest.value(data, RDFS.label))] = Path(URIRef(manifest.value(data, UT.graph)).removeprefix("file://"))
    return graphs


@pytest.fixture(scope="session")
def sparql_release(seed_release, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sparql-dist") / "test-release"
    shutil.copytree(seed_release, folder)
    quads = [(folder / "icc-graph.nq").read_text(encoding="utf-8")]
    for name, path in sorted(protocol_graphs().items()):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                quads.append(line.rstrip().removesuffix(".").rstrip() + f" <{name}> .\n")
    (folder / "icc-graph.nq").write_text("".join(quads), encoding="utf-8")
    (folder / CHECKSUMS).write_bytes(checksums({p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}))
    return folder


@pytest.fixture(scope="session")
def server(sparql_release):
    """The endpoint over real HTTP, in process (end to end under Granian: tests/web, tests/remote, test_make_run).

    No public URL set, as a user starts it: every URL it writes comes from the request.
    """
    with in_process_server(sparql_release, **LIMITS) as running:
        yield running

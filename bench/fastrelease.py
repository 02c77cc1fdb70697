"""A serving-only release for the endpoint benchmark when the full build does not finish in its time.

It runs the build's own stages except the derived links (and validation):
read data/, map to RDF, sort the quads, write the N-Quads dump and SHA256SUMS,
which is all a SPARQL server needs. The benchmark queries never touch the
links graph, so the endpoint numbers stay comparable; bench/run says when it
used this path. Usage: ``python bench/fastrelease.py DATA OUT`` prints the folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

from icc_graph.build.datadir import read_records
from icc_graph.build.mapping import map_records, theme_slugs, vocabulary_graph
from icc_graph.build.rdf_writers import serialize, sorted_quads
from icc_graph.build.release import checksums
from icc_graph.vocabulary.generated import load_context
from icc_graph.vocabulary.iris import DEFAULT_BASE, Minter
from icc_graph.vocabulary.release_folder import CHECKSUMS, DUMP_STEM


def write_serving_release(data_dir: Path, out: Path) -> Path:
    mint = Minter(DEFAULT_BASE)
    vocabulary = vocabulary_graph(mint)
    records = read_records(data_dir, theme_slugs(vocabulary, mint))
    dataset = map_records(records, mint, vocabulary)
    nquads = serialize(sorted_quads(dataset), "nq", load_context(), {})
    files = {f"{DUMP_STEM}.nq": nquads}
    files[CHECKSUMS] = checksums(files)
    folder = out / f"{records.metadata.version}-serving-only"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


if __name__ == "__main__":
    print(write_serving_release(Path(sys.argv[1]), Path(sys.argv[2])))

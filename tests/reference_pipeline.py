"""The whole release graph in one rdflib Dataset, validated at once: the reference the chunked build is held to.

The build never does this (rdflib takes about 1.3 kB per triple: 8.8 GB at 100k
practices); tests and bench/validation.py compare the chunked build with it.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from icc_graph.build.datadir import read_records
from icc_graph.build.gate import Gate, Validation
from icc_graph.build.links import LINKS_GRAPH, derive_links, describe_links_graph
from icc_graph.build.mapping import map_records, theme_slugs, vocabulary_graph
from icc_graph.build.progress import Progress
from icc_graph.build.records import Records
from icc_graph.build.suggestions import (
    SUGGESTIONS_GRAPH,
    compute_suggestions,
    describe_suggestions_graph,
    suggestions_graph,
)
from icc_graph.config import Settings
from icc_graph.vocabulary.iris import Minter


def build_graph(settings: Settings, progress: Progress) -> tuple[Records, Dataset]:
    """The whole release graph in one rdflib Dataset: for tests and small data only."""
    mint = Minter(settings.base_iri)
    vocabulary = vocabulary_graph(mint)
    records = read_records(settings.data_dir, theme_slugs(vocabulary, mint))
    with progress.step(f"mapping {len(records.practices)} practices to RDF"):
        dataset = map_records(records, mint, vocabulary)
    with progress.step("deriving cross-city links"):
        derive_links(records, mint, into=dataset.graph(mint.graph(LINKS_GRAPH)), min_score=settings.link_min_score)
        metadata = dataset.graph(mint.graph("metadata"))
        metadata += describe_links_graph(records, mint)
    with progress.step("suggesting themes for practices without curated ones"):
        suggestions_graph(records, mint, compute_suggestions(records, vocabulary, mint),
                          into=dataset.graph(mint.graph(SUGGESTIONS_GRAPH)))
        metadata += describe_suggestions_graph(records, mint)
    return records, dataset


def validate(records: Records, dataset: Dataset, mint: Minter, data_dir: Path) -> Validation:
    """Run the shapes over the whole ``dataset``; every result is traced back to its file and field.

    The build validates chunk by chunk instead (chunks.py), through the same Gate.
    """
    gate = Gate(records, mint, data_dir)
    gate.check(dataset)
    return gate.finish()

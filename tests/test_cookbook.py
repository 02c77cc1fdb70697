"""Every cookbook query (queries/*.rq) answers its question on the seed release exactly as its .csv says."""

from __future__ import annotations

import csv
import io

import pytest

from icc_graph.store.embedded.core import core_may_answer
from icc_graph.store.embedded.store import EmbeddedStore
from icc_graph.vocabulary.formats import CSV
from icc_graph.web.endpoint.cookbook import recipes

from .serving import core_ready

RECIPES = recipes()


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.fixture(scope="module", params=["disk", "memory", "disk and core"])
def store(seed_release, request):
    """Every way the embedded store holds a release must give the same answers: on disk alone, in memory, and on
    disk with its in-memory core (embedded.core) loaded, which then answers the recipes it may."""
    store = EmbeddedStore(seed_release, row_cap=100_000, processes=1, in_memory=request.param == "memory",
                          core=request.param == "disk and core")
    if store.core:
        core_ready(store)
    yield store
    store.close()


def test_the_cookbook_has_the_questions_researchers_ask():
    assert len(RECIPES) >= 6
    for recipe in RECIPES:
        assert recipe.title.endswith("?"), f"{recipe.path}: the first comment line asks a question"
        assert recipe.expected_csv.is_file(), f"{recipe.path}: no expected answer {recipe.expected_csv.name}"


@pytest.mark.parametrize("recipe", RECIPES, ids=[r.name for r in RECIPES])
def test_recipe_gives_its_expected_answer(store, recipe):
    answer = store.execute(recipe.query, CSV, timeout=30)
    assert answer.from_core == (store.core and core_may_answer(recipe.query))
    expected = rows(recipe.expected_csv.read_bytes())
    got = rows(answer.body)
    assert not answer.truncated
    assert got[0] == expected[0], f"{recipe.name}: columns differ"
    assert len(got) > 1, f"{recipe.name}: no answer on the seed release: the question shows nothing"
    assert got == expected, f"{recipe.name}: the answer differs from {recipe.expected_csv.name}"

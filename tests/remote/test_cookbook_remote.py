"""The query cookbook gives the same answers on the embedded store, an Oxigraph server and Virtuoso."""

from __future__ import annotations

import pytest

from icc_graph.store.remote.push import push
from icc_graph.store.remote.store import RemoteStore
from icc_graph.vocabulary.formats import CSV
from icc_graph.web.endpoint.cookbook import recipes

from ..test_cookbook import rows
from .conftest import VIRTUOSO_LOGIN, store_settings
from .servers import oxigraph

RECIPES = recipes()


@pytest.fixture(scope="module")
def oxigraph_store(tmp_path_factory, seed_release):
    with oxigraph(tmp_path_factory.mktemp("cookbook") / "store") as server:
        push(store_settings(server.url), seed_release, server.url)
        yield RemoteStore(store_settings(server.url, row_cap=100_000))


@pytest.fixture(scope="module")
def virtuoso_store(virtuoso_server, seed_release):
    push(store_settings(virtuoso_server.url, **VIRTUOSO_LOGIN), seed_release, virtuoso_server.url)
    return RemoteStore(store_settings(virtuoso_server.url, row_cap=100_000))


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
@pytest.mark.parametrize("recipe", RECIPES, ids=[r.name for r in RECIPES])
def test_recipe_answers_as_on_the_embedded_store(request, kind, recipe):
    store = request.getfixturevalue(f"{kind}_store")
    answer = store.execute(recipe.query, CSV, timeout=30)
    assert not answer.truncated
    assert rows(answer.body) == rows(recipe.expected_csv.read_bytes()), \
        f"{recipe.name} on {kind}: the answer differs from {recipe.expected_csv.name}"

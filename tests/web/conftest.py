"""The resource pages over the seed release: one embedded store and one app for the whole session."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph

from icc_graph.store.embedded.store import EmbeddedStore
from icc_graph.web.app import create_app

JSONLD_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="session")
def pages_store(seed_release):
    store = EmbeddedStore(seed_release, row_cap=10000, processes=2)
    yield store
    store.close()


@pytest.fixture(scope="session")
def capped_store(seed_release):
    """The seed release behind a row cap of 40, so that descriptions and sitemap parts are cut."""
    store = EmbeddedStore(seed_release, row_cap=40, processes=1)
    yield store
    store.close()


@pytest.fixture(scope="session")
def pages_app(seed_settings, pages_store):
    return create_app(seed_settings, pages_store)


@pytest.fixture
def client(pages_app):
    return pages_app.test_client()


def embedded_jsonld(html: str) -> Graph:
    """The triples of the schema.org JSON-LD a page embeds (exactly one script)."""
    scripts = JSONLD_SCRIPT.findall(html)
    assert len(scripts) == 1, f"expected one JSON-LD script, found {len(scripts)}"
    return Graph().parse(data=scripts[0], format="json-ld")

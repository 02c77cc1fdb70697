"""The package's layout holds: no import cycle, and each layer imports only the layers below it.

Read from the source (every import, also those inside functions), so a cycle
that only a lazy import hides still counts.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "icc_graph"

# What each part of the package may import from icc_graph (besides itself). ``config``
# and ``errors`` are the settings object and the DataError every layer may raise.
ALLOWED = {
    "vocabulary": set(),
    "build": {"vocabulary", "config", "errors"},
    "importers": {"vocabulary", "build", "config", "errors"},
    # The manners toward other sites (User-Agent, pacing, Retry-After): harvest and reconcile both ask through it.
    "polite_http": {"build", "config"},
    "reconcile": {"vocabulary", "build", "polite_http", "config", "errors"},
    "harvest": {"vocabulary", "build", "importers", "polite_http", "config", "errors"},
    "store": {"vocabulary", "config", "errors"},
    "web": {"vocabulary", "store", "config", "errors"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The icc_graph modules ``name`` imports (a package's module when ``from package import module``)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "icc_graph"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + (node.module.split(".") if node.module else []))
            elif node.module and node.module.split(".")[0] == "icc_graph":
                target = node.module
            else:
                continue
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES}
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return components


def test_the_graph_is_read():
    assert "icc_graph.web.pages.resource_pages" in GRAPH["icc_graph.web.app"]
    assert "icc_graph.vocabulary.iris" in GRAPH["icc_graph.build.mapping"]


def test_no_import_cycle():
    assert _cycles() == []


def _layer(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below(layer):
    wrong = sorted(f"{m} imports {t}" for m, targets in GRAPH.items() if _layer(m) == layer
                   for t in targets if _layer(t) != layer and _layer(t) not in ALLOWED[layer]
                   and t != "icc_graph")
    assert wrong == []


def _product_names() -> list[str]:
    """Every name a store product goes by: its row's name and the alternatives its Server pattern matches."""
    from icc_graph.store.remote.endpoints import PRODUCTS

    names = {product.name for product in PRODUCTS}
    names |= {word for product in PRODUCTS for word in re.findall(r"[A-Za-z][A-Za-z0-9]+", product.server.pattern)}
    return sorted(names)


def _namings(path: Path, names: list[str]) -> list[str]:
    text = path.read_text(encoding="utf-8")
    # pyoxigraph is the RDF toolkit every store module may use (terms, parsers), not a store product.
    text = re.sub(r"\bpyoxigraph\b", "", text)
    return [f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
            for number, line in enumerate(text.splitlines(), 1)
            for name in names if re.search(rf"\b{name}\b", line, re.I)]


def test_product_names_are_read_as_expected():
    assert {"Virtuoso", "Oxigraph", "Fuseki", "Jena", "GraphDB", "RDF4J"} <= set(_product_names())


def test_only_the_product_table_names_a_store_product():
    """Each product's quirks live on its row in store/remote/endpoints.py; the rest of store/ reads the row.

    Oxigraph is also the embedded store's engine, so only store/remote/ must not name it."""
    names = _product_names()
    remote_only = ["Oxigraph"]
    found = []
    for path in sorted((PACKAGE / "store").rglob("*.py")):
        if path == PACKAGE / "store" / "remote" / "endpoints.py":
            continue
        in_remote = "remote" in path.relative_to(PACKAGE / "store").parts
        found += _namings(path, names if in_remote else [n for n in names if n not in remote_only])
    assert found == []

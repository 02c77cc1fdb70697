"""Where the hand-written files (ontology, shapes, query cookbook) are found.

A wheel carries them inside the package (see pyproject's force-include); a
checkout or an editable install reads them from the repository's top level.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent   # the icc_graph package
_CHECKOUT = _PACKAGE.parent.parent


def resource_dir(name: str) -> Path:
    """The folder ``name`` (ontology, shapes, queries), packaged or checked out."""
    for candidate in (_PACKAGE / name, _CHECKOUT / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"icc-graph resource folder {name!r} is missing from {_PACKAGE} and {_CHECKOUT}")


def ontology_file() -> Path:
    return resource_dir("ontology") / "icc.ttl"


def themes_file() -> Path:
    return resource_dir("ontology") / "themes.ttl"

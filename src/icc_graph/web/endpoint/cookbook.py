"""The query cookbook: ``queries/<name>.rq``, one question researchers ask per file, its answer in ``<name>.csv``.

A recipe's first lines are ``# `` comments: the question in plain words (the
first line is its title). The query page offers every recipe, and the tests
run each one on the seed release and compare with its ``.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...vocabulary.handwritten import resource_dir


@dataclass(frozen=True)
class Recipe:
    name: str
    title: str          # the question, first comment line
    description: str    # the other leading comment lines
    query: str
    path: Path

    @property
    def expected_csv(self) -> Path:
        return self.path.with_suffix(".csv")


def read_recipe(path: Path) -> Recipe:
    text = path.read_text(encoding="utf-8")
    comments = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comments.append(line.lstrip("#").strip())
    if not comments or not comments[0]:
        raise ValueError(f"{path}: a cookbook query starts with '# ' lines that ask its question")
    return Recipe(path.stem, comments[0], " ".join(c for c in comments[1:] if c), text, path)


def recipes(folder: Path | None = None) -> list[Recipe]:
    """Every recipe, by file name."""
    folder = folder or resource_dir("queries")
    return [read_recipe(path) for path in sorted(folder.glob("*.rq"))]

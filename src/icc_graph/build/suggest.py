"""Theme suggestions: themes for the practices that curation leaves without any, learnt from the curated ones.

The method is a nearest-centroid classifier over TF-IDF vectors (the same
tokenizer and weighting as the practice similarity, similarity.tfidf_matrix):
each topic gets a profile, the sum of the unit vectors of its scheme text
(labels in every language, alternative labels, definition, scope note, and the
labels of the Index areas it matches) and of every curated practice carrying
it, normalised; a practice's confidence in a topic is the cosine between its
text (title, summary, every template section) and that profile.

Why this and not an embedding model: it needs nothing beyond numpy and scipy
(no model download, nothing from the network at build time), it is
deterministic (the same data gives the same suggestions and bytes), it runs
in seconds at 100k practices, it handles the English, French, German and
Portuguese texts of the database alike (words, not an English-only model),
and every suggestion can be explained by the words it shares with the profile.
Its weakness: it knows words, not meanings (a practice that says "newcomers"
where the profiles say "refugees" is missed), which the measured precision and
recall (bench/suggest.py, bench/RESULTS.md) show.

Curated themes always win: only a practice without any gets suggestions. It
gets its best topic, and the next ones (up to ``TOP``) whose confidence is at
least ``RELATIVE`` of the best's and at least ``MIN_CONFIDENCE``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from rdflib import Graph
from rdflib.namespace import SKOS
from scipy import sparse

from ..vocabulary.iris import Minter
from .records import Practice
from .similarity import PLACES, decimal_score, practice_text, tfidf_matrix

METHOD = "tfidf-centroid"
METHOD_VERSION = "1"
TOP = 3                          # most suggestions for one practice
RELATIVE = 0.6                   # a further suggestion scores at least this share of the best one
MIN_CONFIDENCE = Decimal("0.05")   # and at least this
TOPICS = "topics"                # the scheme whose concepts curation assigns
_SCHEME_TEXT = (SKOS.prefLabel, SKOS.altLabel, SKOS.definition, SKOS.scopeNote)
_MATCHES = (SKOS.closeMatch, SKOS.broadMatch, SKOS.relatedMatch)


@dataclass(frozen=True)
class Suggestion:
    practice: str
    theme: str
    confidence: Decimal          # rounded to PLACES
    rank: int                    # 1 for the best of the practice


def theme_texts(vocabulary: Graph, mint: Minter) -> dict[str, str]:
    """topic slug -> what the schemes say about it: its labels, definition and notes, and its Index areas' labels."""
    prefix = str(mint.theme(""))
    texts = {}
    for concept in sorted(vocabulary.subjects(SKOS.inScheme, mint.scheme(TOPICS)), key=str):
        words = [str(o) for p in _SCHEME_TEXT for o in vocabulary.objects(concept, p)]
        for match in _MATCHES:
            for area in vocabulary.objects(concept, match):
                words += [str(o) for o in vocabulary.objects(area, SKOS.prefLabel)]
        texts[str(concept)[len(prefix):]] = " ".join(sorted(words))
    return texts


@dataclass
class ThemeModel:
    """Profiles of the topics, learnt from the schemes' text and the curated practices."""

    themes: list[str]
    practices: list[Practice]        # every practice, by slug
    vectors: sparse.csr_matrix       # TF-IDF rows of the practices (unit length)
    sums: np.ndarray                 # topic x term: scheme text + curated practices, before normalising
    version: str

    @classmethod
    def learn(cls, practices: tuple[Practice, ...], texts: dict[str, str]) -> ThemeModel:
        practices_ = sorted(practices, key=lambda p: p.slug)
        themes = sorted(texts)
        x = tfidf_matrix([practice_text(p) for p in practices_] + [texts[t] for t in themes])
        vectors, scheme = x[: len(practices_)], x[len(practices_):]
        sums = np.asarray(scheme.todense(), dtype=np.float64)
        labels = _labels(practices_, themes)
        sums += labels.T @ vectors        # each curated practice adds its unit vector to its topics
        return cls(themes, practices_, vectors, sums, _version(practices_, texts))

    def scores(self, rows: np.ndarray, leave_out: bool = False) -> np.ndarray:
        """Cosine of each practice in ``rows`` with every topic; ``leave_out``: without that practice's own votes."""
        if not leave_out:     # sparse rows times the dense profiles: no practice's row is ever made dense
            return np.asarray(self.vectors[rows] @ _unit(self.sums).T)
        labels = _labels([self.practices[i] for i in rows], self.themes)
        out = np.empty((len(rows), len(self.themes)))
        for k, row in enumerate(rows):
            x = np.asarray(self.vectors[row].todense()).ravel()
            out[k] = _unit(self.sums - np.outer(labels[k], x)) @ x
        return out

    def suggest(self, practices: list[Practice] | None = None) -> list[Suggestion]:
        """Suggestions for ``practices`` (default: every practice without a curated theme), sorted.

        A curated practice is scored without its own votes (leave one out), as if it had none.
        """
        wanted = practices if practices is not None else [p for p in self.practices if not p.themes]
        row = {p.slug: i for i, p in enumerate(self.practices)}
        rows = np.array([row[p.slug] for p in wanted], dtype=np.int64)
        scores = self.scores(rows) if len(rows) else np.empty((0, len(self.themes)))
        curated = np.array([bool(p.themes) for p in wanted], dtype=bool)
        if curated.any():
            scores[curated] = self.scores(rows[curated], leave_out=True)
        scores = np.round(scores, PLACES)
        return [Suggestion(p.slug, self.themes[t], decimal_score(scores[k, t]), rank)
                for k, p in enumerate(wanted) for rank, t in enumerate(chosen(scores[k]), start=1)]


def chosen(scores: np.ndarray) -> list[int]:
    """The columns suggested for one row of scores, best first (ties by theme order)."""
    order = np.lexsort((np.arange(len(scores)), -scores))
    best = scores[order[0]] if len(order) else 0.0
    if best <= 0:
        return []
    floor = max(RELATIVE * best, float(MIN_CONFIDENCE))
    return [int(t) for t in order[:TOP] if t == order[0] or scores[t] >= floor]


def _labels(practices: list[Practice], themes: list[str]) -> np.ndarray:
    column = {t: i for i, t in enumerate(themes)}
    labels = np.zeros((len(practices), len(themes)))
    for i, p in enumerate(practices):
        for t in p.themes:
            if t in column:
                labels[i, column[t]] = 1
    return labels


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def _version(practices: list[Practice], texts: dict[str, str]) -> str:
    """The method's version and a digest of what it learnt from: the same digest, the same suggestions."""
    digest = hashlib.sha256()
    for p in practices:
        digest.update(f"{p.slug}\t{','.join(sorted(p.themes))}\t{practice_text(p)}\n".encode())
    for theme, text in sorted(texts.items()):
        digest.update(f"{theme}\t{text}\n".encode())
    return f"{METHOD}/{METHOD_VERSION}+{digest.hexdigest()[:12]}"


def suggest_themes(practices: tuple[Practice, ...], vocabulary: Graph, mint: Minter) -> tuple[str, list[Suggestion]]:
    """(model version, the suggestions for every practice without a curated theme)."""
    model = ThemeModel.learn(practices, theme_texts(vocabulary, mint))
    return model.version, model.suggest()

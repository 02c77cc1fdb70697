"""Practice similarity: TF-IDF cosine over each practice's texts, among practices that share a theme.

Comparing every practice with every other is quadratic, so candidates come from
an inverted index instead: two practices are compared only when they share at
least one *distinctive* term, one found in at most ``CANDIDATE_DF`` practices
(while a release has no more practices than that, every term counts and the
search is exhaustive). The index is a sparse term matrix R, and the candidates
of a block of practices are the non-zeros of R[block] · Rᵀ, whose size is
bounded by the distinctive terms' document frequencies, not by the number of
practices. Pairs that share no theme are dropped before any score is computed.

Each practice keeps its ``TOP_K`` best partners scoring at least ``THRESHOLD``
(a pair stays when either end keeps it), so the output grows linearly.
Scores are rounded to four places before they are compared, so that ties and
the threshold fall the same way on every build.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import zip_longest

import numpy as np
from scipy import sparse

from .forked import Forked
from .records import Practice

METHOD = "tfidf-cosine"
THRESHOLD = Decimal("0.1")
TOP_K = 3
CANDIDATE_DF = 200          # a term in at most this many practices proposes candidate pairs
MAX_DF = 0.5                # a term in more than half of the practices carries no signal ...
MAX_DF_FROM = 20            # ... once there are this many practices to judge by
BLOCK = 2048                # practices whose candidates are found in one sparse product
PLACES = 4                  # decimal places of a published score

_TOKEN = re.compile(r"[^\W\d_]{3,}")
# Words too common in any practice description to say what it is about (English, French, German, Portuguese).
_STOP_WORDS = """
about after also among and are been being between both but can could did does doing during each few for from
further had has have having her here hers him his how into its itself just more most not now off once only other
our ours out over own same she should some such than that the their theirs them then there these they this
those through too under until very was were what when where which while who whom why will with would you your
les des une aux par pour dans sur avec qui que est son ses leur leurs plus ont été être cette ces
der die das und den dem des ein eine einer mit für von auf ist sich nicht auch als bei
uma para com por dos das que nos nas são foi
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class SimilarPair:
    a: str                          # practice slug, a < b
    b: str
    score: Decimal                  # TF-IDF cosine, rounded to PLACES
    themes: tuple[str, ...]         # the themes both carry, sorted


def practice_text(p: Practice) -> str:
    """What is compared: title (or label), summary and every template section."""
    return " ".join(filter(None, (p.title or p.label, p.summary, *(text for _, text in p.sections))))


def tfidf_matrix(texts: list[str]) -> sparse.csr_matrix:
    """Rows are L2-normalised TF-IDF vectors (sublinear term frequency, smoothed IDF)."""
    # A new token gets the next id; the lookup runs in C (map over a dict method), which is most of the speed.
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    lookup = vocabulary.__getitem__
    indices = array("i")
    indptr = array("q", [0])
    for text in texts:
        indices.extend(map(lookup, _TOKEN.findall(text.lower())))
        indptr.append(len(indices))
    n = len(texts)
    counts = sparse.csr_matrix((np.ones(len(indices)), np.frombuffer(indices, dtype=np.int32),
                                np.frombuffer(indptr, dtype=np.int64)), shape=(n, len(vocabulary)))
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=len(vocabulary))
    idf = np.log((1 + n) / (1 + df)) + 1
    if n >= MAX_DF_FROM:
        idf[df > MAX_DF * n] = 0
    idf[[vocabulary[word] for word in STOP_WORDS if word in vocabulary]] = 0
    counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
    counts.eliminate_zeros()
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ counts)


def theme_masks(practices: tuple[Practice, ...], themes: list[str]) -> np.ndarray:
    """One bit set per theme, as many 64-bit words as the themes need."""
    bit = {t: i for i, t in enumerate(themes)}
    masks = np.zeros((len(practices), max(1, (len(themes) + 63) // 64)), dtype=np.uint64)
    for row, p in enumerate(practices):
        for t in p.themes:
            masks[row, bit[t] // 64] |= np.uint64(1) << np.uint64(bit[t] % 64)
    return masks


def term_index(x: sparse.csr_matrix) -> sparse.csr_matrix:
    """The inverted index as a 0/1 matrix: practices x distinctive terms (in 2..CANDIDATE_DF practices)."""
    df = np.bincount(x.indices, minlength=x.shape[1])
    return sparse.csr_matrix(x[:, np.flatnonzero((df <= CANDIDATE_DF) & (df > 1))] != 0, dtype=np.float32)


def _candidates(index: sparse.csr_matrix, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j), start <= i < stop, i < j, sharing a distinctive term."""
    products = sparse.coo_matrix(index[start:stop] @ index.T)
    i, j = products.row.astype(np.int64) + start, products.col.astype(np.int64)
    keep = i < j
    return i[keep], j[keep]


def _cosines(x: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return np.asarray(x[i].multiply(x[j]).sum(axis=1)).ravel()


def _keep_top(i: np.ndarray, j: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """A mask of the pairs that are among the k best of either end (ties go to the lower index)."""
    ends = np.concatenate([i, j])
    others = np.concatenate([j, i])
    both = np.concatenate([scores, scores])
    order = np.lexsort((others, -both, ends))
    sorted_ends = ends[order]
    first = np.searchsorted(sorted_ends, sorted_ends, side="left")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order)) - first
    kept = rank < k
    return kept[: len(i)] | kept[len(i):]


def similar_practices(practices: tuple[Practice, ...], *, threshold: Decimal = THRESHOLD,
                      top_k: int = TOP_K) -> list[SimilarPair]:
    """The similar pairs among ``practices`` (any order), sorted by (a, b)."""
    practices = tuple(sorted(practices, key=lambda p: p.slug))
    if len(practices) < 2:
        return []
    x = tfidf_matrix([practice_text(p) for p in practices])
    themes = sorted({t for p in practices for t in p.themes})
    masks = theme_masks(practices, themes)
    index = term_index(x)

    def scored(starts: range) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """The pairs kept, with their scores, of the blocks of practices that begin at ``starts``."""
        found = []
        for start in starts:
            i, j = _candidates(index, start, min(start + BLOCK, len(practices)))
            share = (masks[i] & masks[j]).any(axis=1)
            i, j = i[share], j[share]
            scores = np.round(_cosines(x, i, j), PLACES)
            keep = scores >= float(threshold)
            found.append((i[keep], j[keep], scores[keep]))
        return found

    starts = range(0, len(practices), BLOCK)
    if len(starts) > 1:     # every second block in a forked child, on the second core (the arrays travel back)
        with Forked(lambda: scored(starts[1::2])) as theirs:
            mine = scored(starts[::2])
            blocks = [b for pair in zip_longest(mine, theirs.result()) for b in pair if b is not None]
    else:
        blocks = scored(starts)
    i, j, scores = (np.concatenate(a) for a in zip(*blocks, strict=True))    # in block order, as ties need
    keep = _keep_top(i, j, scores, top_k)
    pairs = []
    for a, b, score in zip(i[keep].tolist(), j[keep].tolist(), scores[keep].tolist(), strict=True):
        shared = tuple(sorted(set(practices[a].themes) & set(practices[b].themes)))
        pairs.append(SimilarPair(practices[a].slug, practices[b].slug, decimal_score(score), shared))
    return sorted(pairs, key=lambda p: (p.a, p.b))


def decimal_score(score: float) -> Decimal:
    """A score as published: a Decimal rounded to PLACES, at most 1."""
    # Cosines of unit vectors can overshoot 1 by a rounding error.
    return min(Decimal(f"{score:.{PLACES}f}"), Decimal(1)).normalize()

"""City links on shared themes, computed from the records (no rdflib): who is linked, on what, how strongly, why.

Two places (cities, or districts as the source names them) whose practices
share at least one curated theme are candidates. Each candidate gets a score,
the cosine of the two places' TF-IDF theme vectors: a place's weight on a theme
is (1 + log of its practices on the theme) times log(places / places holding the
theme). A theme every place holds then weighs nothing, a rare one much, and a
place with many practices on many themes has a long vector, so one common theme
shared with it counts for little. Only links scoring at least the threshold
(``ICC_GRAPH_LINK_MIN_SCORE``) are kept. A place and its own district, or two
districts of one city, are never linked: containment is schema:containedInPlace.
A link carries the score, the shared themes (their number is the raw weight)
and the evidence: the practices of each side that carry a shared theme.

Scale: with a few dozen themes nearly every pair of places shares one, so
"every pair that shares a theme" grows with the square of the places. Up to
EXHAUSTIVE_PLACES places (the real ICC database has about 150 member cities) every
such pair is linked with all its evidence. Beyond that the limits of
``Limits.large`` apply: candidates come from an inverted index theme -> places
whose posting lists are cut to the places most active on the theme, each place
keeps its strongest links (a link stays when either end keeps it), and a link
cites a bounded number of practices per side and theme. Work and output then
grow linearly with the places.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .records import Practice, Records
from .similarity import PLACES, decimal_score

EXHAUSTIVE_PLACES = 200
CHUNK = 1 << 16             # pairs handled at once, to bound memory
MIN_SCORE = Decimal("0.25")     # the default of ICC_GRAPH_LINK_MIN_SCORE


@dataclass(frozen=True)
class Limits:
    posting: int | None          # places kept per theme in the inverted index
    per_place: int | None        # strongest links each place keeps
    evidence: int | None         # practices cited per side and theme

    @classmethod
    def for_places(cls, count: int) -> Limits:
        return cls(None, None, None) if count <= EXHAUSTIVE_PLACES else cls.large()

    @classmethod
    def large(cls) -> Limits:
        return cls(posting=30, per_place=5, evidence=1)

    def describe(self) -> str:
        if self.posting is None and self.per_place is None and self.evidence is None:
            return "Every pair of places that shares a theme is linked, and every such practice is cited."
        return (f"Candidates come from an inverted index theme -> places, each list cut to the {self.posting} "
                f"places with most practices on the theme; each place keeps its {self.per_place} strongest links "
                f"(highest score, then most shared themes, then most practices on them; a link stays when "
                f"either end keeps it); a "
                f"link cites at most {self.evidence} practice(s) per side and theme, first by slug.")


@dataclass(frozen=True)
class PlaceLink:
    a: str                          # place slug, a < b
    b: str
    themes: tuple[str, ...]         # shared, sorted
    evidence: tuple[str, ...]       # practice slugs, sorted
    score: Decimal = Decimal(0)     # TF-IDF cosine of the two places' theme vectors, rounded to PLACES

    @property
    def weight(self) -> int:
        """The raw number of shared themes."""
        return len(self.themes)


def practice_places(records: Records, roll_up: bool = False) -> dict[str, list[Practice]]:
    """place slug -> its practices (by slug); with ``roll_up`` a district's practices go to its city."""
    places: dict[str, dict[str, Practice]] = defaultdict(dict)
    for p in records.practices:
        for slug in p.places:
            if roll_up:
                slug = records.place_by_slug[slug].parent or slug
            places[slug][p.slug] = p
    return {slug: [found[k] for k in sorted(found)] for slug, found in sorted(places.items())}


def city_links(records: Records, roll_up: bool = False, limits: Limits | None = None,
               min_score: Decimal = MIN_SCORE) -> list[PlaceLink]:
    """The shared-themes links scoring at least ``min_score``, sorted by (a, b).

    ``roll_up`` counts a district's practices for its city (and scores the cities).
    """
    by_place = practice_places(records, roll_up)
    places = sorted(by_place)
    limits = limits or Limits.for_places(len(places))
    if len(places) < 2:
        return []
    themes = sorted({t for ps in by_place.values() for p in ps for t in p.themes})
    column = {t: i for i, t in enumerate(themes)}
    # counts[place, theme]: how many of the place's practices carry the theme.
    counts = np.zeros((len(places), len(themes)), dtype=np.int32)
    for row, place in enumerate(places):
        for p in by_place[place]:
            for t in set(p.themes):
                counts[row, column[t]] += 1
    vectors = theme_vectors(counts)
    a, b = _candidate_pairs(counts, limits.posting)
    a, b = _apart(records, places, a, b)
    scores = _scores(vectors, a, b)
    keep = scores >= float(min_score)
    a, b, scores = a[keep], b[keep], scores[keep]
    if limits.per_place is not None:
        weight, activity = _strength(counts, a, b)
        keep = _strongest(a, b, np.rint(scores * 10**PLACES).astype(np.int64), weight, activity, limits.per_place)
        a, b, scores = a[keep], b[keep], scores[keep]
    witnesses = [_witnesses(by_place[place], limits.evidence) for place in places]
    links = []
    for start in range(0, len(a), CHUNK):
        ia, ib = a[start:start + CHUNK], b[start:start + CHUNK]
        shared = (counts[ia] > 0) & (counts[ib] > 0)
        for i, j, mask, score in zip(ia.tolist(), ib.tolist(), shared, scores[start:start + CHUNK].tolist(),
                                     strict=True):
            common = tuple(themes[t] for t in np.flatnonzero(mask))
            evidence: set[str] = set()
            for t in common:
                evidence.update(witnesses[i][t])
                evidence.update(witnesses[j][t])
            links.append(PlaceLink(places[i], places[j], common, tuple(sorted(evidence)), decimal_score(score)))
    return links


def theme_vectors(counts: np.ndarray) -> np.ndarray:
    """Rows L2-normalised: (1 + log practices on the theme) x log(places / places holding the theme)."""
    held = counts > 0
    df = held.sum(axis=0)
    idf = np.log(counts.shape[0] / np.maximum(df, 1))
    vectors = np.where(held, 1 + np.log(np.maximum(counts, 1)), 0.0) * idf
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def _scores(vectors: np.ndarray, a: np.ndarray, b: np.ndarray, chunk: int = CHUNK) -> np.ndarray:
    """The cosine of each pair, rounded to PLACES so that the threshold falls the same way on every build."""
    out = np.empty(len(a))
    for start in range(0, len(a), chunk):
        out[start:start + chunk] = (vectors[a[start:start + chunk]] * vectors[b[start:start + chunk]]).sum(axis=1)
    return np.round(out, PLACES)


def _apart(records: Records, places: list[str], a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs minus a place with its own district and two districts of one city (after a roll-up, none)."""
    city = np.array([_city(records, slug) for slug in places])
    keep = city[a] != city[b]
    return a[keep], b[keep]


def _city(records: Records, slug: str) -> str:
    place = records.place_by_slug.get(slug)
    return (place.parent if place is not None and place.parent else slug)


def _candidate_pairs(counts: np.ndarray, posting: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of places that meet in some theme's posting list."""
    pairs = []
    n = counts.shape[0]
    for t in range(counts.shape[1]):
        holders = np.flatnonzero(counts[:, t])
        if len(holders) < 2:
            continue
        # Most active first, then by slug (rows are sorted by slug): an order that depends on the data only.
        top = holders[np.lexsort((holders, -counts[holders, t]))][:posting]
        rows = np.repeat(holders, len(top))
        cols = np.tile(top, len(holders))
        keep = rows != cols
        low, high = np.minimum(rows[keep], cols[keep]), np.maximum(rows[keep], cols[keep])
        pairs.append(low.astype(np.int64) * n + high)
    if not pairs:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    found = np.concatenate(pairs)
    found.sort()
    unique = found[np.concatenate(([True], found[1:] != found[:-1]))]
    return unique // n, unique % n


def _strength(counts: np.ndarray, a: np.ndarray, b: np.ndarray, chunk: int = CHUNK) -> tuple[np.ndarray, ...]:
    """(shared themes, practices of both ends on them) per pair, a chunk at a time to bound memory."""
    weight = np.empty(len(a), dtype=np.int32)
    activity = np.empty(len(a), dtype=np.int64)
    for start in range(0, len(a), chunk):
        ca, cb = counts[a[start:start + chunk]], counts[b[start:start + chunk]]
        shared = (ca > 0) & (cb > 0)
        weight[start:start + chunk] = shared.sum(axis=1)
        activity[start:start + chunk] = ((ca + cb) * shared).sum(axis=1)
    return weight, activity


def _strongest(a: np.ndarray, b: np.ndarray, score: np.ndarray, weight: np.ndarray, activity: np.ndarray,
               k: int) -> np.ndarray:
    """A mask of the pairs among the k strongest of either end.

    Strongest: highest score, then most shared themes, then most practices on them, then the other end's slug.
    """
    ends = np.concatenate([a, b])
    others = np.concatenate([b, a])
    scores = np.concatenate([score, score])
    weights, activities = np.concatenate([weight, weight]), np.concatenate([activity, activity])
    order = _order(ends, -scores, -weights, -activities, others)
    sorted_ends = ends[order]
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order)) - np.searchsorted(sorted_ends, sorted_ends, side="left")
    kept = rank < k
    return kept[: len(a)] | kept[len(a):]


def _order(*keys: np.ndarray) -> np.ndarray:
    """The permutation sorting by ``keys``, the first the most significant (like np.lexsort reversed).

    One argsort of the keys packed into an int64 is several times faster than lexsort; lexsort
    remains for keys too wide to pack.
    """
    lows = [int(k.min()) if len(k) else 0 for k in keys]
    bits = [max(1, (int(k.max()) - low).bit_length()) if len(k) else 1 for k, low in zip(keys, lows, strict=True)]
    if sum(bits) > 62:
        return np.lexsort(keys[::-1])
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    for key, low, width in zip(keys, lows, bits, strict=True):
        packed = (packed << width) | (key.astype(np.int64) - low)
    return np.argsort(packed, kind="stable")


def _witnesses(practices: list[Practice], limit: int | None) -> dict[str, list[str]]:
    """theme -> the place's practices carrying it (sorted by slug), at most ``limit`` of them."""
    found: dict[str, list[str]] = defaultdict(list)
    for p in practices:
        for theme in set(p.themes):
            if limit is None or len(found[theme]) < limit:
                found[theme].append(p.slug)
    return found


def involved_places(records: Records) -> list[tuple[str, str]]:
    """(practice, place) for every practice the source lists in more than one place."""
    return sorted((p.slug, place) for p in records.practices if len(set(p.places)) > 1 for place in set(p.places))

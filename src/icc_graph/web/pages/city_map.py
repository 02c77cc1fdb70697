"""A small map drawn from coordinates alone: no tiles, no scripts, nothing fetched (the site works offline).

Points are projected equirectangularly, the longitude scaled by the cosine of
the middle latitude so that a city's neighbourhood keeps its shape, and framed
with a graticule so that the reader can tell where and how far.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 480, 300, 36
MIN_SPAN = 1.0   # degrees: a lone point still gets a readable neighbourhood
LABELLED = 40    # points that get a written label; the others are named by their tooltip
FOCUS_KM = 3000  # around a city, farther points are named below the map rather than shrinking it


@dataclass(frozen=True)
class MapPoint:
    lat: float
    lon: float
    label: str
    href: str | None
    role: str            # "self", "parent", "district", "linked": the template styles each


@dataclass(frozen=True)
class Placed:
    point: MapPoint
    x: float
    y: float
    anchor: str   # text-anchor of the label: "end" near the right edge, so that it stays inside
    label_y: float  # moved down from the point when another label is already there


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str


@dataclass(frozen=True)
class MapDrawing:
    width: int
    height: int
    points: list[Placed]
    grid: list[Line]
    far: list[MapPoint]   # left off the map: too far from the city in focus


def _step(span: float) -> float:
    for step in (0.25, 0.5, 1, 2, 5, 10, 20, 30, 45, 90):
        if span / step <= 6:
            return step
    return 90


def distance_km(a: MapPoint, b: MapPoint) -> float:
    """Great-circle distance (haversine)."""
    lat1, lat2, dlon = math.radians(a.lat), math.radians(b.lat), math.radians(b.lon - a.lon)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def draw_map(points: list[MapPoint]) -> MapDrawing | None:
    """Place ``points`` in a WIDTH x HEIGHT frame; None when there is nothing to place.

    When one point has the role "self", the frame covers what lies within
    FOCUS_KM of it; the rest is listed in ``far``.
    """
    unique = list({(p.href, p.label): p for p in points}.values())
    if not unique:
        return None
    focus = next((p for p in unique if p.role == "self"), None)
    far = []
    if focus is not None:
        far = sorted((p for p in unique if distance_km(focus, p) > FOCUS_KM), key=lambda p: p.label)
        unique = [p for p in unique if p not in far]
    lats, lons = [p.lat for p in unique], [p.lon for p in unique]
    mid_lat = (min(lats) + max(lats)) / 2
    squash = max(math.cos(math.radians(mid_lat)), 0.2)
    lat_span = max(max(lats) - min(lats), MIN_SPAN)
    lon_span = max((max(lons) - min(lons)) * squash, MIN_SPAN)
    scale = min((WIDTH - 2 * PAD) / lon_span, (HEIGHT - 2 * PAD) / lat_span)
    mid_lon = (min(lons) + max(lons)) / 2

    def project(lat: float, lon: float) -> tuple[float, float]:
        return (round(WIDTH / 2 + (lon - mid_lon) * squash * scale, 1),
                round(HEIGHT / 2 - (lat - mid_lat) * scale, 1))

    placed: list[Placed] = []
    for p in sorted(unique, key=lambda p: (p.role != "self", -p.lat, p.lon)):
        x, y = project(p.lat, p.lon)
        label_y = y + 4
        # Greedy: step a label down while it would overlap one already placed (a few steps at most:
        # a crowded map keeps its overlaps rather than sending labels off the frame).
        for _ in range(4):
            if not any(abs(q.label_y - label_y) < 11 and abs(q.x - x) < 90 for q in placed[:LABELLED]):
                break
            label_y += 12
        placed.append(Placed(p, x, y, "end" if x > WIDTH - 110 else "start", label_y))
    # The graticule covers the whole frame, one line per step of latitude and of longitude.
    half_lat, half_lon = HEIGHT / 2 / scale, WIDTH / 2 / scale / squash
    grid = []
    step = _step(2 * half_lat)
    lat = math.floor((mid_lat - half_lat) / step) * step
    while lat <= mid_lat + half_lat:
        y = project(lat, mid_lon)[1]
        if 0 <= y <= HEIGHT:
            grid.append(Line(0, y, WIDTH, y, f"{lat:g}°" if 14 < y < HEIGHT - 4 else ""))
        lat += step
    step = _step(2 * half_lon)
    lon = math.floor((mid_lon - half_lon) / step) * step
    while lon <= mid_lon + half_lon:
        x = project(mid_lat, lon)[0]
        if 0 <= x <= WIDTH:
            grid.append(Line(x, 0, x, HEIGHT, f"{lon:g}°" if 30 < x < WIDTH - 30 else ""))
        lon += step
    return MapDrawing(WIDTH, HEIGHT, placed, grid, far)

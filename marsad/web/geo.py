"""The offline map: the shipped world outline (static/world.json), arcs, and GeoJSON export.

``world.json`` is generated once by ``scripts/build_world.py`` from Natural Earth 1:110m data
(public domain) as packaged by the npm package ``world-atlas`` (ISC): SVG paths keyed by ISO
3166-1 alpha-2 in an equirectangular projection, a label point per country, and points for the
cities of the city table. Nothing is fetched at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

WORLD = Path(__file__).parent / "static" / "world.json"


@cache
def world() -> dict[str, Any]:
    """The parsed world outline."""
    data: dict[str, Any] = json.loads(WORLD.read_text("utf-8"))
    return data


def country_point(code: str | None) -> tuple[float, float] | None:
    """Map coordinates of a country's label point."""
    if not code:
        return None
    c = world()["countries"].get(code.upper())
    return (float(c["c"][0]), float(c["c"][1])) if c else None


def city_point(entity_id: str | None) -> tuple[float, float] | None:
    """Map coordinates of a city (``city:lisbon``) from the shipped city points."""
    if not entity_id or not entity_id.startswith("city:"):
        return None
    hit = world()["cities"].get(entity_id.split(":", 1)[1])
    return (float(hit[2]), float(hit[3])) if hit else None


def lonlat(code: str | None, city_id: str | None = None) -> tuple[float, float] | None:
    """Longitude and latitude of a city, else of a country's label point."""
    if city_id and city_id.startswith("city:"):
        hit = world()["cities"].get(city_id.split(":", 1)[1])
        if hit:
            return float(hit[0]), float(hit[1])
    if code:
        c = world()["countries"].get(code.upper())
        if c:
            return float(c["ll"][0]), float(c["ll"][1])
    return None


@dataclass(frozen=True, slots=True)
class Shape:
    """A country on the map with its shade level (0: no visit received)."""

    code: str
    name: str
    d: str
    cx: float
    cy: float
    level: int
    visits_in: int
    visits_out: int


@dataclass(frozen=True, slots=True)
class Arc:
    """A curved line from the visitor's country to the host."""

    source: str
    target: str
    d: str
    width: float
    visits: int


def _arc_path(a: tuple[float, float], b: tuple[float, float]) -> str:
    """A quadratic curve bending to the left of the direction of travel."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    dist = math.hypot(dx, dy) or 1.0
    bend = min(0.25 * dist, 60.0)
    mx, my = (x1 + x2) / 2 - dy / dist * bend, (y1 + y2) / 2 + dx / dist * bend
    return f"M{x1:.1f},{y1:.1f}Q{mx:.1f},{my:.1f} {x2:.1f},{y2:.1f}"


def map_layers(pairs: Iterable[dict[str, Any]]) -> tuple[list[Shape], list[Arc]]:
    """Countries shaded by visits received and arcs for ``(source, target, visits)`` pairs."""
    pairs = list(pairs)
    received: dict[str, int] = {}
    sent: dict[str, int] = {}
    for p in pairs:
        received[p["target"]] = received.get(p["target"], 0) + int(p["visits"])
        sent[p["source"]] = sent.get(p["source"], 0) + int(p["visits"])
    top = max(received.values(), default=0)
    shapes = []
    for code, c in world()["countries"].items():
        n = received.get(code, 0)
        # Five shades on a log scale, so one busy host does not wash out the rest.
        level = 0 if n == 0 else 1 + min(4, int(4 * math.log1p(n) / math.log1p(max(top, 1))))
        shapes.append(Shape(code, c["name"], c["d"], c["c"][0], c["c"][1], level, n,
                            sent.get(code, 0)))
    arcs = []
    most = max((int(p["visits"]) for p in pairs), default=1)
    for p in pairs:
        a, b = country_point(p["source"]), country_point(p["target"])
        if a is None or b is None:
            continue
        width = 1.0 + 3.0 * math.sqrt(int(p["visits"]) / most)
        arcs.append(Arc(p["source"], p["target"], _arc_path(a, b), round(width, 2),
                        int(p["visits"])))
    return shapes, arcs


@cache
def _city_keys() -> dict[tuple[str, str], str]:
    """(Latin name in lower case, country) -> city key, for cities with a shipped point."""
    points = world()["cities"]
    out: dict[tuple[str, str], str] = {}
    try:
        from marsad.lexicon.places import cities
    except ImportError:  # pragma: no cover - the lexicon ships with marsad
        return out
    for key, city in cities().items():
        if key in points:
            for name in (city.name_latin, *city.latin):
                out.setdefault((name.lower(), city.country), key)
    return out


def city_key(name_latin: str | None, country: str | None) -> str | None:
    """The key of a city with a shipped point, from its Latin name and country."""
    if not name_latin or not country:
        return None
    return _city_keys().get((name_latin.lower(), country.upper()))


def fit_view(pairs: Iterable[dict[str, Any]], *, pad: float = 45.0, min_width: float = 260.0) -> str:
    """An SVG viewBox around the countries of ``pairs`` (the whole world when there are none)."""
    w = world()
    width, height = float(w["width"]), float(w["height"])
    points = [pt for p in pairs for pt in (country_point(p["source"]), country_point(p["target"]))
              if pt is not None]
    if not points:
        return f"0 0 {width:g} {height:g}"
    x0 = min(x for x, _ in points) - pad
    x1 = max(x for x, _ in points) + pad
    y0 = min(y for _, y in points) - pad
    y1 = max(y for _, y in points) + pad
    ratio = width / height
    bw = max(x1 - x0, min_width, (y1 - y0) * ratio)
    bh = bw / ratio
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bx = min(max(cx - bw / 2, 0.0), max(width - bw, 0.0))
    by = min(max(cy - bh / 2, 0.0), max(height - bh, 0.0))
    bw, bh = min(bw, width), min(bh, height)
    return f"{bx:.1f} {by:.1f} {bw:.1f} {bh:.1f}"


def geojson_feature(record: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature for an export record: a point at its city, else at the host country."""
    city = record.get("city") or {}
    key = city_key(city.get("name_latin"), record.get("host_country"))
    point = lonlat(record.get("host_country"), f"city:{key}" if key else None)
    return {
        "type": "Feature",
        "id": record.get("id"),
        "geometry": {"type": "Point", "coordinates": [point[0], point[1]]} if point else None,
        "properties": {**record, "located_at": "city" if key else "country" if point else None},
    }

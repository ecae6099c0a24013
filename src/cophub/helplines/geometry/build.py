"""Build ``world.json`` (SVG paths of the world's countries, keyed by ISO 3166-1 numeric code)
from world-atlas's TopoJSON (Natural Earth 1:50m, public domain; world-atlas © Michael
Bostock, ISC licence).

Run once when the geometry should change (it is not part of the build or of any test)::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m cophub.helplines.geometry.build package/countries-50m.json

The projection is Equal Earth (Šavrič, Patterson & Jenny, 2018), an equal-area projection,
so countries are drawn at their true relative size. Points closer than 1.5 units to the last
one kept are dropped and the rest rounded to whole units on a 1000 × 487 canvas (about 40 km);
a country left without an outline at that scale (a small island state) gets a dot instead.
The page never downloads anything at run time.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

WIDTH = 1000
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def _equal_earth(lon: float, lat: float) -> tuple[float, float]:
    theta = math.asin(M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


X_MAX = _equal_earth(180.0, 0.0)[0]
Y_MAX = _equal_earth(0.0, 90.0)[1]
SCALE = WIDTH / (2 * X_MAX)
HEIGHT = round(2 * Y_MAX * SCALE)


STEP = 1.5  # drop points closer than this to the last one kept (canvas units, ~60 km)


def _point(lon: float, lat: float) -> tuple[float, float]:
    x, y = _equal_earth(lon, lat)
    return (x + X_MAX) * SCALE, (Y_MAX - y) * SCALE


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        decoded.append(points)
    return decoded


def _ring(
    indexes: list[int], arcs: list[list[tuple[float, float]]], seen: list[tuple[float, float]]
) -> str:
    """One ring as SVG path data; a ring that crosses the antimeridian (Russia, Fiji,
    Antarctica) is cut where it jumps across the map, each piece closed on its own."""
    pieces: list[list[tuple[int, int]]] = [[]]
    last: tuple[float, float] | None = None
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        for lon, lat in arc:
            x, y = _point(lon, lat)
            seen.append((x, y))
            if last is not None and abs(x - last[0]) > WIDTH / 2:
                pieces.append([])
            kept = pieces[-1]
            if not kept or math.hypot(x - kept[-1][0], y - kept[-1][1]) >= STEP:
                point = (round(x), round(y))
                if not kept or point != kept[-1]:
                    kept.append(point)
            last = (x, y)
    return "".join(
        "M" + "L".join(f"{x} {y}" for x, y in kept) + "Z" for kept in pieces if len(kept) >= 3
    )


def paths(topology: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[float]]]:
    """SVG path data by country, and a point (the mean of its outline) for countries too small
    to keep an outline at this scale, drawn as a dot."""
    arcs = _arcs(topology)
    out: dict[str, str] = {}
    points: dict[str, list[tuple[float, float]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if not code or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        code = str(code).zfill(3)
        seen = points.setdefault(code, [])
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        d = "".join(_ring(ring, arcs, seen) for polygon in polygons for ring in polygon)
        if d:
            out[code] = out.get(code, "") + d
    dots = {
        code: [
            round(sum(x for x, _ in seen) / len(seen), 1),
            round(sum(y for _, y in seen) / len(seen), 1),
        ]
        for code, seen in points.items()
        if code not in out and seen
    }
    return out, dots


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    outlines, dots = paths(topology)
    document = {
        "source": "Natural Earth 1:50m via world-atlas 2.0.2 (countries-50m.json)",
        "projection": "Equal Earth",
        "width": WIDTH,
        "height": HEIGHT,
        "paths": outlines,
        "dots": dots,
    }
    target = Path(__file__).with_name("world.json")
    target.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(outlines)} outlines, {len(dots)} dots, {target.stat().st_size:,} bytes → {target}")


if __name__ == "__main__":
    main(sys.argv[1])

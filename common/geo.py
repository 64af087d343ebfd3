"""Plane geometry for the world map, knowing no model: decoding a TopoJSON topology, the Equal Earth
projection, simplifying lines (Douglas-Peucker) and writing SVG path data.

The map's shapes come from Natural Earth through the npm package ``world-atlas`` (TopoJSON). In a
topology every border between two countries is one *arc* shared by both, so simplifying each arc
once keeps neighbouring countries fitting together, and the arcs between two regions draw the
regions' outlines."""

import math

# Equal Earth (Šavrič, Patterson & Jenny, 2018): an equal-area projection for world maps.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Project degrees to Equal Earth plane units (x east, y north; about ±2.71 by ±1.32)."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (longitude, latitude), undoing quantisation and delta coding."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    return arcs


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    """A Polygon or MultiPolygon geometry's rings as lists of arc indexes (``~i`` = arc i reversed)."""
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: the points that keep the line within ``tolerance`` of the original; the two
    ends always stay (they are where arcs meet)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, index = -1.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            cross = abs(dy * px - dx * py + x2 * y1 - y2 * x1)
            distance = cross / length if length else math.hypot(px - x1, py - y1)
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def ring_points(ring: list[int], arcs: list[list]) -> list:
    """A ring's points from its arcs (reversed ones turned round), each junction point once."""
    points = []
    for index in ring:
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        points.extend(arc if not points else arc[1:])
    return points


def line_path(points) -> str:
    """SVG path data for integer points: an absolute move, then short relative steps."""
    if not points:
        return ""
    (x, y), steps = points[0], []
    for px, py in points[1:]:
        if (px, py) != (x, y):
            steps.append(f"{px - x} {py - y}")
            x, y = px, py
    return f"M{points[0][0]} {points[0][1]}" + ("l" + " ".join(steps) if steps else "")


def ring_path(points) -> str:
    """Closed SVG path data for a ring, or "" when it has shrunk to fewer than three distinct points."""
    distinct = []
    for point in points:
        if not distinct or distinct[-1] != point:
            distinct.append(point)
    if len(distinct) > 1 and distinct[0] == distinct[-1]:
        distinct.pop()
    if len(set(distinct)) < 3:
        return ""
    return line_path(distinct) + "z"


def bounds(points) -> list[int]:
    """``[min x, min y, max x, max y]`` of some points."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return [min(xs), min(ys), max(xs), max(ys)]


def ring_area(points) -> float:
    """The absolute area of a ring (shoelace formula)."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))) / 2

"""The world map's shapes: built once from Natural Earth (npm ``world-atlas``) by
``manage.py build_world_map`` into ``fixtures/geo/world-map.json``, which is committed, so serving
the map needs nothing but Python. That file holds projected, simplified arcs on an integer grid and,
per ISO 3166-1 alpha-2 code, the rings that draw the country; this module turns them into SVG path
data. A country too small to keep a ring at this scale gets a dot instead."""

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry
from django.conf import settings

from common import geo

GEOMETRY_FILE = Path(settings.BASE_DIR) / "fixtures" / "geo" / "world-map.json"
SOURCE_PACKAGE = ("world-atlas", "2.0.2", "countries-50m.json")
DEFAULT_SOURCE = Path(settings.BASE_DIR) / "var" / "npm" / "node_modules" / "world-atlas" / SOURCE_PACKAGE[2]
WIDTH = 1000  # grid units across the whole map; coordinates are integers on this grid
TOLERANCE = 0.6  # Douglas-Peucker tolerance in grid units
# Natural Earth features without an ISO numeric code, filed under the code the knowledge base uses.
UNCODED = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}
LEFT_OUT = {"AQ"}  # Antarctica: no entries, and a third of the map's height


def alpha2(geometry: dict) -> str | None:
    """The ISO alpha-2 code of a Natural Earth feature (its ``id`` is the ISO numeric code)."""
    name = geometry.get("properties", {}).get("name", "")
    if name in UNCODED:
        return UNCODED[name]
    country = pycountry.countries.get(numeric=str(geometry.get("id", "")).zfill(3)) if "id" in geometry else None
    return country.alpha_2 if country and country.alpha_2 not in LEFT_OUT else None


def build(topology: dict, source: dict) -> dict:
    """The map data for a ``world-atlas`` topology: long because it is one pass over the features
    (code them, project and simplify their arcs once, keep the rings that survive, note the borders
    between countries) whose steps only make sense together."""
    features = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = alpha2(geometry)
        if code:
            features.setdefault(code, []).extend(geo.polygons_of(geometry))
    rings = [ring for polygons in features.values() for polygon in polygons for ring in polygon]
    used = sorted({a if a >= 0 else ~a for ring in rings for a in ring})
    lonlat = geo.decode_arcs(topology)
    for ring in rings:
        fold_antimeridian(ring, lonlat)
    projected = {i: [geo.equal_earth(lon, lat) for lon, lat in lonlat[i]] for i in used}
    xs = [x for arc in projected.values() for x, _ in arc]
    ys = [y for arc in projected.values() for _, y in arc]
    scale = WIDTH / (max(xs) - min(xs))
    left, top = min(xs), max(ys)
    renumber = {old: new for new, old in enumerate(used)}
    tolerance = TOLERANCE / scale
    arcs = [
        [(round((x - left) * scale), round((top - y) * scale)) for x, y in geo.simplify(projected[i], tolerance)]
        for i in used
    ]
    countries, sides = {}, {}
    for code, polygons in sorted(features.items()):
        rings, all_points, largest = [], [], (0.0, None)
        for polygon in polygons:
            for ring in polygon:
                ring = [renumber[a] if a >= 0 else ~renumber[~a] for a in ring]
                points = geo.ring_points(ring, arcs)
                all_points.extend(points)
                if not geo.ring_path(points):
                    continue
                rings.append(ring)
                largest = max(largest, (geo.ring_area(points), geo.bounds(points)), key=lambda item: item[0])
                for a in ring:
                    sides.setdefault(a if a >= 0 else ~a, set()).add(code)
        box = geo.bounds(all_points)
        label_box = largest[1] or box
        countries[code] = {
            "name": geometry_name(code),
            "rings": rings,
            "bbox": box,
            "label": [(label_box[0] + label_box[2]) // 2, (label_box[1] + label_box[3]) // 2],
        }
    borders = [[arc, *sorted(codes)] for arc, codes in sorted(sides.items()) if len(codes) == 2]
    height = max(y for arc in arcs for _, y in arc)
    return {
        "source": source,
        "attribution": "Made with Natural Earth (public domain), via the world-atlas package.",
        "projection": "Equal Earth",
        "tolerance": TOLERANCE,
        "size": [WIDTH, height],
        "arcs": [[c for point in arc for c in point] for arc in arcs],
        "countries": countries,
        "borders": borders,
    }


def fold_antimeridian(ring: list[int], lonlat: list) -> None:
    """A ring that crosses the 180th meridian (eastern Russia) would be drawn across the whole map:
    fold its points on the smaller side onto the meridian (a sliver of land is lost at this scale)."""
    points = geo.ring_points(ring, lonlat)
    if not any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:], strict=False)):
        return
    east = sum(1 for lon, _ in points if lon > 0) >= len(points) / 2
    for index in ring:
        arc = index if index >= 0 else ~index
        lonlat[arc] = [((180 if east else -180) if (lon < 0) == east else lon, lat) for lon, lat in lonlat[arc]]


def geometry_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


def build_from_file(path: Path) -> dict:
    raw = Path(path).read_bytes()
    package, version, filename = SOURCE_PACKAGE
    source = {"package": package, "version": version, "file": filename, "sha256": hashlib.sha256(raw).hexdigest()}
    return build(json.loads(raw), source)


def dumps(data: dict) -> str:
    """The committed file's exact text (stable, so a rebuild can be compared byte for byte)."""
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n"


@dataclass
class WorldGeometry:
    size: tuple[int, int]
    arcs: list[list[tuple[int, int]]]
    countries: dict
    borders: list
    attribution: str
    paths: dict = field(default_factory=dict)

    def rings(self, code: str) -> list[tuple[list[int], str]]:
        """A country's rings as (bounding box, SVG path data), worked out once."""
        if code not in self.paths:
            shape = self.countries.get(code)
            points = [geo.ring_points(ring, self.arcs) for ring in (shape["rings"] if shape else [])]
            self.paths[code] = [(geo.bounds(ring), geo.ring_path(ring)) for ring in points]
        return self.paths[code]

    def path(self, code: str, view=None) -> str:
        """SVG path data drawing a country ("" if the map does not have it); with ``view`` (x, y,
        width, height), only its rings in that frame."""
        return "".join(d for box, d in self.rings(code) if view is None or overlaps(box, view))

    def outline(self, region_of: dict) -> str:
        """The borders between countries of different regions, as one SVG path (``region_of``: code
        -> region, for the countries that have one)."""
        return "".join(
            geo.line_path(self.arcs[arc])
            for arc, first, second in self.borders
            if region_of.get(first) != region_of.get(second)
        )


def overlaps(box, view) -> bool:
    """Whether a bounding box ``[x0, y0, x1, y1]`` meets a frame ``(x, y, width, height)``."""
    x, y, width, height = view
    return box[0] <= x + width and box[2] >= x and box[1] <= y + height and box[3] >= y


@lru_cache(maxsize=1)
def world() -> WorldGeometry:
    data = json.loads(GEOMETRY_FILE.read_text(encoding="utf-8"))
    arcs = [list(zip(flat[::2], flat[1::2], strict=True)) for flat in data["arcs"]]
    return WorldGeometry(tuple(data["size"]), arcs, data["countries"], data["borders"], data["attribution"])

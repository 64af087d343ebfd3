"""The world map's geometry: the committed file is exactly what ``build_world_map`` makes of
world-atlas (when the package is installed to compare), and the steps it takes on a small topology."""

import json

import pytest
from django.core.management import CommandError, call_command

from common import geo
from practices import world_geometry
from practices.world_geometry import DEFAULT_SOURCE, GEOMETRY_FILE, build, build_from_file, dumps

# A 2x1 degree square split in two countries (France, numeric 250; Italy, 380) sharing arc 1.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [1, 1], "translate": [0, 0]},
    "arcs": [[[1, 0], [-1, 0], [0, 1], [1, 0]], [[1, 0], [0, 1]], [[1, 1], [1, 0], [0, -1], [-1, 0]]],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "250", "properties": {"name": "France"}, "arcs": [[0, 1]]},
                {"type": "Polygon", "id": "380", "properties": {"name": "Italy"}, "arcs": [[~1, 2]]},
                {"type": "Polygon", "properties": {"name": "Siachen Glacier"}, "arcs": [[0, 1]]},
                {"type": "Polygon", "id": "010", "properties": {"name": "Antarctica"}, "arcs": [[0, 1]]},
            ],
        }
    },
}


def test_the_committed_file_is_what_the_source_gives():
    if not DEFAULT_SOURCE.exists():
        pytest.skip(f"{DEFAULT_SOURCE} is not installed (make world-map); the file's checksum is checked instead")
    assert GEOMETRY_FILE.read_text(encoding="utf-8") == dumps(build_from_file(DEFAULT_SOURCE))
    call_command("build_world_map", "--check")


def test_the_committed_file_names_its_source():
    data = json.loads(GEOMETRY_FILE.read_text(encoding="utf-8"))
    assert data["source"]["package"] == "world-atlas"
    assert len(data["source"]["sha256"]) == 64
    assert "Natural Earth" in data["attribution"]
    assert GEOMETRY_FILE.read_text(encoding="utf-8") == dumps(data)


def test_check_fails_on_a_stale_file(tmp_path):
    source = tmp_path / "countries.json"
    source.write_text(json.dumps(TOPOLOGY))
    output = tmp_path / "map.json"
    call_command("build_world_map", "--source", source, "--output", output, stdout=None)
    call_command("build_world_map", "--source", source, "--output", output, "--check")
    output.write_text(output.read_text().replace("France", "Francia"))
    with pytest.raises(CommandError, match="is not what"):
        call_command("build_world_map", "--source", source, "--output", output, "--check")
    with pytest.raises(CommandError, match="not found"):
        call_command("build_world_map", "--source", tmp_path / "missing.json")


def test_build_codes_projects_and_shares_borders():
    data = build(TOPOLOGY, {"package": "test"})
    assert set(data["countries"]) == {"FR", "IT"}  # no code: left out; Antarctica left out
    assert world_geometry.alpha2({"properties": {"name": "Kosovo"}}) == "XK"
    assert data["size"][0] == world_geometry.WIDTH
    assert data["borders"] == [[1, "FR", "IT"]]
    shape = world_geometry.WorldGeometry(
        tuple(data["size"]),
        [list(zip(a[::2], a[1::2], strict=True)) for a in data["arcs"]],
        data["countries"],
        data["borders"],
        "",
    )
    assert shape.path("FR").startswith("M") and shape.path("FR").endswith("z")
    assert shape.path("ZZ") == ""
    assert shape.outline({"FR": "europe", "IT": "europe"}) == ""
    assert shape.outline({"FR": "europe", "IT": "elsewhere"}).startswith("M")


def test_equal_earth_and_simplify():
    assert geo.equal_earth(0, 0) == (0, 0)
    x, y = geo.equal_earth(180, 0)
    assert x == pytest.approx(2.7066, abs=1e-3) and y == 0
    assert geo.equal_earth(0, 90)[1] == pytest.approx(1.3173, abs=1e-3)
    line = [(0, 0), (1, 0.01), (2, 0), (3, 5), (4, 0)]
    assert geo.simplify(line, 0.1) == [(0, 0), (2, 0), (3, 5), (4, 0)]
    assert geo.simplify(line[:2], 1) == line[:2]
    assert geo.ring_path([(0, 0), (1, 0), (0, 0)]) == ""
    assert geo.ring_path([(0, 0), (2, 0), (2, 2), (0, 0)]) == "M0 0l2 0 0 2z"

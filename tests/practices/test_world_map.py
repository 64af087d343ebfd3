"""The world map (/map/): countries shaded by their published entries, the same numbers as
``kb_stats`` and as the table beside the map, each shaded country a link to its browse list,
drafts left out, the pillar filter, bad input, a bounded number of queries and a small page."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from practices.models import Status
from practices.world_geometry import world
from taxonomy.models import Country, Pillar, Region
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="(?P<url>[^"]+)" class="map-country shade-(?P<shade>[1-4])" aria-label="(?P<label>[^"]+)">')


def filed(factory, codes, **kwargs):
    entry = factory(**kwargs)
    entry.countries.set(Country.objects.filter(code__in=codes))
    return entry


def kb_stats_countries():
    """``{code: (findings, practices)}`` from ``manage.py kb_stats``'s per-country table."""
    out = StringIO()
    call_command("kb_stats", stdout=out)
    section = out.getvalue().split("per country (ISO code)", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in section.strip().splitlines()[1:]:
        parts = line.split()
        rows[parts[0]] = (int(parts[-2]), int(parts[-1]))
    return rows


def shaded(response):
    return {shape["code"]: shape["count"] for shape in response.context["map"]["shapes"] if shape["count"]}


def svg_links(response):
    """``{browse URL: aria-label}`` of the links drawn in the SVG."""
    html = response.content.decode()
    svg = html[html.index('<svg class="world-map') : html.index("</svg>")]
    return {match["url"].replace("&amp;", "&"): match["label"] for match in LINK.finditer(svg)}


@pytest.mark.parametrize(("entries", "column"), [("practices", 1), ("findings", 0)])
def test_shaded_countries_match_kb_stats(client, entries, column):
    expected = {code: counts[column] for code, counts in kb_stats_countries().items() if counts[column]}
    assert expected, "the shipped content has entries filed under countries"
    response = client.get(f"/map/?entries={entries}")
    assert response.status_code == 200
    assert shaded(response) == expected
    assert {row["country"].code: row["count"] for row in response.context["table"]} == expected


def test_each_shaded_country_links_to_its_browse_list(client):
    response = client.get("/map/")
    counts = shaded(response)
    links = svg_links(response)
    assert set(links) == {f"/practices/?country={code}" for code in counts}
    italy = Country.objects.get(code="IT")
    assert links["/practices/?country=IT"] == f"Italy: {counts['IT']} good practices"
    for url in links:
        listed = client.get(url)
        assert listed.status_code == 200
        assert listed.context["paginator"].count == counts[url.rsplit("=", 1)[1]]
    assert italy.name in response.content.decode()
    # Every drawn country has a shape or a dot; the unshaded ones are not links.
    unlinked = [shape for shape in response.context["map"]["shapes"] if not shape["url"]]
    assert all(shape["count"] == 0 for shape in unlinked)


def test_findings_link_to_the_findings_browse(client):
    links = svg_links(client.get("/map/?entries=findings"))
    assert "/findings/?country=IT" in links
    assert all(url.startswith("/findings/?country=") for url in links)


def test_drafts_are_not_counted(client):
    before = shaded(client.get("/map/"))
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        filed(PracticeFactory, ["FR"], status=status)
    filed(FindingFactory, ["FR"], status=Status.DRAFT)
    assert shaded(client.get("/map/")) == before
    assert "FR" not in before
    filed(PracticeFactory, ["FR"])
    assert shaded(client.get("/map/")) == before | {"FR": 1}


def test_pillar_filter(client):
    prevention = Pillar.objects.get(slug="prevention")
    response = client.get("/map/?pillar=prevention")
    assert response.context["pillar"] == prevention
    from_kb = {
        code: count
        for code in Country.objects.values_list("code", flat=True)
        if (count := Country.objects.get(code=code).practices.published().filter(pillars=prevention).count())
    }
    assert shaded(response) == from_kb
    assert all(url.endswith("&pillar=prevention") for url in svg_links(response))
    assert shaded(response) != shaded(client.get("/map/")) or len(from_kb) == 0


@pytest.mark.parametrize(
    "query",
    ["entries=nothing", "pillar=nope", "entries=findings&entries=", "foo=bar", "pillar=" + "x" * 5000],
)
def test_bad_filter_values_are_ignored(client, query):
    response = client.get(f"/map/?{query}")
    assert response.status_code == 200
    assert response.context["ignored"] or query == "entries=findings&entries="
    assert b"Ignored unknown" in response.content or not response.context["ignored"]


def test_a_control_character_is_refused_before_the_map_is_drawn(client):
    assert client.get("/map/?pillar=%00").status_code == 400


def test_queries_are_bounded(client, django_assert_max_num_queries, warm_facet_index):
    for code in ("FR", "DE", "ES", "BR", "IN"):
        filed(PracticeFactory, [code, "IT"])
    warm_facet_index()  # counts come from the facet index, built once per content version
    with django_assert_max_num_queries(3):
        response = client.get("/map/?entries=practices&pillar=protection")
    assert response.status_code == 200


def test_page_is_small_and_has_no_inline_style_or_script(client):
    for query in ("", "?entries=findings", "?pillar=protection"):
        response = client.get(f"/map/{query}")
        html = response.content.decode()
        assert len(response.content) < 150_000, len(response.content)
        assert " style=" not in html and "<style" not in html
        assert "<script" not in html or 'src="' in html.split("<script", 1)[1].split(">", 1)[0]
        # No third-party request: everything the page loads (scripts, images, stylesheets) is on this site;
        # links to other sites (the licence) and the canonical address are not requests.
        loaded = re.findall(r'\ssrc="([^"]*)"', html) + re.findall(
            r'<link rel="(?:stylesheet|icon|preload)"[^>]*href="([^"]*)"', html
        )
        assert loaded and all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded


def test_numbers_are_given_without_colour(client):
    html = client.get("/map/").content.decode()
    # The number of each shaded country in its hover title and its focus label, and a legend.
    assert "<title>Italy: " in html
    assert '<text class="map-count"' in html
    assert 'class="map-legend"' in html
    assert '<pattern id="map-p4"' in html


def test_region_borders_are_drawn(client):
    response = client.get("/map/")
    outline = response.context["map"]["outline"]
    assert outline.startswith("M")
    # Moving a country to another region changes the outline.
    Country.objects.filter(code="EG").update(region=Region.objects.get(slug="sub-saharan-africa"))
    assert client.get("/map/").context["map"]["outline"] != outline


def test_region_page_has_a_small_map(client):
    region = Region.objects.get(slug="middle-east-north-africa")
    response = client.get(region.get_absolute_url())
    assert response.status_code == 200
    shapes = {shape["code"]: shape for shape in response.context["map"]["shapes"]}
    codes = set(region.countries.values_list("code", flat=True))
    stats = kb_stats_countries()
    for code in codes & set(stats):
        assert shapes[code]["count"] == sum(stats[code])
        assert shapes[code]["url"] == f"/countries/{code}/"
    assert all(not shape["url"] for code, shape in shapes.items() if code not in codes)
    assert len(response.content) < 150_000


def test_region_map_leaves_drafts_out(client):
    url = "/regions/middle-east-north-africa/"
    before = {shape["code"]: shape["count"] for shape in client.get(url).context["map"]["shapes"]}
    assert before["LB"] > 0
    filed(PracticeFactory, ["LB", "SY"], status=Status.DRAFT)
    filed(FindingFactory, ["LB"], status=Status.IN_REVIEW)
    response = client.get(url)
    assert {shape["code"]: shape["count"] for shape in response.context["map"]["shapes"]} == before
    assert f"Lebanon</a> ({before['LB']})" in response.content.decode()


def test_country_page_has_a_small_map(client):
    response = client.get("/countries/LB/")
    shapes = response.context["map"]["shapes"]
    assert [shape["code"] for shape in shapes if shape["current"]] == ["LB"]
    assert "SY" in {shape["code"] for shape in shapes}
    assert "US" not in {shape["code"] for shape in shapes}
    # A code the map does not draw: no map, no error.
    Country.objects.create(code="ZZ", name="Nowhere")
    assert client.get("/countries/ZZ/").context["map"] is None


def test_geometry_covers_the_countries_with_entries():
    geometry = world()
    used = set(kb_stats_countries())
    assert used <= set(geometry.countries)
    assert all(geometry.path(code) for code in used)
    known = set(Country.objects.values_list("code", flat=True))
    assert set(geometry.countries) <= known | {"XK"}

"""The gap map counts published entries per pillar and region (theme, INSPIRE strategy) in a
few grouped queries, prints every number, and links each cell to the filtered browse list."""

import pytest

from practices.gap_map import count_matrix, shade
from practices.models import Finding, Practice, Status
from taxonomy.models import InspireStrategy, Pillar, Region, Theme
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def cells(response):
    return {
        (row["term"].slug, cell["pillar"].slug): cell["count"]
        for row in response.context["table"]
        for cell in row["cells"]
    }


def test_counts_match_the_published_entries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/gap-map/")
    assert response.status_code == 200
    counted = cells(response)
    assert len(counted) == Region.objects.count() * Pillar.objects.count()
    for region in Region.objects.all():
        for pillar in Pillar.objects.all():
            expected = Practice.objects.published().filter(regions=region).filter(pillars=pillar).count()
            assert counted[(region.slug, pillar.slug)] == expected, (region.slug, pillar.slug)


@pytest.mark.parametrize(
    ("query", "vocabulary", "relation", "model"),
    [
        ("rows=themes&entries=findings", Theme, "themes", Finding),
        ("rows=inspire", InspireStrategy, "inspire_strategies", Practice),
        ("entries=findings", Region, "regions", Finding),
    ],
)
def test_other_rows_and_entry_kinds(client, query, vocabulary, relation, model):
    response = client.get(f"/gap-map/?{query}")
    counted = cells(response)
    assert {slug for slug, _ in counted} == set(vocabulary.objects.values_list("slug", flat=True))
    term = vocabulary.objects.filter(**{f"{model._meta.model_name}s__status": "published"}).first()
    for pillar in Pillar.objects.all():
        expected = model.objects.published().filter(**{relation: term}).filter(pillars=pillar).count()
        assert counted[(term.slug, pillar.slug)] == expected


def test_drafts_are_not_counted(client):
    before = cells(client.get("/gap-map/"))
    europe = Region.objects.filter(slug="europe")
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        PracticeFactory(status=status, regions=europe)
    assert cells(client.get("/gap-map/")) == before
    PracticeFactory(regions=europe)
    assert cells(client.get("/gap-map/"))[("europe", "protection")] == before[("europe", "protection")] + 1


def test_an_entry_counts_once_per_cell_however_it_is_joined():
    practice = PracticeFactory(
        pillars=Pillar.objects.filter(slug__in=["prevention", "protection"]),
        regions=Region.objects.filter(slug__in=["europe", "global"]),
        themes=list(Theme.objects.all()[:3]),
    )
    matrix = count_matrix(Practice.objects.filter(pk=practice.pk), "regions")
    assert matrix == {(r, p): 1 for r in ("europe", "global") for p in ("prevention", "protection")}


def test_accessible_table_with_numbers_and_links(client):
    response = client.get("/gap-map/")
    text = response.content.decode()
    assert "<caption" in text and 'scope="col"' in text and 'scope="row"' in text
    europe_prevention = cells(response)[("europe", "prevention")]
    assert europe_prevention > 0
    assert 'href="/practices/?pillar=prevention&amp;region=europe"' in text
    assert f">{europe_prevention}</a>" in text
    assert "(none)" in client.get("/gap-map/?rows=themes").content.decode()


def test_findings_cells_link_to_the_findings_browse(client):
    text = client.get("/gap-map/?entries=findings&rows=themes").content.decode()
    assert "/findings/?pillar=" in text and "&amp;theme=" in text


def test_bad_parameters_are_ignored_and_reported(client):
    response = client.get("/gap-map/?rows=<script>&entries=everything&other=1")
    assert response.status_code == 200
    assert response.context["rows_key"] == "regions" and response.context["entries_key"] == "practices"
    text = response.content.decode()
    assert "Ignored unknown rows: “&lt;script&gt;”" in text
    assert "Ignored unknown entries: “everything”" in text


def test_shade_grows_with_the_count():
    assert shade(0, 10) == 0
    assert [shade(n, 20) for n in (1, 6, 11, 20)] == [1, 2, 3, 4]
    assert shade(5, 0) == 0


def test_home_links_to_the_gap_map_and_summarises_pillars_by_region(client):
    text = client.get("/").content.decode()
    assert 'href="/gap-map/"' in text
    count = Practice.objects.published().filter(regions__slug="europe", pillars__slug="prevention").count()
    assert f'<a href="/practices/?pillar=prevention&amp;region=europe">{count}</a>' in text


def test_inspire_cells_link_into_the_browse(client):
    text = client.get("/gap-map/?rows=inspire").content.decode()
    assert "&amp;inspire=" in text and "cannot filter" not in text
    strategy = "response-support-services"
    listed = client.get(f"/api/practices/?pillar=protection&inspire={strategy}").json()["count"]
    expected = Practice.objects.published().filter(pillars__slug="protection", inspire_strategies__slug=strategy)
    assert listed == expected.distinct().count() > 0


def test_nul_and_oversized_parameters_never_fail(client):
    assert client.get("/gap-map/?rows=nonsense&entries=" + "x" * 5000).status_code == 200
    assert client.get("/gap-map/?rows=%00&entries=" + "x" * 5000).status_code == 400  # refused up front

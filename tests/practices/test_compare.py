"""Comparing 2-4 good practices field by field, and regions by their counts: the state is in the
URL, shared and differing values are said in words, and bad input gives a message, never a 500."""

import pytest
from django.utils.html import escape

from practices.compare import Value, compare_row
from practices.models import Practice, Status
from practices.templatetags.browse_tags import compare_toggle
from taxonomy.models import Pillar, Region, TargetGroup
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def compare_url(*slugs):
    return "/compare/?" + "&".join(f"practice={slug}" for slug in slugs)


def test_two_practices_side_by_side(client, django_assert_max_num_queries):
    first, second = Practice.objects.published().order_by("title")[:2]
    with django_assert_max_num_queries(14):
        response = client.get(compare_url(first.slug, second.slug))
    assert response.status_code == 200
    text = response.content.decode()
    for practice in (first, second):
        assert escape(practice.title) in text
        assert f"?practice={practice.slug}#quote" in text
    for label in (
        "Pillars",
        "Target groups",
        "Type of practice",
        "Who implements it",
        "Basis",
        "Evidence level",
        "Child participation",
        "Regions",
        "Countries",
        "Themes",
        "Convention articles",
        "What the source says",
    ):
        assert f">{label} " in text or f">{label}<" in text, label
    assert [practice.slug for practice in response.context["practices"]] == [first.slug, second.slug]
    assert 'class="rating-method" href="/method/"' in text


def test_shared_and_differing_values_are_marked_in_words(client):
    prevention = Pillar.objects.filter(slug="prevention")
    both = Pillar.objects.filter(slug__in=["prevention", "protection"])
    children = TargetGroup.objects.filter(slug="children")
    one = PracticeFactory(pillars=prevention, target_groups=children)
    two = PracticeFactory(pillars=both, target_groups=children)
    response = client.get(compare_url(one.slug, two.slug))
    rows = {row.label: row for row in response.context["rows"]}
    assert rows["Target groups"].verdict == "Same for all"
    assert rows["Pillars"].verdict == "Partly shared"
    marks = {value.label: value.mark for values in rows["Pillars"].cells for value in values}
    assert marks == {"Prevention": "shared by all", "Protection": "only here"}
    text = response.content.decode()
    assert "(shared by all)" in text and "(only here)" in text
    assert "Partly shared" in text and "Same for all" in text


def test_row_verdicts():
    def values(*keys):
        return [Value(key, key=key) for key in keys]

    assert compare_row("x", [values("a"), values("b")]).verdict == "All different"
    assert compare_row("x", [values(), values()]).verdict == "Not stated for any"
    row = compare_row("x", [values("a"), values("a", "b"), values("b")])
    assert row.verdict == "Some overlap"
    assert [value.mark for value in row.cells[1]] == ["in 2 of 3", "in 2 of 3"]


def test_fewer_than_two_says_so_and_offers_the_picker(client):
    practice = Practice.objects.published().first()
    for url in ("/compare/", compare_url(practice.slug)):
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["rows"] == []
        assert 'name="practice"' in response.content.decode()
    assert "Choose at least 2 to compare; 1 recognised." in client.get(compare_url(practice.slug)).content.decode()


def test_more_than_four_keeps_the_first_four_and_says_so(client):
    slugs = list(Practice.objects.published().order_by("title").values_list("slug", flat=True)[:6])
    response = client.get(compare_url(*slugs))
    assert [practice.slug for practice in response.context["practices"]] == slugs[:4]
    assert "At most 4 can be compared; showing the first 4" in response.content.decode()


def test_unknown_and_draft_slugs_are_ignored_by_name(client):
    draft = PracticeFactory(status=Status.DRAFT, title="Secret draft practice")
    first, second = Practice.objects.published().order_by("title")[:2]
    response = client.get(compare_url(first.slug, "no-such-practice", draft.slug, second.slug, first.slug))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Ignored unknown practice “no-such-practice”, “" + draft.slug + "”." in text
    assert "Secret draft practice" not in text
    assert [practice.slug for practice in response.context["practices"]] == [first.slug, second.slug]


@pytest.mark.parametrize(
    "query",
    ["practice=", "practice=%C3%A9", "practice=" + "x" * 5000, "practice=a&practice=a", "region=<script>", "foo=bar"],
)
def test_bad_parameters_never_fail(client, query):
    assert client.get(f"/compare/?{query}").status_code == 200
    assert client.get(f"/compare/regions/?{query}").status_code == 200


def test_regions_side_by_side(client, django_assert_max_num_queries):
    europe, mena = "europe", "middle-east-north-africa"
    PracticeFactory(status=Status.DRAFT, regions=Region.objects.filter(slug=europe), title="Secret draft practice")
    with django_assert_max_num_queries(10):
        response = client.get(f"/compare/regions/?region={europe}&region={mena}")
    text = response.content.decode()
    assert "Secret draft practice" not in text
    pillar_rows = dict(response.context["pillar_rows"])
    prevention = Pillar.objects.get(slug="prevention")
    counts = {region.slug: count for region, count in pillar_rows[prevention]}
    for slug in (europe, mena):
        expected = Practice.objects.published().filter(regions__slug=slug, pillars=prevention).distinct().count()
        assert counts[slug] == expected
        if expected:
            assert f"/practices/?pillar=prevention&amp;region={slug}" in text
    totals = response.context["totals"]
    assert totals == [Practice.objects.published().filter(regions__slug=slug).count() for slug in (europe, mena)]
    lists = {region.slug: practices for region, practices in response.context["practice_lists"]}
    assert len(lists[europe]) == totals[0]


def test_one_region_is_not_enough(client):
    response = client.get("/compare/regions/?region=europe&region=atlantis")
    text = response.content.decode()
    assert "Ignored unknown region “atlantis”." in text
    assert "Choose at least 2 to compare; 1 recognised." in text


def test_card_checkboxes_submit_to_the_compare_page():
    from django.template.loader import render_to_string

    first, second = Practice.objects.published().order_by("title")[:2]
    html = render_to_string("includes/compare_bar.html") + "".join(compare_toggle(entry) for entry in (first, second))
    assert '<form id="compare-form" class="compare-bar" action="/compare/" method="get"' in html
    assert '<button type="submit" data-compare-submit>' in html
    assert f'name="practice" value="{first.slug}" form="compare-form"' in html
    assert f'<label for="compare-{second.slug}">' in html

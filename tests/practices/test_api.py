"""The read-only JSON API: shape, pagination, filters, and published entries only."""

import pytest

from practices.models import Finding, Practice, Status
from taxonomy.models import Country
from tests.factories import PracticeFactory
from tests.practices.test_browse import FINDING_FACETS, PRACTICE_FACETS

pytestmark = pytest.mark.django_db

MAX_API_QUERIES = 26  # results, count, 8 prefetches, one grouped query per facet (11), validation


ENTRY_KEYS = {
    "slug",
    "title",
    "summary",
    "pillars",
    "regions",
    "countries",
    "themes",
    "articles",
    "session",
    "source",
    "url",
}


def test_practices_list_shape(client, django_assert_max_num_queries, warm_facet_index):
    with django_assert_max_num_queries(MAX_API_QUERIES):
        response = client.get("/api/practices/")
    body = response.json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert body["count"] == Practice.objects.published().count()
    assert len(body["results"]) == 20
    first = body["results"][0]
    assert set(first) >= ENTRY_KEYS
    assert set(first["source"]) >= {"section", "quote"}
    assert all(isinstance(n, int) for n in first["articles"])
    assert first["url"].startswith("http://testserver/practices/")
    assert first["pillars"] and set(first["pillars"]) <= {"prevention", "protection", "prosecution", "promotion"}


def test_findings_carry_their_kind_and_filters_apply(client):
    body = client.get("/api/findings/?kind=recommendation&pillar=prosecution&page_size=100").json()
    assert (
        body["count"] == Finding.objects.published().filter(kind="recommendation", pillars__slug="prosecution").count()
    )
    assert all(r["kind"] == "recommendation" and "prosecution" in r["pillars"] for r in body["results"])


def test_article_and_country_filters(client):
    body = client.get("/api/practices/?article=38&page_size=100").json()
    assert body["count"] > 0 and all(38 in r["articles"] for r in body["results"])
    body = client.get("/api/findings/?country=MA").json()
    assert body["count"] > 0 and all("MA" in r["countries"] for r in body["results"])


def test_repeated_values_are_ored_within_a_filter(client):
    one = client.get("/api/practices/?region=europe").json()["count"]
    other = client.get("/api/practices/?region=sub-saharan-africa").json()["count"]
    both = client.get("/api/practices/?region=europe&region=sub-saharan-africa").json()["count"]
    assert max(one, other) <= both <= one + other


def test_page_size_is_capped_at_100(client):
    body = client.get("/api/findings/?page_size=500").json()
    assert len(body["results"]) == 100
    assert body["next"] is not None


def test_bad_page_falls_back_and_says_so(client):
    body = client.get("/api/findings/?page=abc&pillar=unknown").json()
    assert body["ignored"] == {"page": ["abc"], "pillar": ["unknown"]}
    assert body["previous"] is None


def test_sessions_and_articles(client):
    sessions = client.get("/api/sessions/").json()
    assert sessions["count"] == 12
    assert {s["kind"] for s in sessions["results"]} >= {"panel", "working-group", "closing-remarks"}
    articles = client.get("/api/articles/?page_size=100").json()
    assert articles["count"] == 50
    article_38 = next(a for a in articles["results"] if a["number"] == 38)
    assert article_38["chapter"] == "IX" and article_38["pillar"] == "promotion"
    assert article_38["finding_count"] > 0


def test_detail_endpoints_hide_drafts(client):
    draft = PracticeFactory(status=Status.DRAFT)
    assert client.get(f"/api/practices/{draft.slug}/").status_code == 404
    published = Practice.objects.published().first()
    assert client.get(f"/api/practices/{published.slug}/").json()["slug"] == published.slug


def test_api_is_read_only(client):
    assert client.post("/api/practices/", {"title": "x"}).status_code == 405


def test_list_returns_facets_next_to_results(client):
    body = client.get("/api/practices/?region=europe").json()
    assert list(body)[:4] == ["count", "next", "previous", "results"]
    assert set(body["facets"]) == PRACTICE_FACETS
    europe = Practice.objects.published().filter(regions__slug="europe")
    for option in body["facets"]["pillar"]:
        assert set(option) == {"value", "label", "count", "selected", "toggle_url"}
        assert option["count"] == europe.filter(pillars__slug=option["value"]).count()
    region = {option["value"]: option for option in body["facets"]["region"]}
    assert region["europe"]["selected"] and region["europe"]["label"] == "Europe"
    assert region["europe"]["count"] == Practice.objects.published().filter(regions__slug="europe").count()
    assert region["europe"]["toggle_url"] == "http://testserver/api/practices/"
    assert all(option["parent"] for option in body["facets"]["country"] if option["value"] != "US")
    assert {"value", "label", "count", "selected", "group"} <= set(body["facets"]["article"][0])
    assert set(client.get("/api/findings/").json()["facets"]) == FINDING_FACETS


def test_api_facets_match_the_html_page(client):
    query = "pillar=prevention&country=MA&kind=recommendation"
    api = client.get(f"/api/findings/?{query}").json()["facets"]
    page = client.get(f"/findings/?{query}").context["facets"]
    html = {}
    for result in page:
        for part in (result, result.nested):
            if part is not None:
                html[part.name] = {option.value: option.count for option in part.shown}
    assert {name: {o["value"]: o["count"] for o in options} for name, options in api.items()} == html


def test_many_to_many_facet_counts_are_distinct(client):
    practice = PracticeFactory(pillars=None)
    practice.countries.set(Country.objects.filter(code__in=["IS", "NO"]))
    body = client.get("/api/practices/?country=IS").json()
    assert body["count"] == 1
    countries = {option["value"]: option["count"] for option in body["facets"]["country"]}
    assert countries["IS"] == 1 and countries["NO"] == 1


def test_ignored_reports_unknown_and_capped_values(client):
    themes = "&".join(f"theme=t{n}" for n in range(12))
    body = client.get(f"/api/practices/?{themes}&sort=bogus&evidence_level=proven").json()
    assert body["ignored"]["theme"] == [f"t{n}" for n in range(12)]  # ten unknown, two over the limit
    assert body["ignored"]["sort"] == ["bogus"]
    assert body["ignored"]["evidence_level"] == ["proven"]


def test_sort_newest_and_title(client):
    titles = [r["title"] for r in client.get("/api/practices/?page_size=100&sort=title").json()["results"]]
    assert titles == sorted(titles)
    newest = PracticeFactory(title="Zz newest practice")
    Practice.objects.filter(pk=newest.pk).update(published_at="2031-01-01T00:00:00Z")
    assert client.get("/api/practices/?sort=newest").json()["results"][0]["slug"] == newest.slug


def test_api_queries_do_not_grow_with_results_or_values(client, django_assert_num_queries, warm_facet_index):
    with django_assert_num_queries(len(_captured(client, "/api/findings/?pillar=prevention&page_size=5"))):
        client.get("/api/findings/?pillar=prevention&pillar=promotion&page_size=100")
    with django_assert_num_queries(len(_captured(client, "/api/practices/?region=europe"))):
        client.get("/api/practices/?region=global&region=europe&region=sub-saharan-africa")


def _captured(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return context.captured_queries

"""The read-only JSON API: shape, pagination, filters, and published entries only."""

import pytest

from practices.models import Finding, Practice, Status
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

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


def test_practices_list_shape(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
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

"""Search at scale (issue 11, item 5): estimated counts past a limit, pages fetched by id so a deep
page costs what the first does, and the API saying when its count is an estimate."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.pagination import SearchPaginator, round_estimate
from practices.models import Practice
from practices.views import PracticeListView
from search.services import search_entries

pytestmark = pytest.mark.django_db

COMMON = "children"  # in most of the shipped practices


def exact_matches(q=COMMON):
    return search_entries(Practice.objects.published(), q).count()


def test_estimates_keep_two_significant_figures():
    assert [round_estimate(n) for n in (7, 99, 5001, 61_234, 61_500, 125_000)] == [7, 99, 5000, 61_000, 62_000, 120_000]


def test_below_the_limit_the_count_is_exact(client):
    body = client.get("/api/practices/", {"q": COMMON}).json()
    assert body["count"] == exact_matches() > 20
    assert body["count_is_estimate"] is False
    html = client.get("/practices/", {"q": COMMON}).content.decode()
    assert f">{exact_matches()} good practices<" in html and "about" not in html


def test_above_the_limit_the_page_and_the_api_give_an_estimate(client, monkeypatch):
    monkeypatch.setattr(SearchPaginator, "exact_up_to", 10)
    monkeypatch.setattr(SearchPaginator, "can_estimate", True)
    monkeypatch.setattr(SearchPaginator, "estimate", lambda self: 61_234)
    response = client.get("/practices/", {"q": COMMON})
    html = response.content.decode()
    assert "about 61,000 good practices" in html
    assert "Skip the filters to the results" in html
    assert response.context["paginator"].num_pages == 1  # the pages known to be full: 10 results
    french = client.get("/fr/practices/", {"q": "enfants"})
    assert french.status_code == 200 and "environ 61\xa0000" in french.content.decode()
    body = client.get("/api/practices/", {"q": COMMON, "page_size": 5}).json()
    assert (body["count"], body["count_is_estimate"]) == (61_000, True)
    assert len(body["results"]) == 5 and body["next"]


def test_with_an_estimate_pages_go_as_far_as_the_results_known_to_exist(client, monkeypatch):
    monkeypatch.setattr(SearchPaginator, "exact_up_to", 10)
    monkeypatch.setattr(SearchPaginator, "can_estimate", True)
    monkeypatch.setattr(SearchPaginator, "estimate", lambda self: 61_234)
    body = client.get("/api/practices/", {"q": COMMON, "page_size": 5, "page": 3000}).json()
    assert body["ignored"]["page"] == ["3000"] and body["next"] is None and len(body["results"]) == 5
    monkeypatch.setattr(PracticeListView, "paginate_by", 5)
    response = client.get("/practices/", {"q": COMMON, "page": 3000})
    assert response.context["page_obj"].number == 2
    assert "Only the first 2 pages" in response.context["page_note"]


def test_the_estimate_comes_from_the_database(client, monkeypatch):
    """PostgreSQL's planner estimates the matches from its statistics; SQLite has none to offer, so
    its count stays exact."""
    monkeypatch.setattr(SearchPaginator, "exact_up_to", 10)
    body = client.get("/api/practices/", {"q": COMMON}).json()
    if connection.vendor == "postgresql":
        assert body["count_is_estimate"] is True and body["count"] > 10
    else:
        assert body["count_is_estimate"] is False and body["count"] == exact_matches()


def shape(queries) -> list[str]:
    """The statements with their limits, offsets and lists of ids left out."""
    return [
        re.sub(r"\bIN \((%s|\d+)(, (%s|\d+))*\)", "IN (…)", re.sub(r"\b(LIMIT|OFFSET) \d+", r"\1 n", q["sql"]))
        for q in queries
    ]


def test_a_deep_page_costs_what_the_first_does(client, monkeypatch):
    monkeypatch.setattr(PracticeListView, "paginate_by", 2)
    pages = {}
    for number in (1, 2, 12):
        client.get("/practices/", {"q": COMMON, "page": number})  # warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/practices/", {"q": COMMON, "page": number})
        assert response.context["page_obj"].number == number and len(response.context["object_list"]) == 2
        pages[number] = captured.captured_queries
    assert len(pages[12]) == len(pages[1])
    assert shape(pages[12]) == shape(pages[2])  # page 1 has no OFFSET; otherwise the same statements
    snippet = "ts_headline" if connection.vendor == "postgresql" else "snippet("
    for query in pages[12]:
        if "OFFSET" in query["sql"]:
            # The ranked list carries ids and ranks: no text, no snippet, whatever the depth.
            assert snippet not in query["sql"] and '"description"' not in query["sql"]
    (rows,) = [q["sql"] for q in pages[12] if snippet in q["sql"]]
    assert "OFFSET" not in rows and "ORDER BY" not in rows  # the page's rows, looked up by id


def test_pages_fetched_by_id_keep_the_ranked_order():
    ranked = search_entries(Practice.objects.published(), COMMON).order_by("-search_rank", "title", "pk")
    paginator = SearchPaginator(ranked, 7)
    everything = [entry.pk for entry in ranked]
    paged = [entry.pk for number in paginator.page_range for entry in paginator.page(number)]
    assert paged == everything
    first = paginator.page(1)[0]
    assert first.search_snippet and first.search_rank == ranked[0].search_rank

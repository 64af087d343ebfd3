"""Search at scale (issue 11, item 5): one pass of the search gives every match's rank (no text,
no sort in the database); the count is exact; pages are ordered from those ranks, so a deep page
costs what the first does, and they follow the database's own ``ORDER BY rank, title``."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices.facet_index import FacetIndex, RankedResults
from practices.facets import facets_for
from practices.filters import PracticeFilterSet
from practices.models import Practice
from practices.views import PracticeListView
from search.services import search_entries

pytestmark = pytest.mark.django_db

COMMON = "children"  # in most of the shipped practices


def ranked_in_sql(q=COMMON):
    """The ranking as the database orders it."""
    return search_entries(Practice.objects.published(), q).order_by("-search_rank", "title", "pk")


def test_the_count_is_exact_on_the_page_and_in_the_api(client):
    expected = ranked_in_sql().count()
    body = client.get("/api/practices/", {"q": COMMON}).json()
    assert body["count"] == expected > 20
    html = client.get("/practices/", {"q": COMMON}).content.decode()
    assert f">{expected} good practices<" in html and "about" not in html


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
    assert shape(pages[12]) == shape(pages[2]) == shape(pages[1])
    snippet = "ts_headline" if connection.vendor == "postgresql" else "snippet("
    for query in pages[12]:
        assert "OFFSET" not in query["sql"]
        if "search_rank" in query["sql"]:
            # The ranking pass carries ids and ranks: no text, no snippet, no sort.
            assert snippet not in query["sql"] and '"description"' not in query["sql"]
            assert "ORDER BY" not in query["sql"]
    (rows,) = [q["sql"] for q in pages[12] if snippet in q["sql"]]
    assert "ORDER BY" not in rows  # the page's rows, looked up by id


def in_sql(data) -> list:
    """The filter set's results as the database orders them (``ORDER BY rank DESC, title, pk``)."""
    return list(PracticeFilterSet(data, queryset=Practice.objects.published().for_cards()).qs)


@pytest.mark.parametrize(
    "data",
    [
        {"q": COMMON},
        {"q": "awareness campaigns for travellers"},
        {"q": "protection -online"},
        {"q": "-children"},
        {"q": COMMON, "pillar": "protection"},
        {"q": "what works for child victims' protection in North Africa"},
    ],
)
def test_pages_follow_the_databases_ranking(data):
    results = PracticeFilterSet(data, queryset=Practice.objects.published().for_cards()).results()
    expected = in_sql(data)
    assert isinstance(results, RankedResults) and expected
    assert [entry.pk for entry in results[0 : len(results)]] == [entry.pk for entry in expected]
    assert [entry.pk for entry in results[3:9]] == [entry.pk for entry in expected[3:9]]
    for got, wanted in zip(results[:5], expected[:5], strict=False):
        assert got.search_rank == pytest.approx(wanted.search_rank)
        assert got.search_snippet == wanted.search_snippet


def test_drafts_are_never_ranked():
    draft = Practice.objects.published().filter(title__icontains="child").first()
    Practice.objects.filter(pk=draft.pk).update(status="draft")
    FacetIndex.forget()
    index = FacetIndex.current(Practice, facets_for(Practice))
    ids = [entry.pk for entry in PracticeFilterSet({"q": COMMON}, queryset=Practice.objects.published()).results()[:]]
    assert ids and draft.pk not in ids
    assert all(index.published >> entry_id & 1 for entry_id in ids)

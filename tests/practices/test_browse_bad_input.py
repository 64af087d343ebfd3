"""Whatever the query string, the browse pages and the API answer, never with a 500, and say what
they ignored. Hand-picked nasty inputs first, then random combinations (hypothesis)."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.text import has_control_characters
from practices.facets import FACETS
from practices.models import Finding, Practice
from practices.views import PracticeListView

pytestmark = pytest.mark.django_db

PAGES = {"/practices/": Practice, "/findings/": Finding, "/api/practices/": Practice, "/api/findings/": Finding}

NASTY = [
    "a & b | !c",
    "foo:* <-> bar",
    "'quoted' \"double\"",
    "\x00",
    "nul\x00inside",
    "' OR 1=1 --",
    "1; DROP TABLE practices_practice; --",
    "%",
    "_",
    "\\",
    "(((",
    "ünïcödé ✓ 儿童",
    "<script>alert(1)</script>",
    "x" * 10_000,
]

VALID = {
    "pillar": ["prevention", "protection", "prosecution", "promotion"],
    "region": ["europe", "global", "sub-saharan-africa", "middle-east-north-africa"],
    "country": ["MA", "IT", "FR", "US"],
    "theme": ["migration", "sex-tourism-travel"],
    "article": ["38", "6", "1"],
    "session": ["rome-2012-mediterranean-panel"],
    "section": ["rome-2012-report:D", "rome-2012-report:F"],
    "kind": ["recommendation", "challenge"],
    "target_group": ["children"],
    "practice_type": ["programme", "training"],
    "child_participation": ["not-stated", "child-led"],
    "evidence_level": ["practice-based", "promising"],
    "sort": ["title", "newest", "relevance"],
}


def get(client, path, params):
    response = client.get(path, params)
    assert response.status_code == 200, (path, params)
    return response


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("value", NASTY)
def test_nasty_words_and_values_never_fail(client, path, value):
    if has_control_characters(value):  # refused up front, whatever the parameter
        assert client.get(path, {"q": value}).status_code == 400
        assert client.get(path, {"pillar": value, "page": value}).status_code == 400
        return
    get(client, path, {"q": value})
    response = get(client, path, {"pillar": value, "article": value, "section": value, "sort": value, "page": value})
    text = response.content.decode()
    assert "pillar" in text and "ignored" in text.lower()


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999999999999", "1e9", " 2 ", ""])
def test_any_page_number_gives_a_page(client, path, page):
    response = get(client, path, {"page": page})
    if path.startswith("/api/"):
        assert response.json()["results"]
    else:
        assert response.context["object_list"]


def test_the_page_says_what_it_did_with_a_bad_page(client):
    text = client.get("/findings/?page=99999999999999999999999").content.decode()
    assert "does not exist; showing page" in text


def test_repeated_parameters(client):
    query = "q=a&q=children&sort=newest&sort=title&pillar=prevention&pillar=prevention&page=1&page=2"
    response = client.get(f"/practices/?{query}")
    assert response.status_code == 200
    assert response.context["filterset"].words == "children"
    assert response.context["filterset"].current_sort == "title"
    assert client.get(f"/api/practices/?{query}").status_code == 200


params = st.dictionaries(
    keys=st.sampled_from([facet.name for facet in FACETS] + ["q", "sort", "page", "page_size", "unknown"]),
    values=st.lists(
        st.one_of(
            st.sampled_from(sorted({value for values in VALID.values() for value in values})),
            st.text(max_size=30),
            st.sampled_from(NASTY),
            st.integers(-5, 10**12).map(str),
        ),
        min_size=1,
        max_size=4,
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(sorted(PAGES)), query=params)
def test_random_parameter_combinations(client, path, query):
    cache.clear()
    response = client.get(path + "?" + urlencode(query, doseq=True))
    if any(has_control_characters(value) for values in query.values() for value in values):
        assert response.status_code == 400
        return
    assert response.status_code == 200
    model = PAGES[path]
    published = set(model.objects.published().values_list("slug", flat=True))
    if path.startswith("/api/"):
        body = response.json()
        assert {"count", "next", "previous", "results", "facets"} <= set(body)
        assert {row["slug"] for row in body["results"]} <= published
        for name, options in body["facets"].items():
            chosen = set(query.get(name, []))
            assert all(option["selected"] == (option["value"] in chosen) for option in options), name
            assert all(option["count"] >= 0 for option in options)
    else:
        assert {entry.slug for entry in response.context["object_list"]} <= published
        selected = response.context["filterset"].selected
        for name, values in selected.items():
            assert set(values) <= set(query.get(name, []))
            assert len(values) <= 10
        assert sum(len(values) for values in selected.values()) <= 30


def test_deep_pages_are_bounded(client, monkeypatch):
    """Page 5,000 is never an OFFSET over 100,000 results: pages past the limit answer with the
    last listed page and say so."""
    monkeypatch.setattr(PracticeListView, "max_page", 2)
    monkeypatch.setattr(PracticeListView, "paginate_by", 5)
    response = client.get("/practices/?page=5000")
    assert response.status_code == 200
    assert response.context["page_obj"].number <= 2
    assert "Only the first 2 pages" in response.context["page_note"]

"""Search as the browse pages and the API use it, and its measured quality."""

import pytest

from common.text import has_control_characters
from practices.relevance import evaluate, hit_rate, load_questions, mean_reciprocal_rank
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def test_browse_page_filters_by_words_and_offers_did_you_mean(client, django_assert_max_num_queries, warm_facet_index):
    # The faceted page (count, cards, one grouped query per facet), 2 vocabulary look-ups (search,
    # did you mean), 1 "all words?" probe, 3 for names, at most 4 for understanding what the words
    # name ("traficking" is a hidden label of the theme): none depends on the number of results.
    with django_assert_max_num_queries(26):
        response = client.get("/practices/", {"q": "traficking memoranda"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Origin-destination memoranda of understanding against child trafficking" in html
    assert 'Did you mean <a href="?q=trafficking%20memoranda">trafficking memoranda</a>?' in html


def test_a_natural_question_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries, warm_facet_index):
    # The above + clause weights for a natural question, + on PostgreSQL the planner asked whether the
    # words that also name a term are common (how to match them).
    with django_assert_max_num_queries(28):
        response = client.get("/findings/", {"q": "what works for child victims' protection in North Africa"})
    assert response.status_code == 200 and "finding" in response.content.decode()


def test_browse_page_lists_matching_names(client):
    html = client.get("/findings/", {"q": "ECPAT"}).content.decode()
    assert 'href="/organisations/ecpat-italy/"' in html and "ECPAT Italy" in html


def test_browse_page_escapes_the_query_in_the_help_block(client):
    html = client.get("/findings/", {"q": "<script>ecpat</script>"}).content.decode()
    assert "<script>ecpat" not in html and "&lt;script&gt;ecpat" in html


def test_search_combines_with_filters_and_never_shows_drafts(client):
    PracticeFactory(title="Snarkhunting outreach", status="draft")
    assert "Snarkhunting" not in client.get("/practices/", {"q": "snarkhunting"}).content.decode()
    body = client.get("/api/practices/", {"q": "harmonization", "region": "europe"}).json()
    assert [r["slug"] for r in body["results"]] == ["shared-understanding-and-harmonised-law-on-online-abuse"]


@pytest.mark.parametrize("q", ["\x00", "a" * 10_000, "'; DROP TABLE x; --", "!&|<->:*", "😀"])
def test_garbage_in_the_search_box_never_fails(client, q):
    expected = 400 if has_control_characters(q) else 200  # control characters are refused up front
    assert client.get("/practices/", {"q": q}).status_code == expected
    assert client.get("/api/findings/", {"q": q}).status_code == expected


def test_relevance_questions_are_answered_in_the_top_five():
    """114 questions, 213 cases (the last 54, in users' own words, were added for issue 10 and
    first scored 0.442 on both databases, 0.709/0.714 over all). Measured after query understanding
    and the thesaurus: hit rate 0.972 on SQLite and on PostgreSQL, MRR 0.885 and 0.886. The
    thresholds leave room for curators' edits to titles and summaries (a few cases) without letting
    a real regression in ranking through."""
    questions = load_questions()
    assert len(questions) >= 25
    cases = evaluate(questions)
    misses = [(c.question, c.kind, c.results) for c in cases if c.first_hit is None]
    assert hit_rate(cases) >= 0.9, misses
    assert mean_reciprocal_rank(cases) >= 0.8

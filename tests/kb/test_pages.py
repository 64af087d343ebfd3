"""Every public page answers with the right content, in a bounded number of queries, and never
shows a draft."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from kb.models import Session
from practices.models import Finding, Practice, Status
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def test_home_shows_counts_by_pillar_and_region(client, django_assert_max_num_queries):
    # Counts come from the facet index: a warm index costs 5 (test_page_counts); here it is built too.
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{Practice.objects.published().count()} good practices" in text
    for label in ("Prevention", "Protection", "Prosecution", "Promotion of co-operation", "Sub-Saharan Africa"):
        assert label in text
    assert 'href="/practices/?pillar=prevention"' in text


@pytest.mark.parametrize(
    ("url", "expected", "max_queries"),
    [
        # facet counts come from the facet index (no query); its terms' labels are one query per vocabulary
        ("/practices/", "good practices", 13),
        ("/findings/", "findings", 14),
        ("/findings/?pillar=prosecution&region=global", "Prosecution", 16),
        ("/conferences/rome-2012/", "Mediterranean Projects", 8),
        ("/sessions/rome-2012-mediterranean-panel/", "Himaya - pour l&#x27;innocence en danger", 16),
        ("/sources/rome-2012-report/", "K. Results of the Conferences", 6),
        ("/articles/", "Chapter IX: International co-operation", 4),
        ("/articles/38/", "General principles and measures for international co-operation", 12),
        ("/pillars/prevention/", "Article 6: Education for children", 12),
        ("/regions/middle-east-north-africa/", "Morocco", 12),
        ("/countries/ma/", "Morocco", 12),
        ("/themes/sex-tourism-travel/", "Sex tourism and travel", 12),
        ("/organisations/iom/", "SALEM project", 10),
        ("/projects/salem-project-morocco/", "International Organization for Migration", 10),
    ],
)
def test_pages_render_their_content(
    client, django_assert_max_num_queries, url, expected, max_queries, warm_facet_index
):
    with django_assert_max_num_queries(max_queries):
        response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_list_queries_do_not_grow_with_the_page_size(
    client, django_assert_num_queries, django_assert_max_num_queries, warm_facet_index
):
    """The same number of queries for 20 cards as for one: relations are prefetched."""
    assert Finding.objects.published().filter(kind="root-cause").count() < 20
    with django_assert_max_num_queries(16) as few:
        client.get("/findings/?kind=root-cause")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/findings/?kind=recommendation")


def test_practice_detail_shows_quote_classification_and_source_link(client, django_assert_max_num_queries):
    practice = Practice.objects.published().filter(implementers__isnull=False).first()
    with django_assert_max_num_queries(14):
        response = client.get(practice.get_absolute_url())
    text = response.content.decode()
    assert escape(practice.title) in text
    assert "Practice-based, not evaluated" in text or practice.get_evidence_level_display() in text
    assert f"/sources/rome-2012-report/?practice={practice.slug}#quote" in text
    for pillar in practice.pillars.all():
        assert escape(pillar.name) in text


def test_finding_detail_links_to_its_session(client):
    finding = Finding.objects.published().select_related("session").first()
    response = client.get(finding.get_absolute_url())
    assert response.status_code == 200
    assert finding.session.get_absolute_url() in response.content.decode()


def test_report_page_highlights_the_quoted_passage(client):
    finding = Finding.objects.get(slug=Finding.objects.filter(section__code="F").first().slug)
    response = client.get(f"/sources/rome-2012-report/?finding={finding.slug}")
    text = response.content.decode()
    assert text.count('<mark id="quote"') == 1
    marked = text.split('<mark id="quote" tabindex="-1">', 1)[1].split("</mark>", 1)[0]
    assert marked.split()[0] in finding.quote


def test_drafts_are_never_public(client):
    draft = PracticeFactory(status=Status.DRAFT, title="Secret draft practice")
    review = FindingFactory(status=Status.IN_REVIEW, title="Finding still in review")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(review.get_absolute_url()).status_code == 404
    for url in [
        "/",
        "/practices/",
        "/findings/",
        "/pillars/protection/",
        "/regions/global/",
        f"/sessions/{draft.session.slug}/",
        "/api/practices/?page_size=100",
        "/api/findings/?page_size=100",
    ]:
        body = client.get(url).content.decode()
        assert "Secret draft practice" not in body, url
        assert "Finding still in review" not in body, url
    assert (
        client.get(f"/sources/{draft.section.document.slug}/?practice={draft.slug}").content.decode().count("<mark")
        == 0
    )


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=99999",
        "page=-1",
        "pillar=nonsense",
        "q=%27%22;DROP TABLE",  # (a NUL is refused with 400: tests/test_control_characters.py)
        "q=" + "x" * 10000,
        "article=abc&article=38",
        "country=zz&region=",
        "section=nowhere:Z",
        "kind=<script>",
    ],
)
def test_malformed_parameters_never_fail(client, query):
    for url in ("/practices/", "/findings/", "/api/practices/", "/api/findings/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, (url, query)


def test_ignored_values_are_reported(client):
    text = client.get("/findings/?pillar=nonsense&page=abc").content.decode()
    assert "Ignored unknown pillar: “nonsense”" in text
    assert "showing page 1" in text


def test_unknown_pages_are_404(client):
    assert client.get("/practices/no-such-practice/").status_code == 404
    assert client.get("/sessions/no-such-session/").status_code == 404
    assert client.get("/articles/51/").status_code == 404


def test_every_session_page_lists_its_findings(client):
    for session in Session.objects.all():
        response = client.get(session.get_absolute_url())
        assert response.status_code == 200
        assert response.context["session"].findings.all(), session.slug


def test_reverse_names_are_stable():
    assert reverse("practices:practice-list") == "/practices/"
    assert reverse("taxonomy:article", args=[38]) == "/articles/38/"


def test_home_lists_the_four_ps_in_the_conventions_order(client):
    text = client.get("/").content.decode()
    positions = [
        text.index(f'href="/pillars/{slug}/"') for slug in ("prevention", "protection", "prosecution", "promotion")
    ]
    assert positions == sorted(positions)

"""Pillar, region, country, theme, article and session pages list their entries, break them down
by a second vocabulary and link into the filtered browse lists and exports."""

import pytest

from practices import services
from practices.models import Finding, Practice, Status
from taxonomy.models import ConventionArticle, Country, Pillar, Region, Theme
from tests.curation.conftest import make_user
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def breakdown(response):
    return {term.slug: (term.practice_count, term.finding_count) for term in response.context["breakdown"]}


def test_pillar_page_breaks_entries_down_by_region(client):
    PracticeFactory(status=Status.DRAFT, pillars=Pillar.objects.filter(slug="prevention"))
    response = client.get("/pillars/prevention/")
    counts = breakdown(response)
    for region in Region.objects.all():
        expected = (
            Practice.objects.published().filter(pillars__slug="prevention", regions=region).count(),
            Finding.objects.published().filter(pillars__slug="prevention", regions=region).count(),
        )
        assert counts.get(region.slug, (0, 0)) == expected, region.slug
    text = response.content.decode()
    assert 'href="/practices/?pillar=prevention&amp;region=europe"' in text
    assert 'href="/practices/export.csv?pillar=prevention"' in text


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/regions/europe/", "region=europe"),
        ("/countries/MA/", "country=MA"),
        ("/themes/sex-tourism-travel/", "theme=sex-tourism-travel"),
        ("/articles/38/", "article=38"),
    ],
)
def test_term_pages_break_down_by_pillar_and_link_to_the_browse(client, url, param):
    response = client.get(url)
    counts = breakdown(response)
    assert counts, url
    text = response.content.decode()
    slug, (practices, findings) = next(iter(counts.items()))
    if practices:
        assert f'href="/practices/?{param}&amp;pillar={slug}">{practices}</a>' in text
    if findings:
        assert f'href="/findings/?{param}&amp;pillar={slug}">{findings}</a>' in text
    assert f"/findings/export.json?{param}" in text or not response.context["findings"]


def test_article_page_shows_its_chapter(client):
    article = ConventionArticle.objects.get(number=38)
    text = client.get("/articles/38/").content.decode()
    assert f"Chapter {article.chapter}: {article.chapter_title}" in text
    for other in ConventionArticle.objects.filter(chapter=article.chapter).exclude(pk=article.pk):
        assert f'href="{other.get_absolute_url()}"' in text
    assert '<strong aria-current="page">Article 38' in text


def test_session_page_links_into_the_browse_and_export(client):
    text = client.get("/sessions/rome-2012-mediterranean-panel/").content.decode()
    assert 'href="/findings/?session=rome-2012-mediterranean-panel"' in text
    assert 'href="/findings/export.csv?session=rome-2012-mediterranean-panel"' in text


def term_page_counts(client):
    """Every count the term pages show: countries on a region page and each page's breakdown."""
    counts = {}
    region = client.get("/regions/asia-pacific/")
    counts["asia-pacific countries"] = {c.code: c.entry_count for c in region.context["object"].countries_with_entries}
    for url in (
        "/regions/asia-pacific/",
        "/countries/PH/",
        "/countries/TH/",
        "/pillars/prevention/",
        "/themes/migration/",
    ):
        counts[url] = breakdown(client.get(url))
    return counts


def test_entries_that_are_not_public_never_change_public_counts(client):
    """The attack: draft, in-review, archived and returned entries tagged Philippines and Thailand
    turned "Philippines (2)" into "(10)" on the region page. Counts come from published entries only."""
    reviewer = make_user("reviewer")
    before = term_page_counts(client)
    expected = {
        code: Practice.objects.published().filter(countries__code=code).count()
        + Finding.objects.published().filter(countries__code=code).count()
        for code in before["asia-pacific countries"]
    }
    assert before["asia-pacific countries"] == expected and expected.get("PH")
    tags = {
        "regions": Region.objects.filter(slug="asia-pacific"),
        "pillars": Pillar.objects.filter(slug__in=["prevention", "protection"]),
    }
    for factory in (PracticeFactory, FindingFactory):
        for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED, Status.PUBLISHED):
            entry = factory(status=status, **tags)
            entry.themes.add(Theme.objects.get(slug="migration"))
            entry.countries.set(Country.objects.filter(code__in=["PH", "TH"]))
            if status == Status.PUBLISHED:  # returned to draft: was public, is not now
                services.entry_return_to_draft(entry, reviewer, "Not ready after all.")
    assert term_page_counts(client) == before

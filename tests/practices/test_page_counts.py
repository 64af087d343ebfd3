"""Counts on the home, term, conference, source and article pages and the gap map (issue 11): each
is read from indexes over the through tables, stays exact and counts published entries only,
whatever drafts, entries in review and archived entries carry the same terms."""

import pytest
from django.db.models import Count, F
from django.utils import timezone

from common.pagination import ListPage
from kb.models import Section, Session
from practices.counts import basis_counts, published_counts, published_pair_counts, with_published_counts
from practices.models import Finding, Practice, Status, published_entry_counts
from taxonomy.models import ConventionArticle, Country, Pillar, Region, Theme
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db

HIDDEN = (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED)


@pytest.fixture
def hidden_entries():
    """Entries of every non-public status carrying popular terms (pillars, regions, a theme, an
    article, a country, the first session): none of them may change a public count."""
    session = Session.objects.order_by("pk").first()
    for factory in (PracticeFactory, FindingFactory):
        for status in HIDDEN:
            entry = factory(
                status=status,
                session=session,
                section=session.section,
                pillars=Pillar.objects.all(),
                regions=Region.objects.all(),
                themes=Theme.objects.filter(slug="migration"),
            )
            entry.articles.set(ConventionArticle.objects.filter(number__in=[18, 38]))
            entry.countries.set(Country.objects.filter(code__in=["MA", "PH"]))


def expected(model, relation, **filters):
    """``{term id: published entries}`` the slow, obvious way."""
    rows = model.objects.published().filter(**filters).values(relation).annotate(n=Count("pk", distinct=True))
    return {row[relation]: row["n"] for row in rows if row[relation] is not None}


@pytest.mark.parametrize("model", [Practice, Finding])
@pytest.mark.parametrize("relation", ["pillars", "regions", "countries", "themes", "articles"])
def test_grouped_counts_are_exact_and_published_only(hidden_entries, model, relation):
    assert published_counts(model, relation) == expected(model, relation)
    prevention = Pillar.objects.get(slug="prevention")
    within = published_counts(model, relation, within=("pillars", prevention))
    carrying = model.objects.filter(pillars=prevention).values("pk")  # a subquery: its own join
    assert within == expected(model, relation, pk__in=carrying)


@pytest.mark.parametrize("model", [Practice, Finding])
def test_pair_counts_are_exact_and_published_only(hidden_entries, model):
    pairs = published_pair_counts(model, "regions", "pillars")
    rows = model.objects.published().values("regions", "pillars").annotate(n=Count("pk", distinct=True))
    assert pairs == {(row["regions"], row["pillars"]): row["n"] for row in rows if row["regions"] and row["pillars"]}
    assert pairs


@pytest.mark.parametrize(
    ("vocabulary", "relation"),
    [(Pillar, "pillars"), (Region, "regions"), (Country, "countries"), (ConventionArticle, "articles")],
)
def test_term_annotations_count_published_entries_only(hidden_entries, vocabulary, relation):
    counted = {
        term.pk: (term.practice_count, term.finding_count)
        for term in vocabulary.objects.annotate(**published_entry_counts())
    }
    practices, findings = expected(Practice, relation), expected(Finding, relation)
    assert counted == {pk: (practices.get(pk, 0), findings.get(pk, 0)) for pk in counted}
    assert any(sum(pair) for pair in counted.values())


@pytest.mark.parametrize(
    ("vocabulary", "relation"),
    [(Pillar, "pillars"), (Region, "regions"), (Country, "countries"), (ConventionArticle, "articles")],
)
def test_index_counts_agree_with_the_annotations(hidden_entries, vocabulary, relation):
    """The facet index's counts (every public page) and the SQL annotation (kb_stats, sitemaps)
    are one rule: published entries only."""
    from_index = {
        term.pk: (term.practice_count, term.finding_count)
        for term in with_published_counts(vocabulary.objects.all(), relation)
    }
    annotated = vocabulary.objects.annotate(**published_entry_counts())
    assert from_index == {term.pk: (term.practice_count, term.finding_count) for term in annotated}
    assert any(sum(pair) for pair in from_index.values())


def test_article_pages_count_published_entries_only(
    client, hidden_entries, django_assert_max_num_queries, warm_facet_index
):
    warm_facet_index()
    with django_assert_max_num_queries(2):
        listed = client.get("/articles/").context["object_list"]
    practices, findings = expected(Practice, "articles"), expected(Finding, "articles")
    assert len(listed) == 50
    assert {a.pk: (a.practice_count, a.finding_count) for a in listed} == {
        a.pk: (practices.get(a.pk, 0), findings.get(a.pk, 0)) for a in listed
    }
    chapter = client.get("/articles/38/").context["chapter_articles"]
    assert {a.number for a in chapter} >= {38} and all(a.chapter == chapter[0].chapter for a in chapter)
    assert [(a.practice_count, a.finding_count) for a in chapter] == [
        (practices.get(a.pk, 0), findings.get(a.pk, 0)) for a in chapter
    ]


@pytest.mark.parametrize(("outer", "relation"), [(Session, "session"), (Section, "section")])
def test_session_and_section_counts_are_published_only(hidden_entries, outer, relation):
    counted = {
        row.pk: (row.practice_count, row.finding_count) for row in outer.objects.annotate(**published_entry_counts())
    }
    practices, findings = expected(Practice, relation), expected(Finding, relation)
    assert counted == {pk: (practices.get(pk, 0), findings.get(pk, 0)) for pk in counted}
    assert any(sum(pair) for pair in counted.values())


def test_basis_counts_are_published_only(hidden_entries):
    counts = basis_counts("pillars")
    for pillar in Pillar.objects.all():
        for basis in Practice.Basis.values:
            published = Practice.objects.published().filter(pillars=pillar, basis=basis).count()
            assert counts.get((pillar.slug, basis), 0) == published


def test_home_and_gap_map_show_published_counts_only(
    client, hidden_entries, django_assert_max_num_queries, warm_facet_index
):
    # Hidden entries published most recently (an archived one was public): still not listed.
    Practice.objects.exclude(status=Status.PUBLISHED).update(published_at=timezone.now())
    warm_facet_index()  # counts come from the facet index, built once per content version
    # pillars, regions, the newest practices' rows, conferences and their documents
    with django_assert_max_num_queries(5):
        home = client.get("/")
    assert home.context["practice_count"] == Practice.objects.published().count()
    assert home.context["finding_count"] == Finding.objects.published().count()
    newest = Practice.objects.published().order_by(F("published_at").desc(nulls_last=True), "title", "pk")[:6]
    assert home.context["newest_practices"] == list(newest)
    region = home.context["regions"][0]
    pillar = home.context["pillars"][0]
    count = dict(region.pillar_counts)[pillar]
    assert count == Practice.objects.published().filter(regions=region, pillars=pillar).count()
    for terms, relation in ((home.context["pillars"], "pillars"), (home.context["regions"], "regions")):
        for term in terms:
            practices = Practice.objects.published().filter(**{relation: term})
            assert term.practice_count == practices.count() == term.implemented + term.recommended
            assert term.finding_count == Finding.objects.published().filter(**{relation: term}).count()
    with django_assert_max_num_queries(5):
        gap_map = client.get("/gap-map/?entries=findings&rows=themes")
    table = {row["term"].slug: row for row in gap_map.context["table"]}
    migration = Theme.objects.get(slug="migration")
    assert table["migration"]["total"] == Finding.objects.published().filter(themes=migration).count()
    for cell in table["migration"]["cells"]:
        assert cell["count"] == Finding.objects.published().filter(themes=migration, pillars=cell["pillar"]).count()


@pytest.mark.parametrize(
    "url", ["/pillars/prevention/", "/regions/europe/", "/countries/ma/", "/themes/migration/", "/articles/38/"]
)
def test_term_pages_count_their_lists_from_the_term(
    client, hidden_entries, url, django_assert_max_num_queries, warm_facet_index
):
    """The lists' sizes and first pages come from the facet index: the same numbers and rows, in
    the same order, as the published entries carrying the term, counted and sorted in SQL."""
    warm_facet_index()
    with django_assert_max_num_queries(8):
        response = client.get(url)
    term = response.context["object"]
    relation = {Pillar: "pillars", Region: "regions", Country: "countries", Theme: "themes"}.get(type(term), "articles")
    for name, model in (("practices", Practice), ("findings", Finding)):
        carrying = model.objects.published().filter(**{relation: term})
        assert response.context[name].count == carrying.count() > 0
        assert list(response.context[name]) == list(carrying.order_by("title", "pk")[: ListPage.per_page])


def test_conference_and_source_pages_count_published_entries_only(client, hidden_entries, warm_facet_index):
    warm_facet_index()
    conference = client.get("/conferences/rome-2012/").context["object"]
    sessions = conference.sessions.all()
    practices, findings = expected(Practice, "session"), expected(Finding, "session")
    assert [(s.practice_count, s.finding_count) for s in sessions] == [
        (practices.get(s.pk, 0), findings.get(s.pk, 0)) for s in sessions
    ]
    assert any(s.practice_count for s in sessions)
    sections = client.get("/sources/rome-2012-report/").context["sections"]
    practices, findings = expected(Practice, "section"), expected(Finding, "section")
    assert [(s.practice_count, s.finding_count) for s in sections] == [
        (practices.get(s.pk, 0), findings.get(s.pk, 0)) for s in sections
    ]
    assert any(s.finding_count for s in sections)


def test_api_lists_and_details_count_published_entries_only(client, hidden_entries):
    for path, model, relation, key in (
        ("/api/sessions/", Session, "session", "slug"),
        ("/api/articles/", ConventionArticle, "articles", "number"),
    ):
        practices, findings = expected(Practice, relation), expected(Finding, relation)
        rows = client.get(f"{path}?page_size=100").json()["results"]
        pk_of = dict(model.objects.values_list(key, "pk"))
        assert [(row["practice_count"], row["finding_count"]) for row in rows] == [
            (practices.get(pk_of[row[key]], 0), findings.get(pk_of[row[key]], 0)) for row in rows
        ]
        assert any(row["finding_count"] for row in rows)
        one = client.get(f"{path}{rows[0][key]}/").json()
        assert (one["practice_count"], one["finding_count"]) == (rows[0]["practice_count"], rows[0]["finding_count"])


def test_session_page_lists_findings_in_source_order_from_the_index(
    client, hidden_entries, django_assert_max_num_queries, warm_facet_index
):
    """The findings of a session section by section, then by id (as ``section__order, pk``), on
    every page; practices by title; drafts nowhere."""
    session = Session.objects.order_by("pk").first()  # where the hidden entries are filed
    sections = list(Section.objects.filter(document__conference=session.conference).order_by("-order")[:3])
    for n in range(45):  # more than two pages, under sections out of id order
        FindingFactory(slug=f"panel-finding-{n}", session=session, section=sections[n % 3])
    warm_facet_index()
    carrying = Finding.objects.published().filter(session=session)
    in_order = list(carrying.order_by("section__order", "pk"))
    assert len(in_order) > 2 * ListPage.per_page
    assert Finding.objects.filter(session=session).exclude(status=Status.PUBLISHED).exists()
    for page in (1, 2, 3):
        with django_assert_max_num_queries(10):
            response = client.get(f"/sessions/{session.slug}/?findings={page}")
        start = (page - 1) * ListPage.per_page
        assert list(response.context["findings"]) == in_order[start : start + ListPage.per_page]
        assert response.context["findings"].count == len(in_order)
    practices = Practice.objects.published().filter(session=session).order_by("title", "pk")
    assert list(response.context["practices"]) == list(practices[: ListPage.per_page])
    assert response.context["practices"].count == practices.count()


def test_article_page_heading_counts_the_whole_list_and_paginates(client):
    article = ConventionArticle.objects.get(number=38)
    for n in range(ListPage.per_page + 3):
        entry = PracticeFactory(slug=f"citing-{n}", title=f"Citing practice {n:02}")
        entry.articles.add(article)
    total = Practice.objects.published().filter(articles=article).count()
    response = client.get("/articles/38/?practices=2")
    text = response.content.decode()
    assert f"Good practices citing it ({total})" in text
    assert response.context["practices"].page.number == 2

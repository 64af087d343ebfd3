"""Detail pages connect an entry to the rest of the knowledge base: related entries (best first,
published only, in a bounded number of queries), a citation, and a way into the comparison."""

import datetime

import pytest
from django.utils.html import escape

from kb.models import Conference
from practices.citation import citation_text
from practices.models import Finding, Practice, Status
from practices.selectors import get_classified, related_entries, relatedness_reasons, term_relations
from taxonomy.models import ConventionArticle, Pillar, Region, Theme
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def detail(slug):
    return Practice.objects.published().with_relations().get(slug=slug)


def test_related_practices_rank_more_shared_terms_first():
    themes = list(Theme.objects.order_by("slug")[:3])
    prevention = Pillar.objects.filter(slug="prevention")
    anchor = PracticeFactory(pillars=prevention, themes=themes)
    close = PracticeFactory(title="Zz close", pillars=prevention, themes=themes[:2])
    far = PracticeFactory(title="Aa far", pillars=prevention, themes=themes[2:])
    related = related_entries(detail(anchor.slug), limit=50)
    slugs = [entry.slug for entry in related]
    assert close.slug in slugs and far.slug in slugs
    assert slugs.index(close.slug) < slugs.index(far.slug)
    assert anchor.slug not in slugs
    assert related == sorted(related, key=lambda entry: -entry.relatedness)
    reasons = relatedness_reasons(related[slugs.index(close.slug)])
    assert "2 themes" in reasons and "1 pillar" in reasons and "the same session" not in reasons


def test_same_session_breaks_a_tie():
    theme = Theme.objects.filter(slug="sex-tourism-travel")
    anchor = PracticeFactory(themes=theme)
    other_session = PracticeFactory(title="Aa other session", themes=theme)
    same_session = PracticeFactory(title="Zz same session", themes=theme, session=anchor.session)
    slugs = [entry.slug for entry in related_entries(detail(anchor.slug), limit=100)]
    assert slugs.index(same_session.slug) < slugs.index(other_session.slug)


def test_related_entries_never_include_drafts():
    theme = Theme.objects.filter(slug="sex-tourism-travel")
    anchor = PracticeFactory(themes=theme)
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        PracticeFactory(status=status, themes=theme, session=anchor.session, title=f"Hidden {status}")
    related = related_entries(detail(anchor.slug), limit=500)
    assert related
    assert all(entry.status == Status.PUBLISHED for entry in related)


def test_only_entries_sharing_a_pillar_theme_or_region_are_related():
    region = Region.objects.exclude(slug="global").order_by("slug").first()
    anchor = PracticeFactory(pillars=Pillar.objects.none(), regions=[region])
    related = related_entries(detail(anchor.slug), limit=500)
    assert {entry.pk for entry in related} == set(
        Practice.objects.published().filter(regions=region).exclude(pk=anchor.pk).values_list("pk", flat=True)
    )


def test_related_queries_do_not_grow_with_the_catalogue(django_assert_num_queries, warm_facet_index):
    """One query on a warm facet index (the rows; their pillars come from the index), however many
    entries share terms."""
    anchor = detail(Practice.objects.published().filter(themes__isnull=False).first().slug)
    with django_assert_num_queries(1):
        first = related_entries(anchor)
        pillars = {entry.pk: list(entry.pillars.all()) for entry in first}
    assert pillars == {entry.pk: list(entry.pillars.all()) for entry in Practice.objects.filter(pk__in=pillars)}
    assert all(pillars.values())
    PracticeFactory.create_batch(15, themes=list(anchor.themes.all()), pillars=list(anchor.pillars.all()))
    warm_facet_index()
    with django_assert_num_queries(1):
        related_entries(anchor)


@pytest.mark.parametrize("model", [Practice, Finding])
def test_every_detail_page_renders_in_bounded_queries(client, django_assert_max_num_queries, model, warm_facet_index):
    for entry in model.objects.published():
        with django_assert_max_num_queries(9):
            response = client.get(entry.get_absolute_url())
        assert response.status_code == 200, entry.slug


def test_practice_page_shows_classification_related_entries_and_compare_form(client):
    practice = Practice.objects.published().filter(implementers__isnull=False, projects__isnull=False).first()
    response = client.get(practice.get_absolute_url())
    text = response.content.decode()
    for group in practice.target_groups.all():
        assert escape(group.name) in text
    for organisation in practice.implementers.all():
        assert organisation.get_absolute_url() in text
    for project in practice.projects.all():
        assert project.get_absolute_url() in text
    assert practice.session.get_absolute_url() in text
    assert f"?practice={practice.slug}#quote" in text
    related = response.context["related"]
    assert related and 'id="related-heading"' in text
    assert related[0].get_absolute_url() in text
    assert "Shares " in text
    assert '<form class="compare-form" action="/compare/" method="get">' in text
    assert f'<input type="hidden" name="practice" value="{practice.slug}">' in text
    assert f'name="practice" value="{related[0].slug}"' in text


def test_finding_page_lists_related_findings(client):
    finding = Finding.objects.published().filter(themes__isnull=False).first()
    response = client.get(finding.get_absolute_url())
    related = response.context["related"]
    assert related and all(isinstance(entry, Finding) for entry in related)
    assert related[0].get_absolute_url() in response.content.decode()


def test_cite_this_names_title_source_section_conference_url_and_date(client):
    practice = Practice.objects.published().select_related("section__document", "session__conference").first()
    response = client.get(practice.get_absolute_url())
    citation = response.context["citation"]
    assert citation.startswith(f"{practice.title}.")
    assert practice.section.document.title in citation
    assert practice.section.label in citation
    assert practice.session.conference.title in citation
    assert f"http://testserver{practice.get_absolute_url()}" in citation
    assert "(accessed " in citation
    text = response.content.decode()
    assert 'id="cite-heading"' in text
    assert f">{escape(citation)}</textarea>" in text
    assert '<label for="citation-plain">' in text


def test_citation_text_formats_the_conference_dates():
    practice = Practice.objects.published().select_related("section__document", "session__conference").first()
    conference = practice.session.conference
    assert isinstance(conference, Conference)
    text = citation_text(practice, "https://example.org/p/", accessed=datetime.date(2030, 3, 5))
    assert "(Rome, 29–30 November 2012)" in text
    assert text.endswith("https://example.org/p/ (accessed 5 March 2030).")
    finding = FindingFactory(kind=Finding.Kind.RECOMMENDATION)
    finding = Finding.objects.select_related("section__document", "session__conference").get(pk=finding.pk)
    assert "Lanzarote Knowledge Base, recommendation." in citation_text(finding, "u")


def test_article_links_appear_on_the_detail_page(client):
    practice = Practice.objects.published().filter(articles__isnull=False).first()
    text = client.get(practice.get_absolute_url()).content.decode()
    for article in ConventionArticle.objects.filter(practices=practice):
        assert article.get_absolute_url() in text


@pytest.mark.parametrize("model", [Practice, Finding])
def test_a_published_entrys_terms_come_from_the_index_exactly_as_from_the_database(model, monkeypatch):
    """The detail page reads a published entry's pillars, regions, countries, themes... off the facet
    index (selectors.classify_from_index); they must be the prefetch's, in the same order."""
    queryset = model.objects.published().with_relations()
    for entry in queryset.order_by("pk")[:25]:
        from_index = get_classified(queryset, pk=entry.pk)
        for relation in term_relations(model):
            assert relation in from_index._prefetched_objects_cache
            assert list(getattr(from_index, relation).all()) == list(getattr(entry, relation).all()), relation


def test_an_entry_the_index_does_not_hold_gets_its_terms_from_the_database(client, django_assert_max_num_queries):
    draft = PracticeFactory(status=Status.DRAFT, pillars=Pillar.objects.filter(slug="prevention"))
    entry = get_classified(Practice.objects.with_relations(), pk=draft.pk)
    assert [pillar.slug for pillar in entry.pillars.all()] == ["prevention"]
    # and a published one whose terms changed since the index was built is read afresh
    published = Practice.objects.published().first()
    published.pillars.set(Pillar.objects.filter(slug="protection"))  # a content change: a new version
    entry = get_classified(Practice.objects.with_relations(), pk=published.pk)
    assert [pillar.slug for pillar in entry.pillars.all()] == ["protection"]


def test_a_detail_view_given_a_queryset_reads_only_its_entry(rf, django_assert_max_num_queries, warm_facet_index):
    from practices.views import PracticeDetailView

    entry = Practice.objects.published().first()
    view = PracticeDetailView()
    view.setup(rf.get(entry.get_absolute_url()), slug=entry.slug)
    queryset = Practice.objects.published().with_relations()
    with django_assert_max_num_queries(5):  # the row and its non-term prefetches, not every entry
        found = view.get_object(queryset)
    assert found == entry and queryset._result_cache is None


def test_relations_an_entry_has_no_row_under_cost_no_query(django_assert_num_queries, warm_facet_index):
    """The detail page's own relations (implementers, projects, findings it answers, extra quotes)
    are prefetched only when the entry's query says it has some; its section and session come
    from the kept records. A bare published entry is one query; one with links, one per relation
    it has, and the same rows as a plain prefetch."""
    from practices.views import PracticeDetailView

    queryset = PracticeDetailView().detail_queryset().filter(status=Status.PUBLISHED)
    bare = PracticeFactory()
    warm_facet_index()
    with django_assert_num_queries(1):
        entry = get_classified(queryset, pk=bare.pk)
        assert [list(getattr(entry, name).all()) for name in ("implementers", "projects", "related_findings")] == [
            [],
            [],
            [],
        ]
        assert list(entry.extra_quotes.all()) == []
        assert entry.section.document.conference is not None and entry.section.label
        assert entry.session is None or entry.session.conference.short_title
    linked = Practice.objects.published().filter(
        implementers__isnull=False, related_findings__isnull=False, projects=None, extra_quotes=None
    )[0]
    with django_assert_num_queries(3):  # the row, its implementers, the findings it answers
        entry = get_classified(queryset, pk=linked.pk)
        found = [list(getattr(entry, name).all()) for name in ("implementers", "related_findings", "projects")]
    assert found == [list(linked.implementers.all()), list(linked.related_findings.published()), []]


def test_sections_and_sessions_are_kept_until_the_record_changes(warm_facet_index):
    entry = Practice.objects.published().exclude(session=None).first()
    session = entry.session
    session.title = "A session renamed"
    session.save()  # a content change: the kept records are read afresh
    found = get_classified(Practice.objects.with_relations().select_related(None), pk=entry.pk)
    assert found.session.title == "A session renamed"
    assert found.section == entry.section and found.section.document == entry.section.document


@pytest.mark.parametrize("model", [Practice, Finding])
@pytest.mark.parametrize("rows", ["for_cards", "with_relations"])
def test_rows_get_from_the_index_and_the_kept_records_what_their_queryset_asks_for(
    model, rows, django_assert_num_queries, warm_facet_index
):
    """A page of browse cards (or of API rows) is one query: its terms come from the facet index
    and its sections and sessions from the kept records, equal to what the prefetches give."""
    from practices.facet_index import FacetIndex
    from practices.facets import facets_for
    from practices.selectors import rows_from_index

    queryset = getattr(model.objects.published(), rows)()
    index = FacetIndex.current(model, facets_for(model))
    plain, fill = rows_from_index(queryset, index)
    relations = [relation for relation in term_relations(model) if relation in queryset._prefetch_related_lookups]

    def shown(entry):
        terms = {relation: list(getattr(entry, relation).all()) for relation in relations}
        return terms, entry.section.label, entry.section.document.conference, entry.session and entry.session.conference

    with django_assert_num_queries(1):
        found = list(plain.order_by("pk"))
        fill(found)
        seen = [shown(entry) for entry in found]
    expected = [shown(entry) for entry in queryset.order_by("pk")]
    assert seen == expected and len(seen) > 10
    assert {"pillars", "regions"} <= set(seen[0][0])

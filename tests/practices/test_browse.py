"""Faceted browse of practices and findings: counts given the other filters, chips, sort, zero
results, limits, no drafts, and a number of queries that does not grow with results or values."""

import pytest
from django.db import connection
from django.db.models.functions import Length
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from common.text import SNIPPET_END, SNIPPET_START
from practices.facets import FACETS, MAX_VALUES_PER_FACET, facets_for
from practices.filters import PracticeFilterSet
from practices.models import Finding, Practice, Status
from practices.templatetags.browse_tags import entry_card
from taxonomy.models import Country, Pillar, Region
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db

MAX_BROWSE_QUERIES = 20
ENTRY_FACETS = {"pillar", "region", "country", "theme", "article", "inspire", "session", "section"}
PRACTICE_FACETS = ENTRY_FACETS | {"basis", "target_group", "practice_type", "child_participation", "evidence_level"}
FINDING_FACETS = ENTRY_FACETS | {"kind", "speaker", "organisation"}


def facet(response, name):
    """The options of one facet, nested ones included, by value."""
    for result in response.context["facets"]:
        for part in (result, result.nested):
            if part is not None and part.name == name:
                return {option.value: option for option in part.options}
    raise KeyError(name)


@pytest.fixture
def iceland_practice():
    """A published practice no shipped entry resembles: two pillars, two regions, one country."""
    practice = PracticeFactory(
        title="Nordic Barnahus pilot",
        pillars=Pillar.objects.filter(slug__in=["prevention", "protection"]),
        regions=Region.objects.filter(slug__in=["europe", "global"]),
    )
    practice.countries.set(Country.objects.filter(code="IS"))
    return practice


def test_registry_declares_every_facet_once():
    names = [facet.name for facet in FACETS]
    assert len(names) == len(set(names))
    assert {f.name for f in facets_for(Practice)} == PRACTICE_FACETS
    assert {f.name for f in facets_for(Finding)} == FINDING_FACETS
    assert set(PracticeFilterSet.base_filters) == {"q", "sort", *(f.name for f in facets_for(Practice))}


def test_counts_apply_the_other_filters(client):
    response = client.get("/practices/?region=europe")
    pillars = facet(response, "pillar")
    europe = Practice.objects.published().filter(regions__slug="europe")
    for slug, option in pillars.items():
        assert option.count == europe.filter(pillars__slug=slug).count(), slug
    assert response.context["paginator"].count == europe.count()


def test_a_facets_own_selection_does_not_narrow_its_counts(client):
    unfiltered = facet(client.get("/practices/"), "pillar")
    selected = facet(client.get("/practices/?pillar=prevention"), "pillar")
    assert {v: o.count for v, o in selected.items()} == {v: o.count for v, o in unfiltered.items()}
    assert selected["prevention"].selected and not selected["protection"].selected


def test_values_or_within_a_facet_and_facets_and_together(client):
    published = Practice.objects.published()
    either = client.get("/practices/?pillar=prevention&pillar=prosecution").context["paginator"].count
    assert either == published.filter(pillars__slug__in=["prevention", "prosecution"]).distinct().count()
    both = client.get("/practices/?pillar=prevention&region=europe").context["paginator"].count
    assert both == published.filter(pillars__slug="prevention").filter(regions__slug="europe").count()


def test_many_to_many_counts_do_not_double(client, iceland_practice):
    response = client.get("/practices/?country=IS")
    assert response.context["paginator"].count == 1
    pillars, regions = facet(response, "pillar"), facet(response, "region")
    assert pillars["prevention"].count == pillars["protection"].count == 1
    assert pillars["prosecution"].count == 0 and not pillars["prosecution"].available
    assert regions["europe"].count == regions["global"].count == 1
    assert facet(response, "country")["IS"].count == Practice.objects.published().filter(countries__code="IS").count()


def test_drafts_are_never_counted_or_listed(client):
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        draft = PracticeFactory(status=status, title=f"Hidden {status} practice")
        draft.countries.set(Country.objects.filter(code="LI"))
    response = client.get("/practices/?country=LI")
    assert response.context["paginator"].count == 0
    assert facet(response, "country")["LI"].count == 0
    assert "Hidden" not in response.content.decode()
    api = client.get("/api/practices/?country=LI").json()
    assert api["count"] == 0
    assert all(option["value"] != "LI" or option["count"] == 0 for option in api["facets"]["country"])
    draft_finding = FindingFactory(status=Status.DRAFT, kind="fact")
    draft_finding.countries.set(Country.objects.filter(code="LI"))
    assert client.get("/api/findings/?country=LI").json()["count"] == 0


def test_options_follow_the_vocabulary_order(client):
    response = client.get("/findings/")
    assert list(facet(response, "pillar")) == list(Pillar.objects.order_by("order").values_list("slug", flat=True))
    assert list(facet(response, "region")) == list(Region.objects.order_by("order").values_list("slug", flat=True))
    numbers = [int(value) for value in facet(response, "article")]
    assert numbers == sorted(numbers)


def test_countries_nest_under_their_region_and_articles_group_by_chapter(client, iceland_practice):
    response = client.get("/practices/?region=europe")
    europe = facet(response, "region")["europe"]
    assert "IS" in {child.value for child in europe.children}
    text = response.content.decode()
    assert 'id="facet-country-IS"' in text
    assert "Chapter IX: International co-operation" in text
    assert 'aria-label="Europe: country"' in text


def test_page_is_a_form_of_fieldsets_that_works_without_javascript(client):
    text = client.get("/practices/").content.decode()
    assert '<form class="filters" id="browse-form" method="get" action="/practices/"' in text
    assert text.count('<fieldset class="facet">') == len(facets_for(Practice)) - 1  # countries nest in regions
    assert '<legend class="visually-hidden">Pillar</legend>' in text
    assert 'type="checkbox" id="facet-pillar-prevention" name="pillar" value="prevention"' in text
    assert '<button type="submit">Apply filters</button>' in text
    assert 'src="/static/js/browse.js" defer' in text
    assert "<script>" not in text and " style=" not in text
    assert 'aria-live="polite"' in text


def test_empty_options_are_greyed_not_controls(client, iceland_practice):
    text = client.get("/practices/?country=IS").content.decode()
    assert (
        '<span class="facet-option is-empty"><input type="checkbox" id="facet-pillar-prosecution" name="pillar"'
        ' value="prosecution" disabled>' in text
    )
    assert '<span class="facet-option"><input type="checkbox" id="facet-pillar-prevention"' in text


def test_active_filters_are_removable_chips(client):
    response = client.get("/practices/?pillar=prevention&region=europe&q=children")
    text = response.content.decode()
    assert 'href="/practices/?q=children&amp;region=europe" data-browse-link>' in text
    assert "Pillar: Prevention" in text and "Region and country: Europe" in text
    assert "Words: “children”" in text
    assert 'href="/practices/?pillar=prevention&amp;region=europe"' in text  # drops the words
    assert '<a class="chip-clear" href="/practices/" data-browse-link>Clear all</a>' in text


def test_unknown_values_are_ignored_and_reported(client):
    response = client.get("/practices/?pillar=nope&pillar=prevention&country=ZZ&sort=sideways&article=999")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ignored unknown pillar: “nope”." in text
    assert "Ignored unknown country: “ZZ”." in text
    assert "Ignored unknown sort: “sideways”." in text
    assert "Ignored unknown article: “999”." in text
    assert (
        response.context["paginator"].count == Practice.objects.published().filter(pillars__slug="prevention").count()
    )


def test_values_beyond_the_limits_are_dropped_and_reported(client):
    countries = list(Country.objects.values_list("code", flat=True)[:40])
    query = "&".join(f"country={code}" for code in countries[: MAX_VALUES_PER_FACET + 2])
    response = client.get(f"/practices/?{query}")
    assert response.context["filterset"].selected["country"] == countries[:MAX_VALUES_PER_FACET]
    assert response.context["capped"] == {"country": countries[MAX_VALUES_PER_FACET : MAX_VALUES_PER_FACET + 2]}
    assert "Ignored country beyond the limit of 10 values per filter and 30 in all" in response.content.decode()
    # the overall limit is spent in the registry's order: pillar, then countries, themes, articles
    themes = [f"theme-{n}" for n in range(10)]
    articles = [str(n) for n in range(1, 11)]
    many = "&".join(
        [f"country={c}" for c in countries[:10]] + [f"theme={t}" for t in themes] + [f"article={a}" for a in articles]
    )
    body = client.get(f"/api/practices/?{many}&pillar=prevention").json()
    assert body["ignored"]["article"] == ["10"]
    assert "pillar" not in body["ignored"]
    assert body["ignored"]["theme"] == themes  # unknown themes still count against the limit


def test_repeated_values_count_once(client):
    response = client.get("/practices/?pillar=prevention&pillar=prevention&pillar=prevention")
    assert response.context["filterset"].selected["pillar"] == ["prevention"]
    assert not response.context["capped"] and not response.context["ignored"]


def test_zero_results_suggest_which_filter_to_drop(client, iceland_practice):
    response = client.get("/practices/?country=IS&pillar=prosecution")
    assert response.context["paginator"].count == 0
    text = response.content.decode()
    assert "No good practice matches all of these filters." in text
    assert '<a href="/practices/?country=IS" data-browse-link>drop the pillar filter</a> (1 good practice)' in text
    assert '<a href="/practices/" data-browse-link>clear all filters</a>' in text
    dropping_country = Practice.objects.published().filter(pillars__slug="prosecution").count()
    assert f"drop the country filter</a> ({dropping_country} good practices)" in text


def test_sort_by_title_newest_and_relevance(client, iceland_practice):
    Practice.objects.filter(pk=iceland_practice.pk).update(published_at=timezone.now())
    by_title = list(client.get("/practices/").context["object_list"])
    assert [p.title for p in by_title] == sorted(p.title for p in by_title)
    newest = client.get("/practices/?sort=newest").context["object_list"]
    assert newest[0] == iceland_practice
    assert 'value="newest" selected' in client.get("/practices/?sort=newest").content.decode()
    filterset = PracticeFilterSet({"q": "children"}, queryset=Practice.objects.published())
    ranked = filterset.order(Practice.objects.published().annotate(search_rank=Length("title")))
    lengths = [len(p.title) for p in ranked]
    assert lengths == sorted(lengths, reverse=True)
    assert filterset.current_sort == "relevance"
    assert PracticeFilterSet({"sort": "relevance"}).current_sort == "title"  # no words, no relevance


def test_result_cards_show_the_search_snippet_highlighted(iceland_practice):
    iceland_practice.search_snippet = f"the {SNIPPET_START}Barnahus{SNIPPET_END} model <script>"
    html = entry_card({}, iceland_practice)
    assert "the <mark>Barnahus</mark> model &lt;script&gt;" in html
    iceland_practice.search_snippet = ""
    assert escape(iceland_practice.summary) in entry_card({}, iceland_practice)


def test_pagination_keeps_the_filters_and_drops_junk(client):
    response = client.get("/findings/?pillar=promotion&junk=1&page=2")
    assert response.context["page_obj"].number == 2
    text = response.content.decode()
    assert 'href="/findings/?pillar=promotion&amp;page=1" rel="prev"' in text


@pytest.mark.parametrize("path", ["/practices/", "/findings/"])
def test_queries_do_not_grow_with_results_or_values(
    client, django_assert_num_queries, django_assert_max_num_queries, path, warm_facet_index
):
    """The same queries for a few results as for many, for one value as for several, and a bound."""
    with django_assert_max_num_queries(MAX_BROWSE_QUERIES) as one:
        client.get(f"{path}?pillar=prevention&region=europe")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(f"{path}?pillar=protection&region=global")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(f"{path}?pillar=prevention&pillar=protection&pillar=promotion&region=europe&region=global")
    with django_assert_max_num_queries(MAX_BROWSE_QUERIES) as none:
        client.get(path)
    assert len(none.captured_queries) <= len(one.captured_queries)


def test_queries_do_not_grow_with_the_catalogue(client, django_assert_num_queries, warm_facet_index):
    """More entries, sessions and sections (so more results and more options): the same queries."""
    with CaptureQueriesContext(connection) as before:
        client.get("/practices/?page=2&sort=newest")
    PracticeFactory.create_batch(25)
    warm_facet_index()  # the index is rebuilt once for the new content version, not per request
    with django_assert_num_queries(len(before.captured_queries)):
        client.get("/practices/?page=2&sort=newest")
